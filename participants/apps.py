from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "People"

    def ready(self) -> None:
        # Importing them connects their signal receivers; models are ready only now.
        from participants import (  # noqa: F401 - connect the sign-in signals
            security,
            sessions,
        )

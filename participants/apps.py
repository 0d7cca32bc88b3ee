from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "People"

    def ready(self) -> None:
        from participants import (  # noqa: F401 - connect the sign-in signals
            security,
            sessions,
        )

from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "People"

    def ready(self) -> None:
        from participants import security  # noqa: F401 - connects the sign-in signal

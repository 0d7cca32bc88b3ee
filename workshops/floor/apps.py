from django.apps import AppConfig


class FloorConfig(AppConfig):
    name = "workshops.floor"
    label = "floor"
    verbose_name = "Equal voice (the floor)"

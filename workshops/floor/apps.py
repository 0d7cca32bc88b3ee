from django.apps import AppConfig


class FloorConfig(AppConfig):
    name = "workshops.floor"
    label = "floor"
    verbose_name = "Equal voice (the floor)"

    def ready(self) -> None:
        """Put the floor's panels in every live room."""
        from workshops import room
        from workshops.floor import render

        room.register_room_panel(render.room_panel)
        room.register_room_dock(render.dock_panel)

from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Idea boards"

    def ready(self) -> None:
        """Draw the board in the room while a board activity is current."""
        from boards import render
        from workshops import room

        room.register_activity_body("board", render.render_activity_body)

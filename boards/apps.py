from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = _("Idea boards")

    def ready(self) -> None:
        """Draw the board in the room; offer card and vote counts to the equal-voice work."""
        # Models and templates are ready only now; a higher app plugs itself into the room.
        from boards import render, selectors
        from workshops.room import render as room_render

        room_render.register_activity_body("board", render.render_activity_body)
        room_render.register_activity_own("board", render.render_own_in_room)
        try:
            floor_voices = import_module("workshops.floor.voices")
        except ImportError:
            return
        register = getattr(floor_voices, "register_contribution_counter", None)
        if register is not None:
            register(selectors.contributions_by_person)

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from workshops.models import Session


class FloorConfig(AppConfig):
    name = "workshops.floor"
    label = "floor"
    verbose_name = _("Equal voice (the floor)")

    def ready(self) -> None:
        """Put the floor's panels in every live room."""
        # Models and templates are ready only now; a higher app plugs itself into the room.
        from workshops import signals
        from workshops.floor import render
        from workshops.room import render as room_render

        room_render.register_room_panel(render.room_panel)
        room_render.register_room_dock(render.dock_panel)
        signals.session_ending.connect(_keep_balance, dispatch_uid="floor.keep_balance")


def _keep_balance(sender: object, *, session: "Session", **kwargs: object) -> None:
    """Keep the equal-voice summary while everyone present still counts as present."""
    # apps.py is imported before the models are ready: the services are imported on use.
    from workshops.floor.services import balance_record

    balance_record(session=session)

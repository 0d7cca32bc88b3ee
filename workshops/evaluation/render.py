"""The feedback activity in the room: one shared fragment that loads each person's own form."""

from typing import Any

from django.template.loader import render_to_string

from workshops.models import Activity, Session


def render_activity_body(*, session: Session, activity: Activity, viewer: Any, steers: bool) -> str:
    """Shared by the whole room: it holds no one's answers, and fetches each person's form."""
    return render_to_string(
        "evaluation/feedback.html#feedback-room", {"session": session, "steers": steers}
    )

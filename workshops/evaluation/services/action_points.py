"""You said, we did: action points made from the group's ideas, and how they move on."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from boards.models import Card
from participants.models import Membership
from project.text import clean_text
from workshops.evaluation.models import ActionPoint
from workshops.models import Programme

TITLE_MAX = 200
NOTE_MAX = 300


@transaction.atomic
def action_point_create(
    *,
    programme: Programme,
    title: str,
    card_uids: list[str],
    owner_id: int | None = None,
    due_on: date | None = None,
) -> ActionPoint:
    """Turn ideas the group chose into an action point with an owner and a due date."""
    title = clean_text(title, "title", max_length=TITLE_MAX)
    if not title:
        raise ValidationError({"title": _("Say what will be done")})
    cards = list(
        Card.objects.filter(
            uid__in=card_uids,
            board__activity__session__programme=programme,
            deleted_at__isnull=True,
        )
    )
    if not cards or len(cards) != len(set(card_uids)):
        raise ValidationError({"ideas": _("Choose at least one idea from this programme's boards")})
    if (
        owner_id is not None
        and not Membership.objects.filter(
            user_id=owner_id, programme=programme, left_on__isnull=True, invited=False
        ).exists()
    ):
        raise ValidationError({"owner": _("Choose someone in the programme")})
    action_point = ActionPoint.objects.create(
        programme=programme, title=title, owner_id=owner_id, due_on=due_on
    )
    action_point.ideas.set(cards)
    return action_point


@transaction.atomic
def action_point_update(
    *, action_point: ActionPoint, status: str, progress_note: str = ""
) -> ActionPoint:
    """Move an action point on, with a note people can read."""
    if status not in ActionPoint.Status.values:
        raise ValidationError({"status": _("Choose a status")})
    action_point.status = status
    action_point.progress_note = clean_text(progress_note, "progress_note", max_length=NOTE_MAX)
    action_point.save(update_fields=["status", "progress_note"])
    return action_point

"""Reads for "You said, we did": the action points, and the ideas they can come from."""

from django.db.models import Count, QuerySet

from boards.models import Card
from boards.selectors import owned_by
from participants.models import Membership
from workshops.evaluation.models import ActionPoint
from workshops.models import Programme

CANDIDATES_SHOWN = 40


def action_points(*, programme: Programme) -> list[ActionPoint]:
    """The programme's action points, each with its owner and the ideas it came from."""
    return list(
        ActionPoint.objects.filter(programme=programme)
        .select_related("owner")
        .prefetch_related("ideas")
    )


def action_point_in(*, programme: Programme, action_point_id: int) -> ActionPoint | None:
    """One of the programme's action points, or None."""
    return ActionPoint.objects.filter(pk=action_point_id, programme=programme).first()


def ideas_acted_on(*, programme: Programme, user_id: int) -> set[int]:
    """Which of this person's ideas led to one of the programme's action points."""
    return set(
        Card.objects.filter(owned_by(user_id), actions__programme=programme).values_list(
            "pk", flat=True
        )
    )


def idea_candidates(*, programme: Programme) -> QuerySet[Card]:
    """The ideas an action point can come from: the programme's cards, most votes first."""
    return (
        Card.objects.filter(board__activity__session__programme=programme, deleted_at__isnull=True)
        .annotate(dots=Count("votes"))
        .order_by("-dots", "pk")[:CANDIDATES_SHOWN]
    )


def members_of(*, programme: Programme) -> QuerySet[Membership]:
    """The programme's current members (not invitations): who an action point can be given to."""
    return Membership.objects.filter(
        programme=programme, left_on__isnull=True, invited=False
    ).select_related("user")

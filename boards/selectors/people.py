"""Reads about people on boards: whose an idea is, who a facilitator may type for, and how
many ideas and dots each person gave."""

from django.db.models import Count, Q

from boards.models import Board, Card, Vote
from participants.models import STEERING_ROLES, Membership
from workshops.models import Attendance, Session


def supportable_people(*, session: Session) -> list[tuple[int, str]]:
    """People admitted to a session that a facilitator may type an idea for (one query)."""
    rows = (
        Attendance.objects.filter(session=session, admission=Attendance.Admission.ADMITTED)
        .exclude(
            user__memberships__programme_id=session.programme_id,
            user__memberships__role__in=STEERING_ROLES,
        )
        .order_by("user__display_name")
        .values_list("user_id", "user__display_name")
    )
    return [(pk, name) for pk, name in rows]


def contributions_by_person(*, session: Session) -> dict[int, dict[str, int]]:
    """Cards and dots per person in a session: {user_id: {"cards": n, "votes": n}}.

    A supported card counts for the person it was typed for; cards on boards where nobody
    sees names are not counted.
    """
    result: dict[int, dict[str, int]] = {}
    # Ideas on boards where nobody sees names count in nobody's figures: a per-person count
    # that ticks up as a card appears would tell the facilitator who wrote it.
    card_rows = (
        Card.objects.filter(board__activity__session=session, deleted_at__isnull=True)
        .exclude(board__anonymity=Board.Anonymity.NOBODY)
        .values("author_id", "on_behalf_of_id")
        .annotate(n=Count("pk"))
    )
    for row in card_rows:
        owner = row["on_behalf_of_id"] or row["author_id"]
        result.setdefault(owner, {"cards": 0, "votes": 0})["cards"] += row["n"]
    vote_rows = (
        Vote.objects.filter(board__activity__session=session)
        .values("voter_id")
        .annotate(n=Count("pk"))
    )
    for vote_row in vote_rows:
        result.setdefault(vote_row["voter_id"], {"cards": 0, "votes": 0})["votes"] += vote_row["n"]
    return result


def owned_by(user_id: int) -> Q:
    """Cards that are this person's idea."""
    return Q(on_behalf_of_id=user_id) | Q(on_behalf_of__isnull=True, author_id=user_id)


def is_member(*, user_id: int, programme_id: int) -> bool:
    """Is this person an active member of the programme (an accepted one, not an invitation)?"""
    return Membership.objects.filter(
        user_id=user_id, programme_id=programme_id, left_on__isnull=True, invited=False
    ).exists()

"""Reads about the people paid: their memberships, payment preferences, and a session's
register."""

from typing import Any

from participants.models import PAID_ROLES, Membership
from participants.payments.models import PaymentPreference
from workshops.models import Attendance, Session


def preferences(*, programme_id: int) -> dict[int, PaymentPreference]:
    """Payment preferences by person in a programme."""
    return {
        p.membership.user_id: p
        for p in PaymentPreference.objects.filter(
            membership__programme_id=programme_id
        ).select_related("membership")
    }


def paid_memberships_of(*, person_id: int) -> list[Membership]:
    """The programmes a person is paid in now (lived experience or caring), with each programme."""
    return list(
        Membership.objects.filter(
            user_id=person_id, role__in=PAID_ROLES, left_on__isnull=True, invited=False
        ).select_related("programme")
    )


def contributors(*, programme_id: int) -> list[Membership]:
    """A programme's paid contributors now, by name, with their payment preference."""
    # Invitations are not listed: until accepted, the account (and its name) is not the
    # programme's to see.
    rows = Membership.objects.filter(
        programme_id=programme_id, role__in=PAID_ROLES, left_on__isnull=True, invited=False
    ).select_related("user", "payment_preference")
    return sorted(rows, key=lambda m: m.user.display_name.lower())


def contributor(*, programme_id: int, membership_id: int) -> Membership | None:
    """One paid contributor's membership of a programme (None if not one of them)."""
    return (
        Membership.objects.filter(
            pk=membership_id, programme_id=programme_id, role__in=PAID_ROLES, invited=False
        )
        .select_related("user")
        .first()
    )


def register_rows(*, session: Session) -> list[dict[str, Any]]:
    """A session's register: everyone who may be in it, by name, their role, whether they
    are paid, and their attendance (or None)."""
    attendances = {
        a.user_id: a for a in Attendance.objects.filter(session=session).select_related("user")
    }
    members = Membership.objects.filter(
        programme_id=session.programme_id,
        left_on__isnull=True,
        invited=False,
        role__in=PAID_ROLES | {"practitioner"},
    ).select_related("user")
    return [
        {
            "user": m.user,
            "role": m.get_role_display(),
            "organisation": m.organisation,
            "sector": m.get_sector_display(),
            "paid": m.role in PAID_ROLES,
            "attendance": attendances.get(m.user_id),
        }
        for m in sorted(members, key=lambda m: m.user.display_name.lower())
    ]

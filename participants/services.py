"""Every write to people and memberships."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participants.models import Membership, Role, User, new_signin_secret


@transaction.atomic
def person_add_to_programme(
    *,
    programme: Any,
    display_name: str,
    role: str,
    email: str | None = None,
    added_by: User | None = None,
) -> Membership:
    """Add a person (new, or known by email) to a programme with a role."""
    display_name = display_name.strip()
    if not display_name:
        raise ValidationError({"display_name": "Enter the person's name"})
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    email = (email or "").strip().lower() or None
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        user = User.objects.create_user(email=email, display_name=display_name)
    elif Membership.objects.filter(user=user, programme=programme).exists():
        raise ValidationError({"email": "This person is already in the programme"})
    membership = Membership(user=user, programme=programme, role=role, added_by=added_by)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_record_consent(*, membership: Membership, take_part: bool, data_use: bool) -> None:
    """Record when a person agreed to take part and to their data being used."""
    now = timezone.now()
    if take_part and membership.consent_take_part_at is None:
        membership.consent_take_part_at = now
    if data_use and membership.consent_data_use_at is None:
        membership.consent_data_use_at = now
    membership.save(update_fields=["consent_take_part_at", "consent_data_use_at"])


@transaction.atomic
def signin_card_renew(*, user: User) -> User:
    """Issue a new sign-in card secret; the old card stops working."""
    user.signin_secret = new_signin_secret()
    user.save(update_fields=["signin_secret"])
    return user


@transaction.atomic
def access_needs_set(*, user: User, large_text: bool) -> User:
    """Save a person's display preference (large text)."""
    user.large_text = large_text
    user.save(update_fields=["large_text"])
    return user


def _close_room_sockets(*, user: User, programme_id: int | None = None) -> None:
    """Close the person's open room sockets (in live sessions) once the transaction commits."""
    from workshops import realtime
    from workshops.models import Session

    sessions = Session.objects.filter(status=Session.Status.LIVE)
    if programme_id is not None:
        sessions = sessions.filter(programme_id=programme_id)
    else:
        sessions = sessions.filter(programme__memberships__user=user)
    for session_id in sessions.values_list("pk", flat=True).distinct():
        realtime.close_person_on_commit(session_id=session_id, user_id=user.pk)


@transaction.atomic
def person_signed_out(*, user: User) -> None:
    """Someone signed out: their open room sockets close."""
    _close_room_sockets(user=user)


@transaction.atomic
def membership_end(*, membership: Membership, by: User) -> Membership:
    """Take a person out of a programme: they lose access at once and their sockets close."""
    if membership.user_id == by.pk:
        raise ValidationError("You cannot remove yourself from a programme")
    if membership.left_on is not None:
        raise ValidationError("This person has already left the programme")
    membership.left_on = timezone.localdate()
    membership.save(update_fields=["left_on"])
    _close_room_sockets(user=membership.user, programme_id=membership.programme_id)
    return membership

"""Every write to people and memberships."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import (
    ACCESS_NEEDS,
    Consent,
    Membership,
    Role,
    Sector,
    User,
    new_signin_secret,
)
from project.text import clean_name, clean_text
from workshops.models import Session
from workshops.room import broadcast


@transaction.atomic
def person_add_to_programme(
    *,
    programme: Any,
    display_name: str,
    role: str,
    email: str | None = None,
    added_by: User | None = None,
    site_url: str = "",
    organisation: str = "",
    sector: str = "",
) -> Membership:
    """Add a person to a programme with a role; anyone with an email address is invited.

    An email address may already belong to someone in other programmes: nothing of theirs
    (card, sessions, payments, name) may reach this programme until they accept, signed in as
    themselves. A new address is invited too, so nobody can claim an address before its owner.
    """
    display_name = clean_name(display_name, "display_name")
    if not display_name:
        raise ValidationError({"display_name": _("Enter the person's name")})
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role")})
    organisation, sector = _organisation_and_sector(organisation, sector)
    email = (email or "").strip().lower() or None
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        user = User.objects.create_user(email=email, display_name=display_name)
    elif Membership.objects.filter(user=user, programme=programme).exists():
        raise ValidationError({"email": _("This email address is already in the programme")})
    membership = Membership(
        user=user,
        programme=programme,
        role=role,
        added_by=added_by,
        invited=email is not None,
        invited_name=display_name if email else "",
        organisation=organisation,
        sector=sector,
    )
    membership.full_clean()
    membership.save()
    if email is not None:
        transaction.on_commit(
            lambda: _send_invitation(membership=membership, email=email, site_url=site_url),
            robust=True,
        )
    return membership


def _organisation_and_sector(organisation: str, sector: str) -> tuple[str, str]:
    organisation = clean_text(organisation, "organisation", max_length=120)
    if sector not in ("", *Sector.values):
        raise ValidationError({"sector": _("Choose a sector from the list")})
    return organisation, sector


@transaction.atomic
def membership_describe(*, membership: Membership, organisation: str, sector: str) -> Membership:
    """Say which organisation and sector someone comes from, in this programme."""
    organisation, sector = _organisation_and_sector(organisation, sector)
    membership.organisation, membership.sector = organisation, sector
    membership.save(update_fields=["organisation", "sector"])
    return membership


def _send_invitation(*, membership: Membership, email: str, site_url: str) -> None:
    programme = membership.programme
    send_mail(
        subject=_("You are invited to %(programme)s on Comhla") % {"programme": programme.name},
        message=_(
            "You have been invited to take part in %(programme)s as %(role)s.\n\n"
            "To accept, sign in to Comhla with this email address (we will email you a "
            "code, no password needed) and press Accept:\n%(link)s\n\n"
            "If you did not expect this, ignore this email: nothing happens unless you accept."
        )
        % {
            "programme": programme.name,
            "role": membership.get_role_display().lower(),
            "link": site_url or "/",
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )


@transaction.atomic
def invitation_answer(*, membership: Membership, user: User, accept: bool) -> Membership | None:
    """The invited person accepts (the membership starts) or declines (it goes)."""
    if membership.user_id != user.pk or not membership.invited:
        raise ValidationError(_("There is no invitation to answer"))
    if not accept:
        membership.delete()
        return None
    membership.invited = False
    membership.invited_name = ""
    membership.joined_on = timezone.localdate()
    membership.save(update_fields=["invited", "invited_name", "joined_on"])
    return membership


@transaction.atomic
def consent_record(
    *,
    membership: Membership,
    take_part: bool,
    quotes: bool,
    contact: bool,
    photos: bool,
    with_supporter: bool,
    recorded_by: User | None = None,
) -> Consent:
    """Record a person's yes or no to each use in one programme, now (`recorded_by`: the
    facilitator or organiser who typed in answers given on paper).

    Answers are never overwritten: a changed answer is a new row. The same answers again add
    nothing (whoever helped this time), so saving only access needs leaves one record.
    """
    if not membership.is_active:
        raise ValidationError(_("Only someone taking part in the programme can answer"))
    answers = {"take_part": take_part, "quotes": quotes, "contact": contact, "photos": photos}
    current = membership.consents.order_by("-answered_at", "-pk").first()
    if current is not None and current.same_answers(**answers):
        return current
    consent = Consent(
        membership=membership, with_supporter=with_supporter, recorded_by=recorded_by, **answers
    )
    consent.full_clean()
    consent.save()
    if not take_part:
        # No longer taking part: out of any live room of the programme now, not on next join.
        _close_room_sockets(user=membership.user, programme_id=membership.programme_id)
    return consent


@transaction.atomic
def signin_card_renew(*, user: User) -> User:
    """Issue a new sign-in card secret; the old card stops working and every device it
    signed in is signed out (their room sockets close)."""
    user.signin_secret = new_signin_secret()
    user.save(update_fields=["signin_secret"])
    return person_sign_out_everywhere(user=user)


@transaction.atomic
def person_sign_out_everywhere(*, user: User) -> User:
    """End every signed-in session of this person, on every device, and close their sockets."""
    User.objects.filter(pk=user.pk).update(sign_in_generation=F("sign_in_generation") + 1)
    user.refresh_from_db(fields=["sign_in_generation"])
    _close_room_sockets(user=user)
    return user


@transaction.atomic
def access_needs_set(
    *,
    user: User,
    large_text: bool,
    read_aloud: bool,
    needs_supporter: bool,
    needs_bsl: bool,
    needs_hearing_loop: bool,
    needs_transport: bool,
    dietary_needs: str,
    other_needs: str,
) -> User:
    """Save what a person needs to take part, as they or their supporter told us."""
    user.dietary_needs = clean_text(dietary_needs, "dietary_needs", max_length=200)
    user.other_needs = clean_text(other_needs, "other_needs", max_length=300, multiline=True)
    user.large_text = large_text
    user.read_aloud = read_aloud
    user.needs_supporter = needs_supporter
    user.needs_bsl = needs_bsl
    user.needs_hearing_loop = needs_hearing_loop
    user.needs_transport = needs_transport
    user.access_needs_updated_at = timezone.now()
    user.save(update_fields=[*ACCESS_NEEDS, "access_needs_updated_at"])
    return user


def _close_room_sockets(*, user: User, programme_id: int | None = None) -> None:
    """Close the person's open room sockets (in live sessions) once the transaction commits."""
    sessions = Session.objects.filter(status=Session.Status.LIVE)
    if programme_id is not None:
        sessions = sessions.filter(programme_id=programme_id)
    else:
        sessions = sessions.filter(programme__memberships__user=user)
    for session_id in sessions.values_list("pk", flat=True).distinct():
        broadcast.close_person_on_commit(session_id=session_id, user_id=user.pk)


@transaction.atomic
def person_signed_out(*, user: User) -> None:
    """Someone signed out: their open room sockets close."""
    _close_room_sockets(user=user)


@transaction.atomic
def membership_end(*, membership: Membership, by: User) -> Membership:
    """Take a person out of a programme: they lose access at once and their sockets close."""
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself from a programme"))
    if membership.left_on is not None:
        raise ValidationError(_("This person has already left the programme"))
    membership.left_on = timezone.localdate()
    membership.save(update_fields=["left_on"])
    _close_room_sockets(user=membership.user, programme_id=membership.programme_id)
    return membership

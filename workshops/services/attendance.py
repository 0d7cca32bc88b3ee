"""Who is in a session: joining it, being let in or taken out, co-facilitating, and a
facilitator's check of a picked name."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import PAID_ROLES, Membership, Role, User
from project.text import clean_name
from workshops.models import Attendance, JoinClaim, Session
from workshops.room import broadcast
from workshops.room import render as room_render


@transaction.atomic
def person_join_session(
    *, session: Session, user: User | None = None, new_name: str = "", role: str = ""
) -> tuple[User, Attendance]:
    """A person joins a session by its code, as a known member or as someone new.

    In an open session they are let straight in; otherwise they wait for a facilitator.
    Someone a facilitator removed stays out until a facilitator lets them back in.
    """
    if not session.join_code_is_valid():
        raise ValidationError(_("This session is not open for joining"))
    if user is None:
        new_name = clean_name(new_name, "new_name")
        if not new_name:
            raise ValidationError({"new_name": _("Enter your name")})
        if role not in {Role.LIVED_EXPERIENCE, Role.CARER, Role.PRACTITIONER}:
            raise ValidationError({"role": _("Choose how you are taking part")})
        user = User.objects.create_user(display_name=new_name)
        Membership.objects.create(
            user=user, programme=session.programme, role=role, walk_in_session=session
        )
    elif not Membership.objects.filter(
        user=user, programme=session.programme, left_on__isnull=True, invited=False
    ).exists():
        raise ValidationError(_("That person is not part of this programme"))
    attendance = _attendance_for(session, user)
    if attendance.admission == Attendance.Admission.REMOVED:
        return user, attendance
    if attendance.admission == Attendance.Admission.ADMITTED:
        return user, attendance
    if session.admission == Session.Admission.OPEN:
        _admit(attendance, by=None)
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event="person_joined",
        audience="facilitators",
        html=room_render.render_people_panel(session),
    )
    return user, attendance


def _attendance_for(session: Session, user: User) -> Attendance:
    try:
        with transaction.atomic():
            attendance, _ = Attendance.objects.get_or_create(
                session=session,
                user=user,
                defaults={"admission": Attendance.Admission.WAITING},
            )
    except IntegrityError:
        attendance = Attendance.objects.get(session=session, user=user)
    return attendance


def _admit(attendance: Attendance, *, by: User | None) -> None:
    attendance.admission = Attendance.Admission.ADMITTED
    attendance.admitted_by = by
    if attendance.checked_in_at is None:
        attendance.checked_in_at = timezone.now()
    attendance.checked_out_at = None
    attendance.save(update_fields=["admission", "admitted_by", "checked_in_at", "checked_out_at"])


@transaction.atomic
def attendance_admit(*, session: Session, user_id: int, by: User) -> Attendance:
    """Let a waiting (or removed) person into the room."""
    attendance = Attendance.objects.filter(session=session, user_id=user_id).first()
    if attendance is None:
        raise ValidationError(_("That person has not asked to join this session"))
    if session.status == Session.Status.ENDED:
        raise ValidationError(_("This session has ended"))
    _admit(attendance, by=by)
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event="person_admitted",
        audience="facilitators",
        html=room_render.render_people_panel(session),
    )
    return attendance


@transaction.atomic
def attendance_remove(*, session: Session, user_id: int, by: User) -> Attendance:
    """Take a person out of the room: they are checked out and their screens disconnect."""
    attendance = Attendance.objects.filter(session=session, user_id=user_id).first()
    if attendance is None:
        raise ValidationError(_("That person is not in this session"))
    if user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself"))
    attendance.admission = Attendance.Admission.REMOVED
    # Taken out of the room, they stop co-facilitating: letting them back in does not restore it.
    attendance.co_facilitator = False
    if attendance.checked_in_at and attendance.checked_out_at is None:
        attendance.checked_out_at = timezone.now()
    attendance.save(update_fields=["admission", "co_facilitator", "checked_out_at"])
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event="person_removed",
        audience="facilitators",
        html=room_render.render_people_panel(session),
    )
    broadcast.close_person_on_commit(session_id=session.pk, user_id=user_id)
    return attendance


MAX_PENDING_CLAIMS_PER_PERSON = 3


def _people_panel_changed(session: Session, event: str) -> None:
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event=event,
        audience="facilitators",
        html=room_render.render_people_panel(session),
    )


@transaction.atomic
def attendance_set_co_facilitator(
    *, session: Session, user_id: int, co_facilitator: bool, by: User
) -> Attendance:
    """Mark a contributor in the room as co-facilitator of this session, or stop it.

    Their role, and so their pay, does not change; workshops.access gives them the controls.
    Their open screens reconnect so they join (or leave) the facilitators' pushes.
    """
    if session.status != Session.Status.LIVE:
        raise ValidationError(_("Co-facilitators are chosen while the session is live"))
    attendance = Attendance.objects.filter(
        session=session, user_id=user_id, admission=Attendance.Admission.ADMITTED
    ).first()
    if attendance is None:
        raise ValidationError(_("That person is not in the room"))
    if co_facilitator and user_id == by.pk:
        raise ValidationError(_("You cannot make yourself a co-facilitator"))
    role = (
        Membership.objects.filter(
            user_id=user_id, programme_id=session.programme_id, left_on__isnull=True
        )
        .values_list("role", flat=True)
        .first()
    )
    if co_facilitator and role not in PAID_ROLES:
        raise ValidationError(
            _("Only a person with lived experience or an unpaid carer can co-facilitate")
        )
    # Conditional, so two presses at once change it (and reconnect their screens) once.
    changed = (
        Attendance.objects.filter(pk=attendance.pk, admission=Attendance.Admission.ADMITTED)
        .exclude(co_facilitator=co_facilitator)
        .update(co_facilitator=co_facilitator)
    )
    attendance.co_facilitator = co_facilitator
    if changed:
        _people_panel_changed(session, "co_facilitator_changed")
        broadcast.close_person_on_commit(
            session_id=session.pk, user_id=user_id, code=broadcast.CLOSE_REJOIN
        )
    return attendance


@transaction.atomic
def join_claim_create(*, session: Session, user: User) -> JoinClaim:
    """Someone picked this person's name: ask the facilitators to confirm it is them."""
    if not session.join_code_is_valid():
        raise ValidationError(_("This session is not open for joining"))
    if not Membership.objects.filter(
        user=user, programme=session.programme, left_on__isnull=True, invited=False
    ).exists():
        raise ValidationError(_("That person is not part of this programme"))
    pending = JoinClaim.objects.filter(session=session, status=JoinClaim.Status.PENDING)
    # A few devices asking for one name is a mix-up; more is someone trying their luck.
    if pending.filter(user=user).count() >= MAX_PENDING_CLAIMS_PER_PERSON:
        raise ValidationError(
            _(
                "Several people are already waiting to join under this name. "
                "Please speak to the facilitator."
            )
        )
    taken = set(pending.values_list("number", flat=True))
    free = [n for n in range(10, 100) if n not in taken] or list(range(10, 100))
    claim = JoinClaim.objects.create(session=session, user=user, number=secrets.choice(free))
    _people_panel_changed(session, "claim_made")
    return claim


@transaction.atomic
def join_claim_decide(*, claim: JoinClaim, by: User, confirmed: bool) -> JoinClaim:
    """A facilitator says whether the person who picked a name is that person.

    Confirming lets them into the room; the asking device signs in as them on its next look.
    """
    status = JoinClaim.Status.CONFIRMED if confirmed else JoinClaim.Status.REFUSED
    updated = JoinClaim.objects.filter(pk=claim.pk, status=JoinClaim.Status.PENDING).update(
        status=status, decided_by=by, decided_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Someone has already answered this"))
    claim.refresh_from_db()
    session = claim.session
    if confirmed:
        if session.status == Session.Status.ENDED:
            raise ValidationError(_("This session has ended"))
        attendance = _attendance_for(session, claim.user)
        if attendance.admission != Attendance.Admission.ADMITTED:
            _admit(attendance, by=by)
    _people_panel_changed(session, "claim_decided")
    return claim


@transaction.atomic
def join_claim_use(*, claim: JoinClaim) -> bool:
    """Spend a confirmed claim on signing its device in; True only the first time."""
    return bool(
        JoinClaim.objects.filter(
            pk=claim.pk, status=JoinClaim.Status.CONFIRMED, used_at__isnull=True
        ).update(used_at=timezone.now())
    )

"""Every write to programmes, sessions, agendas and attendance."""

import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from participants.models import Membership, Role, User
from project.text import clean_name
from workshops import realtime, room
from workshops.models import Activity, Attendance, JoinClaim, Programme, Session, new_join_code


@transaction.atomic
def programme_create(
    *, name: str, site: str, focus: str, starts_on: date, ends_on: date, created_by: User
) -> Programme:
    """Create a programme; its creator becomes its first organiser."""
    programme = Programme(name=name, site=site, focus=focus, starts_on=starts_on, ends_on=ends_on)
    programme.full_clean()
    programme.save()
    Membership.objects.create(
        user=created_by, programme=programme, role=Role.ORGANISER, added_by=created_by
    )
    return programme


def _unused_join_code() -> str:
    for _ in range(50):
        code = new_join_code()
        if not Session.objects.filter(join_code=code).exists():
            return code
    raise RuntimeError("Could not find a free join code")


@transaction.atomic
def session_schedule(
    *,
    programme: Programme,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    number: int | None = None,
) -> Session:
    """Schedule a session of a programme, numbered after the last one unless given."""
    if number is None:
        last = programme.sessions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    if programme.sessions.filter(number=number).exists():
        raise ValidationError({"number": f"Session {number} already exists in this programme"})
    session = Session(
        programme=programme,
        number=number,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        join_code=_unused_join_code(),
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def activity_add(*, session: Session, kind: str, title: str, timebox_minutes: int) -> Activity:
    """Add an activity at the end of a session's agenda."""
    if session.status == Session.Status.ENDED:
        raise ValidationError("This session has ended: its agenda can no longer change")
    last = session.activities.order_by("-order").values_list("order", flat=True).first()
    activity = Activity(
        session=session,
        kind=kind,
        title=title,
        timebox_minutes=timebox_minutes,
        order=(last or 0) + 1 if last is not None else 0,
    )
    activity.full_clean()
    activity.save()
    if session.is_live:
        realtime.broadcast_on_commit(
            session_id=session.pk,
            event="agenda_changed",
            audience="facilitators",
            html=room.render_agenda(session),
        )
    return activity


@transaction.atomic
def session_open(*, session: Session, by: User) -> Session:
    """Open a session: it goes live and its join code starts working."""
    updated = Session.objects.filter(pk=session.pk, status=Session.Status.SCHEDULED).update(
        status=Session.Status.LIVE, opened_at=timezone.now()
    )
    if not updated:
        raise ValidationError("Only a scheduled session can be opened")
    session.refresh_from_db()
    if not session.join_code:
        session.join_code = _unused_join_code()
        session.save(update_fields=["join_code"])
    if session.current_activity_id is None:
        first = session.activities.order_by("order", "pk").first()
        if first is not None:
            _make_current(session, first)
    room.broadcast_activity(session, event="session_opened")
    return session


def _make_current(session: Session, activity: Activity) -> None:
    activity.started_at = timezone.now()
    activity.save(update_fields=["started_at"])
    session.current_activity = activity
    session.save(update_fields=["current_activity"])


@transaction.atomic
def session_move_to_activity(*, session: Session, activity_id: int, by: User) -> Session:
    """Move the whole room to another activity on the agenda."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.LIVE:
        raise ValidationError("The session is not live")
    activity = session.activities.filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError("That activity is not on this session's agenda")
    if session.current_activity_id != activity.pk:
        _make_current(session, activity)
    room.broadcast_activity(
        session, event="activity_changed", announce=f"The room has moved to: {activity.title}"
    )
    realtime.broadcast_on_commit(
        session_id=session.pk,
        event="agenda_changed",
        audience="facilitators",
        html=room.render_agenda(session),
    )
    return session


@transaction.atomic
def session_end(*, session: Session, by: User) -> Session:
    """End a session: everyone still in is checked out, the code stops working, sockets close."""
    now = timezone.now()
    updated = Session.objects.filter(pk=session.pk, status=Session.Status.LIVE).update(
        status=Session.Status.ENDED, ended_at=now, join_code=None
    )
    if not updated:
        raise ValidationError("Only a live session can be ended")
    from workshops.floor.services import balance_record

    # Keep the equal-voice summary while everyone present still counts as present.
    balance_record(session=session)
    Attendance.objects.filter(
        session=session,
        admission=Attendance.Admission.ADMITTED,
        checked_in_at__isnull=False,
        checked_out_at__isnull=True,
    ).update(checked_out_at=now)
    # A walk-in was a room identity for this session only: they leave the programme with it
    # (their attendance, and so their pay, stays).
    Membership.objects.filter(walk_in_session=session, left_on__isnull=True).update(
        left_on=timezone.localdate()
    )
    JoinClaim.objects.filter(session=session, status=JoinClaim.Status.PENDING).update(
        status=JoinClaim.Status.REFUSED, decided_at=now
    )
    session.refresh_from_db()
    room.broadcast_activity(session, event="session_ended", announce="The session has ended")
    realtime.close_room_on_commit(session_id=session.pk, code=4000)
    return session


@transaction.atomic
def session_set_admission(*, session: Session, admission: str, by: User) -> Session:
    """Switch between letting everyone with the code in and a waiting list."""
    if admission not in Session.Admission.values:
        raise ValidationError("Choose how people are let in")
    session.admission = admission
    session.save(update_fields=["admission"])
    realtime.broadcast_on_commit(
        session_id=session.pk,
        event="admission_changed",
        audience="facilitators",
        html=room.render_people_panel(session),
    )
    return session


@transaction.atomic
def session_set_turn_limit(*, session: Session, seconds: int) -> Session:
    """Set the soft time limit for a turn in this session."""
    session.turn_time_limit_seconds = seconds
    session.full_clean()
    session.save(update_fields=["turn_time_limit_seconds"])
    return session


@transaction.atomic
def person_join_session(
    *, session: Session, user: User | None = None, new_name: str = "", role: str = ""
) -> tuple[User, Attendance]:
    """A person joins a session by its code, as a known member or as someone new.

    In an open session they are let straight in; otherwise they wait for a facilitator.
    Someone a facilitator removed stays out until a facilitator lets them back in.
    """
    if not session.join_code_is_valid():
        raise ValidationError("This session is not open for joining")
    if user is None:
        new_name = clean_name(new_name, "new_name")
        if not new_name:
            raise ValidationError({"new_name": "Enter your name"})
        if role not in {Role.LIVED_EXPERIENCE, Role.CARER, Role.PRACTITIONER}:
            raise ValidationError({"role": "Choose how you are taking part"})
        user = User.objects.create_user(display_name=new_name)
        Membership.objects.create(
            user=user, programme=session.programme, role=role, walk_in_session=session
        )
    elif not Membership.objects.filter(
        user=user, programme=session.programme, left_on__isnull=True, invited=False
    ).exists():
        raise ValidationError("That person is not part of this programme")
    attendance = _attendance_for(session, user)
    if attendance.admission == Attendance.Admission.REMOVED:
        return user, attendance
    if attendance.admission == Attendance.Admission.ADMITTED:
        return user, attendance
    if session.admission == Session.Admission.OPEN:
        _admit(attendance, by=None)
    realtime.broadcast_on_commit(
        session_id=session.pk,
        event="person_joined",
        audience="facilitators",
        html=room.render_people_panel(session),
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
        raise ValidationError("That person has not asked to join this session")
    if session.status == Session.Status.ENDED:
        raise ValidationError("This session has ended")
    _admit(attendance, by=by)
    realtime.broadcast_on_commit(
        session_id=session.pk,
        event="person_admitted",
        audience="facilitators",
        html=room.render_people_panel(session),
    )
    return attendance


@transaction.atomic
def attendance_remove(*, session: Session, user_id: int, by: User) -> Attendance:
    """Take a person out of the room: they are checked out and their screens disconnect."""
    attendance = Attendance.objects.filter(session=session, user_id=user_id).first()
    if attendance is None:
        raise ValidationError("That person is not in this session")
    if user_id == by.pk:
        raise ValidationError("You cannot remove yourself")
    attendance.admission = Attendance.Admission.REMOVED
    if attendance.checked_in_at and attendance.checked_out_at is None:
        attendance.checked_out_at = timezone.now()
    attendance.save(update_fields=["admission", "checked_out_at"])
    realtime.broadcast_on_commit(
        session_id=session.pk,
        event="person_removed",
        audience="facilitators",
        html=room.render_people_panel(session),
    )
    realtime.close_person_on_commit(session_id=session.pk, user_id=user_id)
    return attendance


MAX_PENDING_CLAIMS_PER_PERSON = 3


def _people_panel_changed(session: Session, event: str) -> None:
    realtime.broadcast_on_commit(
        session_id=session.pk,
        event=event,
        audience="facilitators",
        html=room.render_people_panel(session),
    )


@transaction.atomic
def join_claim_create(*, session: Session, user: User) -> JoinClaim:
    """Someone picked this person's name: ask the facilitators to confirm it is them."""
    if not session.join_code_is_valid():
        raise ValidationError("This session is not open for joining")
    if not Membership.objects.filter(
        user=user, programme=session.programme, left_on__isnull=True, invited=False
    ).exists():
        raise ValidationError("That person is not part of this programme")
    pending = JoinClaim.objects.filter(session=session, status=JoinClaim.Status.PENDING)
    # A few devices asking for one name is a mix-up; more is someone trying their luck.
    if pending.filter(user=user).count() >= MAX_PENDING_CLAIMS_PER_PERSON:
        raise ValidationError(
            "Several people are already waiting to join under this name. "
            "Please speak to the facilitator."
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
        raise ValidationError("Someone has already answered this")
    claim.refresh_from_db()
    session = claim.session
    if confirmed:
        if session.status == Session.Status.ENDED:
            raise ValidationError("This session has ended")
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

"""Every write to programmes, sessions, agendas and attendance."""

import secrets
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from participants.models import PAID_ROLES, Membership, Role, User
from project.text import clean_name, clean_text
from workshops import signals
from workshops.models import (
    Activity,
    AgendaTemplate,
    Attendance,
    JoinClaim,
    Programme,
    Rsvp,
    Session,
    new_join_code,
)
from workshops.room import broadcast
from workshops.room import render as room_render

WHEN_FORMAT = "l j F Y, H:i"


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
    for _attempt in range(50):
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
    online_link: str = "",
    number: int | None = None,
) -> Session:
    """Schedule a session of a programme, numbered after the last one unless given."""
    if number is None:
        last = programme.sessions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    if programme.sessions.filter(number=number).exists():
        raise ValidationError(
            {
                "number": _("Session %(number)s already exists in this programme")
                % {"number": number}
            }
        )
    session = Session(
        programme=programme,
        number=number,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=validate_online_link(online_link),
        join_code=_unused_join_code(),
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def activity_add(*, session: Session, kind: str, title: str, timebox_minutes: int) -> Activity:
    """Add an activity at the end of a session's agenda."""
    if session.status == Session.Status.ENDED:
        raise ValidationError(_("This session has ended: its agenda can no longer change"))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled: its agenda can no longer change"))
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
        broadcast.broadcast_on_commit(
            session_id=session.pk,
            event="agenda_changed",
            audience="facilitators",
            html=room_render.render_agenda(session),
        )
    return activity


@transaction.atomic
def session_open(*, session: Session, by: User) -> Session:
    """Open a session: it goes live and its join code starts working."""
    updated = Session.objects.filter(pk=session.pk, status=Session.Status.SCHEDULED).update(
        status=Session.Status.LIVE, opened_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Only a scheduled session can be opened"))
    session.refresh_from_db()
    if not session.join_code:
        session.join_code = _unused_join_code()
        session.save(update_fields=["join_code"])
    if session.current_activity_id is None:
        first = session.activities.order_by("order", "pk").first()
        if first is not None:
            _make_current(session, first)
    room_render.broadcast_activity(session, event="session_opened")
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
        raise ValidationError(_("The session is not live"))
    activity = session.activities.filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError(_("That activity is not on this session's agenda"))
    if session.current_activity_id != activity.pk:
        _make_current(session, activity)
    room_render.broadcast_activity(
        session,
        event="activity_changed",
        announce=_("The room has moved to: %(title)s") % {"title": activity.title},
    )
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event="agenda_changed",
        audience="facilitators",
        html=room_render.render_agenda(session),
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
        raise ValidationError(_("Only a live session can be ended"))
    signals.session_ending.send(sender=Session, session=session)
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
    room_render.broadcast_activity(
        session, event="session_ended", announce=_("The session has ended")
    )
    broadcast.close_room_on_commit(session_id=session.pk, code=4000)
    return session


@transaction.atomic
def session_set_admission(*, session: Session, admission: str, by: User) -> Session:
    """Switch between letting everyone with the code in and a waiting list."""
    if admission not in Session.Admission.values:
        raise ValidationError(_("Choose how people are let in"))
    session.admission = admission
    session.save(update_fields=["admission"])
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event="admission_changed",
        audience="facilitators",
        html=room_render.render_people_panel(session),
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


def validate_online_link(value: str) -> str:
    """An online link must be a full https address (or nothing)."""
    value = value.strip()
    if value and not value.lower().startswith("https://"):
        raise ValidationError(
            {"online_link": _("Enter the full link, starting with https://, or leave it empty")}
        )
    return value


def _to_minute(when: datetime) -> datetime:
    return when.replace(second=0, microsecond=0)


def _unchangeable(session: Session) -> None:
    if not session.can_change:
        raise ValidationError(_("This session has already started, ended or been cancelled"))


@transaction.atomic
def session_update(
    *,
    session: Session,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    by: User,
) -> Session:
    """Edit a session that has not started; a new time tells everyone it has moved."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    _unchangeable(session)
    # Minutes are what the form shows: the same minute is not a move.
    moved = _to_minute(starts_at) != _to_minute(session.starts_at)
    if moved and session.moved_from is None:
        session.moved_from = session.starts_at
    session.title = title
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.place = place
    session.online_link = validate_online_link(online_link)
    session.full_clean()
    session.save()
    if moved:
        when = format_date(timezone.localtime(starts_at), WHEN_FORMAT)
        _tell_members(
            session,
            by=by,
            subject=_("Moved: %(title)s is now on %(when)s")
            % {"title": session.title, "when": when},
            body=_("%(title)s (%(programme)s) has moved to %(when)s.")
            % {"title": session.title, "programme": session.programme.name, "when": when},
        )
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by: User) -> Session:
    """Cancel a session that has not started: it stays listed, with the reason, and its
    code stops working."""
    reason = clean_text(reason, "reason", max_length=200)
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled")})
    updated = Session.objects.filter(pk=session.pk, status=Session.Status.SCHEDULED).update(
        status=Session.Status.CANCELLED, cancel_reason=reason, join_code=None
    )
    if not updated:
        raise ValidationError(_("Only a session that has not started can be cancelled"))
    session.refresh_from_db()
    when = format_date(timezone.localtime(session.starts_at), WHEN_FORMAT)
    _tell_members(
        session,
        by=by,
        subject=_("Cancelled: %(title)s on %(when)s") % {"title": session.title, "when": when},
        body=_("%(title)s (%(programme)s) on %(when)s is cancelled: %(reason)s")
        % {
            "title": session.title,
            "programme": session.programme.name,
            "when": when,
            "reason": reason,
        },
    )
    return session


def _tell_members(session: Session, *, by: User, subject: str, body: str) -> None:
    """Email everyone in the programme who has an address (not the person who made the
    change), each their own message so nobody sees another's address."""
    found = (
        Membership.objects.filter(programme=session.programme, left_on__isnull=True, invited=False)
        .exclude(user=by)
        .exclude(user__email__isnull=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    emails = [e for e in found if e]
    sign_in = _("Sign in to Comhla to see your sessions.")
    text = f"{body}\n\n{sign_in}\n"
    messages = [(subject, text, settings.DEFAULT_FROM_EMAIL, [e]) for e in emails]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages), robust=True)


AGENDA_FIELDS = ("kind", "title", "timebox_minutes")


def _agenda_items(session: Session) -> list[dict[str, object]]:
    return [
        {f: getattr(a, f) for f in AGENDA_FIELDS}
        for a in session.activities.order_by("order", "pk")
    ]


def _append_items(session: Session, items: list[dict[str, object]]) -> int:
    last = session.activities.order_by("-order").values_list("order", flat=True).first()
    start = (last + 1) if last is not None else 0
    made = []
    for i, item in enumerate(items):
        activity = Activity(
            session=session,
            kind=str(item["kind"]),
            title=str(item["title"]),
            timebox_minutes=int(str(item["timebox_minutes"])),
            order=start + i,
        )
        activity.full_clean()
        made.append(activity)
    Activity.objects.bulk_create(made)
    return len(made)


@transaction.atomic
def agenda_copy(*, session: Session, from_session_id: int) -> int:
    """Add another session's activities (kinds, titles, timeboxes, in order; never a board's
    content) to the end of this session's agenda; returns how many."""
    _unchangeable(session)
    source = (
        Session.objects.filter(pk=from_session_id, programme_id=session.programme_id)
        .exclude(pk=session.pk)
        .first()
    )
    if source is None:
        raise ValidationError({"from_session": _("Choose another session of this programme")})
    items = _agenda_items(source)
    if not items:
        raise ValidationError({"from_session": _("That session has no agenda to copy")})
    return _append_items(session, items)


@transaction.atomic
def agenda_template_save(*, session: Session, name: str) -> AgendaTemplate:
    """Save this session's agenda as a template of its programme."""
    name = clean_text(name, "name", max_length=120)
    if not name:
        raise ValidationError({"name": _("Give the template a name")})
    items = _agenda_items(session)
    if not items:
        raise ValidationError({"name": _("Add activities to the agenda before saving it")})
    if AgendaTemplate.objects.filter(programme_id=session.programme_id, name=name).exists():
        raise ValidationError({"name": _("This programme already has a template with that name")})
    return AgendaTemplate.objects.create(programme_id=session.programme_id, name=name, items=items)


@transaction.atomic
def agenda_template_use(*, session: Session, template_id: int) -> int:
    """Add a programme template's activities to the end of this session's agenda."""
    _unchangeable(session)
    template = AgendaTemplate.objects.filter(
        pk=template_id, programme_id=session.programme_id
    ).first()
    if template is None:
        raise ValidationError({"template": _("Choose one of this programme's templates")})
    return _append_items(session, list(template.items))


RSVP_NEEDS_MAX = 300


@transaction.atomic
def rsvp_set(*, session: Session, user: User, coming: bool, needs: str = "") -> Rsvp:
    """A member's own answer to "Are you coming?" for a session that has not started."""
    if not session.can_change:
        raise ValidationError(_("You can only answer for a session that has not started"))
    needs = clean_text(needs, "needs", max_length=RSVP_NEEDS_MAX, multiline=True)
    rsvp, _created = Rsvp.objects.update_or_create(
        session=session,
        user=user,
        defaults={"coming": coming, "needs": needs, "answered_at": timezone.now()},
    )
    return rsvp

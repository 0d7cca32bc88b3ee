"""Writes to a live session: opening and ending it, moving the room on, how people are let in
and the turn limit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Membership
from project import rows
from workshops import signals
from workshops.models import Activity, Attendance, JoinClaim, Session
from workshops.room import broadcast
from workshops.room import render as room_render
from workshops.services.sessions import unused_join_code


@transaction.atomic
def session_open(*, session: Session) -> Session:
    """Open a session: it goes live and its join code starts working."""
    updated = Session.objects.filter(pk=session.pk, status=Session.Status.SCHEDULED).update(
        status=Session.Status.LIVE, opened_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Only a scheduled session can be opened"))
    session.refresh_from_db()
    if not session.join_code:
        session.join_code = unused_join_code()
        session.save(update_fields=["join_code"])
    if session.current_activity_id is None:
        first = session.activities.order_by("order", "pk").first()
        if first is not None:
            _make_current(session, first)
    room_render.broadcast_activity(session, event="session_opened")
    return session


def _make_current(session: Session, activity: Activity) -> None:
    activity.started_at = timezone.now()
    rows.save_fields(activity, "started_at")
    session.current_activity = activity
    rows.save_fields(session, "current_activity_id")


@transaction.atomic
def session_move_to_activity(*, session: Session, activity_id: int) -> Session:
    """Move the whole room to another activity on the agenda."""
    # Every move of a room goes through here: its reads and writes are written in SQL
    # (project/rows.py), the ORM's query building having been most of a move's CPU.
    locked = rows.locked(Session, session.pk)
    if locked is None or locked.status != Session.Status.LIVE:
        raise ValidationError(_("The session is not live"))
    session = locked
    # The new activity and the one it replaces as "Now": the only agenda items that change.
    changed = rows.with_keys(
        Activity,
        [activity_id, session.current_activity_id or activity_id],
        session_id=session.pk,
    )
    activity = next((a for a in changed if a.pk == activity_id), None)
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
        html=room_render.render_agenda_items(session, sorted(changed, key=lambda a: a.order)),
    )
    return session


@transaction.atomic
def session_end(*, session: Session) -> Session:
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
def session_set_admission(*, session: Session, admission: str) -> Session:
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

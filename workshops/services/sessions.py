"""Writes to a session before it goes live: scheduling, editing, cancelling, its agenda and
templates, and people's answers."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from participants.models import Membership, User
from project.text import clean_text
from workshops.models import Activity, AgendaTemplate, Programme, Rsvp, Session, new_join_code
from workshops.room import broadcast
from workshops.room import render as room_render

WHEN_FORMAT = "l j F Y, H:i"


def unused_join_code() -> str:
    """A join code that no session holds."""
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
        join_code=unused_join_code(),
    )
    session.full_clean()
    session.save()
    return session


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

"""Pages and actions for programmes, sessions, the join flow and the live room."""

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from boards import selectors as board_selectors
from boards import services as board_services
from boards.forms import IdeaBeforeForm
from participants import identity, personal_data, security
from participants import selectors as consent_selectors
from participants.identity import room_identity_allowed
from participants.models import SecurityEvent, User
from participants.views import consent_url
from workshops import access, selectors, services
from workshops.access import Action
from workshops.evaluation import selectors as evaluation_selectors
from workshops.forms import (
    ActivityForm,
    AdmissionForm,
    CancelSessionForm,
    CopyAgendaForm,
    JoinCodeForm,
    MoveRoomForm,
    ProgrammeForm,
    RsvpForm,
    SaveTemplateForm,
    SessionForm,
    UseTemplateForm,
    WhoAreYouForm,
)
from workshops.http import (
    AuthenticatedHttpRequest,
    HtmxHttpRequest,
    KnownAddresses,
    RateLimit,
    client_address,
    done,
    error_fragment,
)
from workshops.models import Attendance, JoinClaim, Session
from workshops.room import render as room_render

JOIN_PERMIT_KEY = "comhla_join_permit"
JOIN_CLAIM_KEY = "comhla_join_claim"
# Wrong join codes are limited three ways (numbers and reasons: README, Security): per address
# over minutes (a guesser waits, a room with typos does not), per address over a day, and in
# total over an hour. Once the total is spent, only addresses where a session's code already
# worked, or where a facilitator showed it, may keep trying: a venue's people still join.
join_code_limits = [
    RateLimit("join-code", limit="JOIN_CODE_RATE_LIMIT", window="JOIN_CODE_RATE_WINDOW"),
    RateLimit("join-code-day", limit="JOIN_CODE_DAILY_LIMIT", window=24 * 60 * 60),
]
join_code_total_limit = RateLimit("join-code-all", limit="JOIN_CODE_GLOBAL_LIMIT", window=60 * 60)
join_venues = KnownAddresses("join-venue", seconds=12 * 60 * 60)
ALL_ADDRESSES = "all"


def _join_code_refused(who: str) -> bool:
    """Must this address wait before its next join code is checked?"""
    if any(limit.tripped(who) for limit in join_code_limits):
        return True
    return join_code_total_limit.tripped(ALL_ADDRESSES) and who not in join_venues


def _wrong_join_code(who: str) -> None:
    for limit in join_code_limits:
        limit.fail(who)
    join_code_total_limit.fail(ALL_ADDRESSES)


@room_identity_allowed
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Start page: your programmes, live sessions and invitations, or how to join."""
    if not request.user.is_authenticated:
        return render(request, "workshops/start.html", {"open_signup": settings.COMHLA_OPEN_SIGNUP})
    scope = identity.room_scope(request.user)
    if scope is not None:
        # A room identity sees its one session, nothing of the person's programmes.
        session = Session.objects.filter(pk=scope, status=Session.Status.LIVE).first()
        return render(request, "workshops/start.html", {"room_session": session})
    return render(
        request,
        "workshops/home.html",
        {
            "programmes": selectors.programmes_for(user=request.user),
            "live_sessions": selectors.live_sessions_for(user=request.user),
            "invitations": selectors.invitations_for(user=request.user),
            "upcoming": selectors.upcoming_sessions_for(user=request.user),
            "measures_due": evaluation_selectors.measures_due_for(user=request.user),
        },
    )


@login_required
def programme_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a programme; the creator becomes its organiser."""
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(created_by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been created") % {"name": programme.name})
        return redirect("programme_detail", programme.pk)
    return render(
        request,
        "workshops/programme_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def programme_detail(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's timeline of sessions, and its people for organisers."""
    programme = access.programme_or_404(request.user, programme_id)
    manages = access.can(request.user, Action.MANAGE, programme.pk)
    steers = access.can(request.user, Action.STEER, programme.pk)
    context = {
        "programme": programme,
        "sessions": selectors.programme_timeline(programme=programme),
        "manages": manages,
        "steers": steers,
        "people": selectors.programme_people(programme=programme) if steers else [],
        "invitations": selectors.programme_invitations(programme=programme) if manages else [],
    }
    return render(request, "workshops/programme_detail.html", context)


@login_required
def session_create(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Schedule a session of a programme."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_schedule(
                programme=programme,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Session %(number)s has been scheduled") % {"number": session.number}
            )
            return redirect("session_detail", session.pk)
    return render(
        request,
        "workshops/session_form.html",
        {"form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


@login_required
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A session: when and where, its agenda, and for staff the controls to run it."""
    session = access.session_or_404(request.user, session_id)
    steers = access.can_on_session(request.user, Action.STEER, session)
    form = ActivityForm(request.POST or None) if steers else None
    if request.method == "POST":
        if not steers or form is None:
            return HttpResponse(status=404)
        if form.is_valid():
            try:
                services.activity_add(session=session, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(title)s was added to the agenda") % {"title": form.cleaned_data["title"]},
                )
                return redirect("session_detail", session.pk)
    return _session_page(request, session, steers=steers, form=form)


def _session_page(
    request: AuthenticatedHttpRequest,
    session: Session,
    *,
    steers: bool,
    form: ActivityForm | None = None,
    status: int | None = None,
    idea_errors: list[str] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The session page, with any bound form that failed shown with its errors, the boards
    that take ideas before the session, and the Last time recap."""
    scheduled = session.status == Session.Status.SCHEDULED
    context: dict[str, Any] = {
        "session": session,
        "programme": session.programme,
        "agenda": selectors.agenda(session=session),
        "steers": steers,
        "form": form,
        "rsvp": None,
        "rsvp_form": None,
        "idea_boards": board_selectors.boards_before_session(
            session=session, user_id=request.user.pk, steers=steers
        )
        if scheduled
        else [],
        "idea_errors": idea_errors or [],
        "last_time": board_selectors.last_time(session=session) if session.is_live else None,
    }
    may_answer = session.can_change and identity.signed_in_strongly(request)
    if may_answer:
        mine = selectors.rsvp_for(session=session, user=request.user)
        context["rsvp"] = mine
        initial = {"answer": "yes" if mine.coming else "no", "needs": mine.needs} if mine else {}
        context["rsvp_form"] = forms.get("rsvp_form") or RsvpForm(prefix="rsvp", initial=initial)
    if steers:
        context["rsvps"] = selectors.rsvps(session=session)
    if steers and session.can_change:
        templates = selectors.agenda_templates(programme_id=session.programme_id)
        others = selectors.other_sessions_with_agenda(session=session)
        context |= {
            "cancel_form": forms.get("cancel_form") or CancelSessionForm(prefix="cancel"),
            "copy_form": forms.get("copy_form") or CopyAgendaForm(prefix="copy", sessions=others),
            "save_form": forms.get("save_form") or SaveTemplateForm(prefix="save"),
            "use_form": forms.get("use_form") or UseTemplateForm(prefix="use", templates=templates),
            "has_templates": bool(templates),
            "has_others": bool(others),
        }
    failed = [f for f in (form, *forms.values()) if f is not None and f.errors]
    context["failed_form"] = failed[0] if failed else None
    return render(
        request,
        "workshops/session_detail.html",
        context,
        status=status or (400 if failed or idea_errors else 200),
    )


def _session_action(
    request: AuthenticatedHttpRequest, session: Session, key: str, form: Any, run: Any, ok: str
) -> HttpResponse:
    """Run a session page's action from a bound form; on bad input show the page again with
    the error, changing nothing."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, msgs in errors.items():
                name = field if field in form.fields else None
                for msg in msgs:
                    form.add_error(name, msg)
        else:
            messages.success(request, ok)
            return redirect("session_detail", session.pk)
    steers = access.can_on_session(request.user, Action.STEER, session)
    return _session_page(request, session, steers=steers, **{key: form})


@login_required
def session_edit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Edit or move a session that has not started; people hear if it moves."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    if not session.can_change:
        messages.error(request, _("This session has already started, ended or been cancelled"))
        return redirect("session_detail", session.pk)
    local_start = timezone.localtime(session.starts_at)
    initial = {
        "title": session.title,
        "date": local_start.date(),
        "start_time": local_start.time().replace(second=0, microsecond=0),
        "end_time": timezone.localtime(session.ends_at).time().replace(second=0, microsecond=0),
        "place": session.place,
        "online_link": session.online_link,
    }
    form = SessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                session=session,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Session %(number)s has been saved") % {"number": session.number}
            )
            return redirect("session_detail", session.pk)
    return render(
        request,
        "workshops/session_form.html",
        {"form": form, "programme": session.programme, "session": session},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def session_cancel(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Cancel a session that has not started, saying why."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = CancelSessionForm(request.POST, prefix="cancel")
    return _session_action(
        request,
        session,
        "cancel_form",
        form,
        lambda d: services.session_cancel(session=session, reason=d["reason"], by=request.user),
        _("Session %(number)s has been cancelled. Everyone in the programme was told.")
        % {"number": session.number},
    )


@require_POST
@login_required
def agenda_copy(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Add another session's agenda to this one."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    others = selectors.other_sessions_with_agenda(session=session)
    form = CopyAgendaForm(request.POST, prefix="copy", sessions=others)
    return _session_action(
        request,
        session,
        "copy_form",
        form,
        lambda d: services.agenda_copy(session=session, from_session_id=d["from_session"]),
        _("The agenda was copied"),
    )


@require_POST
@login_required
def agenda_template_save(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Save this session's agenda as one of the programme's templates."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = SaveTemplateForm(request.POST, prefix="save")
    return _session_action(
        request,
        session,
        "save_form",
        form,
        lambda d: services.agenda_template_save(session=session, name=d["name"]),
        _("The agenda was saved as a template"),
    )


@require_POST
@login_required
def agenda_template_use(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Add a template's activities to this session's agenda."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    templates = selectors.agenda_templates(programme_id=session.programme_id)
    form = UseTemplateForm(request.POST, prefix="use", templates=templates)
    return _session_action(
        request,
        session,
        "use_form",
        form,
        lambda d: services.agenda_template_use(session=session, template_id=d["template"]),
        _("The template's activities were added to the agenda"),
    )


@require_POST
@login_required
def session_rsvp(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A member's own answer: coming or not, with any transport or care needs."""
    session = access.session_or_404(request.user, session_id)
    # A picked name proves only the room: it cannot answer for the person it names.
    if not identity.signed_in_strongly(request):
        raise Http404("No such session")
    form = RsvpForm(request.POST, prefix="rsvp")
    return _session_action(
        request,
        session,
        "rsvp_form",
        form,
        lambda d: services.rsvp_set(
            session=session, user=request.user, coming=d["answer"] == "yes", needs=d["needs"]
        ),
        _("Thank you: your answer was saved"),
    )


@require_POST
@login_required
def session_idea_add(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Add one's own idea to a board of a session that has not started yet."""
    session = access.session_or_404(request.user, session_id)
    form = IdeaBeforeForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            board_services.idea_before_session(
                session=session,
                by=request.user,
                board_id=data["board"],
                client_id=data["client_id"],
                column_id=data["column"],
                text=data["text"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, _("Your idea was added: the group will see it at the session")
            )
            return redirect("session_detail", session.pk)
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    steers = access.can_on_session(request.user, Action.STEER, session)
    form_for_agenda = ActivityForm() if steers else None
    return _session_page(
        request, session, steers=steers, form=form_for_agenda, idea_errors=errors, status=400
    )


@login_required
def session_briefing(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Before the session: what the people expected need, and who said no to photos or quotes."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    context: dict[str, Any] = {"session": session, "programme": session.programme}
    context |= selectors.session_briefing(session=session)
    context["rsvps"] = selectors.rsvps(session=session)
    return render(request, "workshops/session_briefing.html", context)


@require_POST
@login_required
def session_open(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Open a session: it goes live and its join code works."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    try:
        services.session_open(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("session_detail", session.pk)
    return redirect("room", session.pk)


@require_POST
@login_required
def session_move(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Move the room to another activity."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = MoveRoomForm(request.POST)
    if not form.is_valid():
        return error_fragment(request, [_("Choose an activity on the agenda")], status=400)
    try:
        services.session_move_to_activity(
            session=session, activity_id=form.cleaned_data["activity"], by=request.user
        )
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    if request.htmx:
        return done(request)
    return redirect("room", session.pk)


@require_POST
@login_required
def session_end(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """End a session for everyone."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    try:
        services.session_end(session=session, by=request.user)
    except ValidationError as exc:
        if request.htmx:
            return error_fragment(request, exc.messages)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(title)s has ended. Everyone still in was checked out.") % {"title": session.title},
        )
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": reverse("session_detail", args=[session.pk])})
    return redirect("session_detail", session.pk)


@require_POST
@login_required
def session_admission(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Switch between open doors and a waiting list."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = AdmissionForm(request.POST)
    if not form.is_valid():
        return error_fragment(request, [_("Choose how people are let in")], status=400)
    services.session_set_admission(
        session=session, admission=form.cleaned_data["admission"], by=request.user
    )
    return done(request) if request.htmx else redirect("room", session.pk)


@require_POST
@login_required
def attendance_admit(
    request: AuthenticatedHttpRequest, session_id: int, user_id: int
) -> HttpResponse:
    """Let a waiting or removed person into the room."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    if not Attendance.objects.filter(session=session, user_id=user_id).exists():
        raise Http404("That person has not joined this session")
    try:
        services.attendance_admit(session=session, user_id=user_id, by=request.user)
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    return done(request) if request.htmx else redirect("room", session.pk)


@require_POST
@login_required
def attendance_remove(
    request: AuthenticatedHttpRequest, session_id: int, user_id: int
) -> HttpResponse:
    """Take someone out of the room."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    if not Attendance.objects.filter(session=session, user_id=user_id).exists():
        raise Http404("That person has not joined this session")
    try:
        services.attendance_remove(session=session, user_id=user_id, by=request.user)
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    return done(request) if request.htmx else redirect("room", session.pk)


@room_identity_allowed
@login_required
def room_page(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The live session room: one page for everyone, kept current over one socket."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    if identity.signed_in_strongly(request) and consent_selectors.needs_consent(
        membership=access.membership_for(request.user, session.programme_id)
    ):
        # A contributor's first join of a programme (or a no to taking part) goes by the
        # consent page; a room identity never sees it, since it cannot prove whose it is.
        return redirect(
            consent_url(session.programme_id, next_url=reverse("room", args=[session.pk]))
        )
    if not access.can_on_session(request.user, Action.ENTER_ROOM, session):
        attendance = Attendance.objects.filter(session=session, user=request.user).first()
        if attendance and attendance.admission == Attendance.Admission.WAITING:
            return redirect("join_waiting", session.pk)
        return render(
            request,
            "workshops/room_closed.html",
            {
                "session": session,
                "attendance": attendance,
                "can_join": attendance is None
                and session.join_code_is_valid()
                and identity.signed_in_strongly(request),
            },
            status=403 if attendance else 200,
        )
    context = room_render.room_context(session, viewer=request.user)
    context["last_time"] = board_selectors.last_time(session=session) if session.is_live else None
    return render(request, "workshops/room.html", context)


@require_POST
@login_required
def room_join(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A member signed in with a proven identity joins a live session without its code:
    admitted, waiting or still removed exactly as if they had typed it."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    # A picked name proves only one room; it never opens another without the code.
    if not identity.signed_in_strongly(request):
        messages.error(request, _("Type the code shown in the room to join"))
        return redirect("join")
    try:
        return _enter(request, session, user=request.user, proven=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("room", session.pk)


@room_identity_allowed
@never_cache
@login_required
def room_snapshot(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The room's snapshot over HTTP, for a client that saw a gap in the pushes."""
    session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
    html, seq = room_render.render_resync_snapshot(session, viewer=request.user)
    return JsonResponse({"event": "snapshot", "seq": seq, "content": html})


@login_required
def session_join_poster(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The join code and a QR code, big enough to project on a wall."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    join_venues.add(client_address(request))  # the room is here: its people can keep joining
    join_url = request.build_absolute_uri(reverse("join")) + f"?code={session.join_code or ''}"
    # segno's SVG is built from our own URL (no text a person typed), so it is safe markup.
    qr_svg = mark_safe(  # noqa: S308
        segno.make(join_url, error="m").svg_inline(
            scale=10, dark="#0b0c0c", light="#ffffff", title=_("QR code to join this session")
        )
    )
    return render(
        request,
        "workshops/join_poster.html",
        {"session": session, "join_url": join_url, "qr_svg": qr_svg},
    )


@room_identity_allowed
def join(request: HtmxHttpRequest) -> HttpResponse:
    """Step 1 of joining: type the session code (no password, ever)."""
    who = client_address(request)
    initial = {"code": request.GET.get("code", "")}
    form = JoinCodeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _join_code_refused(who):
            security.record(
                kind=SecurityEvent.Kind.RATE_LIMITED, target="join", outcome="429", address=who
            )
            return render(
                request, "workshops/join.html", {"form": form, "too_many": True}, status=429
            )
        if form.is_valid():
            session = selectors.session_by_join_code(code=form.cleaned_data["code"])
            if session is not None:
                request.session[JOIN_PERMIT_KEY] = session.pk
                join_venues.add(who)
                return redirect("join_who", session.pk)
            _wrong_join_code(who)
            form.add_error(
                "code",
                _(
                    "That code does not match a session that is on now. "
                    "Check the numbers on the screen and try again."
                ),
            )
        else:
            _wrong_join_code(who)
    return render(
        request, "workshops/join.html", {"form": form}, status=400 if form.errors else 200
    )


def _permitted_session(request: HttpRequest, session_id: int) -> Session | None:
    if request.session.get(JOIN_PERMIT_KEY) != session_id:
        return None
    session = Session.objects.select_related("programme").filter(pk=session_id).first()
    if session is None or not session.join_code_is_valid():
        return None
    return session


@identity.joining_allowed
def join_who(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Step 2 of joining: pick your name, or give a new one."""
    session = _permitted_session(request, session_id)
    if session is None:
        messages.error(request, _("Type the session code again to join"))
        return redirect("join")
    people = selectors.joinable_people(programme=session.programme)
    current = request.user if request.user.is_authenticated else None
    is_member = bool(current) and access.membership_for(current, session.programme_id) is not None
    form = WhoAreYouForm(request.POST or None, people=people)
    if request.method == "POST":
        if request.POST.get("continue_as") and current and is_member:
            if identity.signed_in_strongly(request):
                return _enter(request, session, user=current, proven=True)
            return _pick(request, session, current)
        if form.is_valid():
            data = form.cleaned_data
            chosen = next((p for p in people if p.pk == data.get("person")), None)
            try:
                if chosen is not None:
                    return _pick(request, session, chosen)
                return _enter(
                    request,
                    session,
                    user=None,
                    new_name=data.get("new_name") or "",
                    role=data.get("role") or "",
                )
            except ValidationError as exc:
                form.add_error(None, exc)
    context = {
        "session": session,
        "form": form,
        "people": people,
        "current": current if is_member else None,
    }
    return render(request, "workshops/join_who.html", context, status=400 if form.errors else 200)


def _pick(request: HtmxHttpRequest, session: Session, person: User) -> HttpResponse:
    """A name picked from the list: a room identity, or a facilitator's check first when
    Comhla holds personal data about that person."""
    if personal_data.has_personal_data(user=person):
        mine = JoinClaim.objects.filter(
            pk=request.session.get(JOIN_CLAIM_KEY) or 0,
            session=session,
            user=person,
            status=JoinClaim.Status.PENDING,
        ).first()
        claim = mine or services.join_claim_create(session=session, user=person)
        request.session[JOIN_CLAIM_KEY] = claim.pk
        request.session.pop(JOIN_PERMIT_KEY, None)
        return redirect("join_claim", session.pk)
    return _enter(request, session, user=person)


def _sign_in(request: HtmxHttpRequest, person: User, *, method: str, session: Session) -> None:
    """Sign this device in as the person, proven or only for this session's room."""
    same = request.user.is_authenticated and request.user.pk == person.pk
    # The same person, picked by name last time and confirmed by a facilitator now, is
    # proven from now on (as on a fresh device); a proven sign-in is never weakened.
    upgrade = (
        same
        and method in identity.PROVEN_METHODS
        and request.session.get(identity.SIGNIN_METHOD_KEY) not in identity.PROVEN_METHODS
    )
    if not same or upgrade:
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        request.session[identity.SIGNIN_METHOD_KEY] = method
    if method in identity.ROOM_METHODS:
        # Proves only that they are in the room: this session, nothing personal.
        request.session[identity.ROOM_SCOPE_KEY] = session.pk
        identity.limit_to_room(request.user, request.session)
    else:
        request.session.pop(identity.ROOM_SCOPE_KEY, None)


def _enter(
    request: HtmxHttpRequest,
    session: Session,
    *,
    user: User | None,
    new_name: str = "",
    role: str = "",
    proven: bool = False,
) -> HttpResponse:
    person, attendance = services.person_join_session(
        session=session, user=user, new_name=new_name, role=role
    )
    if not proven:
        _sign_in(request, person, method="name" if user else "walk_in", session=session)
    request.session.pop(JOIN_PERMIT_KEY, None)
    if attendance.admission == Attendance.Admission.ADMITTED:
        return redirect("room", session.pk)
    return redirect("join_waiting", session.pk)


@identity.joining_allowed
def join_claim(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Waiting for a facilitator to confirm a picked name; signs in as them once confirmed."""
    claim = (
        JoinClaim.objects.select_related("user", "session")
        .filter(pk=request.session.get(JOIN_CLAIM_KEY) or 0, session_id=session_id)
        .first()
    )
    if claim is None:
        return redirect("join")
    if claim.status == JoinClaim.Status.CONFIRMED and services.join_claim_use(claim=claim):
        request.session.pop(JOIN_CLAIM_KEY, None)
        _sign_in(request, claim.user, method="confirmed", session=claim.session)
        room_url = reverse("room", args=[claim.session_id])
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": room_url})
        return redirect(room_url)
    template = "workshops/join_claim.html"
    if request.htmx:
        template += "#claim-status"
    return render(request, template, {"claim": claim, "session": claim.session})


@require_POST
@login_required
def join_claim_decide(
    request: AuthenticatedHttpRequest, session_id: int, claim_id: int
) -> HttpResponse:
    """A facilitator answers "Is this them?" for a picked name."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    claim = JoinClaim.objects.filter(pk=claim_id, session=session).first()
    if claim is None:
        raise Http404("No such request")
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        return error_fragment(request, [_("Choose yes or no")], status=400)
    try:
        services.join_claim_decide(claim=claim, by=request.user, confirmed=answer == "yes")
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    return done(request) if request.htmx else redirect("room", session.pk)


@identity.joining_allowed
@login_required
def join_waiting(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Waiting to be let in: the page checks every few seconds and moves on by itself."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    attendance = Attendance.objects.filter(session=session, user=request.user).first()
    if attendance is None:
        return redirect("join")
    if attendance.admission == Attendance.Admission.ADMITTED and session.is_live:
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": reverse("room", args=[session.pk])})
        return redirect("room", session.pk)
    template = "workshops/join_waiting.html"
    if request.htmx:
        template += "#waiting-status"
    return render(request, template, {"session": session, "attendance": attendance})

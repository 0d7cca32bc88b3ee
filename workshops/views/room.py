"""The live room: its page and snapshot, opening and ending it, moving it on, and who is in."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from boards import selectors as board_selectors
from participants import identity
from participants import selectors as consent_selectors
from participants.identity import room_identity_allowed
from participants.views import consent_url
from workshops import access, services
from workshops.access import Action
from workshops.forms import AdmissionForm, CoFacilitatorForm, MoveRoomForm
from workshops.http import AuthenticatedHttpRequest, done, error_fragment
from workshops.models import Attendance
from workshops.room import render as room_render


@require_POST
@login_required
def session_open(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Open a session: it goes live and its join code works."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    try:
        services.session_open(session=session)
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
            session=session, activity_id=form.cleaned_data["activity"]
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
        services.session_end(session=session)
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
    services.session_set_admission(session=session, admission=form.cleaned_data["admission"])
    return done(request) if request.htmx else redirect("room", session.pk)


def _attendance_change(
    request: AuthenticatedHttpRequest,
    session_id: int,
    user_id: int,
    change: Callable[..., Attendance],
) -> HttpResponse:
    """Let someone who joined this session in, or take them out, by the service `change`."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    if not Attendance.objects.filter(session=session, user_id=user_id).exists():
        raise Http404("That person has not joined this session")
    try:
        change(session=session, user_id=user_id, by=request.user)
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    return done(request) if request.htmx else redirect("room", session.pk)


@require_POST
@login_required
def attendance_admit(
    request: AuthenticatedHttpRequest, session_id: int, user_id: int
) -> HttpResponse:
    """Let a waiting or removed person into the room."""
    return _attendance_change(request, session_id, user_id, services.attendance_admit)


@require_POST
@login_required
def attendance_remove(
    request: AuthenticatedHttpRequest, session_id: int, user_id: int
) -> HttpResponse:
    """Take someone out of the room."""
    return _attendance_change(request, session_id, user_id, services.attendance_remove)


@require_POST
@login_required
def attendance_co_facilitator(
    request: AuthenticatedHttpRequest, session_id: int, user_id: int
) -> HttpResponse:
    """Make a contributor in the room co-facilitator of this session, or stop it."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    if not Attendance.objects.filter(session=session, user_id=user_id).exists():
        raise Http404("That person has not joined this session")
    form = CoFacilitatorForm(request.POST)
    if not form.is_valid():
        return error_fragment(request, [str(e) for e in form.errors["co_facilitator"]], status=400)
    try:
        services.attendance_set_co_facilitator(
            session=session,
            user_id=user_id,
            co_facilitator=form.cleaned_data["co_facilitator"],
            by=request.user,
        )
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


@room_identity_allowed
@never_cache
@login_required
def room_snapshot(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The room's snapshot over HTTP, for a client that saw a gap in the pushes."""
    session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
    html, seq = room_render.render_resync_snapshot(session, viewer=request.user)
    return JsonResponse({"event": "snapshot", "seq": seq, "content": html})

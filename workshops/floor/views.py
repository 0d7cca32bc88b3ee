"""The floor's actions: each an htmx POST; the socket brings the result to everyone."""

import csv
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from participants.identity import room_identity_allowed
from project.exports import spreadsheet_safe
from workshops import access
from workshops import services as workshop_services
from workshops.access import Action
from workshops.floor import forms, services, voices
from workshops.http import AuthenticatedHttpRequest, done, error_fragment
from workshops.models import Session


def _respond(
    request: AuthenticatedHttpRequest, session: Session, action: Callable[[], Any]
) -> HttpResponse:
    try:
        action()
    except PermissionDenied as exc:
        # Refused (not theirs to do): said in their own page, with the reason, as a 403.
        return error_fragment(request, [str(exc)], status=403)
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    return done(request) if request.htmx else redirect("room", session.pk)


def _form_error(request: AuthenticatedHttpRequest, form: Any) -> HttpResponse:
    messages = [str(e) for errors in form.errors.values() for e in errors]
    return error_fragment(request, messages, status=400)


@room_identity_allowed
@require_POST
@login_required
def hand_raise(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Raise my hand."""
    session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
    return _respond(
        request, session, lambda: services.hand_raise(session=session, user=request.user)
    )


@room_identity_allowed
@require_POST
@login_required
def hand_lower(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Lower my hand."""
    session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
    return _respond(
        request, session, lambda: services.hand_lower(session=session, user=request.user)
    )


@require_POST
@login_required
def floor_next(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Give the floor to whoever is next."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = forms.NextForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form)
    return _respond(
        request,
        session,
        lambda: services.floor_next(
            session=session,
            by=request.user,
            expected_speaker_id=form.cleaned_data["speaker"],
            expected_next_id=form.cleaned_data["next"],
        ),
    )


@require_POST
@login_required
def floor_give(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Give the floor to someone in particular (possibly with support)."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = forms.GiveForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form)
    return _respond(
        request,
        session,
        lambda: services.floor_give(
            session=session,
            by=request.user,
            person_id=form.cleaned_data["person"],
            supported=form.cleaned_data["supported"],
        ),
    )


def _turn_action(name: str) -> Callable[..., HttpResponse]:
    service = getattr(services, name)

    @require_POST
    @login_required
    def view(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
        session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
        form = forms.TurnForm(request.POST)
        if not form.is_valid():
            return _form_error(request, form)
        return _respond(
            request,
            session,
            lambda: service(session=session, by=request.user, turn_id=form.cleaned_data["turn"]),
        )

    view.__doc__ = f"Turn action: {name.replace('_', ' ')}."
    view.__name__ = name
    return room_identity_allowed(view)


turn_end = _turn_action("turn_end")
turn_pass = _turn_action("turn_pass")
round_skip = _turn_action("round_skip")


@require_POST
@login_required
def round_start(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Start a go-round."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    return _respond(
        request, session, lambda: services.round_start(session=session, by=request.user)
    )


@require_POST
@login_required
def round_status(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Pause, resume or finish the go-round."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = forms.RoundForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form)
    return _respond(
        request,
        session,
        lambda: services.round_set_status(
            session=session, by=request.user, status=form.cleaned_data["status"]
        ),
    )


@require_POST
@login_required
def turn_limit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Set the gentle time limit for a turn."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = forms.LimitForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form)

    def change() -> None:
        workshop_services.session_set_turn_limit(
            session=session, seconds=form.cleaned_data["seconds"]
        )
        services.floor_refresh(session=session)

    return _respond(request, session, change)


@login_required
def balance_csv(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The equal-voice summary of an ended session as CSV (facilitators and organisers)."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    index, figures = voices.summary(session=session)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="equal-voice-session-{session.number}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["balance_index", spreadsheet_safe(index)])
    # 0 says why a session has no index: nobody took the floor.
    writer.writerow(["turns_taken", spreadsheet_safe(figures.get("turns_taken"))])
    writer.writerow([])
    groups: list[dict[str, Any]] = figures.get("groups", [])  # type: ignore[assignment]
    if groups:
        writer.writerow(list(groups[0].keys()))
        for row in groups:
            writer.writerow([spreadsheet_safe(value) for value in row.values()])
    writer.writerow([])
    people: list[dict[str, Any]] = figures.get("people", [])  # type: ignore[assignment]
    if people:
        writer.writerow(list(people[0].keys()))
        for row in people:
            writer.writerow([spreadsheet_safe(value) for value in row.values()])
    if not groups and not people:
        raise Http404("No equal-voice figures for this session")
    return response

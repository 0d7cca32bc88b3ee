"""Setting up and steering a board (facilitators): set-up, settings, reveal, lock, results,
columns."""

from collections.abc import Callable
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from boards import forms, selectors, services
from boards import render as board_render
from boards.views.common import TEMPLATE, board_or_404, change, updated
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest, error_fragment, form_errors


@login_required
def board_setup(
    request: AuthenticatedHttpRequest, session_id: int, activity_id: int
) -> HttpResponse:
    """Set up the board of a board activity (facilitators), from the room or the session page."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    activity = selectors.board_activity(session=session, activity_id=activity_id)
    if activity is None:
        raise Http404("No such activity")
    if request.method != "POST":
        existing = selectors.board_for_activity(activity_id=activity.pk)
        if existing is not None:
            return redirect("board_page", session.pk, existing.pk)
        setup = render_to_string(
            f"{TEMPLATE}#setup", {"session": session, "activity": activity, "steers": True}
        )
        return render(
            request,
            "boards/setup_page.html",
            {"session": session, "activity": activity, "body": setup},
        )
    form = forms.SetupForm(request.POST)
    if not form.is_valid():
        return error_fragment(request, form_errors(form))
    try:
        board = services.board_create(activity=activity, by=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return error_fragment(request, messages)
    if request.htmx:
        html = board_render.render_activity_body(
            session=session, activity=activity, viewer=request.user, steers=True
        )
        return HttpResponse(html)
    return redirect("board_page", session.pk, board.pk)


@require_POST
@login_required
def board_settings(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int
) -> HttpResponse:
    """Change a board's prompt and settings."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.SettingsForm(request.POST),
        lambda d: services.board_update_settings(board=board, by=request.user, **d),
        lambda _: updated(request, board, whole=True),
    )


@require_POST
@login_required
def board_reveal(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """Reveal everyone's ideas."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.board_reveal(board=board, by=request.user, **d),
        lambda _: updated(request, board, whole=True),
    )


def _flag_view(flag: Literal["locked", "results_shown"]) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    def view(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
        board = board_or_404(request, session_id, board_id)
        return change(
            request,
            forms.FlagForm(request.POST),
            lambda d: services.board_set_flag(
                board=board,
                by=request.user,
                client_id=d["client_id"],
                flag=flag,
                value=d["value"],
            ),
            lambda _: updated(request, board, whole=True),
        )

    view.__doc__ = f"Switch the board's {flag} setting."
    return view


board_lock = _flag_view("locked")
board_results = _flag_view("results_shown")


@require_POST
@login_required
def column_add(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """Add a column."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.ColumnForm(request.POST),
        lambda d: services.column_add(board=board, by=request.user, **d),
        lambda _: updated(request, board, whole=True),
    )


@require_POST
@login_required
def column_lock(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, column_id: int
) -> HttpResponse:
    """Lock or unlock a column."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.FlagForm(request.POST),
        lambda d: services.column_set_locked(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            column_id=column_id,
            locked=d["value"],
        ),
        lambda _: updated(request, board, whole=True),
    )

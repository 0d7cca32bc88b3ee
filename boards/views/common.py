"""What every board view shares: the board (or 404), and the sender's answer to a change.

An htmx change answers its sender with the changed fragments (for the sender's own audience),
so a change made while the socket is down still shows at once.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from boards import broadcasts, selectors
from boards import render as board_render
from boards.models import Board
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest, error_fragment, form_errors

TEMPLATE = "boards/board.html"


def board_or_404(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> Board:
    """The board, if this person is in the room of its session; otherwise 404."""
    session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
    board = selectors.board_in_session(session=session, board_id=board_id)
    if board is None:
        raise Http404("No such board")
    return board


def viewer_steers(request: AuthenticatedHttpRequest, board: Board) -> bool:
    """Does the person asking steer the board's session?"""
    return access.can_on_session(request.user, Action.STEER, board.activity.session)


def updated(
    request: AuthenticatedHttpRequest,
    board: Board,
    *,
    columns: list[int] | None = None,
    whole: bool = False,
    extra: str = "",
) -> HttpResponse:
    """The sender's own view of what changed, as out-of-band fragments (or a redirect)."""
    if not request.htmx:
        return redirect("room", board.activity.session_id)
    board.refresh_from_db()
    audience = board_render.audience_for(viewer_steers(request, board))
    parts = [extra]
    if whole:
        parts.append(board_render.render_board(board, audience=audience))
    elif columns is not None:
        if board.cards_hidden:
            parts.append(board_render.render_head(board, audience=audience))
        else:
            parts.append(board_render.render_columns(board, columns, audience=audience))
    parts.append(board_render.render_mine(board, user_id=request.user.pk))
    parts.append(
        '<div id="page-errors" aria-live="assertive" hx-swap-oob="outerHTML settle:0"></div>'
    )
    return HttpResponse("".join(parts))


def answer(
    request: AuthenticatedHttpRequest, board: Board, result: Any, *, columns: list[int]
) -> HttpResponse:
    """The sender's answer, reusing what the service rendered for pushing (if it did)."""
    fragments: broadcasts.Fragments | None = getattr(result, "fragments", None)
    if fragments is None or not request.htmx:
        return updated(request, board, columns=columns)
    audience = board_render.audience_for(viewer_steers(request, board))
    mine = fragments.mine.get(request.user.pk)
    if mine is None:
        mine = board_render.render_mine(board, user_id=request.user.pk)
    seq = "" if fragments.seq is None else f' data-room-seq="{fragments.seq}"'
    return HttpResponse(
        fragments.board.get(audience, "")
        + mine
        + f'<div id="page-errors" aria-live="assertive"{seq} hx-swap-oob="outerHTML settle:0"></div>'
    )


def change(
    request: AuthenticatedHttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    respond: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Validate, call the service, and answer the sender: fragments or a clear error."""
    if not form.is_valid():
        return error_fragment(request, form_errors(form), status=422)
    try:
        result = action(form.cleaned_data)
    except PermissionDenied as exc:
        return error_fragment(request, [str(exc) or _("You cannot do that here")], status=403)
    except ValidationError as exc:
        return error_fragment(request, exc.messages, status=422)
    return respond(result)

"""Board pages: a board on its own page, the person's own panel, an idea's forms, print and
CSV, and ended sessions' boards to look back on."""

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from boards import render as board_render
from boards import selectors
from boards.views.common import TEMPLATE, board_or_404, viewer_steers
from participants.identity import room_identity_allowed
from project.exports import spreadsheet_safe
from workshops import access
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Session


@room_identity_allowed
@login_required
def board_page(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """A board on a page of its own (for preparing, projecting or catching up)."""
    board = board_or_404(request, session_id, board_id)
    steers = viewer_steers(request, board)
    body = board_render.render_board_wrap(board, viewer=request.user, steers=steers)
    return render(request, "boards/board_page.html", {"board": board, "body": body})


@login_required
def past_sessions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's ended sessions and their boards, to look back on (members only)."""
    programme = access.programme_or_404(request.user, programme_id)
    context = {"programme": programme, "sessions": selectors.past_sessions(programme=programme)}
    return render(request, "boards/past_sessions.html", context)


@login_required
def board_past(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """An ended session's board to read: ideas by column and group, dots, chosen ideas."""
    session = access.session_or_404(request.user, session_id)
    board = selectors.board_in_session(session=session, board_id=board_id)
    if board is None or session.status != Session.Status.ENDED:
        raise Http404("No such board")
    context = {"board": board, "session": session, "past": selectors.past_board(board=board)}
    return render(request, "boards/past_board.html", context)


@room_identity_allowed
@never_cache
@login_required
def board_mine(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """The person's own panel (their ideas and dots), loaded once the board appears."""
    board = board_or_404(request, session_id, board_id)
    return HttpResponse(board_render.render_mine(board, user_id=request.user.pk, oob=False))


@room_identity_allowed
@never_cache
@login_required
def card_panel(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str, panel: str
) -> HttpResponse:
    """The "Change" or "Group" forms of one idea, loaded when someone opens them.

    Loaded on demand so a board of hundreds of ideas does not carry every form in its HTML.
    """
    board = board_or_404(request, session_id, board_id)
    steers = viewer_steers(request, board)
    card = selectors.live_card(board=board, card_uid=card_uid)
    if card is None:
        raise Http404("No such idea")
    context: dict[str, Any] = {
        "board": board,
        "session": board.activity.session,
        "card": card,
        "urls": board_render.board_urls(board),
    }
    if panel == "change" and steers:
        return HttpResponse(render_to_string(f"{TEMPLATE}#change-panel", context))
    if panel == "group" and (steers or board.anyone_can_group) and not board.cards_hidden:
        context["groups"] = selectors.groups_in_column(board=board, column_id=card.column_id)
        return HttpResponse(render_to_string(f"{TEMPLATE}#group-panel", context))
    raise Http404("No such panel")


@login_required
def board_print(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """A printable page of the board: every idea by column and group, with votes."""
    board = board_or_404(request, session_id, board_id)
    if not viewer_steers(request, board):
        raise Http404("No such board")
    rows, with_authors = selectors.export_rows(board=board, audience="facilitators")
    return render(
        request,
        "boards/print.html",
        {"board": board, "rows": rows, "with_authors": with_authors},
    )


@login_required
def board_csv(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """The board as CSV: card, column, group, votes, supported, author (where allowed)."""
    board = board_or_404(request, session_id, board_id)
    if not viewer_steers(request, board):
        raise Http404("No such board")
    rows, with_authors = selectors.export_rows(board=board, audience="facilitators")
    header = ["card", "column", "group", "votes", "supported"] + (
        ["author"] if with_authors else []
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-{board.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[h]) for h in header])
    return response

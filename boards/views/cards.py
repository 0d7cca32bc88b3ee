"""Ideas: add, change (a clash keeps both texts in view), take off, bring back, move."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from boards import forms, selectors, services
from boards import render as board_render
from boards.views.common import TEMPLATE, answer, board_or_404, change, updated
from participants.identity import room_identity_allowed
from workshops.http import AuthenticatedHttpRequest


@room_identity_allowed
@require_POST
@login_required
def card_add(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """Add an idea: fields text, column, client_id (a UUID), on_behalf_of (facilitators)."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.CardAddForm(request.POST),
        lambda d: services.card_add(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            column_id=d["column"],
            text=d["text"],
            on_behalf_of_id=d.get("on_behalf_of"),
        ),
        lambda card: answer(request, board, card, columns=[card.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def card_edit(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Change an idea's text; a clash with someone else's change keeps both texts in view."""
    board = board_or_404(request, session_id, board_id)
    form = forms.CardEditForm(request.POST)
    target = request.POST.get("form_id", "")
    try:
        return change(
            request,
            form,
            lambda d: services.card_edit(
                board=board,
                by=request.user,
                client_id=d["client_id"],
                card_uid=card_uid,
                text=d["text"],
                version=d["version"],
            ),
            lambda card: answer(request, board, card, columns=[card.column_id]),
        )
    except services.CardConflict as conflict:
        html = render_to_string(
            f"{TEMPLATE}#edit-form",
            {
                "board": board,
                "session": board.activity.session,
                "card": conflict.card,
                "form_id": target if target.startswith(("edit-", "fac-edit-")) else "",
                "draft": form.cleaned_data.get("text", ""),
                "conflict": True,
                "urls": board_render.board_urls(board),
            },
            request=request,
        )
        headers = {}
        if target.startswith(("edit-", "fac-edit-")):
            headers = {"HX-Retarget": f"#{target}", "HX-Reswap": "outerHTML"}
        return HttpResponse(html, status=409, headers=headers)


@room_identity_allowed
@require_POST
@login_required
def card_delete(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Take an idea off the board, with a moment to undo."""
    board = board_or_404(request, session_id, board_id)

    def respond(card: Any) -> HttpResponse:
        undo = render_to_string(
            f"{TEMPLATE}#undo",
            {
                "board": board,
                "session": board.activity.session,
                "card": card,
                "oob": True,
                "urls": board_render.board_urls(board),
            },
        )
        return updated(request, board, columns=[card.column_id], extra=undo)

    return change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.card_delete(board=board, by=request.user, card_uid=card_uid, **d),
        respond,
    )


@room_identity_allowed
@require_POST
@login_required
def card_restore(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Undo a delete."""
    board = board_or_404(request, session_id, board_id)
    cleared = f'<div id="board-undo-{board.pk}" class="comhla-undo" aria-live="polite" hx-swap-oob="outerHTML settle:0"></div>'
    return change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.card_restore(board=board, by=request.user, card_uid=card_uid, **d),
        lambda card: updated(request, board, columns=[card.column_id], extra=cleared),
    )


@room_identity_allowed
@require_POST
@login_required
def card_move(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Move an idea: a step by button or keyboard, or to a place by drag and drop."""
    board = board_or_404(request, session_id, board_id)
    before = selectors.card_column(board=board, card_uid=card_uid)
    return change(
        request,
        forms.CardMoveForm(request.POST),
        lambda d: services.card_move(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            card_uid=card_uid,
            direction=d.get("direction") or None,
            column_id=d.get("column"),
            index=d.get("index"),
        ),
        lambda card: answer(
            request, board, card, columns=list(dict.fromkeys([card.column_id, before]))
        ),
    )

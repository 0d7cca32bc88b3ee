"""Groups of ideas: put an idea in or out, start, rename, dissolve."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from boards import forms, services
from boards.views.common import answer, board_or_404, change, updated
from participants.identity import room_identity_allowed
from workshops.http import AuthenticatedHttpRequest


@room_identity_allowed
@require_POST
@login_required
def card_group(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Put an idea into a group of its column, or take it out."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.CardGroupForm(request.POST),
        lambda d: services.card_set_group(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            card_uid=card_uid,
            group_id=d.get("group"),
        ),
        lambda card: answer(request, board, card, columns=[card.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def group_create(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Start a named group with this idea."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.GroupNameForm(request.POST),
        lambda d: services.group_create(board=board, by=request.user, card_uid=card_uid, **d),
        lambda group: updated(request, board, columns=[group.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def group_rename(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, group_id: int
) -> HttpResponse:
    """Rename a group."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.GroupNameForm(request.POST),
        lambda d: services.group_rename(board=board, by=request.user, group_id=group_id, **d),
        lambda group: updated(request, board, columns=[group.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def group_dissolve(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, group_id: int
) -> HttpResponse:
    """Dissolve a group; its ideas stay."""
    board = board_or_404(request, session_id, board_id)
    return change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.group_dissolve(board=board, by=request.user, group_id=group_id, **d),
        lambda _: updated(request, board, whole=True),
    )

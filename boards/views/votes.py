"""Dots: put one on an idea or a group, take one back."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from boards import forms, services
from boards.views.common import answer, board_or_404, change, updated
from participants.identity import room_identity_allowed
from workshops.http import AuthenticatedHttpRequest


def _vote_view(add: bool) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    def view(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
        board = board_or_404(request, session_id, board_id)
        service = services.vote_add if add else services.vote_remove
        return change(
            request,
            forms.VoteForm(request.POST),
            lambda d: service(
                board=board,
                by=request.user,
                client_id=d["client_id"],
                card_uid=d.get("card"),
                group_id=d.get("group"),
            ),
            lambda vote: (
                answer(request, board, vote, columns=[])
                if getattr(vote, "fragments", None)
                else updated(request, board, whole=board.results_shown)
            ),
        )

    view.__doc__ = "Put a dot on an idea or group." if add else "Take a dot back."
    return room_identity_allowed(view)


vote_add = _vote_view(True)
vote_remove = _vote_view(False)

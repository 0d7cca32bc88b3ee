"""A room identity (a picked name, a walk-in) reaches its one session's room and nothing else."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from participants import identity


class RoomIdentityMiddleware:
    """Marks the signed-in user with its room scope; refuses views not made for the room.

    Views opt in with identity.room_identity_allowed, so a new view is closed to a room
    identity until someone decides otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            identity.limit_to_room(request.user, request.session)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """Let a room identity through only to a room view of its own session."""
        if not request.user.is_authenticated:
            return None
        scope = identity.room_scope(request.user)
        if scope is None:
            return None
        match = request.resolver_match
        allowed = getattr(view_func, "room_identity_allowed", False) or (
            match is not None and match.url_name in identity.ROOM_IDENTITY_ACCOUNT_URLS
        )
        any_session = getattr(view_func, "room_identity_any_session", False)
        if allowed and (any_session or view_kwargs.get("session_id", scope) == scope):
            return None
        return render(request, "participants/needs_card.html", {"room_scope": scope}, status=403)

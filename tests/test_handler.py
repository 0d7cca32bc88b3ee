"""Each HTTP request runs its middleware and view in one thread step (project/handler.py)."""

from collections.abc import Callable
from typing import cast
from unittest import mock

import pytest
from asgiref import sync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler

from project.handler import OneStepASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


def http_scope(path: str) -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def serve(handler: ASGIHandler, path: str) -> tuple[int, int]:
    """The status of a GET, and how often the request stepped back to the event loop."""
    entered = sync.AsyncToSync.__call__
    back_to_the_loop = 0

    def counting(self: sync.AsyncToSync, *args: object, **kwargs: object) -> object:
        nonlocal back_to_the_loop
        back_to_the_loop += 1
        return cast(Callable[..., object], entered)(self, *args, **kwargs)

    with mock.patch.object(sync.AsyncToSync, "__call__", counting):
        communicator = ApplicationCommunicator(handler, http_scope(path))
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(5)
        body = await communicator.receive_output(5)
        while body.get("more_body"):
            body = await communicator.receive_output(5)
        await communicator.wait(5)
    return int(start["status"]), back_to_the_loop


async def test_a_request_runs_its_middleware_and_view_without_stepping_back_to_the_loop() -> None:
    status, back_to_the_loop = await serve(OneStepASGIHandler(), "/healthz")

    assert status == 200
    assert back_to_the_loop == 0


async def test_djangos_own_handler_steps_back_between_its_middleware_and_the_view() -> None:
    # What the handler saves: with every middleware synchronous, Django's leaves the
    # middleware's thread for the event loop and comes back for the view.
    status, back_to_the_loop = await serve(ASGIHandler(), "/healthz")

    assert status == 200
    assert back_to_the_loop >= 1


async def test_a_page_that_needs_a_sign_in_still_redirects_through_every_middleware() -> None:
    status, _ = await serve(OneStepASGIHandler(), "/sessions/1/room/")

    assert status == 302

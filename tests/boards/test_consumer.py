"""A card added over HTTP reaches another person's open socket."""

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from boards.models import Board
from project.asgi import application


def cookie_for(user: Any) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(session_id: int, user: Any) -> WebsocketCommunicator:
    cookie = await sync_to_async(cookie_for)(user)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/sessions/{session_id}/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def frames_until(communicator: WebsocketCommunicator, predicate: Any) -> dict[str, Any]:
    for _ in range(20):
        frame = json.loads(await communicator.receive_from(timeout=5))
        if predicate(frame):
            return frame
    raise AssertionError("no matching frame")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_card_added_reaches_another_socket(board: Board, person: Any, carer: Any) -> None:
    session_id = await sync_to_async(lambda: board.activity.session_id)()
    isla = await connect(session_id, carer)
    try:
        snapshot = json.loads(await isla.receive_from(timeout=5))
        assert snapshot["event"] == "snapshot"
        assert "What gets in the way" in snapshot["content"]

        def post() -> int:
            client = Client()
            client.force_login(person)
            column = board.columns.order_by("position").first()
            assert column is not None
            response = client.post(
                reverse("card_add", args=[session_id, board.pk]),
                {"text": "A lift to the sessions", "column": column.pk},
                HTTP_HX_REQUEST="true",
            )
            return response.status_code

        assert await sync_to_async(post)() == 200
        frame = await frames_until(isla, lambda f: f["event"] == "card_added")
        assert "A lift to the sessions" in frame["content"]
        assert frame["announce"] == "New idea in What matters to you: A lift to the sessions"
        assert isinstance(frame["seq"], int)
    finally:
        await isla.disconnect()

"""Health checks for the proxy and the orchestrator: is the process alive, can it serve."""

import asyncio
import json

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from participants.identity import room_identity_allowed

# A channel layer that cannot echo a message back within this is not ready.
LAYER_ROUND_TRIP_SECONDS = 2.0


@room_identity_allowed
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive (touches nothing else)."""
    return HttpResponse("ok", content_type="text/plain")


@room_identity_allowed
@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """The database and the channel layer both answer."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        problems.append("database")
    try:
        layer = get_channel_layer()
        if layer is None:
            raise RuntimeError("no channel layer")
        if not async_to_sync(_layer_round_trip)(layer):
            raise RuntimeError("channel layer round trip failed")
    except Exception:
        problems.append("channel layer")
    body = json.dumps({"ready": not problems, "failing": problems})
    return HttpResponse(body, status=503 if problems else 200, content_type="application/json")


async def _layer_round_trip(layer: BaseChannelLayer) -> bool:
    """Send a message to a new channel and read it back, in one event loop (the pub/sub layer
    subscribes per loop) and within a limit (pub/sub may drop it)."""
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "readyz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), LAYER_ROUND_TRIP_SECONDS)
    return bool(message.get("type") == "readyz.ping")

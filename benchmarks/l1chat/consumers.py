"""The Channels tutorial's async chat consumer (tutorial part 3), unchanged in substance."""

import json
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer


class ChatConsumer(AsyncWebsocketConsumer):
    """Everyone in a room gets every message sent to it (group_send of JSON)."""

    room_group_name: str

    async def connect(self) -> None:
        """Join the room group."""
        room_name = self.scope["url_route"]["kwargs"]["room_name"]
        self.room_group_name = f"chat_{room_name}"
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code: int) -> None:
        """Leave the room group."""
        await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Send a message from the WebSocket to the room group."""
        text_data_json = json.loads(text_data or "{}")
        message = text_data_json["message"]
        await self.channel_layer.group_send(
            self.room_group_name, {"type": "chat.message", "message": message}
        )

    async def chat_message(self, event: dict[str, Any]) -> None:
        """Send a message from the room group to the WebSocket."""
        message = event["message"]
        await self.send(text_data=json.dumps({"message": message}))

"""WebSocket routes: one socket per session room."""

from django.urls import path

from workshops.room.consumer import SessionConsumer

websocket_urlpatterns = [
    path("ws/sessions/<int:session_id>/", SessionConsumer.as_asgi()),
]

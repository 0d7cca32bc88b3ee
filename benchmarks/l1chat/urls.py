"""No HTTP pages: the peer is WebSocket only."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

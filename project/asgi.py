"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
# As django.core.asgi.get_asgi_application, with the handler that runs each request's
# middleware and view in one thread step (project/handler.py).
django.setup(set_prefix=False)

from project.handler import OneStepASGIHandler  # noqa: E402

django_asgi_app = OneStepASGIHandler()

# Imported after Django is set up: routing pulls in models.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from project.origin import SameOriginValidator  # noqa: E402
from project.proxies import TrustedProxyMiddleware  # noqa: E402
from project.routing import websocket_urlpatterns  # noqa: E402


def close_failed_sockets_with_their_code() -> None:
    """Make daphne answer a broken frame (over its size limit, or a text frame that is not
    UTF-8) with the close code that says why (1009, 1007), as the WebSocket standard asks.

    Autobahn, under daphne, drops the TCP connection instead by default: the browser sees
    only 1006 and reconnects blindly. daphne has no option for it, and builds its factory
    when it starts serving, after importing this module.
    """
    from daphne import server, ws_protocol

    class WebSocketFactory(ws_protocol.WebSocketFactory):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.setProtocolOptions(failByDrop=False)

    server.WebSocketFactory = WebSocketFactory


close_failed_sockets_with_their_code()

# Outermost: every request and socket sees the client's address, not the proxy's.
application = TrustedProxyMiddleware(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # No AuthMiddleware: the room socket finds who it is in its first database step.
            "websocket": SameOriginValidator(
                SessionMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)

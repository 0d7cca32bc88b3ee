"""Django's ASGI handler, with each request's middleware and view in one thread step.

Every middleware here is synchronous and so is every view. Django's ASGI handler builds its
middleware chain for async use all the same: it steps from the event loop into a thread for the
middleware, back to the loop for the core of its handler, and into the thread again for the
view, each step through asgiref's executors. Built as WSGI builds it, the chain runs in one
step (daphne's profile of a room move: a quarter of its CPU went through that inner hop).
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpRequest, HttpResponseBase


class OneStepASGIHandler(ASGIHandler):
    """Django's ASGI handler, running the synchronous middleware chain and view in one step."""

    def __init__(self) -> None:
        BaseHandler.__init__(self)  # not ASGIHandler's: it builds the async chain
        self.load_middleware(is_async=False)

    async def run_get_response(self, request: HttpRequest) -> HttpResponseBase:
        """The response, from the synchronous chain in this request's thread."""
        # thread_sensitive: the request's own thread, where its request_started and
        # request_finished hand the database connection back to the pool.
        response = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        return response

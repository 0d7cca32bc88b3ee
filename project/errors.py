"""What a person sees when something on our side fails: never a traceback.

When the database or Redis cannot be reached (a restart, a failover, a dropped connection),
the request changed nothing (every service runs in one transaction) and the same press will
work in a moment, so the answer is a 503 that says so. Pages rendered here touch neither the
database nor the cache: they must work while both are down.
"""

import logging
import sys

import redis.exceptions
from django.db import utils as db_utils
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("comhla.errors")

UNAVAILABLE = (
    db_utils.OperationalError,
    db_utils.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY_AFTER_SECONDS = 5
TRY_AGAIN = gettext_lazy(
    "Comhla could not save that just now, so nothing was changed. Please try again in a moment."
)


def is_unavailable(exc: BaseException | None) -> bool:
    """True when a failure means a service we need is briefly out of reach."""
    return isinstance(exc, UNAVAILABLE)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a friendly 503 with Retry-After when a service is out of reach, else a 500."""
    unavailable = is_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    if request.headers.get("HX-Request"):
        message = (
            TRY_AGAIN
            if unavailable
            else _(
                "Something went wrong on our side. Please try again; if it keeps happening, "
                "tell the facilitator."
            )
        )
        html = render_to_string("partials/error_summary.html", {"error_messages": [message]})
        headers = {"HX-Retarget": "#page-errors", "HX-Reswap": "innerHTML"}
    else:
        html = render_to_string("errors/503.html" if unavailable else "errors/500.html")
        headers = {}
    if unavailable:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return HttpResponse(html, status=status, headers=headers)


def _htmx_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """An htmx request's error, shown in the sender's own page."""
    html = render_to_string(
        "partials/error_summary.html", {"error_messages": [message]}, request=request
    )
    return HttpResponse(
        html, status=status, headers={"HX-Retarget": "#page-errors", "HX-Reswap": "innerHTML"}
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: our own page, with the header and a way home."""
    if request.headers.get("HX-Request"):
        return _htmx_error(request, _("That is no longer here. Reload the page."), 404)
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: our own page, with the header and a way home."""
    if request.headers.get("HX-Request"):
        return _htmx_error(request, _("You cannot do that here."), 403)
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an out-of-date page; nothing was changed."""
    message = _("This page was out of date, so nothing was saved. Reload the page and try again.")
    if request.headers.get("HX-Request"):
        return _htmx_error(request, message, 403)
    return render(request, "errors/csrf.html", status=403)

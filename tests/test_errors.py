"""When the database or Redis is out of reach: a friendly 503 that says "try again", never a
traceback; any other failure: a friendly 500."""

from typing import Any
from unittest import mock

import pytest
import redis.exceptions
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("server closed the connection unexpectedly"),
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379"),
    ],
)
def test_a_service_out_of_reach_gets_a_friendly_503(
    live_session: Any, facilitator: Any, exc: Exception
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(facilitator)
    with mock.patch("workshops.views.room.room_render.render_snapshot", side_effect=exc):
        response = client.get(reverse("room_snapshot", args=[live_session.pk]))
        htmx = client.get(reverse("room_snapshot", args=[live_session.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Please try again in a moment" in html and "nothing was changed" in html
    assert "Traceback" not in html and str(exc) not in html
    assert htmx.status_code == 503 and htmx["HX-Retarget"] == "#page-errors"
    assert "nothing was changed" in htmx.content.decode()


def test_the_database_failing_inside_middleware_still_gets_the_503(
    live_session: Any, facilitator: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(facilitator)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("terminating connection due to administrator command"),
    ):
        response = client.get(reverse("room", args=[live_session.pk]))
    assert response.status_code == 503
    assert "administrator command" not in response.content.decode()


def test_any_other_failure_gets_a_friendly_500(live_session: Any, facilitator: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(facilitator)
    with mock.patch(
        "workshops.views.room.room_render.render_snapshot", side_effect=ValueError("secret detail")
    ):
        response = client.get(reverse("room_snapshot", args=[live_session.pk]))
    assert response.status_code == 500 and "Retry-After" not in response
    html = response.content.decode()
    assert "something went wrong on our side" in html and "secret detail" not in html


def test_a_missing_page_has_our_layout_and_a_way_home() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="comhla-header"' in html
    assert 'href="/"' in html and "Go to the start page" in html
    htmx = Client().get("/no-such-page/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 404 and htmx["HX-Retarget"] == "#page-errors"


def test_a_forbidden_page_has_our_layout_and_a_way_home(rf: Any) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from project import urls
    from project.errors import permission_denied

    assert urls.handler403 == "project.errors.permission_denied"
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html and 'class="comhla-header"' in html
    assert "Go to the start page" in html


def test_a_csrf_failure_has_our_layout_and_changes_nothing(
    live_session: Any, facilitator: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    response = client.post(reverse("session_end", args=[live_session.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please try that again" in html and 'class="comhla-header"' in html
    assert "nothing was saved" in html and "CSRF" not in html
    live_session.refresh_from_db()
    assert live_session.status == "live"
    htmx = client.post(reverse("session_end", args=[live_session.pk]), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403 and htmx["HX-Retarget"] == "#page-errors"

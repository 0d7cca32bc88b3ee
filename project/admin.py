"""Django's admin, when COMHLA_ADMIN=1: signing in to it is allauth's sign-in, with its limits."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Send people to the one sign-in page; the admin's own form would bypass its rate limits."""
    if request.user.is_authenticated:
        # Signed in but not staff: the admin is not theirs (and no loop through sign-in).
        raise Http404("No admin here")
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("account_login")
    )


admin.site.login = admin_login  # type: ignore[method-assign]

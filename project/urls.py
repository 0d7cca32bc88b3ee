"""Top-level URLs."""

from django.conf import settings
from django.urls import include, path

from project import health, jsi18n

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("jsi18n/", jsi18n.javascript_catalog, name="javascript_catalog"),
    path("", include("workshops.urls")),
    path("", include("participants.urls")),
    path("", include("boards.urls")),
    path("", include("workshops.floor.urls")),
    path("", include("workshops.evaluation.urls")),
    path("", include("participants.payments.urls")),
    path("accounts/", include("allauth.urls")),
]

if settings.COMHLA_ADMIN:
    # Only when the admin is switched on: importing project.admin registers every model.
    from django.contrib import admin

    import project.admin  # noqa: F401

    urlpatterns.append(path("admin/", admin.site.urls))

handler404 = "project.errors.page_not_found"
handler403 = "project.errors.permission_denied"
handler500 = "project.errors.server_error"

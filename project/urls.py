"""Top-level URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("workshops.urls")),
    path("", include("participants.urls")),
    path("", include("boards.urls")),
    path("", include("workshops.floor.urls")),
    path("", include("workshops.evaluation.urls")),
    path("", include("participants.payments.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "project.errors.page_not_found"
handler403 = "project.errors.permission_denied"
handler500 = "project.errors.server_error"

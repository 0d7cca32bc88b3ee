"""The text of the browser's scripts (static/js) in the page's language.

base.html loads /jsi18n/ before the scripts: it defines gettext, ngettext and interpolate
with the translations of the djangojs catalogue in project/locale (`make messages`).
"""

import hashlib
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from participants.identity import room_identity_allowed

CACHE_SECONDS = 60 * 60


class ScriptCatalogue(JavaScriptCatalog):
    """Comhla's own catalogue only: without packages Django sends every app's, the admin's
    date-picker words included."""

    packages = ["project"]  # not an app: get_paths below says where it is

    def get_paths(self, packages: Any) -> list[str]:
        """The project's locale directories."""
        return [str(path) for path in settings.LOCALE_PATHS]


def catalogue_version() -> str:
    """A digest of the compiled translations of the scripts' text: it changes when they do."""
    digest = hashlib.sha256(django.get_version().encode())
    for locale_path in settings.LOCALE_PATHS:
        for mo in sorted(Path(locale_path).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(mo.read_bytes())
    return digest.hexdigest()[:16]


# Cached per language, here and in the browser; a deploy with new translations starts a fresh
# entry here at once (browsers catch up within the hour).
javascript_catalog = room_identity_allowed(
    cache_page(CACHE_SECONDS, key_prefix=f"jsi18n-{catalogue_version()}")(ScriptCatalogue.as_view())
)

"""Template tags for the page's language (`{% load comhla_i18n %}`; registered in settings)."""

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def bcp47(language_code: str) -> str:
    """A Django language code as HTML's lang attribute writes it (BCP 47): en-gb → en-GB,
    zh-hans → zh-Hans, gd → gd."""
    return translation.to_locale(language_code).replace("_", "-")

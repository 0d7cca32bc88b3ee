"""Small template helpers."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key], or an empty string."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""

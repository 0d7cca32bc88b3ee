"""One rule for text people type, used by every form: no control characters, a length the
database can hold, and no bidirectional controls in a person's name.

A NUL makes PostgreSQL fail the whole request; other control characters are invisible,
break CSV exports and screen readers; right-to-left overrides let a name pretend to be
someone else's. Newlines and tabs are fine in multi-line text, nowhere else.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# C0 controls, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Marked for translation but kept plain str, translated where raised (gettext(...)): other
# modules put them in dict[str, str] error maps, where a lazy string would not type-check.
CONTROL_MESSAGE = gettext_noop(
    "Remove the hidden control characters (they can come with pasted text) and try again"
)
LINE_MESSAGE = gettext_noop("Keep this to one line, without line breaks or tabs")
BIDI_MESSAGE = gettext_noop(
    "Remove the hidden characters that change the direction of text (they can come with "
    "pasted text) and try again"
)


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether the text holds a control character (newlines and tabs allowed if multiline)."""
    return bool((_CONTROL_MULTILINE if multiline else _CONTROL).search(value))


def validate_single_line(value: str) -> None:
    """Refuse control characters, newlines and tabs included."""
    if _CONTROL_MULTILINE.search(value):
        raise ValidationError(_(CONTROL_MESSAGE), code="control")
    if _CONTROL.search(value):
        raise ValidationError(_(LINE_MESSAGE), code="control")


def validate_multiline(value: str) -> None:
    """Refuse control characters other than newlines and tabs."""
    if _CONTROL_MULTILINE.search(value):
        raise ValidationError(_(CONTROL_MESSAGE), code="control")


def validate_name(value: str) -> None:
    """A person's name: no bidirectional controls (Name fields are one line already)."""
    if _BIDI.search(value):
        raise ValidationError(_(BIDI_MESSAGE), code="bidi")


class Text(forms.CharField):
    """A CharField with the project's text rules; max_length is required (the model's)."""

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.multiline = multiline
        # Ours refuses NUL too: one message for one problem.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(validate_multiline if multiline else validate_single_line)


class Name(Text):
    """A person's name as they type it."""

    def __init__(self, *, max_length: int = 80, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(validate_name)


def clean_text(value: str, key: str, *, max_length: int, multiline: bool = False) -> str:
    """Text a service was handed without a form (a view reading its POST by hand), checked by
    the same rules as a form's Text field: stripped, or a ValidationError keyed by `key`."""
    field = Text(max_length=max_length, multiline=multiline, required=False)
    try:
        return str(field.clean(value))
    except ValidationError as exc:
        raise ValidationError({key: exc.messages}) from None


def clean_name(value: str, key: str) -> str:
    """A person's name a service was handed: the Name field's rules, keyed by `key`."""
    try:
        return str(Name(required=False).clean(value))
    except ValidationError as exc:
        raise ValidationError({key: exc.messages}) from None

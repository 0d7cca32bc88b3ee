"""Forms for every board change. Each carries the client-generated id of the change."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from boards.models import CARD_TEXT_MAX, GROUP_NAME_MAX, Board
from boards.services.board import TEMPLATES
from project.text import Text

TEXT_ERRORS = {
    "required": _("Write your idea first: it is empty"),
    # The field's length check fills in %(limit_value)d.
    "max_length": _("Keep your idea to %(limit_value)d characters or fewer"),
}


class ChangeForm(forms.Form):
    """A change with the browser's id for it (a fresh one when the browser sent none)."""

    client_id = forms.UUIDField(required=False)

    def clean_client_id(self) -> uuid.UUID:
        return self.cleaned_data.get("client_id") or uuid.uuid4()


class CardAddForm(ChangeForm):
    """Add an idea."""

    text = Text(max_length=CARD_TEXT_MAX, multiline=True, error_messages=TEXT_ERRORS)
    column = forms.IntegerField(error_messages={"required": _("Choose a column")})
    on_behalf_of = forms.IntegerField(required=False)


class IdeaBeforeForm(CardAddForm):
    """Add one's own idea to a scheduled session's board, from the session page."""

    board = forms.IntegerField(error_messages={"required": _("Choose a board")})


class CardEditForm(ChangeForm):
    """Change an idea's text, based on the version the editor saw."""

    text = Text(max_length=CARD_TEXT_MAX, multiline=True, error_messages=TEXT_ERRORS)
    version = forms.IntegerField(
        min_value=1, error_messages={"required": _("Open the idea again to change it")}
    )


class CardMoveForm(ChangeForm):
    """Move an idea a step (buttons, keyboard) or to a place (drag and drop)."""

    direction = forms.ChoiceField(
        required=False, choices=[(d, d) for d in ("left", "right", "up", "down")]
    )
    column = forms.IntegerField(required=False)
    index = forms.IntegerField(required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("direction") and data.get("column") is None:
            raise forms.ValidationError(_("Say where to move the idea"))
        return data


class VoteForm(ChangeForm):
    """A dot on an idea or a group."""

    card = forms.UUIDField(required=False)
    group = forms.IntegerField(required=False)


class GroupNameForm(ChangeForm):
    """Name a group."""

    name = Text(
        max_length=GROUP_NAME_MAX,
        error_messages={
            "required": _("Give the group a name"),
            "max_length": _("Keep the group name to %(limit_value)d characters or fewer"),
        },
    )


class CardGroupForm(ChangeForm):
    """Put an idea into a group, or take it out (no group)."""

    group = forms.IntegerField(required=False)


class FlagForm(ChangeForm):
    """Switch a board setting on or off."""

    value = forms.BooleanField(required=False)


class ColumnForm(ChangeForm):
    """A new column."""

    title = Text(max_length=80, error_messages={"required": _("Give the column a title")})


ANONYMITY_ERRORS = {"required": _("Choose whether names are shown on ideas")}
VOTES_ERRORS = {
    "required": _("Enter how many votes each person has, from 0 to 20"),
    "invalid": _("Enter how many votes each person has, from 0 to 20"),
}


class SettingsForm(ChangeForm):
    """A board's prompt and settings."""

    prompt = Text(max_length=300, error_messages={"required": _("Write a prompt")})
    anonymity = forms.ChoiceField(choices=Board.Anonymity.choices, error_messages=ANONYMITY_ERRORS)
    hidden_until_reveal = forms.BooleanField(required=False)
    votes_per_person = forms.IntegerField(min_value=0, max_value=20, error_messages=VOTES_ERRORS)
    anyone_can_group = forms.BooleanField(required=False)


class SetupForm(forms.Form):
    """Set up the board of a board activity."""

    template = forms.ChoiceField(
        choices=[(k, v[0]) for k, v in TEMPLATES.items()],
        error_messages={"required": _("Choose how the board starts")},
    )
    prompt = Text(max_length=300, required=False)
    anonymity = forms.ChoiceField(
        choices=Board.Anonymity.choices,
        initial=Board.Anonymity.OFF,
        error_messages=ANONYMITY_ERRORS,
    )
    hidden_until_reveal = forms.BooleanField(required=False)
    votes_per_person = forms.IntegerField(
        min_value=0, max_value=20, initial=3, error_messages=VOTES_ERRORS
    )
    anyone_can_group = forms.BooleanField(required=False)

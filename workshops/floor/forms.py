"""Forms for the floor's actions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NextForm(forms.Form):
    """What the facilitator saw when pressing "next": who spoke and who was next."""

    speaker = forms.IntegerField(required=False, min_value=1)
    next = forms.IntegerField(required=False, min_value=1)


class GiveForm(forms.Form):
    """Give the floor to someone in particular."""

    person = forms.IntegerField(
        min_value=1,
        label=_("Give the floor to"),
        error_messages={"required": _("Choose who to give the floor to")},
    )
    supported = forms.BooleanField(required=False, label=_("I will speak or type for them"))


class TurnForm(forms.Form):
    """A turn to act on."""

    turn = forms.IntegerField(min_value=1, error_messages={"required": _("Choose a turn")})


class RoundForm(forms.Form):
    """Pause, resume or finish a go-round."""

    status = forms.ChoiceField(
        choices=[("running", _("Resume")), ("paused", _("Pause")), ("done", _("Finish"))],
        error_messages={"required": _("Choose to pause, resume or finish the round")},
    )


class LimitForm(forms.Form):
    """The gentle time limit for a turn."""

    seconds = forms.IntegerField(
        label=_("Gentle time limit for a turn (seconds)"),
        min_value=15,
        max_value=3600,
        error_messages={
            "required": _("Enter a time limit in seconds, like 120"),
            "min_value": _("Choose at least 15 seconds"),
            "max_value": _("Choose at most 3600 seconds (an hour)"),
        },
    )

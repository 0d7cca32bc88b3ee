"""What every programme starts with: the default feedback questions, and the words and drawn
faces of a rating from 1 to 5."""

from django.utils.translation import gettext_lazy as _

DEFAULT_FEEDBACK_RATINGS = [
    _("I felt listened to"),
    _("I could say what I wanted to say"),
    _("I learned something"),
    _("My ideas made a difference"),
]
DEFAULT_FEEDBACK_TEXT = [_("What worked well?"), _("What could be better?")]
RATING_WORDS = {
    1: _("Not at all"),
    2: _("A little"),
    3: _("Somewhat"),
    4: _("Mostly"),
    5: _("Completely"),
}
# Drawn faces (the mouth of each, as an SVG path), not emoji: an emoji is a box on a device
# without an emoji font, and looks different on every phone.
RATING_FACES = {
    1: "M9 24 Q16 15 23 24",
    2: "M10 22.5 Q16 18.5 22 22.5",
    3: "M10 21 L22 21",
    4: "M10 20 Q16 24.5 22 20",
    5: "M9 19 Q16 28 23 19",
}

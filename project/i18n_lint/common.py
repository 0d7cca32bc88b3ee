"""What the checks share: where things are, the words never translated, a finding."""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SCRIPTS = ROOT / "static" / "js"
LOCALE = ROOT / "project" / "locale"

# Words that are the same in every language: the product's name and the names of the
# published wellbeing scales (Warwick-Edinburgh Mental Wellbeing Scale and its short form).
ALLOWED = frozenset({"Comhla", "WEMWBS", "SWEMWBS"})

# Attributes a person reads (a tooltip, a label shown by CSS) or hears (a screen reader).
ATTRIBUTES = frozenset(
    {
        "alt",
        "title",
        "placeholder",
        "label",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-placeholder",
        "aria-valuetext",
        "data-label",
        "hx-confirm",
        "hx-prompt",
    }
)
# `value` is read only on these inputs (it is their caption); elsewhere it is data.
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})

# Stands in for template tags and variables: not a letter, and not in any real template.
MARK = "\ue000"
_WORD = re.compile(r"\w+")
# A web path shown for people to type (`{{ request.get_host }}/join`) is the same in every
# language.
_PATH = re.compile(r"(?<!\w)/[\w./-]+")
_LITERAL = r"""(?:"[^"]*"|'[^']*')"""
_TEXT_FILTER = re.compile(
    rf"\|\s*(?:default|default_if_none|yesno)\s*:\s*({_LITERAL})|\|\s*(pluralize)\b"
)
_ARGUMENT_LITERAL = re.compile(rf"(?<![\w(])({_LITERAL})")
_NAME = re.compile(r"[a-z0-9_-]*")
_TAGS_WITH_ARGUMENTS = frozenset({"with", "include", "firstof"})
_TRANSLATE = frozenset({"translate", "trans"})
_BLOCK_TRANSLATE = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
# Blocks that base.html puts inside a tag (`{% block container_class %}`, `main_attrs`).
_INSIDE_A_TAG = ("_class", "_attrs")
_SKIPPED = {"comment": "endcomment", "verbatim": "endverbatim"}


@dataclass(frozen=True)
class Finding:
    """Unmarked text at a place in a template."""

    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        """`file:line: text`, the file relative to the project when it is inside it."""
        path = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{path}:{self.line}: {self.text}"


def has_words(text: str) -> bool:
    """Whether the text holds a letter once the allowed words and web paths are taken out."""
    rest = _WORD.sub(lambda m: "" if m.group() in ALLOWED else m.group(), _PATH.sub("", text))
    return any(character.isalpha() for character in rest)


def _phrase(literal: str) -> bool:
    """Whether a literal in a template tag is words someone reads, not a name such as an
    input type, an id or a class (lower case, no spaces)."""
    return has_words(literal) and not _NAME.fullmatch(literal)


def shown(text: str) -> str:
    """The text as a finding prints it: whitespace collapsed, tags and variables as `…`."""
    return " ".join(text.replace(MARK, "…").split())

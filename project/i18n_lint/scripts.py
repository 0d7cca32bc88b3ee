"""Script text (static/js) not marked for translation (see the package's docstring)."""

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from project.i18n_lint.common import ATTRIBUTES, SCRIPTS, Finding, has_words

TRANSLATE_FUNCTIONS = frozenset({"gettext", "ngettext", "pgettext", "npgettext", "gettext_noop"})
# Their first argument is a CSS selector: words side by side there are element names.
SELECTOR_FUNCTIONS = frozenset({"querySelector", "querySelectorAll", "closest", "matches"})
# Properties whose value is put on the page for people to read or hear.
TEXT_PROPERTIES = frozenset(
    {"textContent", "innerText", "ariaLabel", "ariaDescription", "title", "placeholder", "alt"}
)
NOT_TEXT = "not text"

_JS_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)
    | (?P<name>[A-Za-z_$][\w$]*)
    | (?P<number>\d[\w.]*)
    | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)
# A regular expression (/…/flags) is read whole: a class [...] may hold a slash.
_JS_REGEX = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[a-z]*")
# After these a slash starts a regular expression; after a name, a number or `)`, it divides.
_BEFORE_REGEX = frozenset("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_REGEX = frozenset({"return", "typeof", "case", "do", "else", "in", "of", "new"})
# A word of letters (an apostrophe may join two), with what may close it in a sentence.
_SCRIPT_WORD = re.compile(r"[(\"'“‘¿¡]*([^\W\d_]+(?:['’][^\W\d_]+)*)([.,;:!?…)\"'”’]*)")


@dataclass(frozen=True)
class _Token:
    """One token of a script: its kind (a group of _JS_TOKEN, or regex) and where it is."""

    kind: str
    text: str
    line: int


def script_tokens(source: str) -> list[_Token]:
    """The tokens of a script, without spaces, comments and regular expressions; a line with
    a `// not text` comment gives no tokens."""
    tokens: list[_Token] = []
    exempt: set[int] = set()
    position, line = 0, 1
    while position < len(source):
        previous = tokens[-1] if tokens else None
        regex = None
        if (
            source[position] == "/"
            and source[position + 1 : position + 2] not in {"/", "*"}
            and (
                previous is None
                or (previous.kind == "punct" and previous.text in _BEFORE_REGEX)
                or (previous.kind == "name" and previous.text in _KEYWORDS_BEFORE_REGEX)
            )
        ):
            regex = _JS_REGEX.match(source, position)
        match = regex or _JS_TOKEN.match(source, position)
        assert match is not None  # `.` in _JS_TOKEN takes any character
        text = match.group()
        kind = "regex" if regex else (match.lastgroup or "punct")
        if kind == "comment" and text.strip("/* \n") == NOT_TEXT:
            exempt.add(line)
        elif kind not in {"space", "comment", "regex"}:
            tokens.append(_Token(kind, text, line))
        line += text.count("\n")
        position = match.end()
    return [token for token in tokens if token.line not in exempt]


def reads_like_text(value: str) -> bool:
    """Whether a string's words read as text: two words side by side with only spaces
    between (the first ends without punctuation, so `button, input` is a list of names)."""
    words = [_SCRIPT_WORD.fullmatch(part) for part in value.split()]
    return any(
        first is not None and second is not None and not first.group(2)
        for first, second in itertools.pairwise(words)
    )


def _shown_into_the_page(tokens: list[_Token], index: int, call: str | None) -> bool:
    """Whether the string at index is written straight into what people read or hear:
    `.textContent = "…"` (or `+=`), `setAttribute("aria-label", "…")`."""
    before = [token.text for token in tokens[max(index - 4, 0) : index]]
    for operator in (["="], ["+", "="]):
        if before[-len(operator) - 2 :] in ([".", name, *operator] for name in TEXT_PROPERTIES):
            return True
    return (
        call == "setAttribute"
        and index >= 2
        and tokens[index - 1].text == ","
        and tokens[index - 2].kind == "string"
        and tokens[index - 2].text[1:-1] in ATTRIBUTES
    )


def check_script(source: str, path: Path) -> list[Finding]:
    """The text in one script that is not marked for translation."""
    tokens = script_tokens(source)
    calls: list[str | None] = []  # the function each open bracket calls, if any
    found: list[Finding] = []
    for index, token in enumerate(tokens):
        if token.text in {"(", "[", "{"}:
            before = tokens[index - 1] if index else None
            calling = token.text == "(" and before is not None and before.kind == "name"
            calls.append(before.text if calling and before else None)
        elif token.text in {")", "]", "}"} and calls:
            calls.pop()
        elif token.kind == "string":
            call = calls[-1] if calls else None
            value = token.text[1:-1]
            if call in TRANSLATE_FUNCTIONS or call in SELECTOR_FUNCTIONS:
                continue
            if value == "use strict" or not has_words(value):
                continue
            if reads_like_text(value) or _shown_into_the_page(tokens, index, call):
                found.append(Finding(path, token.line, f"{token.text} (mark it: gettext(…))"))
    return found


def script_files(root: Path = SCRIPTS) -> list[Path]:
    """Our own scripts (the vendored ones live in static/vendor)."""
    return sorted(root.rglob("*.js"))


def check_scripts(root: Path = SCRIPTS) -> list[Finding]:
    """The unmarked text in every script under root."""
    return [
        finding
        for path in script_files(root)
        for finding in check_script(path.read_text(encoding="utf-8"), path)
    ]


# --- The message catalogue -------------------------------------------------------------

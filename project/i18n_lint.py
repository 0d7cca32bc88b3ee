"""Translatable text (issue #16): find text not marked for translation in the templates and
the browser's scripts, and a stale message catalogue.

    python -m project.i18n_lint               # unmarked text in templates/ and static/js (make lint)
    python -m project.i18n_lint --catalogue   # is project/locale up to date? (make lint)
    python -m project.i18n_lint --write       # regenerate project/locale (make messages)

Each finding is printed as `file:line: text`, and the exit status is 1 if there is any.

What counts as unmarked: template text outside `{% translate %}` and `{% blocktranslate %}`
that holds a letter, read with Django's template Lexer (the template tags) and html.parser
(the HTML around them). That is the text of elements, and the attributes people read or
hear (ATTRIBUTES; `value` only on buttons). Skipped: template variables (data such as names
people typed), `{# #}` and `{% comment %}`, HTML comments, `<script>` and `<style>`, and the
blocks base.html puts inside a tag (named `…_class` or `…_attrs`).

Text also hides in template tags, so two more things are reported:
- a filter that writes English: `|pluralize` (use `{% blocktranslate count %}`) and a
  literal given to `|default`, `|default_if_none` or `|yesno` (use `_("…")`);
- a literal in `{% with %}`, `{% include … with %}` or `{% firstof %}`;
where a literal that is a name (lower case, no spaces: an input type, an id, a class) is
not text someone reads.

In static/js (our own scripts, not static/vendor), a string literal is reported when it reads
like text and is not an argument of gettext, ngettext, pgettext, npgettext or gettext_noop
(the djangojs catalogue, served at /jsi18n/). It reads like text when
- two words stand side by side in it, with only spaces between (`"Time is up"`,
  `" minutes left"`): a class list (`"govuk-list govuk-error-summary__list"`), a selector
  list (`"button, a[href]"`), an event name or an id has no such pair; or
- it holds a letter and is written straight into what people read: `el.textContent = "…"`
  (also innerText, ariaLabel, title, placeholder, alt) or `setAttribute("aria-label", "…")`
  (the ATTRIBUTES above).
Not reported: a selector given to querySelector, querySelectorAll, closest or matches;
"use strict"; comments and regular expressions; and a literal on a line with the comment
`// not text` (for a selector kept in a variable, say). A single word computed elsewhere
and put on the page later is beyond this check: review catches it.

ALLOWED holds the only words that are never translated.
"""

import argparse
import html.parser
import itertools
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.template.base import DebugLexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
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

# `make messages`: one catalogue for the whole project (project/locale), in two gettext
# domains: django (Python and templates) and djangojs (the scripts in static/js, sent to the
# browser by /jsi18n/). For each, the source strings in <domain>.pot, and every language
# there (`--all`; `makemessages -l cy` starts a new one) in <language>/LC_MESSAGES/<domain>.po.
# File names without line numbers in the references: moving a line changes nothing.
MAKEMESSAGES = [
    "makemessages",
    "--all",
    "--keep-pot",
    "--add-location=file",
    "--no-wrap",
    "--ignore=.*",
    "--ignore=tests",
    "--ignore=benchmarks",
    "--ignore=staticfiles",
    "--ignore=docs",
]
# Where each domain does not look, besides the above: the django domain reads no scripts,
# and the djangojs domain only our own (static/vendor is other projects' code).
DOMAINS = {"django": ["--ignore=static"], "djangojs": ["--ignore=static/vendor"]}


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


def _blank(contents: str, mark: str = MARK) -> str:
    """A stand-in for a template token that keeps its line breaks."""
    return mark + "\n" * contents.count("\n")


def _tag_findings(token_type: TokenType, contents: str) -> Iterator[str]:
    """English written by a template tag or variable rather than in text."""
    if token_type == TokenType.VAR:
        for match in _TEXT_FILTER.finditer(contents):
            literal, pluralize = match.groups()
            if pluralize:
                yield f"{{{{ {contents} }}}} (|pluralize is English only: blocktranslate count)"
            elif literal and _phrase(literal[1:-1]):
                yield f"{{{{ {contents} }}}} (mark the literal: _({literal}))"
    elif token_type == TokenType.BLOCK and contents.split()[0] in _TAGS_WITH_ARGUMENTS:
        # After `with` for an include: before it is the template's name.
        start = contents.find(" with ") if contents.startswith("include") else 0
        for match in _ARGUMENT_LITERAL.finditer(contents, max(start, 0)):
            value = match.group(1)[1:-1]
            if start >= 0 and _phrase(value):
                yield f"{{% {contents} %}} (mark the literal: _({match.group(1)}))"


def skeleton(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template as HTML with its tags replaced by MARK (line breaks kept), and what its
    tags write in English, by line."""
    parts: list[str] = []
    findings: list[tuple[int, str]] = []
    closing: str | None = None  # inside blocktranslate, comment or verbatim until this tag
    for token in DebugLexer(source).tokenize():
        start, end = token.position or (0, 0)  # DebugLexer always sets it
        raw, line = source[start:end], token.lineno or 0
        words = token.contents.split()
        name = words[0] if token.token_type == TokenType.BLOCK and words else ""
        if closing is not None:
            parts.append(_blank(raw, ""))
            if name == closing:
                closing = None
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type == TokenType.COMMENT:
            parts.append(_blank(raw, ""))
        elif name in _BLOCK_TRANSLATE or name in _SKIPPED:
            closing = _BLOCK_TRANSLATE.get(name) or _SKIPPED[name]
            parts.append(_blank(raw))
        elif name == "block" and len(words) > 1 and words[1].endswith(_INSIDE_A_TAG):
            closing = "endblock"  # class names or attributes, not text
            parts.append(_blank(raw, " "))
        elif token.token_type == TokenType.BLOCK and name not in _TRANSLATE:
            # A space, not MARK: block tags sit between attributes as often as in text.
            parts.append(_blank(raw, " "))
            findings += [(line, text) for text in _tag_findings(token.token_type, token.contents)]
        else:
            parts.append(_blank(raw))
            findings += [(line, text) for text in _tag_findings(token.token_type, token.contents)]
    return "".join(parts), findings


class _TextFinder(html.parser.HTMLParser):
    """Collects the visible text and read attributes of one skeleton that hold words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw_text = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check the attributes a person reads or hears."""
        line = self.getpos()[0]
        attributes = dict(attrs)
        for name, value in attrs:
            read = name in ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and (attributes.get("type") or "").lower() in BUTTON_INPUTS
            )
            if read and value and has_words(value):
                self.found.append((line, f'{name}="{shown(value)}"'))
        if tag in {"script", "style"}:
            self._raw_text += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing tag: its attributes only."""
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self._raw_text -= 1

    def handle_endtag(self, tag: str) -> None:
        """Leave <script> or <style>."""
        if tag in {"script", "style"} and self._raw_text:
            self._raw_text -= 1

    def handle_data(self, data: str) -> None:
        """Check text between tags."""
        if self._raw_text or not has_words(data):
            return
        first = next(i for i, character in enumerate(data) if not character.isspace())
        self.found.append((self.getpos()[0] + data[:first].count("\n"), shown(data)))


def check_source(source: str, path: Path) -> list[Finding]:
    """The unmarked text in one template's source."""
    html_text, found = skeleton(source)
    finder = _TextFinder()
    finder.feed(html_text)
    finder.close()
    found += finder.found
    return [Finding(path, line, text) for line, text in sorted(found)]


def template_files(root: Path = TEMPLATES) -> list[Path]:
    """Every template people see: pages and partials (.html) and emails (.txt)."""
    return sorted(path for path in root.rglob("*") if path.suffix in {".html", ".txt"})


def check_templates(root: Path = TEMPLATES) -> list[Finding]:
    """The unmarked text in every template under root."""
    return [
        finding
        for path in template_files(root)
        for finding in check_source(path.read_text(encoding="utf-8"), path)
    ]


# --- The browser's scripts ---------------------------------------------------------------

# The functions of the djangojs catalogue that mark text (xgettext's keywords for it).
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


def msgids(catalogue: str) -> set[tuple[str, ...]]:
    """The messages of a .po/.pot file's text as (msgctxt, msgid, msgid_plural), without
    the header and obsolete (#~) entries."""
    entries: set[tuple[str, ...]] = set()
    entry: dict[str, str] = {}
    key = ""

    def finish() -> None:
        if entry.get("msgid"):
            entries.add((entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural", "")))
        entry.clear()

    for line in catalogue.splitlines():
        line = line.strip()
        keyword = line.split(" ", 1)[0]
        if keyword in {"msgctxt", "msgid", "msgid_plural"}:
            if keyword == "msgctxt" or (keyword == "msgid" and set(entry) != {"msgctxt"}):
                finish()  # a new entry (a msgid after its own msgctxt is the same one)
            key = keyword
            entry[key] = _unquote(line[len(keyword) :].strip())
        elif line.startswith('"') and key:
            entry[key] += _unquote(line)
        elif line.startswith("msgstr"):
            key = ""
    finish()
    return entries


def _unquote(quoted: str) -> str:
    """A .po string's contents (escapes kept as written: both sides are xgettext's)."""
    return quoted[1:-1] if len(quoted) >= 2 else ""


def run_makemessages(root: Path) -> None:
    """Regenerate root/project/locale, both domains, with the settings of the code in root."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(root)}
    # The settings refuse to load without a key; makemessages signs nothing with it.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    for domain, ignored in DOMAINS.items():
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "manage.py", *MAKEMESSAGES, *ignored, f"--domain={domain}"],
            cwd=root,
            check=True,
            env=env,
        )


def _copied(root: Path) -> Callable[[str, list[str]], set[str]]:
    """What fresh_pots leaves out of its copy: whatever makemessages does not read, and the
    committed catalogue; of static/, only our own scripts (static/js) are kept."""
    skipped = shutil.ignore_patterns(
        ".*",
        "__pycache__",
        "*.sqlite3*",
        "staticfiles",
        "tests",
        "locale",
        "test-artifacts",
        "bench-results",
    )

    def ignore(directory: str, names: list[str]) -> set[str]:
        left_out = set(skipped(directory, names))
        if Path(directory) == root / "static":
            left_out |= {name for name in names if name != SCRIPTS.name}
        return left_out

    return ignore


def fresh_pots(root: Path = ROOT) -> dict[str, str]:
    """Each domain's source catalogue as `make messages` would make it now, made in a copy of
    the code so the committed one is not touched."""
    with tempfile.TemporaryDirectory(prefix="comhla-messages-") as tmp:
        copy = Path(tmp) / "code"
        shutil.copytree(root, copy, ignore=_copied(root))
        run_makemessages(copy)
        locale = copy / LOCALE.relative_to(ROOT)
        return {
            domain: (locale / f"{domain}.pot").read_text(encoding="utf-8") for domain in DOMAINS
        }


def check_catalogue(root: Path = ROOT) -> list[str]:
    """What is stale in root/project/locale: each domain's source catalogue against a fresh
    one, and each language's catalogue against the source catalogue of its domain."""
    locale = root / LOCALE.relative_to(ROOT)
    languages = sorted(path.parent for path in locale.glob("*/LC_MESSAGES"))
    fresh = fresh_pots(root)
    problems = []
    for domain in DOMAINS:
        pot = locale / f"{domain}.pot"
        if not pot.exists():
            problems.append(f"{pot.relative_to(root)} is missing: run `make messages`")
            continue
        committed = msgids(pot.read_text(encoding="utf-8"))
        made = msgids(fresh[domain])
        problems += [
            f"{pot.relative_to(root)} lacks {entry[1]!r}: run `make messages`"
            for entry in sorted(made - committed)
        ] + [
            f"{pot.relative_to(root)} still has {entry[1]!r}, no longer used: run `make messages`"
            for entry in sorted(committed - made)
        ]
        for language in languages:
            po = language / "LC_MESSAGES" / f"{domain}.po"
            if not po.exists():
                problems.append(f"{po.relative_to(root)} is missing: run `make messages`")
            elif msgids(po.read_text(encoding="utf-8")) != committed:
                problems.append(
                    f"{po.relative_to(root)} does not match {pot.name}: run `make messages`"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run one of the checks (or regenerate the catalogue) and say what was found."""
    parser = argparse.ArgumentParser(prog="python -m project.i18n_lint", description=__doc__)
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--catalogue", action="store_true", help="check project/locale is fresh")
    what.add_argument("--write", action="store_true", help="regenerate project/locale")
    arguments = parser.parse_args(argv)
    if arguments.write:
        run_makemessages(ROOT)
        print(f"Regenerated {LOCALE.relative_to(ROOT)}")
        return 0
    if arguments.catalogue:
        problems = check_catalogue()
        for problem in problems:
            print(problem)
        if not problems:
            print("The message catalogue is up to date.")
        return 1 if problems else 0
    in_templates = check_templates(TEMPLATES)
    in_scripts = check_scripts(SCRIPTS)
    for finding in in_templates + in_scripts:
        print(finding)
    if in_templates:
        print(
            f"{len(in_templates)} piece(s) of template text not marked for translation: wrap "
            "them in {% translate %} or {% blocktranslate %} (see README, Translating Comhla)."
        )
    if in_scripts:
        print(
            f"{len(in_scripts)} piece(s) of script text not marked for translation: write "
            'gettext("…"), or ngettext and interpolate (see README, Translating Comhla).'
        )
    return 1 if in_templates or in_scripts else 0


if __name__ == "__main__":
    sys.exit(main())

"""Translatable text (issue #16): find template text not marked for translation, and a stale
message catalogue.

    python -m project.i18n_lint               # unmarked text in templates/ (make lint)
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

ALLOWED holds the only words that are never translated.
"""

import argparse
import html.parser
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.template.base import DebugLexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LOCALE = ROOT / "project" / "locale"
POT = LOCALE / "django.pot"

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

# `make messages`: one catalogue for the whole project (project/locale): the source strings
# in django.pot, and every language there (`--all`; `makemessages -l cy` starts a new one).
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
    "--ignore=static",
    "--ignore=staticfiles",
    "--ignore=docs",
]


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
    """Regenerate root/project/locale with the settings of the code in root."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(root)}
    # The settings refuse to load without a key; makemessages signs nothing with it.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "manage.py", *MAKEMESSAGES, "--verbosity=0"],
        cwd=root,
        check=True,
        env=env,
    )


def fresh_pot(root: Path = ROOT) -> str:
    """The source catalogue as `make messages` would make it now, made in a copy of the code
    so the committed one is not touched."""
    with tempfile.TemporaryDirectory(prefix="comhla-messages-") as tmp:
        copy = Path(tmp) / "code"
        shutil.copytree(
            root,
            copy,
            ignore=shutil.ignore_patterns(
                ".*",
                "__pycache__",
                "*.sqlite3*",
                "static",
                "staticfiles",
                "tests",
                "locale",
                "test-artifacts",
                "bench-results",
            ),
        )
        run_makemessages(copy)
        return (copy / POT.relative_to(ROOT)).read_text(encoding="utf-8")


def check_catalogue(root: Path = ROOT) -> list[str]:
    """What is stale in root/project/locale: the source catalogue against a fresh one, and
    each language's catalogue against the source catalogue."""
    locale = root / LOCALE.relative_to(ROOT)
    pot = locale / POT.name
    if not pot.exists():
        return [f"{pot.relative_to(root)} is missing: run `make messages`"]
    committed = msgids(pot.read_text(encoding="utf-8"))
    fresh = msgids(fresh_pot(root))
    problems = [
        f"{pot.relative_to(root)} lacks {entry[1]!r}: run `make messages`"
        for entry in sorted(fresh - committed)
    ] + [
        f"{pot.relative_to(root)} still has {entry[1]!r}, no longer used: run `make messages`"
        for entry in sorted(committed - fresh)
    ]
    for po in sorted(locale.glob("*/LC_MESSAGES/django.po")):
        if msgids(po.read_text(encoding="utf-8")) != committed:
            problems.append(
                f"{po.relative_to(root)} does not match {POT.name}: run `make messages`"
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
    findings = check_templates(TEMPLATES)
    for finding in findings:
        print(finding)
    if findings:
        print(
            f"{len(findings)} piece(s) of template text not marked for translation: wrap them "
            "in {% translate %} or {% blocktranslate %} (see README, Translating Comhla)."
        )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

"""Template text not marked for translation (see the package's docstring for the rules)."""

import html.parser
from collections.abc import Iterator
from pathlib import Path

from django.template.base import DebugLexer, TokenType

from project.i18n_lint.common import (
    _ARGUMENT_LITERAL,
    _BLOCK_TRANSLATE,
    _INSIDE_A_TAG,
    _SKIPPED,
    _TAGS_WITH_ARGUMENTS,
    _TEXT_FILTER,
    _TRANSLATE,
    ATTRIBUTES,
    BUTTON_INPUTS,
    MARK,
    TEMPLATES,
    Finding,
    _phrase,
    has_words,
    shown,
)


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

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

from project.i18n_lint.catalogue import check_catalogue, msgids, run_makemessages
from project.i18n_lint.common import LOCALE, ROOT, SCRIPTS, TEMPLATES, Finding
from project.i18n_lint.scripts import check_scripts, script_files
from project.i18n_lint.templates import check_templates, template_files

__all__ = [
    "LOCALE",
    "ROOT",
    "SCRIPTS",
    "TEMPLATES",
    "Finding",
    "check_catalogue",
    "check_scripts",
    "check_templates",
    "main",
    "msgids",
    "script_files",
    "template_files",
]


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

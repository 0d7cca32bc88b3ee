"""Translatable text (issue #16): the lint that finds unmarked template and script text, the
check that the message catalogue is up to date, the scripts' catalogue (/jsi18n/), and
English staying English for every browser."""

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from project import i18n_lint
from project.i18n_lint import check_catalogue, check_scripts, check_templates, msgids
from project.i18n_tags import bcp47


def findings(tmp_path: Path, source: str) -> list[tuple[int, str]]:
    """What the lint says about one template holding `source`."""
    (tmp_path / "page.html").write_text(source, encoding="utf-8")
    return [(finding.line, finding.text) for finding in check_templates(tmp_path)]


def test_an_unmarked_heading_is_found_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("{% load i18n %}\n\n<h1>Hello there</h1>\n")

    (finding,) = check_templates(tmp_path)

    assert (finding.line, finding.text) == (3, "Hello there")
    assert str(finding).endswith("page.html:3: Hello there")


def test_marked_text_passes(tmp_path: Path) -> None:
    source = """{% load i18n %}
<h1>{% translate "Hello there" %}</h1>
<p>{% blocktranslate trimmed with name=user.name %}
  Hello {{ name }}, <a href="{{ url }}">come in</a>.
{% endblocktranslate %}</p>
<p>{% blocktranslate count ideas=n %}{{ ideas }} idea{% plural %}{{ ideas }} ideas{% endblocktranslate %}</p>
<nav aria-label="{% translate 'Main' %}"></nav>
"""
    assert findings(tmp_path, source) == []


def test_text_beside_a_variable_or_inside_a_branch_is_found(tmp_path: Path) -> None:
    source = "<p>{{ n }} ideas</p>\n{% if done %}Finished{% else %}{{ title }}{% endif %}\n"

    assert findings(tmp_path, source) == [(1, "… ideas"), (2, "Finished …")]


def test_attributes_people_read_or_hear_are_checked(tmp_path: Path) -> None:
    source = """<img src="map.png" alt="A map of the hall">
<nav aria-label="Main"></nav>
<input type="submit" value="Save">
<input type="hidden" name="answer" value="accept">
<td data-label="Person" class="cell">{{ name }}</td>
<span title="More about {{ name }}"></span>
"""
    assert findings(tmp_path, source) == [
        (1, 'alt="A map of the hall"'),
        (2, 'aria-label="Main"'),
        (3, 'value="Save"'),
        (5, 'data-label="Person"'),
        (6, 'title="More about …"'),
    ]


def test_data_code_comments_and_allowed_words_pass(tmp_path: Path) -> None:
    source = """{% block container_class %} comhla-narrow{% endblock %}
<script nonce="{{ csp_nonce }}">document.body.className += " js-enabled";</script>
<style>p { color: red }</style>
{# A note for whoever reads this template. #}
{% comment %}A longer note.{% endcomment %}
<!-- An HTML comment -->
<p>{{ person.name }}: £{{ amount }} · {{ when|date:"j F Y" }}</p>
<a class="comhla-header__brand">Comhla</a> <p>WEMWBS</p>
<p>{{ request.get_host }}/join</p>
<input class="govuk-input" type="{{ widget|default:'text' }}">
{% with id="feedback-"|add:n %}{% endwith %}
"""
    assert findings(tmp_path, source) == []


def test_english_written_by_filters_and_tag_arguments_is_found(tmp_path: Path) -> None:
    source = """{{ n }} line{{ n|pluralize }}
{{ place|default:"Not set" }}
{{ place|default:_("Not set") }}
{% with name="SWEMWBS" range="7–35, metric score" %}{% endwith %}
{% with range=_("7–35, metric score") %}{% endwith %}
"""
    found = findings(tmp_path, source)

    assert [line for line, _ in found] == [1, 1, 2, 4]
    assert "… line…" in found[1][1]  # the text beside the filter
    assert "|pluralize is English only" in found[0][1]
    assert 'mark the literal: _("Not set")' in found[2][1]
    assert 'mark the literal: _("7–35, metric score")' in found[3][1]


def test_every_template_is_marked_for_translation() -> None:
    found = check_templates()

    assert found == [], "\n".join(str(finding) for finding in found)


def test_the_command_names_each_finding_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "page.html").write_text("<p>Unmarked words</p>\n")
    monkeypatch.setattr(i18n_lint, "TEMPLATES", tmp_path)

    assert i18n_lint.main([]) == 1
    output = capsys.readouterr().out
    assert "page.html:1: Unmarked words" in output
    assert "not marked for translation" in output


def test_the_command_passes_on_the_real_templates() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "project.i18n_lint"],
        cwd=i18n_lint.ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


SCRIPT = """(function () {
  "use strict";
  var NOT_SAVED = "Not saved — please try again";
  box.textContent = "Saved";
  box.textContent += "Done";
  box.setAttribute("aria-label", "Close");
  var words = "You are number " + n + " in the queue.";
  setStatus("down", gettext("Reconnecting… If a change is not saved, you will be told."));
  var left = interpolate(ngettext("%(n)s minute left", "%(n)s minutes left", n), { n: n }, true);
  var when = interpolate(gettext("Speaking for %(t)s"), { t: "a long while" }, true);
  document.querySelectorAll("form input, ul li");
  box.className = "govuk-list govuk-error-summary__list";
  var fields = "button, a[href], input, select, textarea";
  if (/^none Not text\b/.test(swap) && ms / 60000 > 1) box.title = "Comhla";
  var selector = "form input"; // not text
  /* "A comment, not text people read" */ throw new Error("snapshot " + status);
  if (box.textContent === "Saved") document.addEventListener("htmx:after:swap", go);
})();
"""


def test_unmarked_script_text_is_found_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(SCRIPT, encoding="utf-8")

    found = check_scripts(tmp_path)

    assert [(finding.line, finding.text.split(" (")[0]) for finding in found] == [
        (3, '"Not saved — please try again"'),
        (4, '"Saved"'),
        (5, '"Done"'),
        (6, '"Close"'),
        (7, '"You are number "'),
        (7, '" in the queue."'),
        (10, '"a long while"'),
    ]
    assert str(found[0]).endswith('app.js:3: "Not saved — please try again" (mark it: gettext(…))')


def test_every_script_is_marked_for_translation() -> None:
    found = check_scripts()

    assert i18n_lint.script_files(), "no scripts found in static/js"
    assert found == [], "\n".join(str(finding) for finding in found)


def test_the_command_names_unmarked_script_text_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.js").write_text('el.textContent = "Time is up";\n')
    monkeypatch.setattr(i18n_lint, "SCRIPTS", tmp_path)

    assert i18n_lint.main([]) == 1
    output = capsys.readouterr().out
    assert 'app.js:1: "Time is up"' in output
    assert "1 piece(s) of script text not marked for translation" in output


def test_msgids_reads_contexts_plurals_and_long_strings_but_not_the_header() -> None:
    catalogue = r"""msgid ""
msgstr ""
"POT-Creation-Date: 2026-01-01 10:00+0000\n"

#: templates/a.html
msgid "Hello"
msgstr ""

msgctxt "follows a number"
msgid "so far"
msgstr ""

msgid "%(n)s idea"
msgid_plural "%(n)s ideas"
msgstr[0] ""
msgstr[1] ""

msgid ""
"A long "
"sentence"
msgstr ""

#~ msgid "Gone"
#~ msgstr ""
"""
    assert msgids(catalogue) == {
        ("", "Hello", ""),
        ("follows a number", "so far", ""),
        ("", "%(n)s idea", "%(n)s ideas"),
        ("", "A long sentence", ""),
    }


def test_the_committed_catalogue_is_up_to_date() -> None:
    assert check_catalogue() == []


def test_new_strings_and_a_missing_language_file_make_the_catalogue_stale(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "code"
    shutil.copytree(
        i18n_lint.ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "*.sqlite3*", "staticfiles", "vendor", "tests"
        ),
    )
    (copy / "templates" / "new.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody has translated" %}</p>'
    )
    (copy / "static" / "js" / "new.js").write_text('alert(gettext("A script nobody translated"));')
    (copy / "project" / "locale" / "gd" / "LC_MESSAGES" / "djangojs.po").unlink()

    problems = check_catalogue(copy)

    assert problems == [
        "project/locale/django.pot lacks 'A sentence nobody has translated': run `make messages`",
        "project/locale/djangojs.pot lacks 'A script nobody translated': run `make messages`",
        "project/locale/gd/LC_MESSAGES/djangojs.po is missing: run `make messages`",
    ]


@pytest.mark.django_db
def test_a_browser_asking_for_another_language_still_gets_english() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="gd, fr;q=0.8")

    assert response.status_code == 200
    assert response["Content-Language"] == "en-gb"
    assert "Working together, as equals" in response.content.decode()
    assert '<html lang="en-GB"' in response.content.decode()


@pytest.mark.django_db
def test_the_page_says_its_language_as_bcp_47(settings: Any) -> None:
    settings.LANGUAGES = [*settings.LANGUAGES, ("gd", "Gàidhlig")]

    gaelic = Client().get("/", HTTP_ACCEPT_LANGUAGE="gd").content.decode()
    missing = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="gd").content.decode()

    assert '<html lang="gd"' in gaelic
    assert '<html lang="gd"' in missing  # the error pages' own layout


@pytest.mark.parametrize(
    ("code", "lang"),
    [("en-gb", "en-GB"), ("gd", "gd"), ("zh-hans", "zh-Hans"), ("es-419", "es-419")],
)
def test_bcp47_writes_a_django_language_code_as_html_does(code: str, lang: str) -> None:
    assert bcp47(code) == lang


@pytest.mark.django_db
def test_every_page_loads_the_scripts_catalogue_before_the_scripts() -> None:
    page = Client().get("/").content.decode()

    assert page.index('<script src="/jsi18n/"></script>') < page.index("js/comhla.js")


@pytest.mark.django_db
def test_the_scripts_catalogue_is_ours_only_and_cached() -> None:
    response = Client().get("/jsi18n/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age=3600" in response["Cache-Control"]
    script = response.content.decode()
    assert "django.gettext = function" in script
    assert "Choose a time" not in script  # the admin's date picker is not sent


@pytest.mark.django_db
def test_a_translated_script_string_reaches_the_browser_in_its_language(
    tmp_path: Path, settings: Any
) -> None:
    messages = tmp_path / "gd" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "djangojs.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "You are next."\nmsgstr "Is tusa an ath neach."\n',
        encoding="utf-8",
    )
    subprocess.run(
        ["msgfmt", "-o", str(messages / "djangojs.mo"), str(messages / "djangojs.po")],
        check=True,
    )
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, ("gd", "Gàidhlig")]

    gaelic = Client().get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="gd").content.decode()
    english = Client().get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()

    assert '"You are next.": "Is tusa an ath neach."' in gaelic
    assert "Is tusa" not in english

"""Translatable text (issue #16): the lint that finds unmarked template text, the check that
the message catalogue is up to date, and English staying English for every browser."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from project import i18n_lint
from project.i18n_lint import check_catalogue, check_templates, msgids


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


def test_a_new_string_makes_the_catalogue_stale(tmp_path: Path) -> None:
    copy = tmp_path / "code"
    shutil.copytree(
        i18n_lint.ROOT,
        copy,
        ignore=shutil.ignore_patterns(".*", "__pycache__", "*.sqlite3*", "static*", "tests"),
    )
    (copy / "templates" / "new.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody has translated" %}</p>'
    )

    problems = check_catalogue(copy)

    assert problems == [
        "project/locale/django.pot lacks 'A sentence nobody has translated': run `make messages`"
    ]


@pytest.mark.django_db
def test_a_browser_asking_for_another_language_still_gets_english() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="gd, fr;q=0.8")

    assert response.status_code == 200
    assert response["Content-Language"] == "en-gb"
    assert "Working together, as equals" in response.content.decode()

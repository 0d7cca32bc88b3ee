"""Answers checked question by question, each kind by its own field: the same rules whether a
page or a service is handed them, every problem shown at once, and nothing saved."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.factories import ChoiceQuestionFactory, FormFactory, QuestionFactory
from workshops.evaluation.answers import clean_answers
from workshops.evaluation.models import Question, Response

pytestmark = pytest.mark.django_db


def questionnaire(programme: Any) -> dict[str, Any]:
    """One question of each kind the builder makes, each needing an answer."""
    form = FormFactory(programme=programme)
    return {
        "rating": QuestionFactory(form=form, text="How was it?"),
        "single": ChoiceQuestionFactory(
            form=form, text="How did you travel?", options=["Bus", "Car"]
        ),
        "multiple": ChoiceQuestionFactory(
            form=form, kind="multiple", text="What helped?", options=["Lunch", "Taxi"]
        ),
        "text": QuestionFactory(form=form, kind="text", text="Anything else?"),
    }


def option(question: Question, text: str) -> str:
    return str(question.choices.get(text=text).pk)


def good(qs: dict[str, Any]) -> dict[str, Any]:
    return {
        qs["rating"].field_name: "4",
        qs["single"].field_name: option(qs["single"], "Bus"),
        qs["multiple"].field_name: [
            option(qs["multiple"], "Taxi"),
            option(qs["multiple"], "Lunch"),
        ],
        qs["text"].field_name: "  A bench by the door  ",
    }


def test_each_kind_is_cleaned_to_what_is_saved(programme: Any) -> None:
    qs = questionnaire(programme)
    cleaned = clean_answers(form=qs["rating"].form, answers=good(qs))
    multiple = sorted(c.pk for c in qs["multiple"].choices.all())
    assert cleaned == {
        qs["rating"].pk: (4, "", []),
        qs["single"].pk: (None, "", [int(option(qs["single"], "Bus"))]),
        qs["multiple"].pk: (None, "", multiple),
        qs["text"].pk: (None, "A bench by the door", []),
    }


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("rating", "", "Choose an answer for: How was it?"),
        ("rating", "6", "Choose an answer from 1 to 5 for: How was it?"),
        ("rating", "four", "Choose an answer from 1 to 5 for: How was it?"),
        ("rating", ["4", "5"], "Give one answer for: How was it?"),
        ("single", "999999", "Choose one of the options given for: How did you travel?"),
        ("single", "", "Choose an answer for: How did you travel?"),
        ("multiple", ["999999"], "Choose from the options given for: What helped?"),
        ("multiple", [], "Choose at least one option for: What helped?"),
        ("text", "", "Answer: Anything else?"),
        ("text", "x" * 2001, "Keep it under 2,000 characters"),
        ("text", "bell \x07", "Remove the hidden control characters"),
    ],
)
def test_a_wrong_answer_is_refused_by_a_service_and_by_the_page_alike(
    programme: Any, person: Any, kind: str, value: Any, message: str
) -> None:
    qs = questionnaire(programme)
    answers = {**good(qs), qs[kind].field_name: value}
    with pytest.raises(ValidationError) as refused:
        clean_answers(form=qs[kind].form, answers=answers)
    ((name, (said,)),) = refused.value.message_dict.items()
    assert name == qs[kind].field_name and said.startswith(message)
    client = Client()
    client.force_login(person)
    page = client.post(reverse("form_answer", args=[qs[kind].form_id]), answers)
    assert page.status_code == 400
    assert f'<a href="#{qs[kind].field_name}-group">{escape(said)}</a>' in page.content.decode()
    assert not Response.objects.exists()


def test_an_optional_question_left_empty_is_not_saved(programme: Any) -> None:
    form = FormFactory(programme=programme)
    optional = [
        QuestionFactory(form=form, required=False),
        ChoiceQuestionFactory(form=form, required=False),
        ChoiceQuestionFactory(form=form, kind="multiple", required=False),
        QuestionFactory(form=form, kind="text", required=False),
    ]
    assert clean_answers(form=form, answers={q.field_name: "" for q in optional}) == {}


def test_the_page_shows_every_problem_at_once(programme: Any, person: Any) -> None:
    qs = questionnaire(programme)
    client = Client()
    client.force_login(person)
    page = client.post(reverse("form_answer", args=[qs["rating"].form_id]), {}).content.decode()
    for question in qs.values():
        assert f'href="#{question.field_name}-group"' in page
        assert f'govuk-form-group--error" id="{question.field_name}-group"' in page

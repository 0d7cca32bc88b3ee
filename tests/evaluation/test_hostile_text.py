"""Text typed into the evaluation pages (form builder, answers, feedback, licences, actions):
control characters and over-long text are refused with a clear message and change nothing."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from boards import services as boards
from boards.models import Card
from tests.factories import ActivityFactory, ChoiceQuestionFactory, FormFactory, QuestionFactory
from tests.hostile import REFUSED_ON_ONE_LINE, REFUSED_STRINGS, refused_message, short_id
from workshops.evaluation import services
from workshops.evaluation.models import (
    ActionPoint,
    Answer,
    Choice,
    Form,
    InstrumentLicence,
    Question,
    Response,
)

pytestmark = pytest.mark.django_db


def snapshot() -> list[Any]:
    """Everything these pages could change."""
    return [
        list(Form.objects.values_list("pk", "title", "closes_at", "anonymous").order_by("pk")),
        list(Question.objects.values_list("pk", "text", "help_text").order_by("pk")),
        list(Choice.objects.values_list("pk", "text").order_by("pk")),
        list(InstrumentLicence.objects.values_list("pk", "licence_holder", "reference")),
        list(ActionPoint.objects.values_list("pk", "title", "status", "progress_note")),
        Response.objects.count(),
        Answer.objects.count(),
    ]


Case = Callable[[Any, str], tuple[str, dict[str, Any]]]


def _licence_holder(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    data = {"what": "licence", "instrument": "wemwbs", "licence_holder": text, "reference": "R1"}
    return reverse("wellbeing", args=[w.programme.pk]), data


def _licence_reference(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    data = {"what": "licence", "instrument": "wemwbs", "licence_holder": "NHS", "reference": text}
    return reverse("wellbeing", args=[w.programme.pk]), data


def _new_form_title(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    return reverse("forms", args=[w.programme.pk]), {"title": text}


def _form_settings_title(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    return reverse("form_settings", args=[w.form.pk]), {"title": text}


def _question_text(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    return reverse("form_build", args=[w.form.pk]), {"kind": "rating", "text": text}


def _question_help(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    data = {"kind": "rating", "text": "Was it useful?", "help_text": text}
    return reverse("form_build", args=[w.form.pk]), data


def _question_options(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    data = {"kind": "single", "text": "Travel?", "options": f"Bus\nCar\n{text}"}
    return reverse("form_build", args=[w.form.pk]), data


def _reworded_question(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    url = reverse("question_edit", args=[w.form.pk, w.choice_question.pk])
    return url, {"what": "update", "text": text}


def _reworded_option(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    url = reverse("question_edit", args=[w.form.pk, w.choice_question.pk])
    choice = w.choice_question.choices.first()
    return url, {"what": "update", "text": "Travel?", f"choice-{choice.pk}": text}


def _added_option(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    url = reverse("question_edit", args=[w.form.pk, w.choice_question.pk])
    return url, {"what": "update", "text": "Travel?", "added": text}


def _action_title(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    return reverse("actions", args=[w.programme.pk]), {"title": text, "ideas": [str(w.card.uid)]}


def _progress_note(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    data = {"what": "update", "action": w.action.pk, "status": "done", "progress_note": text}
    return reverse("actions", args=[w.programme.pk]), data


def _form_answer(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    return reverse("form_answer", args=[w.form.pk]), {f"q{w.text_question.pk}": text}


def _feedback_answer(w: Any, text: str) -> tuple[str, dict[str, Any]]:
    feedback = w.feedback
    data = {f"q{q.pk}": "4" for q in feedback.questions.filter(kind=Question.Kind.RATING)}
    free = feedback.questions.filter(kind=Question.Kind.TEXT).first()
    data[f"q{free.pk}"] = text
    return reverse("session_feedback", args=[w.session.pk]), data


# (case, whether the field is one line)
CASES: list[tuple[Case, bool]] = [
    (_licence_holder, True),
    (_licence_reference, True),
    (_new_form_title, True),
    (_form_settings_title, True),
    (_question_text, True),
    (_question_help, True),
    (_question_options, False),
    (_reworded_question, True),
    (_reworded_option, True),
    (_added_option, False),
    (_action_title, True),
    (_progress_note, True),
    (_form_answer, False),
    (_feedback_answer, False),
]


class World:
    """A programme with a custom form, its questions, an idea and an action."""

    def __init__(self, session: Any, facilitator: Any, person: Any) -> None:
        self.session = session
        self.programme = session.programme
        self.form = FormFactory(programme=self.programme)
        self.feedback = services.feedback_form_for(session=session)
        self.choice_question = ChoiceQuestionFactory(form=self.form, text="Travel?", order=0)
        self.text_question = QuestionFactory(
            form=self.form, kind=Question.Kind.TEXT, text="Anything else?", order=1
        )
        activity = ActivityFactory(session=session, kind="board", title="Ideas board")
        board = boards.board_create(activity=activity, by=None)
        self.card = Card.objects.create(
            board=board,
            column=board.columns.first(),
            author=person,
            text="Taxis",
            client_id=uuid.uuid4(),
        )
        self.action = services.action_point_create(
            programme=self.programme,
            title="Arrange taxis",
            card_uids=[str(self.card.uid)],
        )


def hostile_cases() -> list[Any]:
    cases = []
    for case, one_line in CASES:
        for text in REFUSED_STRINGS + (REFUSED_ON_ONE_LINE if one_line else []):
            cases.append(pytest.param(case, text, id=f"{case.__name__[1:]}-{short_id(text)}"))
    return cases


@pytest.mark.parametrize(("case", "text"), hostile_cases())
def test_hostile_text_is_refused_clearly_and_changes_nothing(
    live_session: Any, organiser: Any, facilitator: Any, person: Any, case: Case, text: str
) -> None:
    from participants.models import Membership

    Membership.objects.filter(user=organiser).update(role="organiser")
    world = World(live_session, facilitator, person)
    client = Client()
    client.force_login(organiser)
    before = snapshot()
    url, data = case(world, text)
    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    expected = refused_message(text) if text in REFUSED_STRINGS else "one line"
    assert expected in page
    assert snapshot() == before

"""The form builder: question kinds, options, required, order, and what editing may never do."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import ChoiceQuestionFactory, FormFactory, QuestionFactory, SessionFactory
from workshops.evaluation import services
from workshops.evaluation.models import Answer, Choice, Form, Question

pytestmark = pytest.mark.django_db


def test_building_a_form_with_every_kind_in_order(programme: Any) -> None:
    form = services.form_create(programme=programme, title="  Getting here  ")
    assert form.kind == Form.Kind.CUSTOM and form.title == "Getting here"
    services.question_add(form=form, kind="rating", text="The venue was easy to reach")
    services.question_add(
        form=form,
        kind="single",
        text="How did you travel?",
        help_text="Pick the main one",
        options=["Bus", " Car ", "", "Walked"],
    )
    services.question_add(
        form=form, kind="multiple", text="What helped?", options=["Taxi paid", "Lift"]
    )
    services.question_add(form=form, kind="text", text="Anything else?", required=False)
    questions = list(form.questions.all())
    assert [q.kind for q in questions] == ["rating", "single", "multiple", "text"]
    assert [q.order for q in questions] == [0, 1, 2, 3]
    assert list(questions[1].choices.values_list("text", flat=True)) == ["Bus", "Car", "Walked"]
    assert questions[1].help_text == "Pick the main one"
    assert questions[3].required is False


@pytest.mark.parametrize(
    ("kind", "text", "options", "message"),
    [
        ("single", "Travel?", ["Bus"], "at least two"),
        ("multiple", "Travel?", ["Bus", "bus"], "different"),
        ("single", "Travel?", [f"o{i}" for i in range(21)], "at most 20"),
        ("single", "Travel?", ["x" * 121, "y"], "under 120"),
        ("item", "Sneaky instrument item", [], "kind of question"),
        ("rating", "   ", [], "Enter the question"),
        ("rating", "x" * 201, [], "under 200"),
    ],
)
def test_bad_questions_are_refused_and_nothing_saved(
    programme: Any, kind: str, text: str, options: list[str], message: str
) -> None:
    form = FormFactory(programme=programme)
    with pytest.raises(ValidationError, match=message):
        services.question_add(form=form, kind=kind, text=text, options=options)
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_a_custom_form_for_another_programmes_session_or_closing_in_the_past_is_refused(
    programme: Any, other_programme: Any
) -> None:
    with pytest.raises(ValidationError, match="session of this programme"):
        services.form_create(
            programme=programme, title="X", session=SessionFactory(programme=other_programme)
        )
    with pytest.raises(ValidationError, match="future"):
        services.form_create(
            programme=programme, title="X", closes_at=timezone.now() - timedelta(hours=1)
        )
    assert not Form.objects.exists()


def test_moving_questions_up_and_down(programme: Any) -> None:
    form = FormFactory(programme=programme)
    a, _b, c = (services.question_add(form=form, kind="rating", text=t) for t in "abc")
    services.question_move(question=c, up=True)
    assert list(form.questions.values_list("text", flat=True)) == ["a", "c", "b"]
    services.question_move(question=a, up=True)  # already first: nothing moves
    services.question_move(question=a, up=False)
    assert list(form.questions.values_list("text", flat=True)) == ["c", "a", "b"]
    assert list(form.questions.values_list("order", flat=True)) == [0, 1, 2]


def test_instrument_forms_cannot_be_edited(programme: Any, organiser: Any) -> None:
    services.licence_record(
        programme=programme,
        instrument="swemwbs",
        licence_holder="NHS",
        reference="r",
        licensed_on=timezone.localdate(),
        by=organiser,
    )
    form = services.instrument_form_create(
        programme=programme, instrument="swemwbs", timepoint="baseline"
    )
    item = form.questions.first()
    assert item is not None
    before = list(form.questions.values_list("order", "text"))
    for attempt in (
        lambda: services.question_add(form=form, kind="rating", text="Extra"),
        lambda: services.question_update(question=item, text="Reworded"),
        lambda: services.question_move(question=item, up=False),
        lambda: services.question_remove(question=item),
    ):
        with pytest.raises(ValidationError, match="as published"):
            attempt()
    assert list(form.questions.values_list("order", "text")) == before


def answered(question: Question, person: Any, **answer: Any) -> None:
    services.response_submit(form=question.form, person=person, answers=answer)


def test_answered_questions_can_be_reworded_but_not_removed(programme: Any, person: Any) -> None:
    question = ChoiceQuestionFactory(form__programme=programme, options=["Yes", "No", "Maybe"])
    yes, _no, maybe = question.choices.all()
    answered(question, person, **{question.field_name: str(yes.pk)})
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.question_remove(question=question)
    with pytest.raises(ValidationError, match="Someone chose “Yes”"):
        services.question_update(question=question, text="Coming?", removed=[yes.pk])
    services.question_update(
        question=question,
        text="Are you coming?",
        required=False,
        reworded={yes.pk: "Yes, I am"},
        removed=[maybe.pk],
        added=["Later"],
    )
    question.refresh_from_db()
    assert question.text == "Are you coming?" and not question.required
    assert list(question.choices.values_list("text", flat=True)) == ["Yes, I am", "No", "Later"]
    answer = Answer.objects.get()
    assert list(answer.choices.values_list("text", flat=True)) == ["Yes, I am"]


def test_options_of_another_question_cannot_be_edited_through_this_one(programme: Any) -> None:
    question = ChoiceQuestionFactory(form__programme=programme)
    other = ChoiceQuestionFactory(form=question.form)
    stranger = other.choices.first()
    assert stranger is not None
    with pytest.raises(ValidationError, match="not part of this question"):
        services.question_update(question=question, text="Q", removed=[stranger.pk])
    assert Choice.objects.filter(pk=stranger.pk).exists()


def test_unanswered_questions_can_be_removed(programme: Any) -> None:
    question = QuestionFactory(form__programme=programme)
    services.question_remove(question=question)
    assert not Question.objects.exists()


def test_feedback_questions_are_edited_per_programme_and_copied_into_new_sessions(
    programme: Any, other_programme: Any
) -> None:
    template = services.feedback_template_for(programme=programme)
    assert services.feedback_template_for(programme=programme) == template
    assert [q.text for q in template.questions.all()] == [
        *services.DEFAULT_FEEDBACK_RATINGS,
        *services.DEFAULT_FEEDBACK_TEXT,
    ]
    first = template.questions.first()
    assert first is not None
    services.question_update(question=first, text="I felt heard", help_text="By everyone")
    services.question_add(
        form=template, kind="single", text="Will you come back?", options=["Yes", "No"]
    )
    form = services.feedback_form_for(session=SessionFactory(programme=programme))
    texts = [q.text for q in form.questions.all()]
    assert texts[0] == "I felt heard" and texts[-1] == "Will you come back?"
    assert form.questions.get(text="I felt heard").help_text == "By everyone"
    assert list(
        form.questions.get(text="Will you come back?").choices.values_list("text", flat=True)
    ) == ["Yes", "No"]
    # The session's copy is its own: editing the programme's questions later leaves it alone.
    services.question_update(question=first, text="Changed again")
    assert form.questions.filter(text="I felt heard").exists()
    # Another programme keeps the defaults.
    elsewhere = services.feedback_form_for(session=SessionFactory(programme=other_programme))
    assert elsewhere.questions.first().text == "I felt listened to"  # type: ignore[union-attr]


def test_the_feedback_questions_themselves_are_never_answered(programme: Any, person: Any) -> None:
    template = services.feedback_template_for(programme=programme)
    with pytest.raises(ValidationError, match="each session's feedback form"):
        services.response_submit(form=template, person=person, answers={})


def test_a_custom_forms_settings_change_and_bad_settings_change_nothing(
    programme: Any, person: Any
) -> None:
    form = FormFactory(programme=programme, title="Getting here")
    later = timezone.now() + timedelta(days=30)
    services.form_settings_update(form=form, title=" Travel ", anonymous=True, closes_at=later)
    form.refresh_from_db()
    assert (form.title, form.anonymous, form.closes_at) == ("Travel", True, later)
    for title, closes_at, message in [
        ("", None, "Enter a title"),
        ("x" * 121, None, "under 120"),
        ("Travel", timezone.now() - timedelta(hours=1), "future"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.form_settings_update(
                form=form, title=title, anonymous=False, closes_at=closes_at
            )
        form.refresh_from_db()
        assert (form.title, form.anonymous, form.closes_at) == ("Travel", True, later)


def test_anonymity_cannot_change_once_someone_has_answered(programme: Any, person: Any) -> None:
    for anonymous in (False, True):
        question = QuestionFactory(form__programme=programme, form__anonymous=anonymous)
        form = question.form
        services.response_submit(form=form, person=person, answers={question.field_name: "4"})
        with pytest.raises(ValidationError, match="cannot change now"):
            services.form_settings_update(
                form=form, title="Renamed", anonymous=not anonymous, closes_at=None
            )
        form.refresh_from_db()
        assert form.anonymous is anonymous and form.title != "Renamed"
        # Everything else can still change.
        services.form_settings_update(
            form=form, title="Renamed", anonymous=anonymous, closes_at=None
        )
        form.refresh_from_db()
        assert form.title == "Renamed"


def test_closing_a_form_now_stops_answers_and_a_later_date_reopens_it(
    programme: Any, person: Any
) -> None:
    question = QuestionFactory(form__programme=programme)
    form = question.form
    services.form_close(form=form)
    form.refresh_from_db()
    assert not form.is_open
    with pytest.raises(ValidationError, match="closed already"):
        services.form_close(form=form)
    with pytest.raises(ValidationError):
        services.response_submit(form=form, person=person, answers={question.field_name: "4"})
    # Saving with the date it closed on keeps it closed; a later date opens it again.
    services.form_settings_update(
        form=form, title=form.title, anonymous=False, closes_at=form.closes_at
    )
    form.refresh_from_db()
    assert not form.is_open
    services.form_settings_update(
        form=form, title=form.title, anonymous=False, closes_at=timezone.now() + timedelta(days=1)
    )
    form.refresh_from_db()
    assert form.is_open
    services.response_submit(form=form, person=person, answers={question.field_name: "4"})


def test_only_custom_forms_have_settings(programme: Any) -> None:
    template = services.feedback_template_for(programme=programme)
    with pytest.raises(ValidationError, match="built for this programme"):
        services.form_settings_update(form=template, title="X", anonymous=True, closes_at=None)
    with pytest.raises(ValidationError, match="built for this programme"):
        services.form_close(form=template)
    template.refresh_from_db()
    assert template.title == "Feedback questions" and template.closes_at is None

"""Feedback and measures: one response each, changeable until closed; anonymity; licences;
pairing baseline and follow-up; report figures equal the answers."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Role
from tests.factories import (
    ChoiceQuestionFactory,
    FormFactory,
    MembershipFactory,
    UserFactory,
)
from workshops.evaluation import selectors, services
from workshops.evaluation.models import Answer, Form, Question, Response, ResponseReceipt

pytestmark = pytest.mark.django_db


def rate_all(form: Form, value: int, **extra: str) -> dict[str, str]:
    data = {f"q{q.pk}": str(value) for q in form.questions.filter(kind="rating")}
    data.update(extra)
    return data


def test_one_response_per_person_changeable_until_it_closes(live_session: Any, person: Any) -> None:
    form = services.feedback_form_for(session=live_session)
    services.response_submit(form=form, person=person, answers=rate_all(form, 3))
    services.response_submit(form=form, person=person, answers=rate_all(form, 5))
    assert Response.objects.filter(form=form).count() == 1
    assert set(Answer.objects.values_list("number", flat=True)) == {5}
    form.closes_at = timezone.now() - timedelta(minutes=1)
    form.save()
    with pytest.raises(ValidationError, match="closed"):
        services.response_submit(form=form, person=person, answers=rate_all(form, 1))
    assert set(Answer.objects.values_list("number", flat=True)) == {5}


@pytest.mark.parametrize("value", ["0", "6", "-1", "abc", "3.5"])
def test_out_of_range_answers_are_refused_and_nothing_saved(
    live_session: Any, person: Any, value: str
) -> None:
    form = services.feedback_form_for(session=live_session)
    data = rate_all(form, 3)
    data[next(iter(data))] = value
    with pytest.raises(ValidationError):
        services.response_submit(form=form, person=person, answers=data)
    assert not Response.objects.exists()


def test_missing_required_answers_are_refused(live_session: Any, person: Any) -> None:
    form = services.feedback_form_for(session=live_session)
    with pytest.raises(ValidationError):
        services.response_submit(form=form, person=person, answers={})
    assert not Response.objects.exists()


def test_someone_outside_the_programme_cannot_answer(live_session: Any, outsider: Any) -> None:
    form = services.feedback_form_for(session=live_session)
    with pytest.raises(ValidationError):
        services.response_submit(form=form, person=outsider, answers=rate_all(form, 4))


def test_anonymous_answers_cannot_be_traced(live_session: Any, person: Any, organiser: Any) -> None:
    form = services.feedback_form_for(session=live_session, anonymous=True)
    services.response_submit(
        form=form,
        person=person,
        answers=rate_all(
            form, 2, **{f"q{form.questions.get(text='What worked well?').pk}": "The tea"}
        ),
    )
    response = Response.objects.get()
    assert response.person_id is None and response.supported_by_id is None
    assert ResponseReceipt.objects.filter(person=person).exists()
    assert not hasattr(ResponseReceipt, "response")
    with pytest.raises(ValidationError, match="already answered"):
        services.response_submit(form=form, person=person, answers=rate_all(form, 4))
    client = Client()
    client.force_login(organiser)
    for url in (
        reverse("programme_report", args=[live_session.programme_id]),
        reverse("programme_report_csv", args=[live_session.programme_id]),
    ):
        body = client.get(url).content.decode()
        assert "The tea" in body and person.display_name not in body


def test_an_instrument_needs_its_licence(programme: Any, organiser: Any) -> None:
    with pytest.raises(ValidationError, match="licence"):
        services.instrument_form_create(
            programme=programme, instrument="wemwbs", timepoint="baseline"
        )
    services.licence_record(
        programme=programme,
        instrument="wemwbs",
        licence_holder="NHS Fife",
        reference="WEM-123",
        licensed_on=timezone.localdate(),
        by=organiser,
    )
    form = services.instrument_form_create(
        programme=programme, instrument="wemwbs", timepoint="baseline"
    )
    assert form.questions.count() == 14
    assert form.questions.first().text == "I've been feeling optimistic about the future"


def measure_for(programme: Any, organiser: Any, timepoint: str) -> Form:
    from workshops.evaluation.models import InstrumentLicence

    if not InstrumentLicence.objects.filter(programme=programme).exists():
        services.licence_record(
            programme=programme,
            instrument="wemwbs",
            licence_holder="x",
            reference="y",
            licensed_on=timezone.localdate(),
            by=organiser,
        )
    return services.instrument_form_create(
        programme=programme, instrument="wemwbs", timepoint=timepoint
    )


def answer(form: Form, person: Any, total: int) -> None:
    from tests.evaluation.test_instruments import answers_summing_to

    by_item = answers_summing_to(total, list(range(1, 15)))
    data = {f"q{q.pk}": str(by_item[q.item_number or 0]) for q in form.questions.all()}
    services.response_submit(form=form, person=person, answers=data)


def test_pairing_baseline_and_follow_up_with_hand_computed_change(
    programme: Any, organiser: Any
) -> None:
    baseline, follow_up = (
        measure_for(programme, organiser, "baseline"),
        measure_for(programme, organiser, "follow_up"),
    )
    people = []
    for _ in range(4):
        user = UserFactory()
        MembershipFactory(user=user, programme=programme, role=Role.CARER)
        people.append(user)
    # (baseline, follow-up): +6, +2, -4; the fourth has no follow-up and is not paired.
    for user, (b, f) in zip(people, [(40, 46), (50, 52), (45, 41)], strict=False):
        answer(baseline, user, b)
        answer(follow_up, user, f)
    answer(baseline, people[3], 30)
    change = selectors.paired_change(programme=programme)
    assert change.n == 3
    assert change.mean_baseline == Decimal("45.0") and change.mean_follow_up == Decimal("46.3")
    assert change.mean_change == Decimal("1.3")  # (6 + 2 - 4) / 3 = 1.33
    assert (change.improved, change.worse) == (1, 1)
    assert change.share_improved == Decimal("33.3")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=12))
def test_report_distribution_equals_the_answers(live_session: Any, values: list[int]) -> None:
    Response.objects.all().delete()
    form = services.feedback_form_for(session=live_session)
    for value in values:
        user = UserFactory()
        MembershipFactory(user=user, programme=live_session.programme, role=Role.CARER)
        services.response_submit(form=form, person=user, answers=rate_all(form, value))
    summary = selectors.feedback_summary(programme=live_session.programme)
    first = summary[0]
    assert first.counts == [values.count(v) for v in range(1, 6)]
    assert first.n == len(values)
    assert first.mean == (Decimal(sum(values)) / len(values)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    bars = [int(v) for _, v in first.chart.bars]
    assert bars == first.counts


@pytest.mark.django_db(transaction=True)
def test_every_phone_asking_for_the_form_at_once_gets_the_same_one(live_session: Any) -> None:
    from tests.helpers import race

    outcomes = race(*(lambda: services.feedback_form_for(session=live_session) for _ in range(3)))
    assert outcomes == ["done", "done", "done"]
    assert Form.objects.filter(session=live_session, kind="feedback").count() == 1


def choice_form(programme: Any, **form: Any) -> tuple[Any, Any, Any]:
    """A custom form: a required single choice and an optional multiple choice."""
    custom = FormFactory(programme=programme, **form)
    single = ChoiceQuestionFactory(
        form=custom, text="How did you get here?", options=["Bus", "Car"]
    )
    multiple = ChoiceQuestionFactory(
        form=custom,
        kind="multiple",
        required=False,
        text="What would help?",
        options=["Earlier start", "Lunch", "Parking"],
    )
    return custom, single, multiple


def pks(question: Question, *texts: str) -> list[str]:
    return [str(question.choices.get(text=t).pk) for t in texts]


def test_choice_answers_point_at_the_options_chosen(programme: Any, person: Any) -> None:
    custom, single, multiple = choice_form(programme)
    services.response_submit(
        form=custom,
        person=person,
        answers={
            single.field_name: pks(single, "Car"),
            multiple.field_name: pks(multiple, "Lunch", "Parking", "Lunch"),
        },
    )
    by_question = {a.question_id: a for a in Answer.objects.prefetch_related("choices")}
    assert [c.text for c in by_question[single.pk].choices.all()] == ["Car"]
    assert sorted(c.text for c in by_question[multiple.pk].choices.all()) == ["Lunch", "Parking"]
    # Changing the answer replaces the choices, and an optional question can be left out.
    services.response_submit(
        form=custom, person=person, answers={single.field_name: pks(single, "Bus")}
    )
    assert list(Answer.objects.values_list("choices__text", flat=True)) == ["Bus"]


@pytest.mark.parametrize(
    "bad",
    [
        {},  # the single choice is required
        {"single": ["Bus", "Car"]},  # two answers to a single choice
        {"single": ["999999"]},  # not an option
        {"single": ["abc"]},
        {"single": ["Bus"], "multiple": ["Lunch", "999999"]},
        {"single": ["Bus"], "multiple": ["other-question"]},
    ],
)
def test_unknown_options_and_missing_required_choices_are_refused(
    programme: Any, person: Any, bad: dict[str, list[str]]
) -> None:
    custom, single, multiple = choice_form(programme)
    other = ChoiceQuestionFactory(form=FormFactory(programme=programme))
    named = {"Bus": pks(single, "Bus")[0], "Car": pks(single, "Car")[0]}
    named["Lunch"] = pks(multiple, "Lunch")[0]
    named["other-question"] = str(other.choices.values_list("pk", flat=True).first())
    answers = {
        (single if key == "single" else multiple).field_name: [named.get(v, v) for v in values]
        for key, values in bad.items()
    }
    with pytest.raises(ValidationError):
        services.response_submit(form=custom, person=person, answers=answers)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_closed_custom_form_refuses_answers(programme: Any, person: Any) -> None:
    custom, single, _ = choice_form(programme)
    services.response_submit(
        form=custom, person=person, answers={single.field_name: pks(single, "Bus")}
    )
    Form.objects.filter(pk=custom.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    custom.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.response_submit(
            form=custom, person=person, answers={single.field_name: pks(single, "Car")}
        )
    assert list(Answer.objects.values_list("choices__text", flat=True)) == ["Bus"]


def test_an_anonymous_custom_form_keeps_no_person_and_no_helper(
    programme: Any, person: Any, facilitator: Any
) -> None:
    custom, single, _multiple = choice_form(programme, anonymous=True)
    services.response_submit(
        form=custom,
        person=person,
        answers={single.field_name: pks(single, "Car")},
        supported_by=facilitator,
    )
    response = Response.objects.get()
    assert response.person_id is None and response.supported_by_id is None
    assert response.supported
    assert ResponseReceipt.objects.get().person == person
    with pytest.raises(ValidationError, match="already answered"):
        services.response_submit(
            form=custom, person=person, answers={single.field_name: pks(single, "Bus")}
        )
    assert Response.objects.count() == 1


def test_a_supported_response_records_the_helper(
    programme: Any, person: Any, facilitator: Any, outsider: Any
) -> None:
    custom, single, _ = choice_form(programme)
    answers = {single.field_name: pks(single, "Bus")}
    with pytest.raises(ValidationError, match="someone else in the programme"):
        services.response_submit(form=custom, person=person, answers=answers, supported_by=outsider)
    with pytest.raises(ValidationError, match="someone else in the programme"):
        services.response_submit(form=custom, person=person, answers=answers, supported_by=person)
    services.response_submit(form=custom, person=person, answers=answers, supported=True)
    response = Response.objects.get()
    assert response.supported and response.supported_by is None
    services.response_submit(form=custom, person=person, answers=answers, supported_by=facilitator)
    response.refresh_from_db()
    assert response.supported and response.supported_by == facilitator

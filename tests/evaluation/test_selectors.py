"""Report figures come from the stored answers: choice counts equal the answers, in few queries."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Role
from tests.factories import ChoiceQuestionFactory, FormFactory, MembershipFactory, UserFactory
from workshops.evaluation import selectors, services
from workshops.evaluation.models import Form, Response

pytestmark = pytest.mark.django_db

OPTIONS = ["Bus", "Car", "Walked", "Lift"]
answers_strategy = st.lists(
    st.tuples(
        st.sampled_from(OPTIONS),
        st.sets(st.sampled_from(OPTIONS)),
    ),
    min_size=0,
    max_size=10,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=answers_strategy)
def test_choice_counts_equal_the_answers(
    programme: Any, people: list[tuple[str, set[str]]]
) -> None:
    Form.objects.all().delete()
    form: Any = FormFactory(programme=programme)
    single = ChoiceQuestionFactory(form=form, options=OPTIONS)
    multiple = ChoiceQuestionFactory(form=form, kind="multiple", required=False, options=OPTIONS)
    pk = {q.pk: {c.text: str(c.pk) for c in q.choices.all()} for q in (single, multiple)}
    for one, several in people:
        user = UserFactory()
        MembershipFactory(user=user, programme=programme, role=Role.CARER)
        services.response_submit(
            form=form,
            person=user,
            answers={
                single.field_name: pk[single.pk][one],
                multiple.field_name: [pk[multiple.pk][t] for t in several],
            },
        )
    [result] = selectors.form_results(forms=[form])
    assert result.responses == len(people) == Response.objects.count()
    by_question = {r.question.pk: r for r in result.questions}
    single_bars = dict(by_question[single.pk].chart.bars)  # type: ignore[union-attr]
    multiple_bars = dict(by_question[multiple.pk].chart.bars)  # type: ignore[union-attr]
    for option in OPTIONS:
        assert single_bars[option] == sum(1 for one, _ in people if one == option)
        assert multiple_bars[option] == sum(1 for _, several in people if option in several)
    assert by_question[single.pk].n == len(people)
    assert by_question[multiple.pk].n == sum(1 for _, several in people if several)
    assert list(single_bars) == OPTIONS  # in the builder's order, options nobody chose too


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_builder_and_the_programme_report_take_a_fixed_number_of_queries(
    programme: Any, organiser: Any, person: Any, django_assert_max_num_queries: Any
) -> None:
    form = FormFactory(programme=programme)
    client = Client()
    client.force_login(organiser)
    build = reverse("form_build", args=[form.pk])
    report = reverse("programme_report", args=[programme.pk])
    ChoiceQuestionFactory(form=form, required=False)
    few = (queries(client, build), queries(client, report))
    for _ in range(8):
        question = ChoiceQuestionFactory(form=form, kind="multiple", required=False)
        services.response_submit(
            form=form,
            person=person,
            answers={question.field_name: [str(c.pk) for c in question.choices.all()]},
        )
    FormFactory(programme=programme)
    assert (queries(client, build), queries(client, report)) == few
    with django_assert_max_num_queries(12):
        client.get(build)

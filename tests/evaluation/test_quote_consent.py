"""Reports quote people's written answers only where they said yes to quotes."""

from typing import Any

import pytest

from participants.models import Consent, Role
from tests.factories import FormFactory, MembershipFactory, QuestionFactory, UserFactory
from workshops.evaluation import selectors, services

pytestmark = pytest.mark.django_db


def person(programme: Any, name: str, *, quotes: bool) -> Any:
    user = UserFactory(display_name=name)
    membership = MembershipFactory(user=user, programme=programme, role=Role.CARER)
    Consent.objects.create(
        membership=membership, take_part=True, quotes=quotes, contact=True, photos=True
    )
    return user


def written_answers(programme: Any, *, anonymous: bool, said: dict[Any, str]) -> Any:
    form: Any = FormFactory(programme=programme, anonymous=anonymous, title="Getting here")
    text = QuestionFactory(form=form, kind="text", required=False, text="Anything else?")
    for user, words in said.items():
        services.response_submit(form=form, person=user, answers={text.field_name: words})
    (result,) = selectors.form_results(forms=[form])
    return next(q for q in result.questions if q.question.pk == text.pk)


def test_a_named_answer_is_quoted_only_with_a_yes_to_quotes(programme: Any) -> None:
    yes = person(programme, "Jean", quotes=True)
    no = person(programme, "Tam", quotes=False)
    result = written_answers(programme, anonymous=False, said={yes: "Buses", no: "My daughter"})
    assert result.texts == ["Buses"]
    assert result.withheld == 1


def test_an_anonymous_forms_answers_are_withheld_if_anyone_who_answered_said_no(
    programme: Any,
) -> None:
    yes = person(programme, "Jean", quotes=True)
    no = person(programme, "Tam", quotes=False)
    result = written_answers(programme, anonymous=True, said={yes: "Buses", no: "My daughter"})
    assert result.texts == []
    assert result.withheld == 2


def test_an_anonymous_forms_answers_are_quoted_when_everyone_who_answered_said_yes(
    programme: Any,
) -> None:
    first = person(programme, "Jean", quotes=True)
    second = person(programme, "Tam", quotes=True)
    person(programme, "Agnes", quotes=False)  # did not answer: does not hold the form back
    result = written_answers(programme, anonymous=True, said={first: "Buses", second: "Tea"})
    assert result.texts == ["Buses", "Tea"]
    assert result.withheld == 0


def test_session_feedback_in_the_programme_report_keeps_to_consent(live_session: Any) -> None:
    programme = live_session.programme
    yes = person(programme, "Jean", quotes=True)
    no = person(programme, "Tam", quotes=False)
    form = services.feedback_form_for(session=live_session, anonymous=False)
    worked = form.questions.get(text="What worked well?")
    for user, words in ((yes, "The tea"), (no, "Seeing my friend Ann")):
        answers = {q.field_name: "4" for q in form.questions.filter(kind="rating")}
        services.response_submit(
            form=form, person=user, answers={**answers, worked.field_name: words}
        )
    assert [t for _, _, t in selectors.free_text(programme=programme)] == ["The tea"]

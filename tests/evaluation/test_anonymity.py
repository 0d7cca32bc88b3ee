"""Anonymous forms: nothing pairs a person with what they said, and no page tells who answered."""

import csv
import io
import re
from typing import Any
from uuid import UUID

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import Role
from tests.factories import (
    AttendanceFactory,
    ChoiceQuestionFactory,
    FormFactory,
    MembershipFactory,
    QuestionFactory,
    UserFactory,
)
from workshops.evaluation import selectors, services
from workshops.evaluation.models import Form, Response, ResponseReceipt

pytestmark = pytest.mark.django_db

# Written in this order, which is neither alphabetical nor its reverse.
SAID = ["Mango chutney", "Zebra crossing", "apple pie", "Oatcakes"]
SORTED = sorted(SAID, key=str.casefold)


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _people(programme: Any, n: int, session: Any = None) -> list[Any]:
    people = []
    for i in range(n):
        user = UserFactory(display_name=f"Answerer {i}")
        MembershipFactory(user=user, programme=programme, role=Role.CARER)
        if session is not None:
            AttendanceFactory(session=session, user=user)
        people.append(user)
    return people


def _anonymous_custom_form(programme: Any, session: Any = None) -> tuple[Any, Any, Any]:
    form = FormFactory(programme=programme, session=session, anonymous=True, title="Getting here")
    single = ChoiceQuestionFactory(form=form, text="How did you travel?", options=["Bus", "Car"])
    text = QuestionFactory(form=form, kind="text", required=False, text="Anything else?")
    return form, single, text


def _answer_custom(form: Form, single: Any, text: Any, people: list[Any]) -> None:
    bus = str(single.choices.get(text="Bus").pk)
    for user, said in zip(people, SAID, strict=True):
        services.response_submit(
            form=form, person=user, answers={single.field_name: bus, text.field_name: said}
        )


def _answer_feedback(session: Any, people: list[Any]) -> Form:
    form = services.feedback_form_for(session=session, anonymous=True)
    worked = form.questions.get(text="What worked well?")
    for user, said in zip(people, SAID, strict=True):
        answers = {q.field_name: "4" for q in form.questions.filter(kind="rating")}
        services.response_submit(
            form=form, person=user, answers={**answers, worked.field_name: f"{said}"}
        )
    return form


# 2. Anonymous answers are not listed in the order people answered.


def test_a_forms_written_answers_are_listed_by_text_not_by_when_they_were_given(
    programme: Any,
) -> None:
    form, single, text = _anonymous_custom_form(programme)
    _answer_custom(form, single, text, _people(programme, 4))
    (result,) = selectors.form_results(forms=[form])
    assert [q.texts for q in result.questions if q.question.pk == text.pk] == [SORTED]


def test_feedback_written_answers_are_listed_by_text_not_by_when_they_were_given(
    live_session: Any,
) -> None:
    _answer_feedback(live_session, _people(live_session.programme, 4, live_session))
    said = [t for _, q, t in selectors.free_text(programme=live_session.programme)]
    assert said == SORTED


def test_the_reports_and_their_csv_list_anonymous_answers_by_text(
    live_session: Any, organiser: Any, facilitator: Any
) -> None:
    programme = live_session.programme
    people = _people(programme, 4, live_session)
    _answer_feedback(live_session, people)
    form, single, text = _anonymous_custom_form(programme, session=live_session)
    _answer_custom(form, single, text, people)
    pages = [
        (organiser, reverse("programme_report", args=[programme.pk])),
        (organiser, reverse("programme_report_csv", args=[programme.pk])),
        (facilitator, reverse("session_report", args=[live_session.pk])),
        (facilitator, reverse("session_report_csv", args=[live_session.pk])),
    ]
    for user, url in pages:
        response = as_user(user).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if url.endswith("csv/"):
            rows = list(csv.reader(io.StringIO(body)))
            said = [row[2] for row in rows if row[2] in SAID]
            # The feedback's answers, then the form's: each list in alphabetical order.
            assert said == SORTED + SORTED, url
        else:
            assert body.count("Zebra crossing") == 2, url
            # Each text's first place on the page is in the first list.
            assert sorted(SAID, key=body.index) == SORTED, url
        for user_ in people:
            assert user_.display_name not in body, url


def test_a_receipt_holds_no_number_or_time_that_pairs_it_with_the_answers(
    programme: Any,
) -> None:
    form, single, text = _anonymous_custom_form(programme)
    _answer_custom(form, single, text, _people(programme, 4))
    receipts = list(ResponseReceipt.objects.all())
    assert len(receipts) == 4
    assert all(isinstance(r.pk, UUID) for r in receipts)
    assert not [
        f.name
        for f in ResponseReceipt._meta.get_fields()
        if isinstance(f, models.DateField | models.DateTimeField | models.AutoField)
    ]
    # The anonymous responses say only the day they were given.
    for response in Response.objects.filter(form=form):
        local = timezone.localtime(response.submitted_at)
        assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
        assert local.date() == timezone.localdate()


def test_a_named_response_keeps_its_exact_time(programme: Any, person: Any) -> None:
    form = FormFactory(programme=programme)
    question = QuestionFactory(form=form, kind="text", required=False)
    before = timezone.now()
    services.response_submit(form=form, person=person, answers={question.field_name: "Hi"})
    assert Response.objects.get().submitted_at >= before


# 3. "Who is answering?" never appears on an anonymous form.


def test_an_anonymous_form_offers_staff_no_choice_of_who_is_answering(
    programme: Any, facilitator: Any, person: Any
) -> None:
    form, _single, _text = _anonymous_custom_form(programme)
    page = as_user(facilitator).get(reverse("form_answer", args=[form.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Who is answering?" not in body and 'name="on_behalf_of"' not in body
    assert person.display_name not in body
    assert "I am filling this in for someone else" in body


def test_answering_an_anonymous_form_in_someones_name_is_refused_and_says_nothing(
    programme: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    form, single, _text = _anonymous_custom_form(programme)
    bus = str(single.choices.get(text="Bus").pk)
    services.response_submit(form=form, person=person, answers={single.field_name: bus})
    url = reverse("form_answer", args=[form.pk])
    client = as_user(facilitator)
    bodies = []
    for someone in (person, carer):  # one has answered, the other has not
        refused = client.post(url, {single.field_name: bus, "on_behalf_of": str(someone.pk)})
        assert refused.status_code == 400
        body = refused.content.decode()
        assert "never saved in anyone" in body
        bodies.append(re.sub(r"[A-Za-z0-9+/=_-]{22,}", "", body))  # tokens and nonces
    assert bodies[0] == bodies[1]
    assert Response.objects.count() == 1
    assert list(ResponseReceipt.objects.values_list("person", flat=True)) == [person.pk]


def test_a_supported_anonymous_response_is_saved_with_no_person_and_no_receipt(
    programme: Any, facilitator: Any, person: Any
) -> None:
    form, single, text = _anonymous_custom_form(programme)
    bus = str(single.choices.get(text="Bus").pk)
    url = reverse("form_answer", args=[form.pk])
    client = as_user(facilitator)
    for said in ("For Jean", "For Tam"):
        sent = client.post(
            url, {single.field_name: bus, text.field_name: said, "for_someone_else": "1"}
        )
        assert sent.status_code == 302
    assert Response.objects.filter(person=None, supported=True, supported_by=None).count() == 2
    assert not ResponseReceipt.objects.exists()
    # The facilitator can still give their own answer, once.
    client.post(url, {single.field_name: bus})
    assert list(ResponseReceipt.objects.values_list("person", flat=True)) == [facilitator.pk]
    assert "Who is answering?" not in client.get(url).content.decode()


def test_only_staff_can_send_a_supported_anonymous_response(
    programme: Any, facilitator: Any, carer: Any
) -> None:
    form, single, _text = _anonymous_custom_form(programme)
    bus = str(single.choices.get(text="Bus").pk)
    url = reverse("form_answer", args=[form.pk])
    refused = as_user(carer).post(url, {single.field_name: bus, "for_someone_else": "1"})
    assert refused.status_code == 400
    assert not Response.objects.exists()
    assert "I am filling this in for someone else" not in as_user(carer).get(url).content.decode()


def test_the_supported_response_service_is_for_anonymous_open_forms_only(
    programme: Any, facilitator: Any, outsider: Any
) -> None:
    named = FormFactory(programme=programme)
    question = QuestionFactory(form=named, kind="text", required=False)
    with pytest.raises(ValidationError, match="anonymous"):
        services.response_submit_supported(form=named, by=facilitator, answers={})
    form, single, _text = _anonymous_custom_form(programme)
    with pytest.raises(ValidationError):
        services.response_submit_supported(form=form, by=outsider, answers={})
    with pytest.raises(ValidationError):
        services.response_submit_supported(form=form, by=facilitator, answers={})  # required
    response = services.response_submit_supported(
        form=form,
        by=facilitator,
        answers={single.field_name: str(single.choices.first().pk)},  # type: ignore[union-attr]
    )
    assert response.person_id is None and response.supported and response.supported_by_id is None
    assert not ResponseReceipt.objects.exists()
    assert question.pk  # the named form is untouched
    assert not Response.objects.filter(form=named).exists()

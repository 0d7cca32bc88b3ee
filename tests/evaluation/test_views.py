"""Evaluation pages: the feedback form, the report with its charts, who may see what."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AttendanceFactory
from workshops.evaluation import services

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_answering_feedback_on_a_phone(live_session: Any, person: Any) -> None:
    AttendanceFactory(session=live_session, user=person)
    client = as_user(person)
    page = client.get(reverse("session_feedback", args=[live_session.pk]))
    assert "I felt listened to" in page.content.decode()
    form = services.feedback_form_for(session=live_session)
    data = {f"q{q.pk}": "4" for q in form.questions.filter(kind="rating")}
    response = client.post(
        reverse("session_feedback", args=[live_session.pk]), data, headers={"HX-Request": "true"}
    )
    assert "Thank you" in response.content.decode()
    bad = client.post(
        reverse("session_feedback", args=[live_session.pk]), {}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 400 and "Choose an answer" in bad.content.decode()


def test_the_report_has_charts_with_text_alternatives_and_the_right_values(
    live_session: Any, person: Any, carer: Any, facilitator: Any, django_assert_max_num_queries: Any
) -> None:
    form = services.feedback_form_for(session=live_session)
    for user, value in ((person, "5"), (carer, "2")):
        services.response_submit(
            form=form,
            person=user,
            answers={f"q{q.pk}": value for q in form.questions.filter(kind="rating")},
        )
    client = as_user(facilitator)
    with django_assert_max_num_queries(30):
        html = client.get(
            reverse("programme_report", args=[live_session.programme_id])
        ).content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert 'data-value="1"' in html  # one "5" and one "2" per question
    assert "Average 3.50 out of 5" in html
    assert "Payments to contributors" not in html  # facilitators do not see payments


def test_the_report_is_for_staff_of_the_programme_only(
    live_session: Any, person: Any, outsider: Any, organiser: Any
) -> None:
    url = reverse("programme_report", args=[live_session.programme_id])
    assert as_user(person).get(url).status_code == 404
    assert as_user(outsider).get(url).status_code == 404
    page = as_user(organiser).get(url).content.decode()
    assert "Payments to contributors" in page


def test_the_feedback_page_names_the_session_naturally(live_session: Any, person: Any) -> None:
    live_session.title = "What matters to you?"
    live_session.save(update_fields=["title"])
    AttendanceFactory(session=live_session, user=person)
    page = as_user(person).get(reverse("session_feedback", args=[live_session.pk])).content
    text = page.decode()
    assert "How was What" not in text
    assert "Your feedback on ‘What matters to you?’" in text
    form = services.feedback_form_for(session=live_session)
    assert form.title == "Your feedback on ‘What matters to you?’"

"""A person's data: complete export, erasure that keeps what must be kept, retention."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants import personal_data
from participants.models import Membership, SecurityEvent, User
from tests.factories import AttendanceFactory, MembershipFactory, ProgrammeFactory, UserFactory
from tests.helpers import session_cookie_for
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


def test_every_model_that_refers_to_a_person_says_what_erasure_does() -> None:
    missing = sorted(
        label
        for label in personal_data.models_referring_to_people()
        if label not in personal_data.ERASURE_POLICY
    )
    assert not missing, f"add these to participants/personal_data.py ERASURE_POLICY: {missing}"


def test_the_export_holds_every_kind_of_row_about_the_person(
    live_session: Any, person: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    SecurityEvent.objects.create(kind="access_denied", actor=person, target="session:1")
    data = personal_data.export_person(user=person)
    assert data["person"]["display_name"] == person.display_name
    for label in personal_data.models_referring_to_people():
        if label != "sessions.session":
            assert label in data, label
    assert len(data["participants.membership"]) == 1
    assert len(data["workshops.attendance"]) == 1
    assert len(data["participants.securityevent"]) == 1
    json.dumps(data)  # plain data all the way down


def test_erasure_removes_name_and_contact_keeps_contributions(
    live_session: Any, person: Any
) -> None:
    person.email = "jean@example.org"
    person.save()
    old_card = person.signin_secret
    AttendanceFactory(session=live_session, user=person)
    personal_data.person_erase(user=person, by=None)
    person.refresh_from_db()
    assert person.display_name == f"Former participant {person.pk}"
    assert person.email is None and not person.is_active
    assert person.signin_secret != old_card
    assert Attendance.objects.filter(user=person).exists()
    assert Membership.objects.filter(user=person).exists()
    assert SecurityEvent.objects.filter(kind="erasure", target=f"user:{person.pk}").exists()


def test_my_data_needs_a_card_or_code_sign_in_not_a_picked_name(person: Any) -> None:
    client = Client()
    name, _, key = session_cookie_for(person, method="name").partition("=")
    client.cookies[name] = key
    assert client.get(reverse("my_data")).status_code == 403
    card = Client()
    name, _, key = session_cookie_for(person, method="card").partition("=")
    card.cookies[name] = key
    assert card.get(reverse("my_data")).status_code == 200
    download = card.get(reverse("my_data") + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["person"]["id"] == person.pk


def test_erasing_my_own_details_needs_a_confirmation(person: Any) -> None:
    client = Client()
    name, _, key = session_cookie_for(person).partition("=")
    client.cookies[name] = key
    client.post(reverse("my_data"), {})
    person.refresh_from_db()
    assert person.is_active
    client.post(reverse("my_data"), {"confirm": "erase"})
    person.refresh_from_db()
    assert not person.is_active and person.display_name.startswith("Former participant")


def test_retention_anonymises_people_only_in_long_ended_programmes() -> None:
    today = timezone.localdate()
    old = ProgrammeFactory(
        starts_on=today - timedelta(days=1500),
        ends_on=today - timedelta(days=1000),
        retention_months=24,
    )
    current = ProgrammeFactory()
    only_old, in_both = UserFactory(display_name="Only old"), UserFactory(display_name="In both")
    MembershipFactory(user=only_old, programme=old)
    MembershipFactory(user=in_both, programme=old)
    MembershipFactory(user=in_both, programme=current)
    call_command("apply_retention")
    assert not User.objects.filter(display_name="Only old").exists()
    assert User.objects.filter(display_name="In both").exists()


def test_the_export_holds_the_persons_own_answers(live_session: Any, person: Any) -> None:
    from workshops.evaluation import services

    form = services.feedback_form_for(session=live_session)
    ratings = [q for q in form.questions.order_by("order") if q.kind == "rating"]
    services.response_submit(form=form, person=person, answers={q.field_name: "4" for q in ratings})
    answers = personal_data.export_person(user=person)["evaluation.answer"]
    assert [(a["question"], a["number"]) for a in answers] == [(q.text, 4) for q in ratings]

"""A person's data: complete export, erasure that keeps what must be kept, retention."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

from participants import personal_data
from participants.models import Membership, SecurityEvent, User
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    ChoiceQuestionFactory,
    FormFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.helpers import session_cookie_for
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


def _everything_about(person: Any, programme: Any, live_session: Any) -> None:
    """One row (or more) in every model that holds people's data, every field filled in."""
    from allauth.account.models import EmailAddress, EmailConfirmation
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from boards.models import Board, Card, Column, Vote
    from participants.payments.models import (
        PaymentEvent,
        PaymentLine,
        PaymentPreference,
        RateCard,
        RegisterConfirmation,
    )
    from workshops.evaluation.models import (
        ActionPoint,
        Answer,
        InstrumentLicence,
        Response,
        ResponseReceipt,
    )
    from workshops.floor.models import GoRound, Turn

    now = timezone.now()
    helper = User.objects.create_user(display_name="Helper")
    person.email, person.pronouns, person.last_login = "jean@example.org", "she/her", now
    person.large_text = person.read_aloud = person.needs_supporter = True
    person.needs_bsl = person.needs_hearing_loop = person.needs_transport = True
    person.dietary_needs, person.other_needs = "No gluten", "A quiet seat"
    person.access_needs_updated_at = now
    person.set_password("a long password nobody guesses")
    person.save()
    person.groups.add(Group.objects.create(name="Helpers"))
    person.user_permissions.add(Permission.objects.first())
    membership = Membership.objects.get(user=person, programme=programme)
    membership.added_by = helper
    membership.invited_name = "Jeannie"
    membership.organisation = "Fife Carers Centre"
    membership.sector = "third"
    membership.walk_in_session = live_session
    membership.save()
    from workshops.models import JoinClaim, Rsvp

    Rsvp.objects.create(session=live_session, user=person, coming=True, needs="A taxi")
    from workshops.evaluation.models import FollowUpReminder

    FollowUpReminder.objects.create(programme=programme, person=person, timepoint="baseline")
    JoinClaim.objects.create(
        session=live_session, user=person, number=42, decided_by=helper, decided_at=now,
        used_at=now,
    )  # fmt: skip
    PaymentPreference.objects.create(
        membership=membership,
        method="voucher",
        reduced_amount="5.00",
        receives_benefits=True,
        benefits_advice_offered_on=timezone.localdate(),
        works_in_public_sector=False,
        payee_reference="PAYEE-JR-77",
        cost_code="CC-DEMENTIA-9",
    )
    SecurityEvent.objects.create(
        kind="access_denied", actor=person, target="session:1", address="192.0.2.7"
    )
    AttendanceFactory(session=live_session, user=person, admitted_by=helper, co_facilitator=True)
    activity = ActivityFactory(session=live_session, kind="board")
    board = Board.objects.create(activity=activity)
    column = Column.objects.create(board=board, title="What matters")
    card = Card.objects.create(
        board=board,
        column=column,
        author=helper,
        on_behalf_of=person,
        text="More time",
        client_id=uuid.uuid4(),
    )
    Vote.objects.create(board=board, voter=person, card=card, client_id=uuid.uuid4())
    go_round = GoRound.objects.create(session=live_session, started_by=person)
    Turn.objects.create(session=live_session, person=person, go_round=go_round, supported_by=helper)
    rate_card = RateCard.objects.create(
        programme=programme, starts_on=timezone.localdate(), hourly_rate="15.00", created_by=person
    )
    line = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="expense",
        worked_on=timezone.localdate(),
        amount="4.20",
        category="fares",
        receipt_note="Bus from the ward",
        rate_card=rate_card,
    )
    PaymentEvent.objects.create(
        line=line, programme=programme, by=helper, action="queried", reason="Which bus?"
    )
    RegisterConfirmation.objects.create(session=live_session, confirmed_by=person)
    form = FormFactory(programme=programme)
    question = ChoiceQuestionFactory(form=form, options=["Yes", "No"])
    response = Response.objects.create(
        form=form, person=person, supported=True, supported_by=helper
    )
    answer = Answer.objects.create(response=response, question=question, text="It helped")
    answer.choices.add(question.choices.first())
    ResponseReceipt.objects.create(
        form=FormFactory(programme=programme, anonymous=True), person=person
    )
    InstrumentLicence.objects.create(
        programme=programme,
        instrument="wemwbs",
        licence_holder="NHS",
        reference="L-1",
        licensed_on=timezone.localdate(),
        recorded_by=person,
    )
    action = ActionPoint.objects.create(programme=programme, title="Quieter room", owner=person)
    action.ideas.add(card)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=True)
    EmailConfirmation.objects.create(email_address=address, key="secret-confirmation-key")
    LogEntry.objects.create(
        user=person,
        content_type=ContentType.objects.get_for_model(Membership),
        object_id=str(membership.pk),
        object_repr=str(programme),
        action_flag=CHANGE,
        change_message="[]",
    )


def _rows_about(person: Any) -> dict[str, list[int]]:
    return {
        label: list(personal_data.rows_of(label=label, user=person).values_list("pk", flat=True))
        for label, holding in personal_data.HOLDINGS.items()
        if holding.people
    }


def _values(label: str, pks: list[int]) -> dict[int, dict[str, Any]]:
    model = apps.get_model(label)
    rows: dict[int, dict[str, Any]] = {}
    for row in model._default_manager.filter(pk__in=pks).order_by("pk"):
        rows[row.pk] = {}
        for name in personal_data.HOLDINGS[label].fields:
            field = model._meta.get_field(name)
            value = getattr(row, name)
            rows[row.pk][name] = (
                sorted(value.values_list("pk", flat=True)) if field.many_to_many else value
            )
    return rows


def test_every_field_of_every_model_about_a_person_says_its_export_and_erasure() -> None:
    gaps = personal_data.classification_gaps()
    assert not gaps, f"classify these in participants/personal_data/holdings.py HOLDINGS: {gaps}"


def test_a_new_person_field_or_model_left_unclassified_is_caught() -> None:
    with isolate_apps("participants", "participants.payments"):
        # The same label as a classified model, with one field more.
        class PaymentPreference(models.Model):  # noqa: DJ008
            membership = models.OneToOneField(Membership, on_delete=models.CASCADE)
            bank_sort_code = models.CharField(max_length=8)

            class Meta:
                app_label = "payments"

        class Nickname(models.Model):  # noqa: DJ008
            person = models.ForeignKey(User, on_delete=models.CASCADE)
            nickname = models.CharField(max_length=40)

            class Meta:
                app_label = "participants"

        # No link to a person, and not declared as holding nothing about one.
        class Photo(models.Model):  # noqa: DJ008
            caption = models.CharField(max_length=40)

            class Meta:
                app_label = "participants"

        gaps = personal_data.classification_gaps(
            [User, Membership, PaymentPreference, Nickname, Photo]
        )
    assert "payments.paymentpreference.bank_sort_code: not classified" in gaps
    assert "participants.nickname: refers to a person; add it to HOLDINGS" in gaps
    assert "participants.photo: add it to HOLDINGS or NOT_ABOUT_PEOPLE" in gaps
    assert not [g for g in gaps if g.startswith(("participants.user", "participants.membership"))]


def test_the_export_holds_every_exported_field_and_nothing_else(
    programme: Any, live_session: Any, person: Any
) -> None:
    _everything_about(person, programme, live_session)
    rows = _rows_about(person)
    data = json.loads(personal_data.export_person_json(user=person))
    for label, pks in rows.items():
        assert pks, f"the test makes no {label} row: add one to _everything_about"
        model = apps.get_model(label)
        exported = data["person"] if label == "participants.user" else data[label]
        exported = exported if isinstance(exported, list) else [exported]
        assert len(exported) == len(pks), label
        for name, (export, _) in personal_data.HOLDINGS[label].fields.items():
            field = model._meta.get_field(name)
            keys = {name, getattr(field, "attname", name)}
            for row in exported:
                assert bool(keys & row.keys()) == (export == personal_data.EXPORTED), (label, name)


def test_the_export_holds_payment_preferences(
    programme: Any, live_session: Any, person: Any
) -> None:
    _everything_about(person, programme, live_session)
    data = personal_data.export_person(user=person)
    (preference,) = data["payments.paymentpreference"]
    assert preference["receives_benefits"] is True
    assert preference["payee_reference"] == "PAYEE-JR-77"
    assert preference["cost_code"] == "CC-DEMENTIA-9"
    assert "secret-confirmation-key" not in json.dumps(data)
    assert person.signin_secret not in json.dumps(data)


def test_erasure_does_to_every_field_what_the_classification_says(
    programme: Any, live_session: Any, person: Any
) -> None:
    _everything_about(person, programme, live_session)
    rows = _rows_about(person)
    before = {label: _values(label, pks) for label, pks in rows.items()}
    personal_data.person_erase(user=person, by=None)
    for label, pks in rows.items():
        holding = personal_data.HOLDINGS[label]
        after = _values(label, pks)
        if holding.rows == "delete":
            assert not after, f"{label} rows should be gone"
            continue
        assert after.keys() == before[label].keys(), f"{label} rows should stay"
        for pk, values in before[label].items():
            for name, (_, erasure) in holding.fields.items():
                if erasure == personal_data.ERASED:
                    assert values[name] not in (None, "", []), f"fill {label}.{name} in the test"
                    assert after[pk][name] != values[name], f"{label}.{name} should be erased"
                else:
                    assert after[pk][name] == values[name], f"{label}.{name} should be kept"


def test_erasure_removes_payment_preferences_and_addresses(
    programme: Any, live_session: Any, person: Any
) -> None:
    from participants.payments.models import PaymentPreference

    _everything_about(person, programme, live_session)
    personal_data.person_erase(user=person, by=None)
    assert not PaymentPreference.objects.filter(membership__user=person).exists()
    assert not SecurityEvent.objects.filter(actor=person, address__isnull=False).exists()


def test_erasure_signs_the_person_out_everywhere_and_renames_admin_history(person: Any) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.models import Session

    client = Client()
    client.force_login(person)
    other = Client()
    other.force_login(UserFactory())
    for thing in (person, Membership.objects.get(user=person)):
        LogEntry.objects.create(
            user=UserFactory(),
            content_type=ContentType.objects.get_for_model(thing),
            object_id=str(thing.pk),
            object_repr=str(thing),
            action_flag=CHANGE,
        )
    personal_data.person_erase(user=person, by=None)
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert client.session.session_key not in keys
    assert other.session.session_key in keys
    assert not LogEntry.objects.filter(object_repr__contains="Jean Robertson").exists()
    assert LogEntry.objects.filter(object_repr__startswith="Former participant").count() == 2


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

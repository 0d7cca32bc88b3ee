"""Evaluation, as people use it: feedback on three phones, live; the report on paper."""

from decimal import Decimal
from typing import Any

from participants.models import Role
from tests.browser.conftest import ARTIFACTS, assert_accessible, expect_status, wait_connected
from tests.browser.journeys.steps import shoot
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from workshops.evaluation import services
from workshops.evaluation.models import Indicator, Response
from workshops.floor.models import BalanceRecord
from workshops.models import Session


def test_feedback_on_three_phones_and_the_report(
    open_page: Any, live_session: Any, facilitator: Any, organiser: Any
) -> None:
    feedback = ActivityFactory(
        session=live_session, kind="feedback", title="How was today?", order=9
    )
    phones = []
    for name in ("Jean Robertson", "Tam Wilson", "Isla Carer"):
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, programme=live_session.programme, role=Role.CARER)
        AttendanceFactory(session=live_session, user=user)
        page = open_page(user, phone=True)
        page.goto(f"/sessions/{live_session.pk}/room/")
        wait_connected(page)
        phones.append(page)
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(fac)
    fac.get_by_role("button", name=f"Move room here to {feedback.title}").click()

    for i, phone in enumerate(phones):
        phone.get_by_role("group", name="I felt listened to").wait_for()
        if i == 0:
            assert_accessible(phone)
        for question in (
            "I felt listened to",
            "I could say what I wanted to say",
            "I learned something",
            "My ideas made a difference",
        ):
            phone.get_by_role("group", name=question).get_by_label(
                "Completely" if i != 1 else "Somewhat"
            ).check()
        phone.get_by_label("What worked well? (optional)").fill(f"Comment {i}")
        phone.get_by_role("button", name="Send my feedback").click()
        phone.get_by_role("heading", name="Thank you").wait_for()
    assert Response.objects.count() == 3

    org = open_page(organiser)
    org.goto(f"/programmes/{live_session.programme_id}/report/")
    org.get_by_text("Average 4.33 out of 5, from 3 answers.").first.wait_for()
    assert_accessible(org)
    org.emulate_media(media="print")
    org.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
    assert not org.locator(".comhla-header").is_visible()
    assert org.get_by_text("Comment 2").is_visible()


def test_an_organiser_builds_a_form_two_phones_answer_it_and_the_report_counts(
    open_page: Any, live_session: Any, organiser: Any, facilitator: Any
) -> None:
    programme = live_session.programme
    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/forms/")
    assert_accessible(org)
    org.get_by_label("Title").fill("Getting to the sessions")
    org.get_by_role("button", name="Make the form").click()
    org.get_by_role("heading", name="Getting to the sessions").wait_for()
    org.get_by_label("Single choice").check()
    org.get_by_label("Question", exact=True).fill("How do you get here?")
    org.get_by_label("Options", exact=True).fill("Bus\nCar\nWalk")
    org.get_by_role("button", name="Add the question").click()
    org.get_by_role("heading", name="1. How do you get here?").wait_for()
    org.get_by_label("Multiple choice").check()
    org.get_by_label("Question", exact=True).fill("What would help?")
    org.get_by_label("Help text (optional)", exact=True).fill("Choose all that would help you")
    org.get_by_label("Options", exact=True).fill("Earlier start\nLunch\nParking")
    org.get_by_label("An answer is required").uncheck()
    org.get_by_role("button", name="Add the question").click()
    org.get_by_role("heading", name="2. What would help?").wait_for()
    org.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(org)
    org.screenshot(path=str(ARTIFACTS / "form-builder.png"), full_page=True)
    org.set_viewport_size({"width": 375, "height": 812})
    assert_accessible(org)
    answer_url = org.get_by_role("link", name="Open the answer page").get_attribute("href")
    assert answer_url
    build_url = org.url

    for name, travel, helps in (
        ("Jean Robertson", "Bus", ["Lunch"]),
        ("Tam Wilson", "Bus", ["Lunch", "Parking"]),
    ):
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, programme=programme, role=Role.CARER)
        phone = open_page(user, phone=True)
        phone.goto(answer_url)
        expect_status(phone, 400)  # sending with a required answer missing
        phone.get_by_role("button", name="Send my answers").click()
        phone.get_by_role("heading", name="There is a problem").wait_for()
        assert_accessible(phone)
        group = phone.get_by_role("group", name="How do you get here?")
        group.get_by_label(travel).check()
        for option in helps:
            phone.get_by_role("group", name="What would help? (optional)").get_by_label(
                option
            ).check()
        if name == "Jean Robertson":
            phone.screenshot(path=str(ARTIFACTS / "form-answer-phone.png"), full_page=True)
        phone.get_by_role("button", name="Send my answers").click()
        phone.get_by_role("heading", name="Thank you").wait_for()
        assert_accessible(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # Both have answered: the organiser closes the form, and it no longer takes answers.
    org.goto(build_url)
    org.get_by_text("Change the title, closing date or anonymity").click()
    org.get_by_text("People have answered, so this cannot change now").wait_for()
    assert_accessible(org)
    org.screenshot(path=str(ARTIFACTS / "form-settings-phone.png"), full_page=True)
    org.get_by_role("button", name="Close the form now").click()
    org.get_by_text("The form is closed: no more answers can be given").wait_for()
    assert org.get_by_text("closed on").first.is_visible()
    phone.goto(answer_url)
    phone.get_by_text("This form closed on").wait_for()
    assert phone.get_by_role("button", name="Send my answers").count() == 0

    org.set_viewport_size({"width": 1280, "height": 900})
    org.goto(f"/programmes/{programme.pk}/report/")
    org.get_by_role("heading", name="Getting to the sessions").wait_for()
    section = org.locator("section", has=org.get_by_role("heading", name="Getting to the sessions"))
    bus = section.get_by_role("table", name="How do you get here?").get_by_role("row", name="Bus")
    assert bus.get_by_role("cell").inner_text() == "2"
    lunch = section.get_by_role("table", name="What would help?").get_by_role("row", name="Lunch")
    assert lunch.get_by_role("cell").inner_text() == "2"
    parking = section.get_by_role("table", name="What would help?").get_by_role(
        "row", name="Parking"
    )
    assert parking.get_by_role("cell").inner_text() == "1"
    assert_accessible(org)

    form = services.feedback_form_for(session=live_session)
    for name in ("Ann Smith", "Bob Jones"):
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, programme=programme, role=Role.CARER)
        AttendanceFactory(session=live_session, user=user)
        answers = {f"q{q.pk}": "5" for q in form.questions.filter(kind="rating")}
        answers[f"q{form.questions.get(text='What worked well?').pk}"] = f"{name} liked the tea"
        services.response_submit(form=form, person=user, answers=answers)
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/")
    fac.get_by_role("link", name="Session report").click()
    fac.get_by_role("heading", name=f"{live_session.title}: report").wait_for()
    assert_accessible(fac)
    fac.screenshot(path=str(ARTIFACTS / "session-report.png"), full_page=True)
    fac.set_viewport_size({"width": 375, "height": 812})
    assert_accessible(fac)


def test_a_facilitator_fills_in_an_anonymous_form_for_someone_and_names_nobody(
    open_page: Any, programme: Any, facilitator: Any, organiser: Any
) -> None:
    from tests.factories import ChoiceQuestionFactory, FormFactory, QuestionFactory
    from workshops.evaluation.models import ResponseReceipt

    form = FormFactory(programme=programme, anonymous=True, title="Getting here")
    ChoiceQuestionFactory(form=form, text="How did you travel?", options=["Bus", "Car"])
    QuestionFactory(form=form, kind="text", required=False, text="Anything else?")
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.CARER)

    phone = open_page(jean, phone=True)
    phone.goto(f"/forms/{form.pk}/")
    phone.get_by_role("group", name="How did you travel?").get_by_label("Car").check()
    phone.get_by_label("Anything else? (optional)").fill("Zebra crossing")
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()

    fac = open_page(facilitator)
    fac.goto(f"/forms/{form.pk}/")
    fac.get_by_role("group", name="How did you travel?").get_by_label("Bus").check()
    assert fac.get_by_text("Who is answering?").count() == 0
    assert fac.get_by_text("Jean Robertson").count() == 0
    fac.get_by_label("Anything else? (optional)").fill("apple pie")
    fac.get_by_label("I am filling this in for someone else").check()
    assert_accessible(fac)
    fac.get_by_role("button", name="Send my answers").click()
    fac.get_by_text("The answers were saved, with no name").wait_for()
    assert_accessible(fac)
    assert Response.objects.filter(form=form, person=None, supported=True).count() == 1
    assert list(ResponseReceipt.objects.values_list("person", flat=True)) == [jean.pk]

    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/report/")
    section = org.locator("section", has=org.get_by_role("heading", name="Getting here"))
    said = section.locator(".comhla-quotes li").all_inner_texts()
    assert said == ["apple pie", "Zebra crossing"]  # by text, not in the order given
    assert_accessible(org)


def test_a_session_where_nobody_took_the_floor_is_said_in_the_report_not_averaged(
    open_page: Any, live_session: Any, organiser: Any
) -> None:
    programme = live_session.programme
    outcome = services.outcome_create(programme=programme, title="Everyone is heard")
    services.indicator_create(
        outcome=outcome, title="Everyone's voice", kind=Indicator.Kind.BALANCE
    )
    earlier = SessionFactory(
        programme=programme, number=2, title="Earlier", status=Session.Status.ENDED
    )
    BalanceRecord.objects.create(session=earlier, balance_index=Decimal("64.0"), turns_taken=3)
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)
    AttendanceFactory(session=live_session, user=jean)
    # The session ends with Jean in the room and nobody given the floor.
    org = open_page(organiser)
    org.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(org)
    org.get_by_role("button", name="End session").click()
    org.get_by_text(f"{live_session.title} has ended").wait_for()
    record = BalanceRecord.objects.get(session=live_session)
    assert (record.balance_index, record.turns_taken) == (None, 0)

    org.goto(f"/programmes/{programme.pk}/report/")
    row = org.locator(".govuk-summary-list__row", has_text="Everyone's voice")
    assert row.locator("dd").inner_text() == (
        "Average balance index 64.0 out of 100, over 1 session; "
        "nobody took the floor in 1 other session"
    )
    org.get_by_text(f"Session 1, {live_session.title}: no turns taken").wait_for()
    said = org.locator("[data-no-turns]")
    assert said.inner_text() == (
        "Nobody took the floor in 1 session: it has no balance index and is left out of the "
        "average."
    )
    for width, height in ((375, 812), (1280, 900)):
        org.set_viewport_size({"width": width, "height": height})
        assert_accessible(org)
        assert org.evaluate("document.documentElement.scrollWidth") <= width
        shoot(org, "report-no-turns", at="[data-no-turns]")
    org.goto(f"/sessions/{live_session.pk}/report/")
    org.get_by_text(
        "No turns taken: nobody took the floor, so there is no balance index"
    ).wait_for()
    assert_accessible(org)

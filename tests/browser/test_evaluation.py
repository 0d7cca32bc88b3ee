"""Evaluation, as people use it: feedback on three phones, live; the report on paper."""

from typing import Any

from participants.models import Role
from tests.browser.conftest import ARTIFACTS, assert_accessible, wait_connected
from tests.factories import ActivityFactory, AttendanceFactory, MembershipFactory, UserFactory
from workshops.evaluation.models import Response


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

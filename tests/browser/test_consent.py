"""A contributor signs in with their card, is asked for consent at their first join, answers
with a supporter and tells us what they need; the facilitator reads it in the briefing."""

import re
from typing import Any

from participants.models import Consent, Role, User
from tests.browser.conftest import assert_accessible, expect_status, wait_connected
from tests.factories import MembershipFactory, UserFactory


def answer(choice: str, question: str) -> re.Pattern[str]:
    """A yes or no radio by its accessible name, which also says its question."""
    return re.compile(rf"^{choice}\W+{re.escape(question)}$")


def test_consent_at_first_join_then_the_facilitators_briefing(
    open_page: Any, live_session: Any, facilitator: Any
) -> None:
    nan = UserFactory(display_name="Nan Newcomer")
    MembershipFactory(
        user=nan, programme=live_session.programme, role=Role.LIVED_EXPERIENCE, consented=False
    )

    # The card's link: one press signs the phone in, then the consent page comes first.
    phone = open_page(phone=True)
    phone.goto(f"/card/{nan.signin_secret}/")
    phone.get_by_role("button", name="Continue as Nan Newcomer").click()
    phone.get_by_role("heading", name="Saying yes or no").wait_for()
    assert_accessible(phone)

    # Saving with nothing chosen: a clear error, nothing recorded.
    expect_status(phone, 400)
    phone.get_by_role("button", name="Save my answers").click()
    phone.get_by_text("Choose yes or no: do you want to take part?").first.wait_for()
    assert_accessible(phone)
    assert not Consent.objects.filter(membership__user=nan).exists()

    phone.get_by_role("radio", name=answer("Yes", "Do you want to take part?")).check()
    phone.get_by_role("radio", name=answer("No", "Can we use your words in reports?")).check()
    phone.get_by_role("radio", name=answer("Yes", "Can we contact you later?")).check()
    phone.get_by_role("radio", name=answer("No", "Can we take photos of you?")).check()
    phone.get_by_role("checkbox", name="A supporter helped me answer").check()
    phone.get_by_role("checkbox", name="British Sign Language (BSL)").check()
    phone.get_by_role("button", name="Save my answers").click()
    # Back to where the card was going: the live room, which she now joins.
    phone.get_by_role("button", name="Join this session").click()
    wait_connected(phone)
    consent = Consent.objects.get(membership__user=nan)
    assert consent.take_part and not consent.quotes and consent.contact and not consent.photos
    assert consent.with_supporter

    # Later, from the start page: change what helps.
    phone.goto("/")
    phone.get_by_role("link", name="Saying yes or no, and what helps you").click()
    phone.get_by_role("heading", name="Saying yes or no").wait_for()
    assert phone.get_by_role("radio", name=answer("No", "Can we take photos of you?")).is_checked()
    phone.get_by_role("checkbox", name="Hearing loop").check()
    phone.get_by_label("Food and drink").fill("Soft food, no nuts")
    phone.get_by_label("Anything else we should know").fill("I get tired after an hour")
    phone.get_by_role("button", name="Save my answers").click()
    phone.get_by_text("Your answers are saved").wait_for()
    assert_accessible(phone)
    nan_now = User.objects.get(pk=nan.pk)
    assert nan_now.needs_bsl and nan_now.needs_hearing_loop
    assert nan_now.dietary_needs == "Soft food, no nuts"

    # The facilitator, from the session's page, opens the briefing.
    for wide in (False, True):
        staff = open_page(facilitator, phone=not wide)
        staff.goto(f"/sessions/{live_session.pk}/")
        staff.get_by_role("link", name="Before the session: access needs and consent").click()
        staff.get_by_role("heading", name="Before the session").wait_for()
        needs = staff.locator("#access-needs")
        assert "Nan Newcomer" in needs.inner_text()
        assert "British Sign Language (BSL)" in needs.inner_text()
        assert "Soft food, no nuts" in needs.inner_text()
        assert "Nan Newcomer" in staff.locator("#no-photos").inner_text()
        assert "Nan Newcomer" in staff.locator("#no-quotes").inner_text()
        assert_accessible(staff)

    # Nan later says yes to being quoted on a paper form; the facilitator types it in.
    staff.get_by_role("link", name="Type in answers from paper for Nan Newcomer (quotes)").click()
    staff.get_by_role("heading", name="Nan Newcomer: answers from the paper form").wait_for()
    assert_accessible(staff)
    staff.get_by_role("radio", name=answer("Yes", "Can we use their words in reports?")).check()
    expect_status(staff, 400)
    staff.get_by_role("button", name="Record their answers").click()
    staff.get_by_text("Tick to say you have their signed paper form").first.wait_for()
    assert_accessible(staff)
    staff.get_by_role(
        "checkbox", name="I have their signed paper form, and these are its answers"
    ).check()
    staff.get_by_role("button", name="Record their answers").click()
    staff.get_by_text("Nan Newcomer’s answers from paper are recorded").wait_for()
    staff.get_by_role("heading", name="Before the session").wait_for()
    assert "Nan Newcomer" not in staff.locator("#no-quotes").inner_text()
    latest = Consent.objects.filter(membership__user=nan).order_by("-answered_at", "-pk").first()
    assert latest is not None and latest.quotes and latest.recorded_by == facilitator

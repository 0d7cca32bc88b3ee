"""Who you are is proven, not picked, as people meet it: a facilitator confirms a picked name,
an invitation is accepted, a person signs out everywhere."""

from typing import Any

from participants.models import Membership, Role
from tests.browser.conftest import ARTIFACTS, assert_accessible, expect_status, wait_connected
from tests.factories import (
    ActivityFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)
from workshops.models import JoinClaim


def test_a_facilitator_confirms_a_picked_name_and_refuses_another_device(
    open_page: Any, server: Any
) -> None:
    programme = ProgrammeFactory(name="Keeping it Personal")
    facilitator = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    # Jean has an email address saved, so picking her name needs a facilitator to confirm.
    jean = UserFactory(display_name="Jean Robertson", email="jean@example.org")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)
    session = LiveSessionFactory(programme=programme, title="What matters to you")
    session.current_activity = ActivityFactory(session=session, kind="discussion", title="Talk")
    session.save()

    fac = open_page(facilitator)
    fac.goto(f"/sessions/{session.pk}/room/")
    wait_connected(fac)

    phones = []
    for _ in range(2):
        phone = open_page(phone=True)
        phone.goto(f"/join/?code={session.join_code}")
        phone.get_by_role("button", name="Continue").click()
        phone.get_by_label("Jean Robertson").check()
        phone.get_by_role("button", name="Join the session").click()
        phone.get_by_role("heading", name="A facilitator will check it is you").wait_for()
        assert_accessible(phone)
        phones.append(phone)
    real, other = phones
    claims = {c.number: c for c in JoinClaim.objects.filter(session=session)}
    real_number = int(real.locator(".comhla-claim-number").inner_text())
    other_number = int(other.locator(".comhla-claim-number").inner_text())
    assert {real_number, other_number} == set(claims)

    # Both requests reach the facilitator's room live, each with its number.
    fac.get_by_role("button", name=f"No, not Jean Robertson (number {other_number})").wait_for()
    assert_accessible(fac)
    real.screenshot(path=str(ARTIFACTS / "claim-phone.png"), full_page=True)
    fac.locator("#people-panel").screenshot(path=str(ARTIFACTS / "claim-facilitator.png"))
    fac.get_by_role("button", name=f"No, not Jean Robertson (number {other_number})").click()
    other.get_by_text("did not confirm").wait_for()
    fac.get_by_role("button", name=f"Yes, let in as Jean Robertson (number {real_number})").click()
    # The real Jean's phone moves into the room by itself, signed in as her.
    wait_connected(real)
    assert_accessible(real)
    assert "Talk" in real.content()
    real.goto("/me/data/")
    real.get_by_role("heading", name="Your data", exact=True).wait_for()
    # The refused phone is not signed in as anyone.
    other.goto("/me/data/")
    assert "/accounts/login/" in other.url


def test_a_picked_name_takes_part_but_personal_pages_ask_for_a_card(
    open_page: Any, server: Any
) -> None:
    programme = ProgrammeFactory()
    isla = UserFactory(display_name="Isla Carer")
    MembershipFactory(user=isla, programme=programme, role=Role.CARER)
    session = LiveSessionFactory(programme=programme)
    session.current_activity = ActivityFactory(session=session, kind="discussion", title="Talk")
    session.save()
    phone = open_page(phone=True)
    phone.goto(f"/join/?code={session.join_code}")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Isla Carer").check()
    phone.get_by_role("button", name="Join the session").click()
    wait_connected(phone)
    expect_status(phone, 403)  # a room identity asked for a personal page
    phone.goto("/me/payments/")
    phone.get_by_role("heading", name="Please sign in with your card").wait_for()
    assert_accessible(phone)
    phone.get_by_role("link", name="Back to the session").click()
    wait_connected(phone)
    phone.goto("/")
    phone.get_by_role("link", name="Back to the session").wait_for()
    assert_accessible(phone)

    # Her phone is lost: the organiser signs her out on every device from the cards page.
    organiser = StaffUserFactory(display_name="Morag Organiser")
    MembershipFactory(user=organiser, programme=programme, role=Role.ORGANISER)
    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/cards/")
    org.get_by_role("button", name="Sign out everywhere for Isla Carer").click()
    org.get_by_text("Isla Carer has been signed out on every device").wait_for()
    assert_accessible(org)
    phone.goto(f"/sessions/{session.pk}/room/")
    assert "/accounts/login/" in phone.url


def test_an_invitation_is_accepted_and_a_person_signs_out_everywhere(
    open_page: Any, server: Any
) -> None:
    ours = ProgrammeFactory(name="Keeping it Personal")
    theirs = ProgrammeFactory(name="Heart failure group")
    organiser = StaffUserFactory(display_name="Morag Organiser")
    MembershipFactory(user=organiser, programme=ours, role=Role.ORGANISER)
    nurse = StaffUserFactory(display_name="Nadia Nurse", email="nadia@example.org")
    MembershipFactory(user=nurse, programme=theirs, role=Role.PRACTITIONER)

    org = open_page(organiser)
    org.goto(f"/programmes/{ours.pk}/people/add/")
    org.get_by_label("Name").fill("Nadia")
    org.get_by_label("Email address (optional)").fill("nadia@example.org")
    org.get_by_label("Practitioner").check()
    org.get_by_role("button", name="Add person").click()
    org.get_by_text("We have emailed an invitation to nadia@example.org").wait_for()
    assert "Nadia Nurse" not in org.content()
    assert_accessible(org)

    laptop = open_page(nurse)
    tablet = open_page(nurse, phone=True)
    laptop.goto("/")
    laptop.get_by_role("heading", name="You have been invited").wait_for()
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Accept the invitation to Keeping it Personal").click()
    laptop.get_by_text("You are now part of Keeping it Personal").wait_for()
    assert not Membership.objects.get(user=nurse, programme=ours).invited
    org.goto(f"/programmes/{ours.pk}/")
    org.get_by_text("Nadia Nurse — Practitioner").wait_for()

    tablet.goto("/")
    tablet.get_by_role("button", name="Sign out everywhere").click()
    tablet.get_by_text("You have been signed out on every device").wait_for()
    laptop.goto("/me/data/")
    assert "/accounts/login/" in laptop.url

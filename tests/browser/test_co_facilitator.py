"""A contributor co-facilitates: a facilitator marks them in the room, and on their phone
they get the facilitator's controls for that session, live, without reloading the page."""

from typing import Any

from participants.models import Role
from tests.browser.conftest import assert_accessible, wait_connected
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)
from workshops.models import Attendance


def open_room(open_page: Any, user: Any, session: Any, *, phone: bool) -> Any:
    page = open_page(user, phone=phone)
    page.goto(f"/sessions/{session.pk}/room/")
    wait_connected(page)
    return page


def test_a_facilitator_makes_a_contributor_co_facilitator_who_moves_the_room_from_a_phone(
    open_page: Any, server: Any
) -> None:
    programme = ProgrammeFactory()
    fiona: Any = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=fiona, programme=programme, role=Role.FACILITATOR)
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)
    isla = UserFactory(display_name="Isla Carer")
    MembershipFactory(user=isla, programme=programme, role=Role.CARER)
    session: Any = LiveSessionFactory(programme=programme, title="What matters to you")
    welcome = ActivityFactory(session=session, kind="discussion", title="Welcome", order=0)
    ActivityFactory(session=session, kind="discussion", title="Tea and a chat", order=1)
    session.current_activity = welcome
    session.save()
    for person in (jean, isla):
        AttendanceFactory(session=session, user=person)

    fac = open_room(open_page, fiona, session, phone=False)
    phone = open_room(open_page, jean, session, phone=True)
    third = open_room(open_page, isla, session, phone=True)
    move = phone.get_by_role("button", name="Move room here to Tea and a chat")
    assert move.count() == 0

    # Fiona marks Jean: Jean's phone reconnects by itself and shows the facilitator's room.
    fac.get_by_role("button", name="Make co-facilitator (Jean Robertson)").click()
    fac.get_by_role("button", name="Stop co-facilitating (Jean Robertson)").wait_for()
    move.wait_for()
    wait_connected(phone)
    assert phone.locator("#people-panel").get_by_text("Co-facilitator", exact=True).count() == 1
    # Isla, not marked, has no such controls.
    assert third.get_by_role("button", name="Move room here to Tea and a chat").count() == 0
    assert_accessible(phone)

    # Jean moves the room from her phone; Isla and Fiona follow, live.
    move.click()
    third.locator("#activity-heading").get_by_text("Tea and a chat").wait_for()
    fac.locator("#activity-heading").get_by_text("Tea and a chat").wait_for()
    phone.locator("#activity-heading").get_by_text("Tea and a chat").wait_for()

    # Fiona stops it: the controls leave Jean's phone, again without a reload.
    fac.get_by_role("button", name="Stop co-facilitating (Jean Robertson)").click()
    fac.get_by_role("button", name="Make co-facilitator (Jean Robertson)").wait_for()
    phone.get_by_role("button", name="Move room here to Welcome").wait_for(state="detached")
    wait_connected(phone)
    assert phone.locator("#people-panel").count() == 0
    assert not Attendance.objects.get(session=session, user=jean).co_facilitator
    assert_accessible(phone)

"""A programme that can change: an organiser moves a session and gives its venue and link,
copies an agenda, saves and uses a template, cancels another session; a contributor on a
phone sees what moved and what is cancelled, and says they are coming."""

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tests.browser.conftest import assert_accessible, expect_status
from tests.factories import SessionFactory
from workshops.models import AgendaTemplate, Rsvp, Session


def _at(day: Any, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def test_an_organiser_changes_the_programme_and_a_contributor_answers(
    open_page: Any, session: Any, organiser: Any, person: Any
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    second = SessionFactory(
        programme=session.programme,
        number=2,
        title="Getting there",
        starts_at=_at(tomorrow, 10),
        ends_at=_at(tomorrow, 12),
    )
    third = SessionFactory(
        programme=session.programme,
        number=3,
        title="Looking back",
        starts_at=_at(tomorrow + timedelta(days=7), 10),
        ends_at=_at(tomorrow + timedelta(days=7), 12),
    )
    new_day = tomorrow + timedelta(days=14)

    staff = open_page(organiser)
    staff.goto(f"/sessions/{second.pk}/")
    assert_accessible(staff)

    # Move it, with a link that is not https first: a clear error, nothing changes.
    staff.get_by_role("link", name="Edit or move this session").click()
    staff.get_by_role("heading", name="Edit or move session 2").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Date").fill(new_day.isoformat())
    staff.get_by_label("Venue address (optional)").fill("Room 2, Leith Community Centre")
    staff.get_by_label("Online link (optional)").fill("http://meet.example.org/abc")
    expect_status(staff, 400)
    staff.get_by_role("button", name="Save changes").click()
    staff.get_by_role("link", name="Enter the full link, starting with https://").wait_for()
    assert_accessible(staff)
    assert Session.objects.get(pk=second.pk).moved_from is None
    staff.get_by_label("Online link (optional)").fill("https://meet.example.org/abc")
    staff.get_by_role("button", name="Save changes").click()
    staff.locator("#session-moved").wait_for()
    assert "Moved to" in staff.locator("#session-moved").inner_text()
    assert "Leith Community Centre" in staff.locator("#session-venue").inner_text()
    assert staff.locator("#session-online-link").get_attribute("href") == (
        "https://meet.example.org/abc"
    )

    # Copy session 1's agenda, then save it as a template.
    staff.get_by_label("Copy the agenda of").select_option(label="Session 1: What matters to you")
    staff.get_by_role("button", name="Copy this agenda").click()
    staff.get_by_text("The agenda was copied").wait_for()
    assert list(second.activities.order_by("order").values_list("title", flat=True)) == [
        "Welcome",
        "Ideas",
        "Talk it through",
    ]
    staff.get_by_label("Template name").fill("Our usual session")
    staff.get_by_role("button", name="Save this agenda as a template").click()
    staff.get_by_text("The agenda was saved as a template").wait_for()
    assert AgendaTemplate.objects.filter(name="Our usual session").exists()
    assert_accessible(staff)

    # Start session 3 from the template, then cancel it.
    staff.goto(f"/sessions/{third.pk}/")
    staff.get_by_label("Template", exact=True).select_option(label="Our usual session")
    staff.get_by_role("button", name="Start from a template").click()
    staff.get_by_text("The template's activities were added to the agenda").wait_for()
    assert third.activities.count() == 3
    staff.get_by_role("button", name="Cancel this session").click()
    staff.get_by_role("link", name="Say why the session is cancelled").wait_for()
    assert Session.objects.get(pk=third.pk).status == Session.Status.SCHEDULED
    staff.get_by_label("Why is it cancelled?").fill("The hall is closed for repairs")
    staff.get_by_role("button", name="Cancel this session").click()
    staff.locator("#session-cancelled").wait_for()
    assert "The hall is closed for repairs" in staff.locator("#session-cancelled").inner_text()
    assert_accessible(staff)

    # The contributor, on a phone: the start page says what changed.
    phone = open_page(person, phone=True)
    phone.goto("/")
    phone.get_by_role("heading", name="Coming up").wait_for()
    page_text = phone.locator("main").inner_text()
    assert "Moved to" in page_text
    assert "Cancelled" in page_text and "The hall is closed for repairs" in page_text
    assert_accessible(phone)
    # The programme's timeline says the same.
    phone.goto(f"/programmes/{session.programme_id}/")
    timeline = phone.locator(".comhla-timeline").inner_text()
    assert "Moved to" in timeline and "Cancelled" in timeline
    assert_accessible(phone)
    phone.goto("/")
    phone.get_by_role("link", name="Say if you are coming to Getting there").click()
    phone.get_by_role("heading", name="Are you coming?").wait_for()
    assert "Leith Community Centre" in phone.locator("#session-venue").inner_text()
    phone.get_by_role("radio", name="Coming", exact=True).check()
    phone.get_by_label("Transport or care needs (optional)").fill("A taxi from home")
    phone.get_by_role("button", name="Send my answer").click()
    phone.locator("#rsvp-answer").wait_for()
    assert "Coming" in phone.locator("#rsvp-answer").inner_text()
    assert_accessible(phone)
    rsvp = Rsvp.objects.get(session=second, user=person)
    assert rsvp.coming and rsvp.needs == "A taxi from home"

    # The organiser sees who is coming, on a laptop and on a phone.
    for wide in (True, False):
        page = open_page(organiser, phone=not wide)
        page.goto(f"/sessions/{second.pk}/")
        assert "1 coming" in page.locator("#rsvp-counts").inner_text()
        assert "A taxi from home" in page.locator("#rsvp-list").inner_text()
        assert_accessible(page)

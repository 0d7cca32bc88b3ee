"""Every foundation page, on a phone and a laptop, passes axe-core and looks finished."""

from typing import Any

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    expect_console_error,
    expect_status,
)
from tests.factories import AttendanceFactory
from workshops.models import Session


@pytest.mark.parametrize("phone", [True, False], ids=["375px", "1280px"])
def test_staff_pages_are_accessible(
    open_page: Any, live_session: Any, organiser: Any, person: Any, carer: Any, phone: bool
) -> None:
    page = open_page(organiser, phone=phone)
    programme = live_session.programme_id
    for path in [
        "/",
        f"/programmes/{programme}/",
        f"/programmes/{programme}/people/add/",
        f"/programmes/{programme}/cards/",
        f"/programmes/{programme}/sessions/new/",
        f"/sessions/{live_session.pk}/",
        f"/sessions/{live_session.pk}/poster/",
        "/programmes/new/",
    ]:
        page.goto(path)
        assert_accessible(page)
    # A form with errors: the error summary and inline messages are accessible too.
    page.goto(f"/programmes/{programme}/people/add/")
    expect_status(page, 400)
    page.get_by_role("button", name="Add person", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"add-person-errors-{'phone' if phone else 'laptop'}.png"))


@pytest.mark.parametrize("phone", [True, False], ids=["375px", "1280px"])
def test_participant_pages_are_accessible(
    open_page: Any, live_session: Any, person: Any, carer: Any, phone: bool
) -> None:
    anonymous = open_page(phone=phone)
    for path in ["/", "/join/", "/accounts/login/", "/accounts/signup/", "/accounts/login/code/"]:
        anonymous.goto(path)
        assert_accessible(anonymous)
    anonymous.goto(f"/card/{person.signin_secret}/")
    assert_accessible(anonymous)
    expect_status(anonymous, 404)
    anonymous.goto("/card/not-a-real-card/")
    assert_accessible(anonymous)

    # Someone waiting to be let in, and someone whose session has not started.
    live_session.admission = Session.Admission.WAITING_LIST
    live_session.save()
    AttendanceFactory(session=live_session, user=carer, admission="waiting", checked_in_at=None)
    waiting = open_page(carer, phone=phone)
    waiting.goto(f"/sessions/{live_session.pk}/room/")
    waiting.get_by_text("The facilitator will let you in shortly").wait_for()
    assert_accessible(waiting)


def test_a_waiting_person_moves_into_the_room_when_let_in(
    open_page: Any, live_session: Any, facilitator: Any, carer: Any
) -> None:
    live_session.admission = Session.Admission.WAITING_LIST
    live_session.save()
    AttendanceFactory(session=live_session, user=carer, admission="waiting", checked_in_at=None)
    waiting = open_page(carer, phone=True)
    waiting.goto(f"/join/{live_session.pk}/waiting/")
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    fac.get_by_role("button", name=f"Let in {carer.display_name}").click()
    waiting.wait_for_url(f"**/sessions/{live_session.pk}/room/", timeout=15_000)
    waiting.locator("#activity").wait_for()
    assert_accessible(waiting)


def test_a_hostile_name_shows_as_text_and_runs_nothing(
    open_page: Any, live_session: Any, facilitator: Any
) -> None:
    name = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    joiner = open_page(phone=True)
    joiner.goto(f"/join/?code={live_session.join_code}")
    joiner.get_by_role("button", name="Continue").click()
    joiner.get_by_label("Your name").fill(name)
    joiner.get_by_label("I am an unpaid carer").check()
    joiner.get_by_role("button", name="Join the session").click()
    joiner.locator("#presence").wait_for()
    # The pushed presence list shows the name exactly as typed, as text.
    fac.locator("#presence li", has_text="onerror").wait_for()
    assert fac.locator("#presence li", has_text="onerror").inner_text() == name
    for page in (fac, joiner):
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#presence img").count() == 0


@pytest.mark.parametrize("phone", [True, False], ids=["375px", "1280px"])
def test_payment_and_evaluation_pages_are_accessible(
    open_page: Any, live_session: Any, organiser: Any, person: Any, phone: bool
) -> None:
    from participants.models import Membership
    from workshops.evaluation import services as evaluation

    evaluation.licence_record(
        programme=live_session.programme,
        instrument="swemwbs",
        licence_holder="NHS",
        reference="S-1",
        licensed_on=live_session.programme.starts_on,
        by=organiser,
    )
    measure = evaluation.instrument_form_create(
        programme=live_session.programme, instrument="swemwbs", timepoint="baseline"
    )
    outcome = evaluation.outcome_create(programme=live_session.programme, title="People are heard")
    indicator = evaluation.indicator_create(
        outcome=outcome, title="Everyone's voice", kind="balance"
    )
    page = open_page(organiser, phone=phone)
    programme = live_session.programme_id
    membership = Membership.objects.get(user=person)
    plan = f"/programmes/{programme}/plan/"
    for path in [
        plan,
        f"{plan}outcomes/{outcome.pk}/remove/",
        f"{plan}indicators/{indicator.pk}/remove/",
        f"/programmes/{programme}/payments/",
        f"/programmes/{programme}/payments/rates/",
        f"/programmes/{programme}/payments/audit/",
        f"/programmes/{programme}/payments/expenses/new/",
        f"/programmes/{programme}/payments/people/{membership.pk}/",
        f"/sessions/{live_session.pk}/register/",
        f"/programmes/{programme}/wellbeing/",
        f"/programmes/{programme}/report/",
        f"/measures/{measure.pk}/",
        f"/programmes/{programme}/forms/",
        f"/programmes/{programme}/feedback-questions/",
        f"/sessions/{live_session.pk}/report/",
        f"/programmes/{programme}/you-said-we-did/",
        "/me/payments/",
        "/me/data/",
    ]:
        page.goto(path)
        assert_accessible(page)
        # Nothing wider than the screen: no sideways scrolling of the whole page.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    # The contributor's start page, with the measure due, and the measure itself.
    own = open_page(person, phone=phone)
    own.goto("/")
    assert_accessible(own)
    own.get_by_role("link", name="Answer the wellbeing questions").click()
    own.get_by_role("heading", name="Wellbeing questions — at the start").wait_for()
    assert_accessible(own)


@pytest.mark.parametrize("template", ["errors/503.html", "errors/500.html"])
def test_the_try_again_and_error_pages_are_accessible(open_page: Any, template: str) -> None:
    """Served only when something fails, so the page is handed to the browser as the server
    renders it, at one of the server's own addresses (its stylesheets load for real)."""
    from django.template.loader import render_to_string

    html = render_to_string(template)
    page = open_page(phone=True)
    expect_status(page, 503)
    page.route(
        "**/a-page-that-failed/",
        lambda route: route.fulfill(status=503, body=html, content_type="text/html"),
    )
    page.goto("/a-page-that-failed/")
    assert page.locator("h1").inner_text() in (
        "Please try again in a moment",
        "Sorry, something went wrong on our side",
    )
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"{template.replace('/', '-')}.png"), full_page=True)


def test_not_found_and_out_of_date_pages_have_our_layout(open_page: Any, server: Any) -> None:
    page = open_page(phone=True)
    expect_status(page, 404)
    page.goto("/no-such-page/")
    page.get_by_role("heading", name="Page not found").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Go to the start page").click()
    page.wait_for_url("**/")

    # A form posted after the page's security cookie went: our page, not Django's bare one.
    page.context.clear_cookies()
    expect_status(page, 403)
    page.get_by_role("button", name="Use larger text").click()
    page.get_by_role("heading", name="Please try that again").wait_for()
    assert_accessible(page)
    assert page.locator(".comhla-header").count() == 1


def test_the_scripts_use_their_catalogue_and_speak_english_without_it(open_page: Any) -> None:
    page = open_page(phone=True)
    page.goto("/")
    # /jsi18n/ loaded before the scripts (same origin: the CSP lets it run) and they use it.
    assert page.evaluate("typeof django === 'object' && window.gettext === django.gettext")
    assert page.evaluate("comhlaPresses.NOT_SAVED") == "Not saved — please try again"

    # Should the catalogue fail to load, the scripts still run (no page error), in English.
    offline = open_page(phone=True)
    expect_console_error(offline, "ERR_FAILED")
    offline.route("**/jsi18n/", lambda route: route.abort())
    offline.goto("/")
    assert offline.evaluate("typeof django") == "undefined"
    assert offline.evaluate("comhlaPresses.NOT_SAVED") == "Not saved — please try again"
    minutes = "interpolate(ngettext('%(n)s minute left', '%(n)s minutes left', 2), {n: 2}, true)"
    assert offline.evaluate(minutes) == "2 minutes left"

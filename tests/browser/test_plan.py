"""Plan your evaluation, as an organiser does it: from an empty programme to outcomes,
indicators and a follow-up, then the report saying plainly where there is no evidence yet."""

from typing import Any

from playwright.sync_api import Page

from participants.models import Role
from tests.browser.conftest import ARTIFACTS, assert_accessible, expect_status
from tests.browser.journeys.steps import shoot
from tests.factories import MembershipFactory, UserFactory
from workshops.evaluation.models import FollowUp, FollowUpReminder, Indicator, Outcome


def at_both_widths(page: Page) -> None:
    for width, height in ((375, 812), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_organiser_plans_the_evaluation_of_an_empty_programme(
    open_page: Any, programme: Any, organiser: Any
) -> None:
    # Someone without email, to be on the printed follow-up list.
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)
    # Someone with email who said yes to being contacted: the reminder goes to her.
    tam = UserFactory(display_name="Tam Wilson", email="tam@example.org")
    MembershipFactory(user=tam, programme=programme, role=Role.CARER)
    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/")
    org.get_by_role("link", name="Plan your evaluation").click()
    org.get_by_role("heading", name="Plan your evaluation").wait_for()
    org.get_by_text("No outcomes yet. Most programmes set 3 to 5 outcomes").wait_for()
    at_both_widths(org)

    add_outcome = org.locator("form", has=org.get_by_role("button", name="Add the outcome"))
    expect_status(org, 400)  # an empty outcome is refused
    add_outcome.get_by_role("button", name="Add the outcome").click()
    org.get_by_role("heading", name="There is a problem").wait_for()
    org.get_by_role("link", name="Enter the outcome").wait_for()
    at_both_widths(org)
    assert not Outcome.objects.exists()

    for title in ("People feel listened to", "Ideas lead to change"):
        add_outcome.get_by_label("Outcome", exact=True).fill(title)
        add_outcome.get_by_role("button", name="Add the outcome").click()
        org.get_by_text("The outcome was added: now add its indicators").wait_for()
    first, second = Outcome.objects.order_by("order")
    first_section = org.locator(f"#outcome-{first.pk}")

    def add_indicator(title: str, kind: str, question: str = "") -> None:
        first_section.get_by_text("Add an indicator").click()
        form = first_section.locator(
            "form", has=org.get_by_role("button", name="Add the indicator to outcome 1")
        )
        form.get_by_label("Indicator", exact=True).fill(title)
        form.get_by_role("radio", name=kind).check()
        if question:
            form.get_by_label("Which question").select_option(question)
        form.get_by_role("button", name="Add the indicator to outcome 1").click()
        org.get_by_text("The indicator was added").wait_for()

    add_indicator(
        "Listened to, in feedback", "Average answer to a form question", "I felt listened to"
    )
    add_indicator("People keep coming", "Attendance across sessions")
    org.get_by_text("Average answer to a form question: “I felt listened to”").wait_for()

    org.get_by_role("button", name="Move up indicator: People keep coming").click()
    org.get_by_role("button", name="Move down indicator: People keep coming").wait_for()
    assert list(first.indicators.values_list("title", flat=True)) == [
        "People keep coming",
        "Listened to, in feedback",
    ]
    org.get_by_role("button", name="Move down indicator: People keep coming").click()
    org.get_by_role("button", name="Move up indicator: People keep coming").wait_for()

    org.get_by_text("Edit indicator: Listened to, in feedback").click()
    listened = Indicator.objects.get(title="Listened to, in feedback")
    edit = org.locator(f"form[action$='/indicators/{listened.pk}/']")
    edit.get_by_label("Indicator", exact=True).fill("People felt listened to")
    edit.get_by_role("button", name="Save the indicator").click()
    org.get_by_text("The indicator was saved").wait_for()

    # On a phone each indicator's buttons keep clear of the next indicator's title.
    org.set_viewport_size({"width": 375, "height": 812})
    coming = Indicator.objects.get(title="People keep coming")
    row = org.locator(f"#indicator-{listened.pk} .comhla-plan-actions").bounding_box()
    below = org.locator(f"#indicator-{coming.pk} strong").first.bounding_box()
    assert row is not None and below is not None
    assert below["y"] - (row["y"] + row["height"]) >= 20, (row, below)
    shoot(org, "plan-indicators", at=f"#outcome-{first.pk}")
    org.set_viewport_size({"width": 1280, "height": 900})
    shoot(org, "plan-indicators", at=f"#outcome-{first.pk}")
    # Removing asks first; "No, keep it" keeps it.
    org.get_by_role("link", name="Remove indicator “People keep coming”").click()
    org.get_by_role("heading", name="Remove this indicator?").wait_for()
    org.get_by_text("It is evidence for the outcome “People feel listened to”").wait_for()
    at_both_widths(org)
    shoot(org, "plan-remove-indicator")
    org.set_viewport_size({"width": 375, "height": 812})
    shoot(org, "plan-remove-indicator")
    org.get_by_role("link", name="No, keep it").click()
    org.get_by_role("heading", name="Plan your evaluation").wait_for()
    assert Indicator.objects.count() == 2
    org.get_by_role("link", name="Remove indicator “People keep coming”").click()
    org.get_by_role("button", name="Yes, remove it").click()
    org.get_by_text("The indicator “People keep coming” was removed").wait_for()
    assert list(Indicator.objects.values_list("title", flat=True)) == ["People felt listened to"]

    org.get_by_text("Reword outcome: Ideas lead to change").click()
    reword = org.locator(f"form[action$='/outcomes/{second.pk}/']")
    reword.get_by_label("Outcome", exact=True).fill("Ideas lead to real change")
    reword.get_by_role("button", name="Save the outcome").click()
    org.get_by_text("The outcome was saved").wait_for()
    org.get_by_role("button", name="Move up outcome: Ideas lead to real change").click()
    org.get_by_role("heading", name="Outcome 1: Ideas lead to real change").wait_for()
    org.get_by_role("button", name="Move down outcome: Ideas lead to real change").click()
    org.get_by_role("heading", name="Outcome 2: Ideas lead to real change").wait_for()
    # By keyboard alone: the link, then the question's "Yes".
    org.get_by_role("link", name="Remove outcome “Ideas lead to real change”").focus()
    org.keyboard.press("Enter")
    org.get_by_role("heading", name="Remove this outcome?").wait_for()
    org.get_by_text("It comes off the plan and the report. It has no indicators yet.").wait_for()
    at_both_widths(org)
    org.get_by_role("button", name="Yes, remove it").focus()
    org.keyboard.press("Enter")
    org.get_by_text("The outcome “Ideas lead to real change” was removed").wait_for()
    assert list(Outcome.objects.values_list("pk", flat=True)) == [first.pk]
    assert not Outcome.objects.filter(pk=second.pk).exists()

    org.get_by_label("Follow-up, months after session 1").fill("6")
    org.get_by_role("button", name="Set the follow-up").click()
    org.get_by_text("The follow-up was set").wait_for()
    org.get_by_text("(6 months later)").wait_for()
    assert FollowUp.objects.get().months_after == 6
    org.get_by_role("heading", name="Baseline: overdue").wait_for()  # the programme began
    at_both_widths(org)
    org.screenshot(path=str(ARTIFACTS / "evaluation-plan.png"), full_page=True)

    org.get_by_role("button", name="Email reminders to people who are due").click()
    org.get_by_text("Reminders emailed to 1 person. 1 cannot be emailed").wait_for()
    assert FollowUpReminder.objects.get().person == tam

    org.get_by_role("link", name="Print the list for people who cannot be emailed").click()
    org.get_by_role("heading", name="Wellbeing follow-up list").wait_for()
    org.get_by_text("No email: ask in person or by phone").first.wait_for()
    at_both_widths(org)

    org.goto(f"/programmes/{programme.pk}/report/")
    org.get_by_role("heading", name="1. People feel listened to").wait_for()
    row = org.locator(".govuk-summary-list__row", has_text="People felt listened to")
    assert "No evidence yet" in row.inner_text()
    org.get_by_text("Nobody has answered both the SWEMWBS baseline and follow-up yet").wait_for()
    at_both_widths(org)

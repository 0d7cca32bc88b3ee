"""Benefits-safe payments, as people do it: Jean records her Universal Credit assessment period
and prints her statement on her phone; Morag sees overdue lines, records Jean's details, sets
the overdue days and sees a voucher warning; another programme's organiser sees nothing."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from participants.models import Membership
from participants.payments import services
from participants.payments.models import PaymentLine
from tests.browser.conftest import assert_accessible, expect_status
from tests.factories import MembershipFactory, ProgrammeFactory, StaffUserFactory


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_benefits_safe_payments(
    open_page: Any, programme: Any, organiser: Any, person: Any
) -> None:
    today = timezone.localdate()
    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=today - timedelta(days=30),
        basis="hourly",
        hourly_rate=Decimal("20.00"),
    )
    PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="time",
        worked_on=today - timedelta(days=9),
        amount=Decimal("60.00"),
        status="paid",
        payment_reference="BACS-1",
        paid_on=today,
    )
    services.expense_add(
        programme=programme,
        person=person,
        by=organiser,
        worked_on=today - timedelta(days=9),
        category="fares",
        amount=Decimal("12.40"),
    )
    late = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="time",
        worked_on=today - timedelta(days=20),
        amount=Decimal("40.00"),
        status="sent",
    )
    membership = Membership.objects.get(user=person, programme=programme)

    # Jean, on her phone: her totals, expenses apart; a bad day is refused; then day 3.
    jean = open_page(person, phone=True)
    jean.goto("/me/payments/")
    jean.locator("[data-my-totals]").get_by_text("£12.40").wait_for()
    assert (
        "Expenses paid back this tax year (not income)"
        in jean.locator("[data-my-totals]").inner_text()
    )
    assert_accessible(jean)
    assert fits(jean)
    day_box = jean.get_by_label("My assessment period starts on this day of each month")
    day_box.fill("32")
    expect_status(jean, 400)
    jean.get_by_role("button", name="Save my assessment period").click()
    jean.get_by_role("link", name="Enter a day between 1 and 31, or leave it empty").wait_for()
    assert_accessible(jean)
    jean.get_by_label("My assessment period starts on this day of each month").fill("3")
    jean.get_by_role("button", name="Save my assessment period").click()
    jean.get_by_text("Your assessment period was saved").wait_for()
    jean.locator("[data-my-totals]").get_by_text("Universal Credit assessment period (").wait_for()
    assert membership.payment_preference.uc_assessment_day == 3

    # Her statement: income and expenses apart, each line with its paid date; dates chosen.
    jean.get_by_role("link", name="Print a statement of your payments for involvement").click()
    jean.get_by_role("heading", name="Payments for involvement: Jean Robertson").wait_for()
    assert jean.locator("[data-statement-income]").inner_text() == "£100.00"
    assert jean.locator("[data-statement-expenses]").inner_text() == "£12.40"
    assert_accessible(jean)
    assert fits(jean)
    jean.get_by_label("From").fill(today.isoformat())
    jean.get_by_label("To").fill((today - timedelta(days=1)).isoformat())
    jean.get_by_role("button", name="Show the statement").click()
    jean.get_by_role("link", name="The end date must be on or after the start date").wait_for()
    assert_accessible(jean)
    jean.get_by_label("From").fill((today - timedelta(days=10)).isoformat())
    jean.get_by_label("To").fill(today.isoformat())
    jean.get_by_role("button", name="Show the statement").click()
    jean.locator("[data-statement-income]").get_by_text("£60.00").wait_for()
    assert "Not paid yet" in jean.locator("table.comhla-stack-table").inner_text()
    jean_wide = open_page(person)
    jean_wide.goto("/me/payments/statement/")
    jean_wide.locator("[data-statement-income]").wait_for()
    assert_accessible(jean_wide)

    # Morag: the overdue line and its days, at both widths.
    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/payments/")
    org.locator(f'[data-overdue-line="{late.pk}"]').get_by_text("20 days").wait_for()
    assert_accessible(org)
    org_phone = open_page(organiser, phone=True)
    org_phone.goto(f"/programmes/{programme.pk}/payments/")
    org_phone.locator(f'[data-overdue-line="{late.pk}"]').wait_for()
    assert_accessible(org_phone)
    # Jean's statement, this programme only, from the contributors' list.
    org.get_by_role("link", name="Statement for Jean Robertson").click()
    org.locator("[data-statement-income]").get_by_text("£100.00").wait_for()
    assert_accessible(org)
    org_phone.goto(f"/programmes/{programme.pk}/payments/people/{membership.pk}/statement/")
    org_phone.locator("[data-statement-income]").wait_for()
    assert_accessible(org_phone)
    # Jean is paid in vouchers; her assessment period is recorded as from the 15th.
    org.goto(f"/programmes/{programme.pk}/payments/")
    org.get_by_role("link", name="Payment details for Jean Robertson").click()
    org.get_by_label("Vouchers").check()
    uc_box = org.get_by_label(
        "Their Universal Credit assessment period starts on this day of each month (optional)"
    )
    uc_box.fill("0")
    expect_status(org, 400)
    org.get_by_role("button", name="Save", exact=True).click()
    org.get_by_role("link", name="Enter a day between 1 and 31, or leave it empty").wait_for()
    assert_accessible(org)
    org.get_by_label(
        "Their Universal Credit assessment period starts on this day of each month (optional)"
    ).fill("15")
    org.get_by_role("button", name="Save", exact=True).click()
    org.get_by_text("Payment details for Jean Robertson were saved").wait_for()
    org.get_by_text("Universal Credit, from day 15").wait_for()
    # A tax-year threshold of £50, and lines overdue after 30 days.
    org.goto(f"/programmes/{programme.pk}/payments/rates/")
    org.get_by_label("Warn above this much in a tax year", exact=False).fill("50")
    org.get_by_label("Show a line as overdue", exact=False).fill("30")
    org.get_by_role("button", name="Save thresholds").click()
    org.get_by_text("The warning thresholds were saved").wait_for()
    org.goto(f"/programmes/{programme.pk}/payments/")
    org.get_by_text("No lines are unpaid more than 30 days after their session").wait_for()
    # A new line for Jean would cross it: the warning says vouchers still count.
    fresh = PaymentLine.objects.create(
        programme=programme, person=person, kind="time", worked_on=today, amount=Decimal("20.00")
    )
    org.goto(f"/programmes/{programme.pk}/payments/lines/{fresh.pk}/")
    org.get_by_text("Vouchers still count", exact=False).wait_for()
    assert "Income: counted" in org.locator(".govuk-summary-list").inner_text()
    assert_accessible(org)

    # Another programme's organiser gets nothing.
    rival = StaffUserFactory(display_name="Rhona Rival")
    MembershipFactory(user=rival, programme=ProgrammeFactory(name="Rival"), role="organiser")
    rival_page = open_page(rival)
    expect_status(rival_page, 404)
    rival_page.goto(f"/programmes/{programme.pk}/payments/people/{membership.pk}/statement/")
    assert "£100.00" not in rival_page.content()

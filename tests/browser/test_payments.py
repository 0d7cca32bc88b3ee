"""Paying contributors, as people do it: register → lines → approve → export → paid → My payments."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook

from participants.payments import services
from tests.browser.conftest import ARTIFACTS, assert_accessible
from tests.factories import AttendanceFactory, SessionFactory


def test_from_register_to_paid(
    open_page: Any, programme: Any, organiser: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=programme.starts_on,
        basis="hourly",
        hourly_rate=Decimal("20.00"),
        preparation_minutes=30,
        rounding_minutes=30,
    )
    day = timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ) + timedelta(hours=10)
    session = SessionFactory(
        programme=programme,
        number=3,
        title="Testing our ideas",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status="ended",
    )
    AttendanceFactory(
        session=session, user=person, checked_in_at=start, checked_out_at=start + timedelta(hours=2)
    )
    AttendanceFactory(
        session=session, user=carer, checked_in_at=start, checked_out_at=start + timedelta(hours=1)
    )

    # The facilitator corrects Isla's time out and confirms the register.
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{session.pk}/register/")
    assert_accessible(fac)
    fac.get_by_label(f"Out ({carer.display_name})").fill("11:30")
    fac.get_by_role("button", name=f"Save times for {carer.display_name}").click()
    fac.get_by_text("The times were saved").wait_for()
    fac.get_by_role("button", name="Confirm the register").click()
    fac.get_by_text("2 payment lines made").wait_for()

    # The organiser approves, exports, marks sent and paid.
    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/payments/")
    assert_accessible(org)
    org.locator("td[data-programme-total]").get_by_text(
        "£90.00"
    ).wait_for()  # Jean 2 h + 30 min = £50, Isla 1.5 h + 30 min = £40
    # Nothing changes until the organiser has seen the lines and confirmed; Cancel goes back.
    org.get_by_role("button", name="Approve", exact=True).click()
    org.get_by_role("heading", name="Check these 2 lines before they are approved").wait_for()
    assert_accessible(org)
    org.get_by_role("link", name="Cancel").click()
    org.get_by_role("rowheader", name="Waiting for approval (2)").wait_for()
    org.get_by_role("button", name="Approve", exact=True).click()
    org.get_by_role("button", name="Confirm: approve 2 lines (£90.00)").click()
    org.get_by_text("2 lines approved").wait_for()
    with org.expect_download() as csv_download:
        org.get_by_role("link", name="Download approved lines (CSV)").click()
    rows = list(
        csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8")))
    )
    assert sorted(r["amount"] for r in rows) == ["40.00", "50.00"]
    with org.expect_download() as xlsx_download:
        org.get_by_role("link", name="Download approved lines (XLSX)").click()
    sheet: Any = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    header = [c.value for c in sheet[1]]
    amounts = sorted(
        Decimal(str(row[header.index("amount")]))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert amounts == [Decimal("40"), Decimal("50")]
    org.get_by_role("button", name="Mark approved lines sent to finance").click()
    org.get_by_role("button", name="Confirm: send 2 lines to finance (£90.00)").click()
    org.get_by_text("2 lines sent to finance").wait_for()
    assert_accessible(org)
    # What was just sent stays downloadable, from the banner and by the day it was sent.
    with org.expect_download() as sent_csv:
        org.get_by_role("link", name="Download the lines you just sent (CSV)").click()
    sent_rows = list(
        csv.DictReader(io.StringIO(Path(sent_csv.value.path()).read_text(encoding="utf-8")))
    )
    assert sorted(r["amount"] for r in sent_rows) == ["40.00", "50.00"]
    with org.expect_download() as sent_xlsx:
        org.get_by_role("link", name="Download the lines you just sent (XLSX)").click()
    assert load_workbook(io.BytesIO(Path(sent_xlsx.value.path()).read_bytes())).active.max_row == 3
    with org.expect_download() as on_day_csv:
        org.get_by_role("button", name="Download CSV").click()
    assert "40.00" in Path(on_day_csv.value.path()).read_text(encoding="utf-8")
    with org.expect_download() as on_day_xlsx:
        org.get_by_role("button", name="Download XLSX").click()
    assert (
        load_workbook(io.BytesIO(Path(on_day_xlsx.value.path()).read_bytes())).active.max_row == 3
    )
    org.get_by_label("Payment reference from finance").fill("BACS-0042")
    org.get_by_role("button", name="Mark paid").click()
    # One reference for two people: the page says so before anything is marked paid.
    org.get_by_text("all of them will get one payment reference, BACS-0042").wait_for()
    assert_accessible(org)
    org.get_by_role("button", name="Confirm: mark 2 lines paid (£90.00)").click()
    org.get_by_text("2 lines marked paid").wait_for()
    org.goto(f"/programmes/{programme.pk}/payments/audit/")
    assert_accessible(org)
    org.get_by_text("BACS-0042").first.wait_for()

    # Jean sees it on My payments, on her phone.
    jean = open_page(person, phone=True)
    jean.goto("/me/payments/")
    assert_accessible(jean)
    jean.get_by_text("£50.00").first.wait_for()
    assert "Paid" in jean.locator("table.comhla-stack-table").inner_text()
    # Each payment fits the phone, amount included, with standard and with larger text.
    for larger in (False, True):
        if larger:
            jean.get_by_role("button", name="Use larger text").click()
            jean.get_by_role("button", name="Use standard text").wait_for()
            assert_accessible(jean)
        assert jean.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        amount = jean.locator("td[data-label=Amount]").first.bounding_box()
        assert amount and amount["x"] + amount["width"] <= 375, amount
    jean.locator("table.comhla-stack-table").screenshot(
        path=str(ARTIFACTS / "my-payments-375-larger-text.png")
    )


def test_a_queried_line_says_why_and_what_to_do_next(
    open_page: Any, programme: Any, organiser: Any, facilitator: Any, person: Any
) -> None:
    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=programme.starts_on,
        basis="hourly",
        hourly_rate=Decimal("20.00"),
        preparation_minutes=0,
        rounding_minutes=30,
    )
    day = timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ) + timedelta(hours=10)
    session = SessionFactory(
        programme=programme, starts_at=start, ends_at=start + timedelta(hours=3), status="ended"
    )
    AttendanceFactory(
        session=session, user=person, checked_in_at=start, checked_out_at=start + timedelta(hours=2)
    )
    (line,) = services.register_confirm(session=session, by=facilitator)

    org = open_page(organiser)
    org.goto(f"/programmes/{programme.pk}/payments/lines/{line.pk}/")
    org.get_by_label("Reason (to query, answer or decline)").fill("Did Jean stay until noon?")
    org.get_by_role("button", name="Query").click()
    org.get_by_text("The line was queried").wait_for()
    org.get_by_text("Queried by Morag Organiser").wait_for()
    assert_accessible(org)
    org.goto(f"/programmes/{programme.pk}/payments/")
    org.locator("[data-query]").get_by_text("Did Jean stay until noon?").wait_for()
    assert_accessible(org)
    org.get_by_role("link", name=f"Answer the query about line {line.pk}").click()
    org.get_by_label("Reason (to query, answer or decline)").fill("Yes: the sign-in sheet says so")
    org.get_by_role("button", name="Answered: back to waiting").click()
    org.get_by_text("The line was answered").wait_for()
    assert org.locator("[data-query]").count() == 0
    assert "Waiting for approval" in org.locator(".govuk-summary-list").inner_text()
    # Back in the list, the organiser ticks that line and approves just it, after checking.
    org.goto(f"/programmes/{programme.pk}/payments/")
    org.get_by_label(f"Choose line {line.pk}", exact=False).check()
    org.get_by_label("With the lines you ticked").select_option("approve")
    org.get_by_role("button", name="Check the ticked lines").click()
    org.get_by_role("button", name=f"Confirm: approve 1 line (£{line.amount})").click()
    org.get_by_text("1 line approved").wait_for()


def test_the_organisers_lines_read_as_cards_on_a_phone_and_as_a_table_on_a_laptop(
    open_page: Any, programme: Any, organiser: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=programme.starts_on,
        basis="hourly",
        hourly_rate=Decimal("20.00"),
    )
    day = timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ) + timedelta(hours=10)
    session = SessionFactory(
        programme=programme,
        title="Planning the community transport survey",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status="ended",
    )
    for who in (person, carer):
        AttendanceFactory(
            session=session,
            user=who,
            checked_in_at=start,
            checked_out_at=start + timedelta(hours=2),
        )
    first, second = services.register_confirm(session=session, by=facilitator)
    services.line_transition(
        line=second, by=organiser, action="query", reason="Did Isla stay until noon?"
    )
    services.expense_add(
        programme=programme,
        person=person,
        by=organiser,
        worked_on=day,
        category="care",
        amount=Decimal("45.00"),
        session=session,
    )

    org = open_page(organiser, phone=True)
    org.goto(f"/programmes/{programme.pk}/payments/")
    table = org.locator("table.comhla-lines")
    for width, height in ((375, 812), (1280, 900)):
        org.set_viewport_size({"width": width, "height": height})
        assert_accessible(org)
        # Nothing scrolls sideways: not the page, not the table.
        assert org.evaluate("document.documentElement.scrollWidth") <= width
        box = table.bounding_box()
        assert box and box["x"] + box["width"] <= width, box
        for row in table.locator("tbody tr").all():
            amount = row.locator("td[data-label=Amount]").bounding_box()
            assert amount and amount["x"] + amount["width"] <= width, amount
        table.screenshot(path=str(ARTIFACTS / f"organiser-payments-{width}.png"))
        # On a phone each line is a card naming its fields; on a laptop the column headers do.
        header_shown = table.locator("thead").bounding_box()
        assert header_shown is not None and (header_shown["height"] > 1) == (width > 640)

    # On the phone, tick one card's line and check it before approving.
    org.set_viewport_size({"width": 375, "height": 812})
    org.get_by_label(f"Choose line {first.pk}", exact=False).check()
    org.get_by_label("With the lines you ticked").select_option("approve")
    org.get_by_role("button", name="Check the ticked lines").click()
    org.get_by_role("button", name=f"Confirm: approve 1 line (£{first.amount})").click()
    org.get_by_text("1 line approved").wait_for()
    assert_accessible(org)

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
from tests.browser.conftest import assert_accessible
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
    org.get_by_role("button", name="Approve", exact=True).click()
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
    org.get_by_text("2 lines sent to finance").wait_for()
    org.get_by_label("Payment reference from finance").fill("BACS-0042")
    org.get_by_role("button", name="Mark paid").click()
    org.get_by_text("2 lines marked paid").wait_for()
    org.goto(f"/programmes/{programme.pk}/payments/audit/")
    assert_accessible(org)
    org.get_by_text("BACS-0042").first.wait_for()

    # Jean sees it on My payments, on her phone.
    jean = open_page(person, phone=True)
    jean.goto("/me/payments/")
    assert_accessible(jean)
    jean.get_by_text("£50.00").first.wait_for()
    assert "Paid" in jean.locator("table").inner_text()

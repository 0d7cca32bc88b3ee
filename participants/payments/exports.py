"""Exports for finance: CSV and XLSX with stable column names and exact decimal money."""

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from participants.payments.models import PaymentLine, PaymentPreference
from participants.payments.selectors import is_income
from project.exports import spreadsheet_safe

COLUMNS = [
    "line_id",
    "person",
    "payee_reference",
    "method",
    "session",
    "date",
    "hours",
    "rate",
    "amount",
    "expense_category",
    "status",
    "cost_code",
    "income_or_expense",
]


def rows(lines: list[PaymentLine], prefs: dict[int, PaymentPreference]) -> list[list[Any]]:
    """One row per line; money and hours stay Decimal, text is made formula-safe."""
    out: list[list[Any]] = []
    for line in lines:
        pref = prefs.get(line.person_id)
        out.append(
            [
                line.pk,
                spreadsheet_safe(line.person.display_name),
                spreadsheet_safe(pref.payee_reference if pref else ""),
                pref.get_method_display() if pref else "",
                spreadsheet_safe(line.session.title) if line.session else "",
                line.worked_on.isoformat(),
                line.hours.quantize(Decimal("0.01")) if line.hours is not None else None,
                line.rate,
                line.amount,
                line.get_category_display() if line.category else "",
                line.get_status_display(),
                spreadsheet_safe(pref.cost_code if pref else ""),
                "income" if is_income(line) else "expense (not income)",
            ]
        )
    return out


def to_csv(data: list[list[Any]]) -> str:
    """CSV text: Decimals written exactly as their strings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in data:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buffer.getvalue()


def to_xlsx(data: list[list[Any]]) -> bytes:
    """An XLSX workbook: money cells are exact decimals shown with two places."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Payment lines"
    sheet.append(COLUMNS)
    money_columns = {COLUMNS.index("rate"), COLUMNS.index("amount")}
    for row in data:
        sheet.append(row)
        for index in money_columns:
            sheet.cell(row=sheet.max_row, column=index + 1).number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

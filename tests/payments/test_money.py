"""Money: Decimal all the way, half-up once per line, equal to the penny everywhere."""

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from participants.payments import exports, selectors
from participants.payments.models import PaymentLine
from participants.payments.money import round_up_minutes, to_money


def test_to_money_rounds_half_up_to_the_penny() -> None:
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    assert to_money(Decimal("2.675")) == Decimal("2.68")
    assert to_money(Decimal("-1.005")) == Decimal("-1.01")
    assert to_money("10") == Decimal("10.00")


def test_to_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        to_money(2.675)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minutes", "unit", "expected"),
    [(0, 30, 0), (1, 30, 30), (30, 30, 30), (31, 30, 60), (160, 30, 180), (55, 15, 60), (7, 1, 7)],
)
def test_time_is_rounded_up_to_the_unit(minutes: int, unit: int, expected: int) -> None:
    assert round_up_minutes(minutes, unit) == expected


amounts = st.decimals(
    min_value=Decimal("0.01"),
    max_value=Decimal("5000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(amounts, min_size=1, max_size=15))
def test_totals_on_screen_in_csv_and_in_xlsx_are_equal_to_the_penny(
    values: list[Decimal], programme: Any, person: Any, rates: Any
) -> None:
    PaymentLine.objects.all().delete()
    for value in values:
        PaymentLine.objects.create(
            programme=programme,
            person=person,
            kind="expense",
            category="other",
            worked_on=date(2026, 5, 1),
            amount=value,
            status="approved",
        )
    qs = selectors.lines(programme_id=programme.pk, status="approved")
    on_screen = selectors.total(qs)
    data = exports.rows(list(qs), {})
    in_csv = sum(
        Decimal(row["amount"]) for row in csv.DictReader(io.StringIO(exports.to_csv(data)))
    )
    sheet: Any = load_workbook(io.BytesIO(exports.to_xlsx(data))).active
    header = [c.value for c in sheet[1]]
    column = header.index("amount")
    xlsx_cells = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    in_xlsx = sum(Decimal(str(v)) for v in xlsx_cells)
    assert on_screen == in_csv == in_xlsx == sum(values)


def test_no_float_reaches_an_export(programme: Any, person: Any, db: Any) -> None:
    line = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="time",
        worked_on=date(2026, 5, 1),
        hours=Decimal("2.5"),
        rate=Decimal("20.00"),
        amount=Decimal("50.00"),
        status="approved",
    )
    for row in exports.rows([line], {}):
        assert not any(isinstance(value, float) for value in row), row
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(exports.rows([line], {})))).active
    amount = sheet.cell(row=2, column=exports.COLUMNS.index("amount") + 1)
    assert amount.number_format == "0.00"
    assert str(amount.value) in {"50", "50.0", "50.00"}


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_formula_in_a_name_is_text_in_csv_and_xlsx(
    name: str, programme: Any, person: Any, db: Any
) -> None:
    person.display_name = name
    person.save()
    line = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="expense",
        category="other",
        worked_on=date(2026, 5, 1),
        amount=Decimal("5.00"),
        status="approved",
    )
    data = exports.rows([line], {})
    (row,) = csv.DictReader(io.StringIO(exports.to_csv(data)))
    assert row["person"] == "'" + name
    sheet: Any = load_workbook(io.BytesIO(exports.to_xlsx(data))).active
    cell = sheet.cell(row=2, column=exports.COLUMNS.index("person") + 1)
    # XML reads a carriage return back as a newline: what matters is the quote in front.
    assert cell.data_type == "s" and cell.value == "'" + name.replace("\r", "\n")
    amount = sheet.cell(row=2, column=exports.COLUMNS.index("amount") + 1)
    assert amount.data_type == "n"

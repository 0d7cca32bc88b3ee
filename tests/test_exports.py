"""project.exports.spreadsheet_safe: the one guard every CSV and XLSX export uses."""

from datetime import date
from decimal import Decimal

import pytest

from project.exports import FORMULA_STARTS, spreadsheet_safe


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_with_a_formula_character_is_quoted(first: str) -> None:
    text = first + 'HYPERLINK("http://evil.example")'
    assert spreadsheet_safe(text) == "'" + text


def test_every_formula_character_is_covered() -> None:
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("text", ["Jean", "", " =1", "a=b", "Tam's idea", "'=already"])
def test_other_text_is_unchanged(text: str) -> None:
    assert spreadsheet_safe(text) == text


@pytest.mark.parametrize("value", [None, 0, -3, 2.5, Decimal("-12.40"), date(2026, 5, 1), True])
def test_numbers_dates_and_none_pass_through(value: object) -> None:
    assert spreadsheet_safe(value) is value


def test_anything_else_is_written_as_its_safe_text() -> None:
    class Title:
        def __str__(self) -> str:
            return "=1+1"

    assert spreadsheet_safe(Title()) == "'=1+1"

"""What every CSV and XLSX export does to a cell before writing it."""

from datetime import date
from decimal import Decimal
from typing import overload

# A spreadsheet runs a text cell starting with one of these as a formula (CSV injection);
# a tab or carriage return ahead of one hides it from a glance at the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

type Plain = int | float | Decimal | date | None


# A number is an object too: the first overload wins for it, as the body does.
@overload
def spreadsheet_safe[P: Plain](value: P) -> P: ...  # type: ignore[overload-overlap]
@overload
def spreadsheet_safe(value: object) -> str: ...
def spreadsheet_safe(value: object) -> object:
    """The cell as a spreadsheet will show it, never run it: formula-like text gets a leading '.

    Numbers, dates and None pass through unchanged (a spreadsheet keeps them numbers);
    anything else is written as its text.
    """
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text

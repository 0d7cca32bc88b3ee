"""Money: Decimal pounds and pence, rounded half-up once per line. Never a float."""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """Pounds and pence, rounded half-up to the penny. Refuses floats outright."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: use Decimal or a string")
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | None) -> str:
    """£1,234.50"""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def round_up_minutes(minutes: int, unit: int) -> int:
    """Round a time up to the next whole unit (30 minutes by default)."""
    if unit <= 1:
        return minutes
    return int((Decimal(minutes) / unit).to_integral_value(rounding=ROUND_CEILING)) * unit


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as hours, exactly (to two places: rounding units are whole minutes)."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.0001"))

"""Payment fixtures: rates, an ended session with a register, lines."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from participants.payments import services
from tests.factories import AttendanceFactory, SessionFactory


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=minute)
    )


@pytest.fixture
def rates(programme: Any, organiser: Any) -> Any:
    """£20 an hour, round up to 30 minutes, 30 minutes' preparation, 45p a mile, meals capped at £10."""
    return services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=programme.starts_on,
        basis="hourly",
        hourly_rate=Decimal("20.00"),
        preparation_minutes=30,
        rounding_minutes=30,
        mileage_rate=Decimal("0.45"),
        caps={"meals": Decimal("10.00")},
    )


@pytest.fixture
def ended_session(programme: Any) -> Any:
    day = timezone.localdate() - timedelta(days=2)
    return SessionFactory(
        programme=programme,
        number=7,
        title="Ideas for better support",
        starts_at=at(day, 10),
        ends_at=at(day, 13),
        status="ended",
    )


@pytest.fixture
def register(ended_session: Any, person: Any, carer: Any, practitioner: Any) -> Any:
    """Jean 10:00–12:10 (130 min), Isla 10:05–11:00 (55 min), Priya (staff) 10:00–13:00."""
    day = timezone.localtime(ended_session.starts_at).date()
    for user, start, end in (
        (person, at(day, 10), at(day, 12, 10)),
        (carer, at(day, 10, 5), at(day, 11)),
        (practitioner, at(day, 10), at(day, 13)),
    ):
        AttendanceFactory(session=ended_session, user=user, checked_in_at=start, checked_out_at=end)
    return ended_session

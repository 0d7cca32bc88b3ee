"""Demo payments: rates, and the first session's register confirmed with lines in every state."""

from decimal import Decimal

from participants.models import User
from participants.payments import services
from participants.payments.models import RateCard, RegisterConfirmation
from workshops.models import Programme, Session


def load_payments_demo(*, programme: Programme, facilitator: User, organiser: User) -> None:
    """£20 an hour, rounded up to 30 minutes, 30 minutes' preparation, 45p a mile; the held
    session's register confirmed, and its lines taken along the workflow (idempotent)."""
    if not RateCard.objects.filter(programme=programme).exists():
        services.rate_card_create(
            programme=programme,
            by=organiser,
            starts_on=programme.starts_on,
            basis="hourly",
            hourly_rate=Decimal("20.00"),
            preparation_minutes=30,
            rounding_minutes=30,
            mileage_rate=Decimal("0.45"),
            caps={"meals": Decimal("10.00"), "care": Decimal("60.00")},
        )
    services.policy_for(programme=programme)
    held = programme.sessions.filter(status=Session.Status.ENDED).order_by("number").first()
    if held is None or RegisterConfirmation.objects.filter(session=held).exists():
        return
    lines = services.register_confirm(session=held, by=facilitator)
    day = held.starts_at.date()
    if lines:
        services.expense_add(
            programme=programme,
            person=lines[0].person,
            by=organiser,
            worked_on=day,
            category="mileage",
            miles=Decimal("14"),
            session=held,
            receipt_note="Home to the hall and back",
        )
    steps = [["approve", "send", "pay"], ["approve", "send"], ["approve"], ["query"]]
    for line, actions in zip(lines, steps, strict=False):
        for action in actions:
            services.line_transition(
                line=line,
                by=organiser,
                action=action,
                reason="Please check the time out" if action == "query" else "",
                payment_reference="BACS-DEMO-001" if action == "pay" else "",
            )

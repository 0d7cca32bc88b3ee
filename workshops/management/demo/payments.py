"""The demo's payments: the rates, how each contributor asked to be paid, and each held
session's register confirmed, its lines taken along the workflow: the older sessions paid,
the latest in every state."""

from datetime import date, timedelta
from decimal import Decimal

from participants.models import Membership, User
from participants.payments import services
from participants.payments.models import PaymentLine, PaymentPreference
from workshops.models import Programme, Session

Method = PaymentPreference.Method

# How each contributor asked to be paid: the method, whether they receive benefits (None: not
# said), whether independent benefits advice was offered, and finance's payee reference.
PREFERENCES: dict[str, tuple[str, bool | None, bool, str]] = {
    "Jean Robertson": (Method.BANK, False, False, "KIP-G-0101"),
    "Tam Wilson": (Method.VOUCHER, True, True, ""),
    "Isla Robertson": (Method.BANK, None, False, "KIP-G-0104"),
    "Davie Stewart": (Method.CASH, True, True, ""),
    "Bill Anderson": (Method.BANK, False, False, "KIP-M-0201"),
    "Margaret Reid": (Method.VOUCHER, True, True, ""),
    "Jim Cairns": (Method.BANK, None, False, "KIP-M-0203"),
    "Elspeth Gray": (Method.VOUCHER, False, False, ""),
    # She gives her time: her lines are declined, as she asked.
    "Sandra Cairns": (Method.NONE, None, False, ""),
}
# The latest held session's lines, in turn: where each one got to.
LATEST_STEPS = [
    ["approve", "send", "pay"],
    ["approve", "send"],
    ["approve"],
    ["query"],
    [],
]
PAID_AFTER = timedelta(days=18)


def rates_set(*, programme: Programme, organiser: User) -> None:
    """£20 an hour, rounded up to 30 minutes, 30 minutes' preparation, 45p a mile."""
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


def preferences_set(
    *, members: dict[str, Membership], organiser: User, advice_on: date, cost_code: str
) -> None:
    """Each contributor's payment preference, as they told the organiser at the start."""
    for name, wanted in PREFERENCES.items():
        member = members.get(name)
        if member is None:
            continue
        method, benefits, advice, reference = wanted
        services.preference_set(
            membership=member,
            by=organiser,
            method=method,
            receives_benefits=benefits,
            benefits_advice_offered_on=advice_on if advice else None,
            payee_reference=reference,
            cost_code=cost_code,
        )


def _walk(line: PaymentLine, steps: list[str], *, by: User, paid_on: date) -> None:
    for action in steps:
        services.line_transition(
            line=line,
            by=by,
            action=action,
            reason="Please check the time out: the register says 12:30"
            if action == "query"
            else "",
            payment_reference=f"BACS-{paid_on:%Y%m%d}-{line.pk:04d}" if action == "pay" else "",
            paid_on=paid_on if action == "pay" else None,
        )


def register_pay(
    *, session: Session, facilitator: User, organiser: User, latest: bool
) -> list[PaymentLine]:
    """Confirm a held session's register; pay its lines, or, for the latest, take them along
    the workflow so every state shows. Someone who asked not to be paid has theirs declined."""
    lines = services.register_confirm(session=session, by=facilitator)
    day = session.starts_at.date()
    refused = {
        m.user_id
        for m in Membership.objects.filter(
            programme_id=session.programme_id, payment_preference__method=Method.NONE
        )
    }
    expenses = []
    if lines:
        expenses.append(
            services.expense_add(
                programme=session.programme,
                person=lines[0].person,
                by=organiser,
                worked_on=day,
                category="mileage",
                miles=Decimal("14"),
                session=session,
                receipt_note="Home to the hall and back",
            )
        )
    if len(lines) > 1:
        expenses.append(
            services.expense_add(
                programme=session.programme,
                person=lines[1].person,
                by=organiser,
                worked_on=day,
                category="care",
                amount=Decimal("45.00"),
                session=session,
                receipt_note="Sitter for three hours, receipt from the care agency",
            )
        )
    paid_on = day + PAID_AFTER
    ordinary = [line for line in [*lines, *expenses] if line.person_id not in refused]
    for line in [*lines, *expenses]:
        if line.person_id in refused:
            services.line_transition(
                line=line, by=organiser, action="decline", reason="Asked not to be paid"
            )
    for i, line in enumerate(ordinary):
        steps = LATEST_STEPS[i % len(LATEST_STEPS)] if latest else ["approve", "send", "pay"]
        _walk(line, steps, by=organiser, paid_on=paid_on)
    return lines

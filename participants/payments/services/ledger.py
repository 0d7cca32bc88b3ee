"""The append-only ledger: every payment line is made here, with the audit event that records
it, and every other audit event is written here too. Callers hold the transaction."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from participants.models import User
from participants.payments.models import PaymentEvent, PaymentLine, RateCard
from workshops.models import Session


def event_record(
    *,
    line: PaymentLine | None,
    programme_id: int,
    by: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> PaymentEvent:
    """Write one audit event: who did what to which line (or to the programme's settings)."""
    return PaymentEvent.objects.create(
        line=line,
        programme_id=programme_id,
        by=by,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:300],
    )


# savepoint=False: inside a service's transaction this adds no savepoint (and no queries); on
# its own it still writes the line and its event together or not at all.
@transaction.atomic(savepoint=False)
def line_create(
    *,
    programme_id: int,
    person_id: int,
    kind: str,
    worked_on: date,
    amount: Decimal,
    by: User,
    reason: str,
    session: Session | None = None,
    rate_card: RateCard | None = None,
    corrects: PaymentLine | None = None,
    minutes_attended: int | None = None,
    minutes_paid: int | None = None,
    hours: Decimal | None = None,
    rate: Decimal | None = None,
    category: str = "",
    miles: Decimal | None = None,
    receipt_note: str = "",
    over_cap_reason: str = "",
) -> PaymentLine:
    """Make a line waiting for approval, and the audit event saying where it came from."""
    line = PaymentLine.objects.create(
        programme_id=programme_id,
        session=session,
        person_id=person_id,
        kind=kind,
        rate_card=rate_card,
        worked_on=worked_on,
        minutes_attended=minutes_attended,
        minutes_paid=minutes_paid,
        hours=hours,
        rate=rate,
        amount=amount,
        category=category,
        miles=miles,
        receipt_note=receipt_note,
        over_cap_reason=over_cap_reason,
        corrects=corrects,
        created_by=by,
    )
    event_record(
        line=line,
        programme_id=programme_id,
        by=by,
        action="created",
        to_status=PaymentLine.Status.PENDING,
        reason=reason,
    )
    return line

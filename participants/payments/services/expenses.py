"""Expense claims: mileage at the rates' mileage rate, or a receipted amount within its cap.
Reimbursed, not income."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participants.models import PAID_ROLES, Membership, User
from participants.payments.models import PaymentLine
from participants.payments.money import to_money
from participants.payments.services.ledger import line_create
from participants.payments.services.rates import rate_card_on
from workshops.models import Programme, Session


@transaction.atomic
def expense_add(
    *,
    programme: Programme,
    person: User,
    by: User,
    worked_on: date,
    category: str,
    amount: Decimal | None = None,
    miles: Decimal | None = None,
    receipt_note: str = "",
    over_cap_reason: str = "",
    session: Session | None = None,
) -> PaymentLine:
    """Add an expense line (mileage at the card's rate, or a receipted amount)."""
    membership = Membership.objects.filter(user=person, programme=programme).first()
    if membership is None or membership.role not in PAID_ROLES:
        raise ValidationError(_("Expenses are for people with lived experience and carers"))
    if session is not None and session.programme_id != programme.pk:
        raise ValidationError(_("That session is not in this programme"))
    if category not in PaymentLine.Category.values:
        raise ValidationError({"category": _("Choose what the expense was for")})
    card = rate_card_on(programme.pk, worked_on)
    if card is None:
        raise ValidationError(_("Set the programme's rates first"))
    if category == PaymentLine.Category.MILEAGE:
        if miles is None or miles <= 0:
            raise ValidationError({"miles": _("Enter the miles travelled, above 0")})
        amount = to_money(miles * card.mileage_rate)
    elif amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above £0")})
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above £0")})
    cap = card.cap_for(category)
    if cap is not None and amount > cap and not over_cap_reason.strip():
        raise ValidationError(
            {"over_cap_reason": _("This is over the £%(cap)s cap: say why") % {"cap": cap}}
        )
    return line_create(
        programme_id=programme.pk,
        session=session,
        person_id=person.pk,
        kind=PaymentLine.Kind.EXPENSE,
        rate_card=card,
        worked_on=worked_on,
        category=category,
        miles=miles,
        rate=card.mileage_rate if category == PaymentLine.Category.MILEAGE else None,
        amount=amount,
        receipt_note=receipt_note.strip(),
        over_cap_reason=over_cap_reason.strip(),
        by=by,
        reason=_("Expense: %(category)s") % {"category": PaymentLine.Category(category).label},
    )

"""How a contributor wants to be paid, what the organiser records about benefits and finance,
and the day their Universal Credit assessment period starts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Membership, User
from participants.payments.models import PaymentPreference
from participants.payments.money import to_money
from participants.payments.services.ledger import event_record


@transaction.atomic
def preference_set(
    *,
    membership: Membership,
    by: User,
    method: str,
    reduced_amount: Decimal | None = None,
    **organiser_fields: object,
) -> PaymentPreference:
    """Save how someone wants to be paid (and, for organisers, benefits and finance details)."""
    if method not in PaymentPreference.Method.values:
        raise ValidationError({"method": _("Choose how you would like to be paid")})
    if method == PaymentPreference.Method.REDUCED and (
        reduced_amount is None or reduced_amount <= 0
    ):
        raise ValidationError({"reduced_amount": _("Enter the reduced amount, above £0")})
    preference, _created = PaymentPreference.objects.get_or_create(membership=membership)
    preference.method = method
    preference.reduced_amount = to_money(reduced_amount) if reduced_amount is not None else None
    for name, value in organiser_fields.items():
        setattr(preference, name, value)
    preference.full_clean()
    preference.save()
    event_record(
        line=None,
        programme_id=membership.programme_id,
        by=by,
        action="preference_changed",
        reason=_("Method: %(method)s") % {"method": preference.get_method_display()},
    )
    return preference


UC_DAY_ERROR = gettext_lazy("Enter a day between 1 and 31, or leave it empty")


@transaction.atomic
def uc_period_set(*, membership: Membership, by: User, day: int | None) -> PaymentPreference:
    """Record the day of the month someone's Universal Credit assessment period starts (None:
    not on UC, or not known); their monthly totals and warnings then follow that period."""
    if day is not None and not 1 <= day <= 31:
        raise ValidationError({"uc_assessment_day": UC_DAY_ERROR})
    preference, _created = PaymentPreference.objects.get_or_create(
        membership=membership, defaults={"method": ""}
    )
    preference.uc_assessment_day = day
    preference.full_clean()
    preference.save()
    event_record(
        line=None,
        programme_id=membership.programme_id,
        by=by,
        action="uc_period_changed",
        reason=_("Universal Credit assessment period from day %(day)s of each month") % {"day": day}
        if day
        else _("Universal Credit assessment period not recorded"),
    )
    return preference

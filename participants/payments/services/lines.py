"""Lines for time, from a session's confirmed register, and adjustments to lines: a correction
is always a new line pointing at the one it corrects, never an edit."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import PAID_ROLES, Membership, User
from participants.payments.models import PaymentLine, RegisterConfirmation
from participants.payments.money import to_money
from participants.payments.services.ledger import line_create
from participants.payments.services.rates import rate_card_on, time_line_figures
from workshops.models import Attendance, Session

Status = PaymentLine.Status


def _session_window(session: Session) -> tuple[datetime, datetime]:
    day = timezone.localtime(session.starts_at).date()
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


@transaction.atomic
def attendance_correct(
    *, session: Session, by: User, user_id: int, checked_in_at: datetime, checked_out_at: datetime
) -> Attendance:
    """Correct (or record by hand) a person's times in a session's register."""
    if RegisterConfirmation.objects.filter(session=session).exists():
        raise ValidationError(_("The register is confirmed: correct a payment with an adjustment"))
    start, end = _session_window(session)
    if not (start <= checked_in_at < end and start < checked_out_at <= end):
        raise ValidationError(_("Times must be on the day of the session"))
    if checked_out_at <= checked_in_at:
        raise ValidationError(_("The time out must be after the time in"))
    if checked_out_at > timezone.now():
        raise ValidationError(_("The time out cannot be later than now"))
    if not Membership.objects.filter(user_id=user_id, programme_id=session.programme_id).exists():
        raise ValidationError(_("That person is not in this programme"))
    attendance, _created = Attendance.objects.get_or_create(
        session=session, user_id=user_id, defaults={"admission": Attendance.Admission.ADMITTED}
    )
    attendance.admission = Attendance.Admission.ADMITTED
    attendance.checked_in_at, attendance.checked_out_at = checked_in_at, checked_out_at
    attendance.admitted_by = attendance.admitted_by or by
    attendance.save()
    return attendance


@transaction.atomic
def register_confirm(*, session: Session, by: User) -> list[PaymentLine]:
    """Confirm a session's register: a time line for each person with lived experience and
    each carer who attended. Staff roles get none. A register is confirmed once."""
    if RegisterConfirmation.objects.filter(session=session).exists():
        raise ValidationError(_("This register has already been confirmed"))
    open_rows = Attendance.objects.filter(
        session=session,
        admission=Attendance.Admission.ADMITTED,
        checked_in_at__isnull=False,
        checked_out_at__isnull=True,
    )
    still_in = sorted(open_rows.values_list("user__display_name", flat=True), key=str.lower)
    if still_in:
        raise ValidationError(
            _("These people are still checked in and need a time out before you confirm: %(names)s")
            % {"names": ", ".join(still_in)}
        )
    day = timezone.localtime(session.starts_at).date()
    card = rate_card_on(session.programme_id, day)
    if card is None:
        raise ValidationError(_("Set the programme's rates before confirming a register"))
    RegisterConfirmation.objects.create(session=session, confirmed_by=by)
    paid_roles = dict(
        Membership.objects.filter(
            programme_id=session.programme_id, role__in=PAID_ROLES
        ).values_list("user_id", "role")
    )
    lines = []
    for attendance in Attendance.objects.filter(
        session=session,
        checked_in_at__isnull=False,
        checked_out_at__isnull=False,
        user_id__in=paid_roles,
    ).order_by("user_id"):
        assert attendance.checked_in_at and attendance.checked_out_at
        minutes = int((attendance.checked_out_at - attendance.checked_in_at).total_seconds() // 60)
        if minutes <= 0:
            continue
        paid, hours, rate, amount = time_line_figures(card, minutes)
        lines.append(
            line_create(
                programme_id=session.programme_id,
                session=session,
                person_id=attendance.user_id,
                kind=PaymentLine.Kind.TIME,
                rate_card=card,
                worked_on=day,
                minutes_attended=minutes,
                minutes_paid=paid,
                hours=hours,
                rate=rate,
                amount=amount,
                by=by,
                reason=_("From the confirmed register"),
            )
        )
    return lines


@transaction.atomic
def adjustment_add(*, line: PaymentLine, by: User, amount: Decimal, reason: str) -> PaymentLine:
    """Correct an approved or later line with a new line pointing at it (never an edit)."""
    if line.kind == PaymentLine.Kind.ADJUSTMENT:
        raise ValidationError(_("Adjust the original line, not an adjustment"))
    if line.status in (Status.PENDING, Status.QUERIED, Status.DECLINED):
        raise ValidationError(
            _("Only approved, sent or paid lines are corrected with an adjustment")
        )
    amount = to_money(amount)
    if amount == 0:
        raise ValidationError({"amount": _("An adjustment cannot be £0")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the line needs correcting")})
    if (
        line.amount
        + amount
        + sum(a.amount for a in line.adjustments.exclude(status=Status.DECLINED))
        < 0
    ):
        raise ValidationError({"amount": _("That would take the line below £0")})
    return line_create(
        programme_id=line.programme_id,
        session=line.session,
        person_id=line.person_id,
        kind=PaymentLine.Kind.ADJUSTMENT,
        worked_on=line.worked_on,
        amount=amount,
        corrects=line,
        by=by,
        reason=_("Adjusts line %(number)s: %(why)s") % {"number": line.pk, "why": reason.strip()},
    )

"""A line's way through the workflow: approve, query, answer, decline, send to finance, pay;
one line at a time or many at once; and exports for finance, recorded line by line.

Status changes are conditional UPDATEs (`… WHERE status = <expected>`) checked by row count:
that holds on SQLite and PostgreSQL alike, so two organisers approving or paying the same
line at the same moment make exactly one transition and one audit record.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import security
from participants.models import SecurityEvent, User
from participants.payments.models import PaymentLine
from participants.payments.services.ledger import event_record
from workshops.models import Programme

Status = PaymentLine.Status

# Which status each action moves a line from, and to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((Status.PENDING,), Status.APPROVED),
    "query": ((Status.PENDING, Status.APPROVED), Status.QUERIED),
    "answer": ((Status.QUERIED,), Status.PENDING),
    "decline": ((Status.PENDING, Status.QUERIED), Status.DECLINED),
    "send": ((Status.APPROVED,), Status.SENT),
    "pay": ((Status.SENT,), Status.PAID),
}
NEEDS_REASON = {"query", "answer", "decline"}


@transaction.atomic
def line_transition(
    *,
    line: PaymentLine,
    by: User,
    action: str,
    reason: str = "",
    payment_reference: str = "",
    paid_on: date | None = None,
) -> PaymentLine:
    """Move a line along the workflow, once. A stale or repeated change is refused."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Choose what to do with the line"))
    sources, target = TRANSITIONS[action]
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Say why")})
    if action == "approve" and line.person_id == by.pk:
        raise ValidationError(_("You cannot approve your own claim"))
    extra: dict[str, object] = {}
    if action == "pay":
        payment_reference = payment_reference.strip()
        if not payment_reference:
            raise ValidationError(
                {"payment_reference": _("Enter the payment reference from finance")}
            )
        extra = {"payment_reference": payment_reference, "paid_on": paid_on or timezone.localdate()}
    updated = PaymentLine.objects.filter(pk=line.pk, status__in=sources).update(
        status=target, **extra
    )
    if not updated:
        current = PaymentLine.objects.values_list("status", flat=True).get(pk=line.pk)
        raise ValidationError(
            _("This line is %(status)s: it cannot be %(done)s now")
            % {"status": PaymentLine.Status(current).label.lower(), "done": action_words(action)}
        )
    from_status = line.status if line.status in sources else sources[0]
    event_record(
        line=line,
        programme_id=line.programme_id,
        by=by,
        action=action,
        from_status=from_status,
        to_status=target,
        reason=reason or payment_reference,
    )
    security.record(
        kind=SecurityEvent.Kind.PAYMENT_TRANSITION,
        actor=by,
        target=f"payment_line:{line.pk}",
        outcome=f"{from_status}->{target}",
    )
    line.refresh_from_db()
    return line


def action_words(action: str) -> str:
    """An action in plain words."""
    return {
        "approve": _("approved"),
        "query": _("queried"),
        "answer": _("answered"),
        "decline": _("declined"),
        "send": _("sent to finance"),
        "pay": _("marked paid"),
    }.get(action, action)


@transaction.atomic
def bulk_transition(
    *,
    lines: Iterable[PaymentLine],
    by: User,
    action: str,
    payment_reference: str = "",
    paid_on: date | None = None,
) -> tuple[int, list[str]]:
    """Approve (or mark paid) many lines; each one that can't move says why."""
    moved, problems = 0, []
    for line in lines:
        try:
            with transaction.atomic():
                line_transition(
                    line=line,
                    by=by,
                    action=action,
                    payment_reference=payment_reference,
                    paid_on=paid_on,
                )
            moved += 1
        except ValidationError as exc:
            problems.append(
                _("Line %(number)s: %(why)s") % {"number": line.pk, "why": " ".join(exc.messages)}
            )
    return moved, problems


@transaction.atomic
def export_recorded(
    *, programme: Programme, by: User, lines: list[PaymentLine], file_format: str
) -> None:
    """Record an export for finance in the audit trail (once per line) and as a security event."""
    for line in lines:
        event_record(
            line=line,
            programme_id=programme.pk,
            by=by,
            action="exported",
            from_status=line.status,
            to_status=line.status,
            reason=file_format.upper(),
        )
    security.record(
        kind=SecurityEvent.Kind.EXPORT,
        actor=by,
        target=f"programme:{programme.pk}",
        outcome=f"{len(lines)} payment lines as {file_format}",
    )

"""Payment lines for finance as CSV or XLSX files (every export is recorded)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.payments import exports, selectors, services
from participants.payments.models import PaymentLine
from participants.payments.views.common import parse_date_or_none
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest


@login_required
def export(request: AuthenticatedHttpRequest, programme_id: int, file_format: str) -> HttpResponse:
    """Lines for finance as CSV or XLSX (every export is recorded)."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format")
    sent_on_text = request.GET.get("sent_on", "")
    if sent_on_text:
        sent_on = parse_date_or_none(sent_on_text)
        if sent_on is None:
            return HttpResponse(
                _("Enter the date the lines were sent, like 2026-03-31"),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        lines = list(selectors.lines_sent_on(programme_id=programme.pk, day=sent_on))
        status = f"sent-on-{sent_on.isoformat()}"
    else:
        status = request.GET.get("status", PaymentLine.Status.APPROVED)
        if status not in PaymentLine.Status.values:
            raise Http404("No such status")
        lines = list(selectors.lines(programme_id=programme.pk, status=status))
    data = exports.rows(lines, selectors.preferences(programme_id=programme.pk))
    services.export_recorded(
        programme=programme, by=request.user, lines=lines, file_format=file_format
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        response = HttpResponse(exports.to_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="payments-{status}-{stamp}.{file_format}"'
    )
    return response

"""A session's register: facilitators correct times, check people in by hand, and confirm it
(its payment lines are made from it)."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.payments import selectors, services
from participants.payments.forms import AttendanceForm, ConfirmRegisterForm
from participants.payments.models import PaymentLine, RegisterConfirmation
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Session


@login_required
def register(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The session's register: correct times, check people in by hand, confirm."""
    session = access.session_or_404(request.user, session_id, Action.PERSONAL)
    form: AttendanceForm | ConfirmRegisterForm = (
        AttendanceForm(request.POST or None) if "person" in request.POST else AttendanceForm()
    )
    if "confirm" in request.POST:
        form = ConfirmRegisterForm(request.POST)
    if request.method == "POST":
        try:
            if isinstance(form, ConfirmRegisterForm) and form.is_valid():
                lines = services.register_confirm(session=session, by=request.user)
                messages.success(
                    request,
                    ngettext(
                        "The register is confirmed: %(count)s payment line made",
                        "The register is confirmed: %(count)s payment lines made",
                        len(lines),
                    )
                    % {"count": len(lines)},
                )
                return redirect("session_register", session.pk)
            if isinstance(form, AttendanceForm) and form.is_valid():
                services.attendance_correct(
                    session=session,
                    by=request.user,
                    user_id=form.cleaned_data["person"],
                    checked_in_at=_on_the_day(session, form.cleaned_data["checked_in_at"]),
                    checked_out_at=_on_the_day(session, form.cleaned_data["checked_out_at"]),
                )
                messages.success(request, _("The times were saved"))
                return redirect("session_register", session.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    confirmed = RegisterConfirmation.objects.filter(session=session).first()
    return render(
        request,
        "payments/register.html",
        {
            "session": session,
            "rows": selectors.register_rows(session=session),
            "confirmed": confirmed,
            "form": form,
            "lines": PaymentLine.objects.filter(session=session).select_related("person")
            if confirmed
            else [],
        },
        status=400 if form.errors else 200,
    )


def _on_the_day(session: Session, clock: time) -> datetime:
    """A time of day on the day of the session, in local time."""
    day = timezone.localtime(session.starts_at).date()
    return timezone.make_aware(datetime.combine(day, clock))

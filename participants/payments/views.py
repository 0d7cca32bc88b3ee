"""Payment pages: organisers run payments; facilitators confirm registers; everyone sees
their own. Nothing here travels over a room socket."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from participants import identity
from participants.models import PAID_ROLES, Membership
from participants.payments import exports, selectors, services
from participants.payments.forms import (
    ActionForm,
    AdjustmentForm,
    AttendanceForm,
    BulkForm,
    ConfirmRegisterForm,
    ExpenseForm,
    OrganiserPreferenceForm,
    PreferenceForm,
    RateCardForm,
    StatementForm,
    ThresholdsForm,
    UcPeriodForm,
)
from participants.payments.models import (
    PaymentLine,
    PaymentPreference,
    RateCard,
    RegisterConfirmation,
)
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Attendance


def _add_errors(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)  # type: ignore[attr-defined]
    else:
        form.add_error(None, exc)  # type: ignore[attr-defined]


def parse_date_or_none(text: str) -> date | None:
    """A yyyy-mm-dd date, or None for anything else."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _paid_people(programme_id: int) -> list[tuple[int, str]]:
    rows = Membership.objects.filter(
        programme_id=programme_id, role__in=PAID_ROLES, left_on__isnull=True
    ).values_list("user_id", "user__display_name")
    return sorted(rows, key=lambda r: r[1].lower())


@login_required
def payments_home(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """An organiser's payments: lines, totals, warnings, bulk actions and exports."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    status = request.GET.get("status", "")
    session_id = request.GET.get("session") or None
    if status and status not in PaymentLine.Status.values:
        status = ""
    qs = selectors.lines(
        programme_id=programme.pk,
        status=status,
        session_id=int(session_id) if session_id and session_id.isdigit() else None,
    )
    all_lines = selectors.lines(programme_id=programme.pk)
    shown = list(qs)
    policy = services.policy_for(programme=programme)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "lines": shown,
        "queries": selectors.open_queries(shown),
        "just_sent": parse_date_or_none(request.GET.get("just_sent", "")),
        "today": today,
        "status": status,
        "session_id": session_id,
        "statuses": PaymentLine.Status.choices,
        "sessions": programme.sessions.order_by("number"),
        "shown_total": selectors.total(qs),
        "by_status": [
            (PaymentLine.Status(s).label, t, n)
            for s, t, n in selectors.totals_by(all_lines, "status")
        ],
        "by_session": selectors.totals_by(all_lines, "session__title"),
        "by_method": selectors.totals_by_method(all_lines, programme_id=programme.pk),
        "programme_total": selectors.total(all_lines.exclude(status=PaymentLine.Status.DECLINED)),
        "rate_card": RateCard.objects.filter(programme=programme).order_by("-starts_on").first(),
        "policy": policy,
        "preferences": selectors.preferences(programme_id=programme.pk),
        "overdue": selectors.overdue(
            programme_id=programme.pk, today=today, after_days=policy.overdue_after_days
        ),
        "contributors": _paid_memberships(programme.pk),
    }
    return render(request, "payments/home.html", context)


def _paid_memberships(programme_id: int) -> list[Membership]:
    rows = Membership.objects.filter(
        programme_id=programme_id, role__in=PAID_ROLES, left_on__isnull=True
    ).select_related("user", "payment_preference")
    return sorted(rows, key=lambda m: m.user.display_name.lower())


@login_required
def rate_cards(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's rate card versions and warning thresholds, with forms for both."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    policy = services.policy_for(programme=programme)
    changing_thresholds = "thresholds" in request.POST
    thresholds = ThresholdsForm(
        request.POST if changing_thresholds else None,
        initial={
            "threshold_week": policy.threshold_week,
            "threshold_month": policy.threshold_month,
            "threshold_tax_year": policy.threshold_tax_year,
            "overdue_after_days": policy.overdue_after_days,
        },
    )
    form = RateCardForm(
        request.POST if request.method == "POST" and not changing_thresholds else None,
        initial={
            "basis": RateCard.Basis.HOURLY,
            "mileage_rate": "0.45",
            "rounding_minutes": 30,
            "preparation_minutes": 0,
            "starts_on": timezone.localdate(),
        },
    )
    if changing_thresholds and thresholds.is_valid():
        try:
            services.thresholds_set(programme=programme, by=request.user, **thresholds.cleaned_data)
        except ValidationError as exc:
            _add_errors(thresholds, exc)
        else:
            messages.success(request, "The warning thresholds were saved")
            return redirect("payment_rates", programme.pk)
    elif request.method == "POST" and not changing_thresholds and form.is_valid():
        data = form.cleaned_data
        caps = {k[4:]: data.pop(k) for k in list(data) if k.startswith("cap_")}
        try:
            services.rate_card_create(programme=programme, by=request.user, caps=caps, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The new rates have been saved")
            return redirect("payment_rates", programme.pk)
    context = {
        "programme": programme,
        "form": form,
        "thresholds": thresholds,
        "policy": policy,
        "cards": RateCard.objects.filter(programme=programme).order_by("-starts_on"),
    }
    return render(
        request,
        "payments/rates.html",
        context,
        status=400 if form.errors or thresholds.errors else 200,
    )


def _line_or_404(programme_id: int, line_id: int) -> PaymentLine:
    line = (
        PaymentLine.objects.select_related("person", "session", "rate_card", "corrects")
        .filter(pk=line_id, programme_id=programme_id)
        .first()
    )
    if line is None:
        raise Http404("No such line")
    return line


@login_required
def line_detail(request: AuthenticatedHttpRequest, programme_id: int, line_id: int) -> HttpResponse:
    """One line: how it was worked out, warnings, the actions it allows, and its audit trail."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    line = _line_or_404(programme.pk, line_id)
    action_form = ActionForm(request.POST or None) if "action" in request.POST else ActionForm()
    adjust_form = (
        AdjustmentForm(request.POST or None) if "adjust" in request.POST else AdjustmentForm()
    )
    if request.method == "POST":
        try:
            if "adjust" in request.POST:
                if adjust_form.is_valid():
                    services.adjustment_add(line=line, by=request.user, **adjust_form.cleaned_data)
                    messages.success(request, "The adjustment was added, waiting for approval")
                    return redirect("payment_line", programme.pk, line.pk)
            elif action_form.is_valid():
                data = action_form.cleaned_data
                services.line_transition(
                    line=line,
                    by=request.user,
                    action=data["action"],
                    reason=data["reason"],
                    payment_reference=data["payment_reference"],
                    paid_on=data["paid_on"],
                )
                messages.success(request, f"The line was {services.action_words(data['action'])}")
                return redirect("payment_line", programme.pk, line.pk)
        except ValidationError as exc:
            _add_errors(adjust_form if "adjust" in request.POST else action_form, exc)
    context = {
        "programme": programme,
        "line": line,
        "warnings": selectors.warnings_for(line)
        if line.status == PaymentLine.Status.PENDING
        else [],
        "events": selectors.audit(programme_id=programme.pk, line_id=line.pk),
        "query": selectors.open_queries([line]).get(line.pk),
        "action_form": action_form,
        "adjust_form": adjust_form,
        "form": action_form if action_form.errors else adjust_form,
        "today": timezone.localdate(),
        "is_income": selectors.is_income(line),
        "days": selectors.days_waiting(line, timezone.localdate()),
    }
    return render(
        request,
        "payments/line.html",
        context,
        status=400 if action_form.errors or adjust_form.errors else 200,
    )


BULK_SOURCE = {
    "approve": PaymentLine.Status.PENDING,
    "send": PaymentLine.Status.APPROVED,
    "pay": PaymentLine.Status.SENT,
}
BULK_NOTHING = {
    "approve": "No lines are waiting for approval",
    "send": "No approved lines to send to finance",
    "pay": "No lines sent to finance to mark paid",
}


@require_POST
@login_required
def bulk(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Approve, send or mark paid every eligible line (of a session, if chosen): first a page
    listing them, then, once confirmed, exactly the lines that page showed."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do")
        return redirect("payments_home", programme.pk)
    data = form.cleaned_data
    action = data["action"]
    if action == "pay" and not data["payment_reference"].strip():
        messages.error(request, "Enter the payment reference from finance to mark lines paid")
        return redirect("payments_home", programme.pk)
    if data["confirm"]:
        chosen = list(selectors.lines(programme_id=programme.pk).filter(pk__in=data["line"]))
        if not chosen:
            messages.error(request, "No lines were chosen: nothing changed")
            return redirect("payments_home", programme.pk)
        moved, problems = services.bulk_transition(
            lines=chosen,
            by=request.user,
            action=action,
            payment_reference=data["payment_reference"],
            paid_on=data["paid_on"],
        )
        messages.success(
            request, f"{moved} line{'s' if moved != 1 else ''} {services.action_words(action)}"
        )
        for problem in problems:
            messages.error(request, problem)
        home = reverse("payments_home", args=[programme.pk])
        if action == "send" and moved:
            return redirect(f"{home}?just_sent={timezone.localdate().isoformat()}")
        return redirect(home)
    if data["chosen"] and not data["line"]:
        messages.error(request, "Tick the lines you want first")
        return redirect("payments_home", programme.pk)
    source = BULK_SOURCE[action]
    if data["line"]:
        chosen = list(selectors.lines(programme_id=programme.pk).filter(pk__in=data["line"]))
        eligible = [line for line in chosen if line.status == source]
        left_out = len(chosen) - len(eligible)
    else:
        eligible = list(
            selectors.lines(programme_id=programme.pk, status=source, session_id=data["session"])
        )
        left_out = 0
    preview = selectors.bulk_preview(eligible)
    if not preview.lines:
        messages.error(request, BULK_NOTHING[action])
        return redirect("payments_home", programme.pk)
    spans = action == "pay" and (len(preview.sessions) > 1 or preview.people > 1)
    return render(
        request,
        "payments/bulk_confirm.html",
        {
            "programme": programme,
            "action": action,
            "words": services.action_words(action),
            "data": data,
            "preview": preview,
            "spans": spans,
            "left_out": left_out,
            "source_label": PaymentLine.Status(source).label.lower(),
        },
    )


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
                "Enter the date the lines were sent, like 2026-03-31",
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


@login_required
def audit_page(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Every payment change in the programme: who, when, from what, to what, why."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    return render(
        request,
        "payments/audit.html",
        {"programme": programme, "events": selectors.audit(programme_id=programme.pk)[:500]},
    )


@login_required
def expense_new(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """An organiser adds an expense for a contributor."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = ExpenseForm(
        request.POST or None,
        people=_paid_people(programme.pk),
        initial={"worked_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Membership.objects.get(programme=programme, user_id=data.pop("person")).user
        try:
            services.expense_add(programme=programme, person=person, by=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"The expense for {person.display_name} was added")
            return redirect("payments_home", programme.pk)
    return render(
        request,
        "payments/expense_form.html",
        {"programme": programme, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def preference_edit(
    request: AuthenticatedHttpRequest, programme_id: int, membership_id: int
) -> HttpResponse:
    """An organiser records a contributor's method, benefits details and finance references."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    membership = (
        Membership.objects.filter(pk=membership_id, programme=programme, role__in=PAID_ROLES)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such person")
    current = PaymentPreference.objects.filter(membership=membership).first()
    initial = {}
    if current is not None:
        yes_no = {True: "yes", False: "no", None: ""}
        initial = {
            "method": current.method,
            "reduced_amount": current.reduced_amount,
            "receives_benefits": yes_no[current.receives_benefits],
            "benefits_advice_offered_on": current.benefits_advice_offered_on,
            "works_in_public_sector": yes_no[current.works_in_public_sector],
            "payee_reference": current.payee_reference,
            "cost_code": current.cost_code,
            "uc_assessment_day": current.uc_assessment_day,
        }
    form = OrganiserPreferenceForm(
        request.POST or None, initial=initial or {"method": PaymentPreference.Method.BANK}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.preference_set(membership=membership, by=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, f"Payment details for {membership.user.display_name} were saved"
            )
            return redirect("payments_home", programme.pk)
    return render(
        request,
        "payments/preference_form.html",
        {"programme": programme, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def register(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The session's register: correct times, check people in by hand, confirm."""
    session = access.session_or_404(request.user, session_id, Action.PERSONAL)
    confirmed = RegisterConfirmation.objects.filter(session=session).first()
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
                    f"The register is confirmed: {len(lines)} payment line{'s' if len(lines) != 1 else ''} made",
                )
                return redirect("session_register", session.pk)
            if isinstance(form, AttendanceForm) and form.is_valid():
                day = timezone.localtime(session.starts_at).date()
                aware = lambda t: timezone.make_aware(datetime.combine(day, t))  # noqa: E731
                services.attendance_correct(
                    session=session,
                    by=request.user,
                    user_id=form.cleaned_data["person"],
                    checked_in_at=aware(form.cleaned_data["checked_in_at"]),
                    checked_out_at=aware(form.cleaned_data["checked_out_at"]),
                )
                messages.success(request, "The times were saved")
                return redirect("session_register", session.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    attendances = {
        a.user_id: a for a in Attendance.objects.filter(session=session).select_related("user")
    }
    roles = dict(
        Membership.objects.filter(
            programme_id=session.programme_id, left_on__isnull=True
        ).values_list("user_id", "role")
    )
    members = Membership.objects.filter(
        programme_id=session.programme_id,
        left_on__isnull=True,
        role__in=PAID_ROLES | {"practitioner"},
    ).select_related("user")
    rows = [
        {
            "user": m.user,
            "role": m.get_role_display(),
            "organisation": m.organisation,
            "sector": m.get_sector_display(),
            "paid": roles.get(m.user_id) in PAID_ROLES,
            "attendance": attendances.get(m.user_id),
        }
        for m in sorted(members, key=lambda m: m.user.display_name.lower())
    ]
    return render(
        request,
        "payments/register.html",
        {
            "session": session,
            "rows": rows,
            "confirmed": confirmed,
            "form": form,
            "lines": PaymentLine.objects.filter(session=session).select_related("person")
            if confirmed
            else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def my_payments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What I am owed, what is approved and paid, and how it was worked out; my totals as the
    benefits office counts them (expenses apart); my claims and my assessment period."""
    if not identity.signed_in_strongly(request):
        return render(request, "participants/needs_card.html", status=403)
    memberships = list(
        Membership.objects.filter(
            user=request.user, role__in=PAID_ROLES, left_on__isnull=True
        ).select_related("programme")
    )
    claiming = "claim" in request.POST
    setting_period = "uc_period" in request.POST
    choosing = request.method == "POST" and not claiming and not setting_period
    claim = ExpenseForm(
        request.POST if claiming else None,
        initial={"worked_on": timezone.localdate()},
        programmes=[(m.programme_id, m.programme.name) for m in memberships],
    )
    form = PreferenceForm(request.POST if choosing else None)
    prefs = {
        p.membership_id: p for p in PaymentPreference.objects.filter(membership__in=memberships)
    }
    uc_day = selectors.uc_assessment_day(person_id=request.user.pk)
    period_form = UcPeriodForm(
        request.POST if setting_period else None, initial={"uc_assessment_day": uc_day}
    )
    if claiming and memberships and claim.is_valid():
        details = dict(claim.cleaned_data)
        chosen = details.pop("programme", memberships[0].programme_id)
        programme = next(m.programme for m in memberships if m.programme_id == chosen)
        try:
            services.expense_add(
                programme=programme, person=request.user, by=request.user, **details
            )
        except ValidationError as exc:
            _add_errors(claim, exc)
        else:
            messages.success(request, "Your expense claim was sent for approval")
            return redirect("my_payments")
    elif setting_period and memberships and period_form.is_valid():
        try:
            for membership in memberships:
                services.uc_period_set(
                    membership=membership,
                    by=request.user,
                    day=period_form.cleaned_data["uc_assessment_day"],
                )
        except ValidationError as exc:
            _add_errors(period_form, exc)
        else:
            messages.success(request, "Your assessment period was saved")
            return redirect("my_payments")
    elif choosing and memberships and form.is_valid():
        try:
            for membership in memberships:
                services.preference_set(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Your choice was saved")
            return redirect("my_payments")
    lines = list(selectors.my_lines(person_id=request.user.pk))
    owed = [
        line
        for line in lines
        if line.status in (PaymentLine.Status.PENDING, PaymentLine.Status.QUERIED)
    ]
    approved = [
        line
        for line in lines
        if line.status in (PaymentLine.Status.APPROVED, PaymentLine.Status.SENT)
    ]
    paid = [line for line in lines if line.status == PaymentLine.Status.PAID]
    context = {
        "lines": lines,
        "memberships": memberships,
        "form": form,
        "prefs": prefs,
        "claim": claim,
        "period_form": period_form,
        "uc_day": uc_day,
        "totals": selectors.person_totals(person_id=request.user.pk, day=timezone.localdate()),
        "owed_total": sum((line.amount for line in owed), selectors.ZERO),
        "approved_total": sum((line.amount for line in approved), selectors.ZERO),
        "paid_total": sum((line.amount for line in paid), selectors.ZERO),
    }
    bad = form.errors or claim.errors or period_form.errors
    return render(request, "payments/mine.html", context, status=400 if bad else 200)


def _statement_page(
    request: AuthenticatedHttpRequest,
    *,
    person_id: int,
    name: str,
    programme_id: int | None,
    context: dict[str, object],
) -> HttpResponse:
    today = timezone.localdate()
    asked = "start" in request.GET or "end" in request.GET
    form = StatementForm(
        request.GET if asked else None,
        initial={"start": selectors.tax_year_start(today), "end": today},
    )
    if asked and not form.is_valid():
        return render(
            request,
            "payments/statement.html",
            {**context, "form": form, "name": name, "statement": None},
            status=400,
        )
    start = form.cleaned_data["start"] if asked else selectors.tax_year_start(today)
    end = form.cleaned_data["end"] if asked else today
    statement = selectors.statement(
        person_id=person_id, start=start, end=end, programme_id=programme_id
    )
    return render(
        request,
        "payments/statement.html",
        {
            **context,
            "form": form,
            "name": name,
            "statement": statement,
            "income_ids": {line.pk for line in statement.lines if selectors.is_income(line)},
            "made_on": today,
        },
    )


@login_required
def my_statement(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My 'Payments for involvement' statement, printable, for the benefits office."""
    if not identity.signed_in_strongly(request):
        return render(request, "participants/needs_card.html", status=403)
    return _statement_page(
        request,
        person_id=request.user.pk,
        name=request.user.display_name,
        programme_id=None,
        context={"back": reverse("my_payments"), "back_label": "My payments"},
    )


@login_required
def person_statement(
    request: AuthenticatedHttpRequest, programme_id: int, membership_id: int
) -> HttpResponse:
    """An organiser prints a contributor's statement: this programme's lines only."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    membership = (
        Membership.objects.filter(pk=membership_id, programme=programme)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such person")
    return _statement_page(
        request,
        person_id=membership.user_id,
        name=membership.user.display_name,
        programme_id=programme.pk,
        context={
            "programme": programme,
            "back": reverse("payments_home", args=[programme.pk]),
            "back_label": "Payments",
        },
    )

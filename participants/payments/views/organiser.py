"""An organiser runs a programme's payments: the lines and their totals, rates and
thresholds, one line's page, bulk changes, expenses, contributors' details, the audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from participants.payments import selectors, services
from participants.payments.forms import (
    ActionForm,
    AdjustmentForm,
    BulkForm,
    ExpenseForm,
    OrganiserPreferenceForm,
    RateCardForm,
    ThresholdsForm,
)
from participants.payments.models import (
    PaymentLine,
    PaymentPreference,
    RateCard,
)
from participants.payments.views.common import add_errors, parse_date_or_none
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest


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
        "rate_card": selectors.rate_cards(programme_id=programme.pk).first(),
        "policy": policy,
        "preferences": selectors.preferences(programme_id=programme.pk),
        "overdue": selectors.overdue(
            programme_id=programme.pk, today=today, after_days=policy.overdue_after_days
        ),
        "contributors": selectors.contributors(programme_id=programme.pk),
    }
    return render(request, "payments/home.html", context)


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
            add_errors(thresholds, exc)
        else:
            messages.success(request, _("The warning thresholds were saved"))
            return redirect("payment_rates", programme.pk)
    elif request.method == "POST" and not changing_thresholds and form.is_valid():
        data = form.cleaned_data
        caps = {k[4:]: data.pop(k) for k in list(data) if k.startswith("cap_")}
        try:
            services.rate_card_create(programme=programme, by=request.user, caps=caps, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The new rates have been saved"))
            return redirect("payment_rates", programme.pk)
    context = {
        "programme": programme,
        "form": form,
        "thresholds": thresholds,
        "policy": policy,
        "cards": selectors.rate_cards(programme_id=programme.pk),
    }
    return render(
        request,
        "payments/rates.html",
        context,
        status=400 if form.errors or thresholds.errors else 200,
    )


@login_required
def line_detail(request: AuthenticatedHttpRequest, programme_id: int, line_id: int) -> HttpResponse:
    """One line: how it was worked out, warnings, the actions it allows, and its audit trail."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    line = selectors.line_in(programme_id=programme.pk, line_id=line_id)
    if line is None:
        raise Http404("No such line")
    action_form = ActionForm(request.POST or None) if "action" in request.POST else ActionForm()
    adjust_form = (
        AdjustmentForm(request.POST or None) if "adjust" in request.POST else AdjustmentForm()
    )
    if request.method == "POST":
        try:
            if "adjust" in request.POST:
                if adjust_form.is_valid():
                    services.adjustment_add(line=line, by=request.user, **adjust_form.cleaned_data)
                    messages.success(request, _("The adjustment was added, waiting for approval"))
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
                messages.success(
                    request,
                    _("The line was %(done)s") % {"done": services.action_words(data["action"])},
                )
                return redirect("payment_line", programme.pk, line.pk)
        except ValidationError as exc:
            add_errors(adjust_form if "adjust" in request.POST else action_form, exc)
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
    "approve": gettext_lazy("No lines are waiting for approval"),
    "send": gettext_lazy("No approved lines to send to finance"),
    "pay": gettext_lazy("No lines sent to finance to mark paid"),
}


@require_POST
@login_required
def bulk(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Approve, send or mark paid every eligible line (of a session, if chosen): first a page
    listing them, then, once confirmed, exactly the lines that page showed."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do"))
        return redirect("payments_home", programme.pk)
    data = form.cleaned_data
    action = data["action"]
    if action == "pay" and not data["payment_reference"].strip():
        messages.error(request, _("Enter the payment reference from finance to mark lines paid"))
        return redirect("payments_home", programme.pk)
    if data["confirm"]:
        chosen = list(selectors.lines(programme_id=programme.pk).filter(pk__in=data["line"]))
        if not chosen:
            messages.error(request, _("No lines were chosen: nothing changed"))
            return redirect("payments_home", programme.pk)
        moved, problems = services.bulk_transition(
            lines=chosen,
            by=request.user,
            action=action,
            payment_reference=data["payment_reference"],
            paid_on=data["paid_on"],
        )
        messages.success(
            request,
            ngettext("%(count)s line %(done)s", "%(count)s lines %(done)s", moved)
            % {"count": moved, "done": services.action_words(action)},
        )
        for problem in problems:
            messages.error(request, problem)
        home = reverse("payments_home", args=[programme.pk])
        if action == "send" and moved:
            return redirect(f"{home}?just_sent={timezone.localdate().isoformat()}")
        return redirect(home)
    if data["chosen"] and not data["line"]:
        messages.error(request, _("Tick the lines you want first"))
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
    contributors = selectors.contributors(programme_id=programme.pk)
    form = ExpenseForm(
        request.POST or None,
        people=[(m.user_id, m.user.display_name) for m in contributors],
        initial={"worked_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data.pop("person")
        person = next(m.user for m in contributors if m.user_id == chosen)
        try:
            services.expense_add(programme=programme, person=person, by=request.user, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("The expense for %(name)s was added") % {"name": person.display_name}
            )
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
    membership = selectors.contributor(programme_id=programme.pk, membership_id=membership_id)
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
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Payment details for %(name)s were saved")
                % {"name": membership.user.display_name},
            )
            return redirect("payments_home", programme.pk)
    return render(
        request,
        "payments/preference_form.html",
        {"programme": programme, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )

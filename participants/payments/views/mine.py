"""My payments: what I am owed, approved and paid, and how it was worked out; my totals as the
benefits office counts them (expenses apart). Its three forms post to the same page: an
expense claim, my Universal Credit assessment period, and how I would like to be paid."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import identity
from participants.models import Membership
from participants.payments import selectors, services
from participants.payments.forms import ExpenseForm, PreferenceForm, UcPeriodForm
from participants.payments.views.common import add_errors
from workshops.http import AuthenticatedHttpRequest


@login_required
def my_payments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My payments, and the form I sent, if any: a claim, my assessment period, or my choice."""
    if not identity.signed_in_strongly(request):
        return render(request, "participants/needs_card.html", status=403)
    memberships = selectors.paid_memberships_of(person_id=request.user.pk)
    if request.method != "POST":
        return _page(request, memberships)
    if "claim" in request.POST:
        return _claim(request, memberships)
    if "uc_period" in request.POST:
        return _assessment_period(request, memberships)
    return _payment_choice(request, memberships)


def _claim_form(
    request: AuthenticatedHttpRequest, memberships: list[Membership], *, bound: bool = False
) -> ExpenseForm:
    return ExpenseForm(
        request.POST if bound else None,
        initial={"worked_on": timezone.localdate()},
        programmes=[(m.programme_id, m.programme.name) for m in memberships],
    )


def _page(
    request: AuthenticatedHttpRequest,
    memberships: list[Membership],
    *,
    sent: forms.Form | None = None,
) -> HttpResponse:
    """The page, with the form that was sent (and its errors) in its place."""
    person_id = request.user.pk
    uc_day = selectors.uc_assessment_day(person_id=person_id)
    claim = sent if isinstance(sent, ExpenseForm) else _claim_form(request, memberships)
    period_form = (
        sent
        if isinstance(sent, UcPeriodForm)
        else UcPeriodForm(initial={"uc_assessment_day": uc_day})
    )
    form = sent if isinstance(sent, PreferenceForm) else PreferenceForm()
    mine = selectors.status_totals(person_id=person_id)
    context = {
        "lines": list(selectors.my_lines(person_id=person_id)),
        "memberships": memberships,
        "form": form,
        "claim": claim,
        "period_form": period_form,
        "uc_day": uc_day,
        "totals": selectors.person_totals(person_id=person_id, day=timezone.localdate()),
        "owed_total": mine.owed,
        "approved_total": mine.approved,
        "paid_total": mine.paid,
    }
    return render(
        request, "payments/mine.html", context, status=400 if sent and sent.errors else 200
    )


def _claim(request: AuthenticatedHttpRequest, memberships: list[Membership]) -> HttpResponse:
    """An expense claim, against the programme the person chose (the only one, if one)."""
    claim = _claim_form(request, memberships, bound=True)
    if memberships and claim.is_valid():
        details = dict(claim.cleaned_data)
        # The form asks "which programme" only of someone paid in more than one.
        chosen = details.pop("programme", memberships[0].programme_id)
        programme = next(m.programme for m in memberships if m.programme_id == chosen)
        try:
            services.expense_add(
                programme=programme, person=request.user, by=request.user, **details
            )
        except ValidationError as exc:
            add_errors(claim, exc)
        else:
            messages.success(request, _("Your expense claim was sent for approval"))
            return redirect("my_payments")
    return _page(request, memberships, sent=claim)


def _assessment_period(
    request: AuthenticatedHttpRequest, memberships: list[Membership]
) -> HttpResponse:
    """The day my Universal Credit assessment period starts, in every programme I am paid in."""
    period_form = UcPeriodForm(request.POST)
    if memberships and period_form.is_valid():
        try:
            for membership in memberships:
                services.uc_period_set(
                    membership=membership,
                    by=request.user,
                    day=period_form.cleaned_data["uc_assessment_day"],
                )
        except ValidationError as exc:
            add_errors(period_form, exc)
        else:
            messages.success(request, _("Your assessment period was saved"))
            return redirect("my_payments")
    return _page(request, memberships, sent=period_form)


def _payment_choice(
    request: AuthenticatedHttpRequest, memberships: list[Membership]
) -> HttpResponse:
    """How I would like to be paid, in every programme I am paid in."""
    form = PreferenceForm(request.POST)
    if memberships and form.is_valid():
        try:
            for membership in memberships:
                services.preference_set(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your choice was saved"))
            return redirect("my_payments")
    return _page(request, memberships, sent=form)

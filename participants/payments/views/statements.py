"""A printable 'Payments for involvement' statement for the benefits office: a contributor's
own (every programme), or one an organiser prints for them (that programme's lines only)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import identity
from participants.models import Membership
from participants.payments import selectors
from participants.payments.forms import StatementForm
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest


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
        context={"back": reverse("my_payments"), "back_label": _("My payments")},
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
            "back_label": _("Payments"),
        },
    )

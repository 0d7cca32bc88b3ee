"""Plan your evaluation: the pathway's four steps, the programme's outcomes and indicators,
and when its wellbeing measures are due. Organisers change it; facilitators see it."""

from dataclasses import dataclass, field

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from participants.selectors import contactable_people
from workshops import access
from workshops.access import Action
from workshops.evaluation import forms, selectors, services
from workshops.evaluation.models import Indicator, Outcome
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Programme

SUGGESTED = (3, 5)


@dataclass
class PlannedIndicator:
    """An indicator with its edit form."""

    indicator: Indicator
    form: forms.IndicatorForm


@dataclass
class PlannedOutcome:
    """An outcome with its edit form, its indicators and the form to add one."""

    outcome: Outcome
    form: forms.OutcomeForm
    add_form: forms.IndicatorForm
    indicators: list[PlannedIndicator] = field(default_factory=list)


def _error_list(form: django_forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) for the page's error summary."""
    items = [("", str(e)) for e in form.non_field_errors()]
    for bound in form:
        # A move's direction is a hidden value: there is no field on the page to link to.
        anchor = "" if isinstance(form, forms.MoveForm) else bound.auto_id or ""
        items += [(anchor, str(e)) for e in bound.errors]
    return items


def _with_service_errors(form: django_forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or the form) it belongs to."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _plan(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    *,
    bound: django_forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; a form that failed is shown where it was, open, with its errors."""
    manages = access.can(request.user, Action.MANAGE, programme.pk)
    questions = selectors.rating_question_texts(programme=programme)
    prefix = bound.prefix if bound is not None else None

    def ours[F: django_forms.Form](made: F) -> F:
        return bound if bound is not None and made.prefix == prefix else made  # type: ignore[return-value]

    outcomes = []
    for outcome in selectors.plan_outcomes(programme=programme):
        planned = PlannedOutcome(
            outcome=outcome,
            form=ours(
                forms.OutcomeForm(prefix=f"outcome-{outcome.pk}", initial={"title": outcome.title})
            ),
            add_form=ours(forms.IndicatorForm(prefix=f"new-{outcome.pk}", questions=questions)),
        )
        for indicator in outcome.indicators.all():
            planned.indicators.append(
                PlannedIndicator(
                    indicator=indicator,
                    form=ours(
                        forms.IndicatorForm(
                            prefix=f"ind-{indicator.pk}",
                            questions=questions,
                            initial={
                                "title": indicator.title,
                                "kind": indicator.kind,
                                "question_text": indicator.question_text,
                            },
                        )
                    ),
                )
            )
        outcomes.append(planned)
    follow_up = selectors.follow_up_plan(programme=programme)
    new_outcome = bound if isinstance(bound, forms.OutcomeForm) and not prefix else None
    follow_up_form = bound if isinstance(bound, forms.FollowUpForm) else None
    due = selectors.follow_ups_due(programme=programme)
    context = {
        "programme": programme,
        "manages": manages,
        "outcomes": outcomes,
        "count": len(outcomes),
        "suggested": SUGGESTED,
        "new_outcome": new_outcome or forms.OutcomeForm(),
        "follow_up": follow_up,
        "follow_up_form": follow_up_form
        or forms.FollowUpForm(initial={"months": follow_up.months_after if follow_up else None}),
        "due": due,
        "any_due": any(d.waiting and d.status != "Not due yet" for d in due),
        "open_prefix": prefix if bound is not None else None,
        "bound": bound,
        "error_list": _error_list(bound) if bound is not None else [],
    }
    return render(request, "evaluation/plan.html", context, status=status)


def _back(programme: Programme, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("evaluation_plan", args=[programme.pk]) + (f"#{anchor}" if anchor else "")
    )


def _outcome(request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int) -> Outcome:
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    outcome = (
        Outcome.objects.filter(pk=outcome_id, programme=programme)
        .select_related("programme")
        .first()
    )
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def _indicator(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> Indicator:
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    indicator = (
        Indicator.objects.filter(pk=indicator_id, outcome__programme=programme)
        .select_related("outcome__programme")
        .first()
    )
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


@login_required
def plan(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Plan your evaluation (organisers change it; facilitators see it); POST adds an outcome."""
    if request.method == "POST":
        programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
        form = forms.OutcomeForm(request.POST)
        if form.is_valid():
            try:
                outcome = services.outcome_create(
                    programme=programme, title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                _with_service_errors(form, exc)
            else:
                messages.success(request, "The outcome was added: now add its indicators")
                return _back(programme, f"outcome-{outcome.pk}")
        return _plan(request, programme, bound=form, status=400)
    programme = access.programme_or_404(request.user, programme_id, Action.EVALUATE)
    return _plan(request, programme)


@login_required
@require_POST
def outcome_edit(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Reword an outcome."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = forms.OutcomeForm(request.POST, prefix=f"outcome-{outcome.pk}")
    if form.is_valid():
        try:
            services.outcome_update(outcome=outcome, title=form.cleaned_data["title"])
        except ValidationError as exc:
            _with_service_errors(form, exc)
        else:
            messages.success(request, "The outcome was saved")
            return _back(outcome.programme, f"outcome-{outcome.pk}")
    return _plan(request, outcome.programme, bound=form, status=400)


@login_required
@require_POST
def outcome_move(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Move an outcome one place up or down."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return _plan(request, outcome.programme, bound=form, status=400)
    services.outcome_move(outcome=outcome, up=form.cleaned_data["direction"] == "up")
    return _back(outcome.programme, f"outcome-{outcome.pk}")


@login_required
@require_POST
def outcome_delete(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Delete an outcome and its indicators."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():  # pragma: no cover - nothing to fill in
        return _plan(request, outcome.programme, bound=form, status=400)
    title = outcome.title
    services.outcome_delete(outcome=outcome)
    messages.success(request, f"The outcome “{title}” was deleted")
    return _back(outcome.programme, "outcomes")


@login_required
@require_POST
def indicator_add(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Add an indicator to an outcome."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = forms.IndicatorForm(
        request.POST,
        prefix=f"new-{outcome.pk}",
        questions=selectors.rating_question_texts(programme=outcome.programme),
    )
    if form.is_valid():
        try:
            services.indicator_create(outcome=outcome, **form.cleaned_data)
        except ValidationError as exc:
            _with_service_errors(form, exc)
        else:
            messages.success(request, "The indicator was added")
            return _back(outcome.programme, f"outcome-{outcome.pk}")
    return _plan(request, outcome.programme, bound=form, status=400)


@login_required
@require_POST
def indicator_edit(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> HttpResponse:
    """Reword an indicator or change its evidence."""
    indicator = _indicator(request, programme_id, indicator_id)
    programme = indicator.outcome.programme
    form = forms.IndicatorForm(
        request.POST,
        prefix=f"ind-{indicator.pk}",
        questions=selectors.rating_question_texts(programme=programme),
    )
    if form.is_valid():
        try:
            services.indicator_update(indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            _with_service_errors(form, exc)
        else:
            messages.success(request, "The indicator was saved")
            return _back(programme, f"indicator-{indicator.pk}")
    return _plan(request, programme, bound=form, status=400)


@login_required
@require_POST
def indicator_move(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> HttpResponse:
    """Move an indicator one place up or down within its outcome."""
    indicator = _indicator(request, programme_id, indicator_id)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return _plan(request, indicator.outcome.programme, bound=form, status=400)
    services.indicator_move(indicator=indicator, up=form.cleaned_data["direction"] == "up")
    return _back(indicator.outcome.programme, f"indicator-{indicator.pk}")


@login_required
@require_POST
def indicator_delete(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> HttpResponse:
    """Delete an indicator."""
    indicator = _indicator(request, programme_id, indicator_id)
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():  # pragma: no cover - nothing to fill in
        return _plan(request, indicator.outcome.programme, bound=form, status=400)
    title, outcome = indicator.title, indicator.outcome
    services.indicator_delete(indicator=indicator)
    messages.success(request, f"The indicator “{title}” was deleted")
    return _back(outcome.programme, f"outcome-{outcome.pk}")


@login_required
@require_POST
def follow_up_set(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Set when the follow-up is due: baseline at session 1, follow-up N months later."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_set(programme=programme, months=form.cleaned_data["months"])
        except ValidationError as exc:
            _with_service_errors(form, exc)
        else:
            messages.success(request, "The follow-up was set")
            return _back(programme, "timepoints")
    return _plan(request, programme, bound=form, status=400)


@login_required
@require_POST
def follow_up_remind(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Email reminders to people due or overdue a wellbeing measure who may be contacted."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    done = services.follow_up_remind(programme=programme, site_url=request.build_absolute_uri("/"))
    said = [
        f"Reminders emailed to {len(done.sent)} {'person' if len(done.sent) == 1 else 'people'}."
    ]
    if done.reminded_lately:
        said.append(f"{len(done.reminded_lately)} had a reminder in the last week.")
    if done.cannot_email:
        said.append(
            f"{len(done.cannot_email)} cannot be emailed (no address, or no yes to being "
            "contacted): print the list and ask them in person."
        )
    messages.success(request, " ".join(said))
    return _back(programme, "due")


@login_required
def follow_up_list(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Who is due or overdue a wellbeing measure: a list to print, for people without email."""
    programme = access.programme_or_404(request.user, programme_id, Action.EVALUATE)
    return render(
        request,
        "evaluation/follow_up_list.html",
        {
            "programme": programme,
            "due": selectors.follow_ups_due(programme=programme),
            "contactable": contactable_people(programme=programme),
        },
    )

"""Plan your evaluation: the pathway's four steps, the programme's outcomes and indicators,
and when its wellbeing measures are due. Organisers change it; facilitators see it."""

from dataclasses import dataclass, field

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participants.selectors import contactable_people
from workshops import access
from workshops.access import Action
from workshops.evaluation import forms, plan_forms, selectors, services
from workshops.evaluation.models import Indicator, Outcome
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Programme

SUGGESTED = (3, 5)


@dataclass
class PlannedIndicator:
    """An indicator with its edit form."""

    indicator: Indicator
    form: plan_forms.IndicatorForm


@dataclass
class PlannedOutcome:
    """An outcome with its edit form, its indicators and the form to add one."""

    outcome: Outcome
    form: plan_forms.OutcomeForm
    add_form: plan_forms.IndicatorForm
    indicators: list[PlannedIndicator] = field(default_factory=list)


def _planned(programme: Programme, bound: django_forms.Form | None) -> list[PlannedOutcome]:
    """Each outcome and indicator with its forms; the one that failed (by its prefix) as sent."""
    questions = selectors.rating_question_texts(programme=programme)
    prefix = bound.prefix if bound is not None else None

    def ours[F: django_forms.Form](made: F) -> F:
        return bound if bound is not None and made.prefix == prefix else made  # type: ignore[return-value]

    def indicator_form(indicator: Indicator) -> plan_forms.IndicatorForm:
        initial = {
            "title": indicator.title,
            "kind": indicator.kind,
            "question_text": indicator.question_text,
        }
        return ours(
            plan_forms.IndicatorForm(
                prefix=f"ind-{indicator.pk}", questions=questions, initial=initial
            )
        )

    return [
        PlannedOutcome(
            outcome=outcome,
            form=ours(
                plan_forms.OutcomeForm(
                    prefix=f"outcome-{outcome.pk}", initial={"title": outcome.title}
                )
            ),
            add_form=ours(
                plan_forms.IndicatorForm(prefix=f"new-{outcome.pk}", questions=questions)
            ),
            indicators=[
                PlannedIndicator(indicator=indicator, form=indicator_form(indicator))
                for indicator in outcome.indicators.all()
            ],
        )
        for outcome in selectors.plan_outcomes(programme=programme)
    ]


def _plan(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    *,
    bound: django_forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; a form that failed is shown where it was, open, with its errors."""
    manages = access.can(request.user, Action.MANAGE, programme.pk)
    prefix = bound.prefix if bound is not None else None
    outcomes = _planned(programme, bound)
    follow_up = selectors.follow_up_plan(programme=programme)
    new_outcome = bound if isinstance(bound, plan_forms.OutcomeForm) and not prefix else None
    follow_up_form = bound if isinstance(bound, plan_forms.FollowUpForm) else None
    due = selectors.follow_ups_due(programme=programme)
    context = {
        "programme": programme,
        "manages": manages,
        "outcomes": outcomes,
        "count": len(outcomes),
        "suggested": SUGGESTED,
        "new_outcome": new_outcome or plan_forms.OutcomeForm(),
        "follow_up": follow_up,
        "follow_up_form": follow_up_form
        or plan_forms.FollowUpForm(
            initial={"months": follow_up.months_after if follow_up else None}
        ),
        "due": due,
        "any_due": any(d.waiting and d.is_due for d in due),
        "open_prefix": prefix if bound is not None else None,
        "bound": bound,
        "error_list": plan_forms.field_summary(bound) if bound is not None else [],
    }
    return render(request, "evaluation/plan.html", context, status=status)


def _back(programme: Programme, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("evaluation_plan", args=[programme.pk]) + (f"#{anchor}" if anchor else "")
    )


def _outcome(request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int) -> Outcome:
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    outcome = selectors.outcome_in(programme=programme, outcome_id=outcome_id)
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def _indicator(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> Indicator:
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    indicator = selectors.indicator_in(programme=programme, indicator_id=indicator_id)
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


@login_required
def plan(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Plan your evaluation (organisers change it; facilitators see it); POST adds an outcome."""
    if request.method == "POST":
        programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
        form = plan_forms.OutcomeForm(request.POST)
        if form.is_valid():
            try:
                outcome = services.outcome_create(
                    programme=programme, title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                forms.refuse(exc, form)
            else:
                messages.success(request, _("The outcome was added: now add its indicators"))
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
    form = plan_forms.OutcomeForm(request.POST, prefix=f"outcome-{outcome.pk}")
    if form.is_valid():
        try:
            services.outcome_update(outcome=outcome, title=form.cleaned_data["title"])
        except ValidationError as exc:
            forms.refuse(exc, form)
        else:
            messages.success(request, _("The outcome was saved"))
            return _back(outcome.programme, f"outcome-{outcome.pk}")
    return _plan(request, outcome.programme, bound=form, status=400)


@login_required
@require_POST
def outcome_move(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Move an outcome one place up or down."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = plan_forms.MoveForm(request.POST)
    if not form.is_valid():
        return _plan(request, outcome.programme, bound=form, status=400)
    services.outcome_move(outcome=outcome, up=form.cleaned_data["direction"] == "up")
    return _back(outcome.programme, f"outcome-{outcome.pk}")


def _posted(request: AuthenticatedHttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _ask_first(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    form: plan_forms.ConfirmForm,
    **shown: Outcome | Indicator,
) -> HttpResponse:
    """The page that asks before removing an outcome or an indicator; 400 if a removal came
    without its "Yes"."""
    context = {
        "programme": programme,
        "error_list": plan_forms.field_summary(form) if form.is_bound else [],
        **shown,
    }
    status = 400 if form.is_bound else 200
    return render(request, "evaluation/plan_remove.html", context, status=status)


@login_required
def outcome_remove(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Ask before removing an outcome and its indicators; remove them once confirmed."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = plan_forms.ConfirmForm(_posted(request))
    if not form.is_valid():
        return _ask_first(request, outcome.programme, form, outcome=outcome)
    title = outcome.title
    services.outcome_delete(outcome=outcome)
    messages.success(request, _("The outcome “%(title)s” was removed") % {"title": title})
    return _back(outcome.programme, "outcomes")


@login_required
@require_POST
def indicator_add(
    request: AuthenticatedHttpRequest, programme_id: int, outcome_id: int
) -> HttpResponse:
    """Add an indicator to an outcome."""
    outcome = _outcome(request, programme_id, outcome_id)
    form = plan_forms.IndicatorForm(
        request.POST,
        prefix=f"new-{outcome.pk}",
        questions=selectors.rating_question_texts(programme=outcome.programme),
    )
    if form.is_valid():
        try:
            services.indicator_create(outcome=outcome, **form.cleaned_data)
        except ValidationError as exc:
            forms.refuse(exc, form)
        else:
            messages.success(request, _("The indicator was added"))
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
    form = plan_forms.IndicatorForm(
        request.POST,
        prefix=f"ind-{indicator.pk}",
        questions=selectors.rating_question_texts(programme=programme),
    )
    if form.is_valid():
        try:
            services.indicator_update(indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            forms.refuse(exc, form)
        else:
            messages.success(request, _("The indicator was saved"))
            return _back(programme, f"indicator-{indicator.pk}")
    return _plan(request, programme, bound=form, status=400)


@login_required
@require_POST
def indicator_move(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> HttpResponse:
    """Move an indicator one place up or down within its outcome."""
    indicator = _indicator(request, programme_id, indicator_id)
    form = plan_forms.MoveForm(request.POST)
    if not form.is_valid():
        return _plan(request, indicator.outcome.programme, bound=form, status=400)
    services.indicator_move(indicator=indicator, up=form.cleaned_data["direction"] == "up")
    return _back(indicator.outcome.programme, f"indicator-{indicator.pk}")


@login_required
def indicator_remove(
    request: AuthenticatedHttpRequest, programme_id: int, indicator_id: int
) -> HttpResponse:
    """Ask before removing an indicator; remove it once confirmed."""
    indicator = _indicator(request, programme_id, indicator_id)
    outcome = indicator.outcome
    form = plan_forms.ConfirmForm(_posted(request))
    if not form.is_valid():
        return _ask_first(request, outcome.programme, form, indicator=indicator, outcome=outcome)
    title = indicator.title
    services.indicator_delete(indicator=indicator)
    messages.success(request, _("The indicator “%(title)s” was removed") % {"title": title})
    return _back(outcome.programme, f"outcome-{outcome.pk}")


@login_required
@require_POST
def follow_up_set(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Set when the follow-up is due: baseline at session 1, follow-up N months later."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = plan_forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_set(programme=programme, months=form.cleaned_data["months"])
        except ValidationError as exc:
            forms.refuse(exc, form)
        else:
            messages.success(request, _("The follow-up was set"))
            return _back(programme, "timepoints")
    return _plan(request, programme, bound=form, status=400)


@login_required
@require_POST
def follow_up_remind(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Email reminders to people due or overdue a wellbeing measure who may be contacted."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    done = services.follow_up_remind(programme=programme, site_url=request.build_absolute_uri("/"))
    sent = len(done.sent)
    said = [
        ngettext("Reminders emailed to %(n)s person.", "Reminders emailed to %(n)s people.", sent)
        % {"n": sent}
    ]
    if done.reminded_lately:
        said.append(_("%(n)s had a reminder in the last week.") % {"n": len(done.reminded_lately)})
    if done.cannot_email:
        said.append(
            _(
                "%(n)s cannot be emailed (no address, or no yes to being contacted): "
                "print the list and ask them in person."
            )
            % {"n": len(done.cannot_email)}
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

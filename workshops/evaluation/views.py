"""Evaluation pages people answer and read: feedback on the phone, wellbeing measures, a
programme's own forms, "You said, we did", and the session and programme reports.

The builder's pages are in builder_views.py, the plan's in plan_views.py.
"""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participants.identity import room_identity_allowed
from participants.models import User
from workshops import access
from workshops.access import Action
from workshops.evaluation import exports, forms, instruments, selectors, services
from workshops.evaluation.answers import AnswersForm
from workshops.evaluation.defaults import RATING_FACES, RATING_WORDS
from workshops.evaluation.models import ActionPoint, Form
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Programme


def _posted(request: AuthenticatedHttpRequest) -> QueryDict | None:
    """What was posted, or None for a page only being shown (so its forms are unbound)."""
    return request.POST if request.method == "POST" else None


@room_identity_allowed
@login_required
def feedback(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """My feedback on a session: in the room (htmx) or by its link for a week."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    form = services.feedback_form_for(session=session)
    answers = AnswersForm(_posted(request), questions=selectors.questions_of(form=form))
    if answers.is_bound:
        if answers.is_valid():
            try:
                services.response_submit(form=form, person=request.user, answers=answers.sent())
            except ValidationError as exc:
                forms.refuse(exc, answers)
        if not answers.errors:
            if request.htmx:
                return render(
                    request,
                    "evaluation/feedback.html#feedback-mine",
                    {"form": form, "session": session, "thanks": True},
                )
            messages.success(request, _("Thank you for your feedback"))
            return redirect("session_feedback", session.pk)
    errors = forms.page_errors(answers)
    context = {
        "form": form,
        "session": session,
        "questions": answers.questions,
        "answers": answers.sent()
        if answers.is_bound
        else selectors.previous_answers(form=form, user_id=request.user.pk),
        "errors": errors,
        "error_list": forms.summary(errors),
        "answered": selectors.has_answered(form=form, user_id=request.user.pk),
        "words": RATING_WORDS,
        "faces": RATING_FACES,
    }
    template = (
        "evaluation/feedback.html#feedback-mine" if request.htmx else "evaluation/feedback.html"
    )
    return render(request, template, context, status=400 if errors else 200)


def _answering(
    request: AuthenticatedHttpRequest, form: Form, helps: bool
) -> tuple[AnswersForm, forms.RespondentForm, User | None]:
    """The answers to a measure or a programme's form, and who is answering: saved if they
    were posted and are right, as the person they are for (None if nobody is named)."""
    data = _posted(request)
    answers = AnswersForm(data, questions=selectors.questions_of(form=form))
    respondent = forms.RespondentForm(
        data,
        questionnaire=form,
        user=request.user,
        people=selectors.others_in_programme(form=form, user=request.user),
        helps=helps,
    )
    # Both are checked, so every problem is shown at once.
    if data is None or not all([answers.is_valid(), respondent.is_valid()]):
        return answers, respondent, None
    who = respondent.cleaned_data
    try:
        if who["nameless"]:
            services.response_submit_supported(form=form, by=request.user, answers=answers.sent())
        else:
            services.response_submit(
                form=form,
                person=who["person"],
                answers=answers.sent(),
                supported=who["supported"],
                supported_by=who["helper"],
            )
    except ValidationError as exc:
        forms.refuse(exc, answers, respondent)
    return answers, respondent, who["person"]


def _answered_for(request: AuthenticatedHttpRequest, person: User | None) -> str:
    """What to say once answers were saved for someone else, or with no name."""
    if person is None:
        return _("The answers were saved, with no name")
    return _("%(name)s's answers were saved") % {"name": person.display_name}


def _answer_context(
    request: AuthenticatedHttpRequest,
    form: Form,
    helps: bool,
    answers: AnswersForm,
    respondent: forms.RespondentForm,
) -> dict[str, object]:
    """What a measure's page and a programme form's page both show."""
    errors = forms.page_errors(answers, respondent)
    return {
        "form": form,
        "answers": answers.sent()
        if answers.is_bound
        else selectors.previous_answers(form=form, user_id=request.user.pk),
        "errors": errors,
        "error_list": forms.summary(errors),
        "helps": helps,
        "people": [] if form.anonymous else respondent.memberships,
        "posted": respondent.data if errors else {},
    }


@login_required
def measure(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Answer a wellbeing measure: the person, with a helper, or a facilitator on their behalf."""
    form = access.form_or_404(request.user, form_id)
    if form.kind != Form.Kind.INSTRUMENT:
        raise Http404("No such measure")
    helps = access.can(request.user, Action.EVALUATE, form.programme_id)
    answers, respondent, person = _answering(request, form, helps)
    if answers.is_bound and not (answers.errors or respondent.errors):
        if person != request.user:
            messages.success(request, _answered_for(request, person))
            return redirect("measure", form.pk)
        messages.success(request, _("Thank you: your answers were saved"))
        return redirect("home")
    context = _answer_context(request, form, helps, answers, respondent)
    context.update(
        spec=instruments.INSTRUMENTS[form.instrument],
        questions=answers.questions,
        options=instruments.RESPONSE_OPTIONS,
        instructions=instruments.INSTRUCTIONS,
    )
    return render(
        request, "evaluation/measure.html", context, status=400 if context["errors"] else 200
    )


@login_required
def form_answer(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Answer a custom form on its own page: one response each, changeable until it closes."""
    form = access.form_or_404(request.user, form_id)
    if form.kind != Form.Kind.CUSTOM:
        raise Http404("No such form")
    helps = access.can(request.user, Action.EVALUATE, form.programme_id)
    answers, respondent, person = _answering(request, form, helps)
    thanks = answers.is_bound and not (answers.errors or respondent.errors)
    if thanks and person != request.user:
        messages.success(request, _answered_for(request, person))
        return redirect("form_answer", form.pk)
    context = _answer_context(request, form, helps, answers, respondent)
    context.update(
        programme=form.programme,
        questions=answers.questions,
        answered=selectors.has_answered(form=form, user_id=request.user.pk),
        thanks=thanks,
        words=RATING_WORDS,
        faces=RATING_FACES,
    )
    return render(
        request, "evaluation/form.html", context, status=400 if context["errors"] else 200
    )


def _wellbeing_post(request: AuthenticatedHttpRequest, programme: Programme) -> django_forms.Form:
    """Record a licence, or add a measure: the form sent, with its errors if it was refused."""
    if forms.which(request.POST) == "licence":
        licence = forms.LicenceForm(request.POST)
        if licence.is_valid():
            try:
                services.licence_record(
                    programme=programme, by=request.user, **licence.cleaned_data
                )
            except ValidationError as exc:
                forms.refuse(exc, licence)
            else:
                messages.success(request, _("The licence was recorded"))
        return licence
    measure_form = forms.MeasureForm(request.POST)
    if measure_form.is_valid():
        try:
            services.instrument_form_create(programme=programme, **measure_form.cleaned_data)
        except ValidationError as exc:
            forms.refuse(exc, measure_form)
        else:
            messages.success(request, _("The measure is ready to be answered"))
    return measure_form


@login_required
def wellbeing(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Licences and wellbeing measures of a programme (organisers)."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = forms.page_errors(_wellbeing_post(request, programme))
        if not errors:
            return redirect("wellbeing", programme.pk)
    context = {
        "programme": programme,
        "licences": selectors.licences_of(programme=programme),
        "forms": selectors.measures_of(programme=programme),
        "instruments": instruments.INSTRUMENTS.values(),
        "error_list": forms.summary(errors, linked=False),
    }
    return render(request, "evaluation/wellbeing.html", context, status=400 if errors else 200)


def _action_point_update(
    request: AuthenticatedHttpRequest, programme: Programme
) -> django_forms.Form:
    """Move an action point on: the form sent, with its errors if it was refused."""
    update = forms.ActionPointUpdateForm(request.POST)
    update.is_valid()
    action_point = (
        None
        if update.has_error("action")
        else selectors.action_point_in(
            programme=programme, action_point_id=update.cleaned_data["action"]
        )
    )
    if action_point is None:
        raise Http404("No such action")
    if update.errors:
        return update
    try:
        services.action_point_update(
            action_point=action_point,
            status=update.cleaned_data["status"],
            progress_note=update.cleaned_data["progress_note"],
        )
    except ValidationError as exc:
        forms.refuse(exc, update)
    else:
        messages.success(request, _("The action was updated"))
    return update


def _action_point_add(request: AuthenticatedHttpRequest, programme: Programme) -> django_forms.Form:
    """Add an action point from the group's ideas: the form sent, with its errors if refused."""
    add = forms.ActionPointForm(request.POST)
    if not add.is_valid():
        return add
    try:
        services.action_point_create(
            programme=programme,
            title=add.cleaned_data["title"],
            card_uids=add.cleaned_data["ideas"],
            owner_id=add.cleaned_data["owner"],
            due_on=add.cleaned_data["due_on"],
        )
    except ValidationError as exc:
        forms.refuse(exc, add)
    else:
        messages.success(
            request, _("The action was added: everyone can see what their ideas led to")
        )
    return add


@login_required
def actions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """You said, we did: what the group's ideas led to. Facilitators add and update them."""
    programme = access.programme_or_404(request.user, programme_id, Action.VIEW)
    steers = access.can(request.user, Action.STEER, programme.pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not steers:
            raise Http404("No such page")
        update = forms.which(request.POST) == "update"
        sent = (_action_point_update if update else _action_point_add)(request, programme)
        errors = forms.page_errors(sent)
        if not errors:
            return redirect("actions", programme.pk)
    context: dict[str, object] = {
        "programme": programme,
        "actions": selectors.action_points(programme=programme),
        "mine": selectors.ideas_acted_on(programme=programme, user_id=request.user.pk),
        "steers": steers,
        "error_list": forms.summary(errors, linked=False),
        "statuses": ActionPoint.Status.choices,
    }
    if steers:
        context["candidates"] = selectors.idea_candidates(programme=programme)
        context["people"] = selectors.members_of(programme=programme)
    return render(request, "evaluation/actions.html", context, status=400 if errors else 200)


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme report, organised by outcome: printable."""
    programme = access.programme_or_404(request.user, programme_id, Action.STEER)
    manages = access.can(request.user, Action.MANAGE, programme.pk)
    data = selectors.programme_report(programme=programme, with_payments=manages)
    return render(
        request,
        "evaluation/report.html",
        {"programme": programme, "report": data, "manages": manages},
    )


@login_required
def report_csv(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The report's figures as CSV."""
    programme = access.programme_or_404(request.user, programme_id, Action.STEER)
    data = selectors.programme_report(
        programme=programme,
        with_payments=access.can(request.user, Action.MANAGE, programme.pk),
    )
    return _csv(
        exports.to_csv(exports.programme_report_rows(data)),
        f"programme-{programme.pk}-report.csv",
    )


@login_required
def session_report(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """One session's report: response rate, each question, attendance, equal voice. Printable."""
    session = access.session_or_404(request.user, session_id, Action.EVALUATE)
    data = selectors.session_report(session=session)
    return render(
        request,
        "evaluation/session_report.html",
        {"session": session, "programme": session.programme, "report": data},
    )


@login_required
def session_report_csv(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The session report's figures as CSV."""
    session = access.session_or_404(request.user, session_id, Action.EVALUATE)
    data = selectors.session_report(session=session)
    return _csv(
        exports.to_csv(exports.session_report_rows(data)), f"session-{session.number}-report.csv"
    )

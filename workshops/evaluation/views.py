"""Evaluation pages: feedback on the phone, custom forms and their builder, wellbeing measures,
the session and programme reports."""

import csv
from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from participants.identity import room_identity_allowed
from participants.models import Membership, User
from project.exports import spreadsheet_safe
from workshops import access
from workshops.access import Action
from workshops.evaluation import instruments, selectors, services
from workshops.evaluation.models import (
    Form,
    InstrumentLicence,
    Question,
    Response,
    ResponseReceipt,
)
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Session


def _answered(form: Form, user_id: int) -> bool:
    if form.anonymous:
        return ResponseReceipt.objects.filter(form=form, person_id=user_id).exists()
    return Response.objects.filter(form=form, person_id=user_id).exists()


def _previous(form: Form, user_id: int) -> dict[str, list[str]]:
    if form.anonymous:
        return {}
    response = (
        Response.objects.filter(form=form, person_id=user_id)
        .prefetch_related("answers__choices")
        .first()
    )
    if response is None:
        return {}
    previous: dict[str, list[str]] = {}
    for a in response.answers.all():
        chosen = [str(c.pk) for c in a.choices.all()]
        previous[f"q{a.question_id}"] = chosen or [str(a.number) if a.number else a.text]
    return previous


def _posted(request: AuthenticatedHttpRequest) -> dict[str, list[str]]:
    """Answers as posted: each question's values as a list (checkboxes send several)."""
    return {k: request.POST.getlist(k) for k in request.POST if k.startswith("q")}


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _error_items(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(where, message) for the error summary: each links to its question."""
    return [(key, message) for key, messages_ in errors.items() for message in messages_]


def _helpers(form: Form, user: User) -> list[Membership]:
    """Who else is in the programme: people who may have helped, or whom staff help."""
    return list(
        Membership.objects.filter(programme_id=form.programme_id, left_on__isnull=True)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__display_name")
    )


def _submit(
    request: AuthenticatedHttpRequest, form: Form, helps: bool, answers: dict[str, list[str]]
) -> User | None:
    """Save the posted answers: whose they are, whether someone helped, and who helped.

    Returns the person whose answers they are, or None for an anonymous supported response.
    Staff may answer on behalf of someone they are helping; anyone may say someone helped.
    On an anonymous form nobody is ever named: staff helping someone send answers with no
    person at all, since choosing the person would tell whether they had answered already.
    """
    on_behalf = request.POST.get("on_behalf_of", "")
    if form.anonymous:
        if on_behalf:
            raise ValidationError("On an anonymous form, answers are never saved in anyone's name")
        if request.POST.get("for_someone_else") == "1":
            if not helps:
                raise ValidationError("Only staff can send answers for someone else")
            services.response_submit_supported(form=form, by=request.user, answers=answers)
            return None
    people = {str(m.user_id): m.user for m in _helpers(form, request.user)}
    person, helper = request.user, None
    if on_behalf:
        if not helps or on_behalf not in people:
            raise ValidationError({"on_behalf_of": "Choose someone in the programme"})
        person, helper = people[on_behalf], request.user
    else:
        chosen = request.POST.get("helper", "")
        if chosen and (chosen not in people or form.anonymous):
            raise ValidationError({"helper": "Choose someone in the programme"})
        helper = people.get(chosen)
    supported = bool(on_behalf) or request.POST.get("supported") == "1" or helper is not None
    services.response_submit(
        form=form, person=person, answers=answers, supported=supported, supported_by=helper
    )
    return person


@room_identity_allowed
@login_required
def feedback(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """My feedback on a session: in the room (htmx) or by its link for a week."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    form = services.feedback_form_for(session=session)
    errors: dict[str, list[str]] = {}
    answers = _previous(form, request.user.pk)
    if request.method == "POST":
        answers = _posted(request)
        try:
            services.response_submit(form=form, person=request.user, answers=answers)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            if request.htmx:
                return render(
                    request,
                    "evaluation/feedback.html#feedback-mine",
                    {"form": form, "session": session, "thanks": True},
                )
            messages.success(request, "Thank you for your feedback")
            return redirect("session_feedback", session.pk)
    context = {
        "form": form,
        "session": session,
        "questions": form.questions.prefetch_related("choices"),
        "answers": answers,
        "errors": errors,
        "error_list": _error_items(errors),
        "answered": _answered(form, request.user.pk),
        "words": services.RATING_WORDS,
        "faces": services.RATING_FACES,
    }
    template = (
        "evaluation/feedback.html#feedback-mine" if request.htmx else "evaluation/feedback.html"
    )
    return render(request, template, context, status=400 if errors else 200)


@login_required
def wellbeing(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Licences and wellbeing measures of a programme (organisers)."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("what") == "licence":
                services.licence_record(
                    programme=programme,
                    instrument=request.POST.get("instrument", ""),
                    licence_holder=request.POST.get("licence_holder", ""),
                    reference=request.POST.get("reference", ""),
                    licensed_on=date.fromisoformat(
                        request.POST.get("licensed_on") or timezone.localdate().isoformat()
                    ),
                    by=request.user,
                )
                messages.success(request, "The licence was recorded")
            else:
                services.instrument_form_create(
                    programme=programme,
                    instrument=request.POST.get("instrument", ""),
                    timepoint=request.POST.get("timepoint", ""),
                )
                messages.success(request, "The measure is ready to be answered")
            return redirect("wellbeing", programme.pk)
        except (ValidationError, ValueError) as exc:
            error = (
                " ".join(exc.messages) if isinstance(exc, ValidationError) else "Enter a real date"
            )
    context = {
        "programme": programme,
        "licences": InstrumentLicence.objects.filter(programme=programme),
        "forms": Form.objects.filter(programme=programme, kind=Form.Kind.INSTRUMENT),
        "instruments": instruments.INSTRUMENTS.values(),
        "error": error,
    }
    return render(request, "evaluation/wellbeing.html", context, status=400 if error else 200)


@login_required
def measure(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Answer a wellbeing measure: the person, with a helper, or a facilitator on their behalf."""
    form = access.form_or_404(request.user, form_id)
    if form.kind != Form.Kind.INSTRUMENT:
        raise Http404("No such measure")
    helps = access.can(request.user, Action.EVALUATE, form.programme_id)
    spec = instruments.INSTRUMENTS[form.instrument]
    errors: dict[str, list[str]] = {}
    answers = _previous(form, request.user.pk)
    if request.method == "POST":
        answers = _posted(request)
        try:
            person = _submit(request, form, helps, answers)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            if person is None:
                messages.success(request, "The answers were saved, with no name")
                return redirect("measure", form.pk)
            if person != request.user:
                messages.success(request, f"{person.display_name}'s answers were saved")
                return redirect("measure", form.pk)
            messages.success(request, "Thank you: your answers were saved")
            return redirect("home")
    context = {
        "form": form,
        "spec": spec,
        "questions": form.questions.all(),
        "answers": answers,
        "errors": errors,
        "error_list": _error_items(errors),
        "options": instruments.RESPONSE_OPTIONS,
        "instructions": instruments.INSTRUCTIONS,
        "helps": helps,
        "people": [] if form.anonymous else _helpers(form, request.user),
        "posted": request.POST if errors else {},
    }
    return render(request, "evaluation/measure.html", context, status=400 if errors else 200)


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}-report.csv"'
    writer = csv.writer(response)

    writer.writerow(["section", "item", "value"])
    for outcome, indicators in data["outcomes"]:
        if not indicators:
            writer.writerow(
                [spreadsheet_safe(f"Outcome: {outcome.title}"), "", selectors.NO_EVIDENCE]
            )
        for indicator, found in indicators:
            writer.writerow(
                [
                    spreadsheet_safe(f"Outcome: {outcome.title}"),
                    spreadsheet_safe(indicator.title),
                    spreadsheet_safe(found.figure or selectors.NO_EVIDENCE),
                ]
            )
    for q in data["feedback"]:
        writer.writerow(
            [
                "Feedback",
                spreadsheet_safe(q.text),
                f"mean {q.mean} n {q.n} counts {' '.join(map(str, q.counts))}",
            ]
        )
    w = data["wellbeing"]
    writer.writerow(["Wellbeing (WEMWBS)", "n", w.n])
    writer.writerow(
        ["Wellbeing (WEMWBS)", "mean change", "" if w.mean_change is None else str(w.mean_change)]
    )
    short = data["wellbeing_short"]
    writer.writerow(["Wellbeing (SWEMWBS)", "n", short.n])
    writer.writerow(
        [
            "Wellbeing (SWEMWBS)",
            "mean change",
            "" if short.mean_change is None else str(short.mean_change),
        ]
    )
    for s, attended, _responses in data["attendance"]:
        writer.writerow(
            ["Attendance", spreadsheet_safe(f"Session {s.number}: {s.title}"), attended]
        )
    for s, index in data["balance"]:
        writer.writerow(
            [
                "Equal voice",
                spreadsheet_safe(f"Session {s.number}: {s.title}"),
                "" if index is None else str(index),
            ]
        )
    for session_title, question, text in data["free_text"]:
        writer.writerow(
            [
                "Said in feedback",
                spreadsheet_safe(f"{session_title}: {question}"),
                spreadsheet_safe(text),
            ]
        )
    for chart in data["feedback_choices"]:
        for option, people in chart.bars:
            writer.writerow(
                ["Feedback choice", spreadsheet_safe(f"{chart.title}: {option}"), people]
            )
    for result in data["custom"]:
        section = spreadsheet_safe(f"Form: {result.form.title}")
        writer.writerow([section, "responses", result.responses])
        writer.writerow([section, "filled in with support", result.supported])
        for q in result.questions:
            for label, value in q.chart.bars if q.chart else []:
                writer.writerow([section, spreadsheet_safe(f"{q.question.text}: {label}"), value])
            for text in q.texts:
                writer.writerow(
                    [section, spreadsheet_safe(q.question.text), spreadsheet_safe(text)]
                )
    return response


def feedback_link(session_id: int) -> str:
    """Where someone answers a session's feedback."""
    return reverse("session_feedback", args=[session_id])


@login_required
def actions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """You said, we did: what the group's ideas led to. Facilitators add and update actions."""
    from django.db.models import Count

    from boards.models import Card
    from boards.selectors import owned_by
    from participants.models import Membership
    from workshops.evaluation.models import Action

    programme = access.programme_or_404(request.user, programme_id, access.Action.VIEW)
    steers = access.can(request.user, access.Action.STEER, programme.pk)
    error: list[str] = []
    if request.method == "POST":
        if not steers:
            raise Http404("No such page")
        try:
            if request.POST.get("what") == "update":
                action = Action.objects.filter(
                    pk=request.POST.get("action") or 0, programme=programme
                ).first()
                if action is None:
                    raise Http404("No such action")
                services.action_update(
                    action=action,
                    by=request.user,
                    status=request.POST.get("status", ""),
                    progress_note=request.POST.get("progress_note", ""),
                )
                messages.success(request, "The action was updated")
            else:
                owner = request.POST.get("owner") or None
                due = request.POST.get("due_on") or None
                services.action_create(
                    programme=programme,
                    by=request.user,
                    title=request.POST.get("title", ""),
                    card_uids=request.POST.getlist("ideas"),
                    owner_id=int(owner) if owner and owner.isdigit() else None,
                    due_on=date.fromisoformat(due) if due else None,
                )
                messages.success(
                    request, "The action was added: everyone can see what their ideas led to"
                )
            return redirect("actions", programme.pk)
        except ValidationError as exc:
            error = exc.messages
        except ValueError:
            error = ["Enter a real date"]
    items = list(
        Action.objects.filter(programme=programme).select_related("owner").prefetch_related("ideas")
    )
    mine = set(
        Card.objects.filter(owned_by(request.user.pk), actions__programme=programme).values_list(
            "pk", flat=True
        )
    )
    context: dict[str, object] = {
        "programme": programme,
        "actions": items,
        "mine": mine,
        "steers": steers,
        "error": error,
        "statuses": Action.Status.choices,
    }
    if steers:
        context["candidates"] = (
            Card.objects.filter(
                board__activity__session__programme=programme, deleted_at__isnull=True
            )
            .annotate(dots=Count("votes"))
            .order_by("-dots", "pk")[:40]
        )
        context["people"] = Membership.objects.filter(
            programme=programme, left_on__isnull=True
        ).select_related("user")
    return render(request, "evaluation/actions.html", context, status=400 if error else 200)


def _closing(value: str, keep: datetime | None = None) -> datetime | None:
    """A closing date typed as YYYY-MM-DD: the form closes at the end of that day.

    The day the form already closes on keeps its exact time, so saving a form closed early
    today does not reopen it until midnight.
    """
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"closes_at": "Enter a real date, like 2027-03-31"}) from None
    if keep is not None and timezone.localdate(keep) == day:
        return keep
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


@login_required
def forms_home(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's own forms: members answer the open ones; staff make and build them."""
    programme = access.programme_or_404(request.user, programme_id, Action.VIEW)
    builds = access.can(request.user, Action.EVALUATE, programme.pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not builds:
            raise Http404("No such page")
        session_id = request.POST.get("session", "")
        session = (
            Session.objects.filter(pk=session_id, programme=programme).first()
            if session_id.isdigit()
            else None
        )
        try:
            if session_id and session is None:
                raise ValidationError({"session": "Choose a session of this programme"})
            form = services.form_create(
                programme=programme,
                title=request.POST.get("title", ""),
                session=session,
                anonymous=request.POST.get("anonymous") == "1",
                closes_at=_closing(request.POST.get("closes_on", "")),
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, "The form was made: now add its questions")
            return redirect("form_build", form.pk)
    forms = selectors.custom_forms(programme=programme, user=request.user, with_drafts=builds)
    context = {
        "programme": programme,
        "forms": forms,
        "measures": selectors.wellbeing_measures(programme=programme, user=request.user),
        "builds": builds,
        "sessions": programme.sessions.order_by("number") if builds else [],
        "errors": errors,
        "error_list": _error_items(errors),
        "posted": request.POST if errors else {},
    }
    return render(request, "evaluation/forms.html", context, status=400 if errors else 200)


@login_required
def feedback_questions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's feedback questions, edited in the builder."""
    programme = access.programme_or_404(request.user, programme_id, Action.EVALUATE)
    template = services.feedback_template_for(programme=programme)
    return redirect("form_build", template.pk)


def _builder(
    request: AuthenticatedHttpRequest,
    form: Form,
    errors: dict[str, list[str]] | None = None,
    editing: int | None = None,
    settings_open: bool = False,
) -> HttpResponse:
    errors = errors or {}
    context = {
        "form": form,
        "programme": form.programme,
        "answered": form.kind == Form.Kind.CUSTOM and services.has_answers(form),
        "settings_open": settings_open,
        "questions": selectors.builder_questions(form=form),
        "kinds": [(k.value, k.label) for k in services.BUILDER_KINDS],
        "errors": errors,
        "error_list": _error_items(errors),
        "editing": editing,
        "posted": request.POST if errors and not settings_open else {},
        "settings_posted": request.POST if errors and settings_open else {},
    }
    return render(request, "evaluation/builder.html", context, status=400 if errors else 200)


@login_required
def form_build(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Build a form: add questions of each kind (organisers and facilitators)."""
    form = access.form_or_404(request.user, form_id, Action.EVALUATE)
    if request.method == "POST":
        try:
            services.question_add(
                form=form,
                kind=request.POST.get("kind", ""),
                text=request.POST.get("text", ""),
                help_text=request.POST.get("help_text", ""),
                required=request.POST.get("required") == "1",
                options=request.POST.get("options", "").splitlines(),
            )
        except ValidationError as exc:
            return _builder(request, form, _errors(exc))
        messages.success(request, "The question was added")
        return redirect("form_build", form.pk)
    return _builder(request, form)


@login_required
def form_settings(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Change a custom form's title, closing date or anonymity, or close it now (POST only)."""
    form = access.form_or_404(request.user, form_id, Action.EVALUATE)
    if form.kind != Form.Kind.CUSTOM or request.method != "POST":
        raise Http404("No such page")
    try:
        if request.POST.get("what") == "close":
            services.form_close(form=form)
            messages.success(request, "The form is closed: no more answers can be given")
        else:
            services.form_settings_update(
                form=form,
                title=request.POST.get("title", ""),
                anonymous=request.POST.get("anonymous") == "1",
                closes_at=_closing(request.POST.get("closes_on", ""), keep=form.closes_at),
            )
            messages.success(request, "The form's settings were saved")
    except ValidationError as exc:
        return _builder(request, form, _errors(exc), settings_open=True)
    return redirect("form_build", form.pk)


@login_required
def question_edit(
    request: AuthenticatedHttpRequest, form_id: int, question_id: int
) -> HttpResponse:
    """Reword, move or remove one question of a form (POST only)."""
    form = access.form_or_404(request.user, form_id, Action.EVALUATE)
    question = Question.objects.filter(pk=question_id, form=form).select_related("form").first()
    if question is None or request.method != "POST":
        raise Http404("No such question")
    what = request.POST.get("what", "")
    try:
        if what in ("up", "down"):
            services.question_move(question=question, up=what == "up")
        elif what == "remove":
            services.question_remove(question=question)
            messages.success(request, "The question was removed")
        elif what == "update":
            reworded = {
                int(key.removeprefix("choice-")): str(value)
                for key, value in request.POST.items()
                if key.startswith("choice-") and key.removeprefix("choice-").isdigit()
            }
            removed = [int(v) for v in request.POST.getlist("remove") if v.isdigit()]
            services.question_update(
                question=question,
                text=request.POST.get("text", ""),
                help_text=request.POST.get("help_text", ""),
                required=request.POST.get("required") == "1",
                reworded=reworded,
                removed=removed,
                added=request.POST.get("added", "").splitlines(),
            )
            messages.success(request, "The question was saved")
        else:
            raise ValidationError("Choose what to do with the question")
    except ValidationError as exc:
        return _builder(request, form, _errors(exc), editing=question.pk)
    anchor = "" if what == "remove" else f"#question-{question.pk}"
    return redirect(reverse("form_build", args=[form.pk]) + anchor)


@login_required
def form_answer(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Answer a custom form on its own page: one response each, changeable until it closes."""
    form = access.form_or_404(request.user, form_id)
    if form.kind != Form.Kind.CUSTOM:
        raise Http404("No such form")
    helps = access.can(request.user, Action.EVALUATE, form.programme_id)
    errors: dict[str, list[str]] = {}
    answers = _previous(form, request.user.pk)
    thanks = False
    if request.method == "POST":
        answers = _posted(request)
        try:
            person = _submit(request, form, helps, answers)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            if person is None:
                messages.success(request, "The answers were saved, with no name")
                return redirect("form_answer", form.pk)
            if person != request.user:
                messages.success(request, f"{person.display_name}'s answers were saved")
                return redirect("form_answer", form.pk)
            thanks = True
    context = {
        "form": form,
        "programme": form.programme,
        "questions": form.questions.prefetch_related("choices"),
        "answers": answers,
        "errors": errors,
        "error_list": _error_items(errors),
        "answered": _answered(form, request.user.pk),
        "thanks": thanks,
        "helps": helps,
        "people": [] if form.anonymous else _helpers(form, request.user),
        "posted": request.POST if errors else {},
        "words": services.RATING_WORDS,
        "faces": services.RATING_FACES,
    }
    return render(request, "evaluation/form.html", context, status=400 if errors else 200)


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.number}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "item", "value"])
    writer.writerow(["Attendance", "people who attended", data["attended"]])
    writer.writerow(["Feedback", "responses", data["responses"]])
    writer.writerow(["Feedback", "response rate %", spreadsheet_safe(data["response_rate"])])
    results = ([data["feedback"]] if data["feedback"] else []) + data["custom"]
    for result in results:
        section = spreadsheet_safe(result.form.title)
        writer.writerow([section, "filled in with support", result.supported])
        for q in result.questions:
            if q.chart is not None:
                for label, value in q.chart.bars:
                    writer.writerow(
                        [section, spreadsheet_safe(f"{q.question.text}: {label}"), value]
                    )
            for text in q.texts:
                writer.writerow(
                    [section, spreadsheet_safe(q.question.text), spreadsheet_safe(text)]
                )
    writer.writerow(["Equal voice", "balance index", spreadsheet_safe(data["balance_index"])])
    return response

"""Evaluation pages: feedback on the phone, wellbeing measures, the programme report."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from participants import permissions
from participants.permissions import Action
from workshops.evaluation import instruments, selectors, services
from workshops.evaluation.models import Form, InstrumentLicence, Response, ResponseReceipt
from workshops.http import AuthenticatedHttpRequest


def _answered(form: Form, user_id: int) -> bool:
    if form.anonymous:
        return ResponseReceipt.objects.filter(form=form, person_id=user_id).exists()
    return Response.objects.filter(form=form, person_id=user_id).exists()


def _previous(form: Form, user_id: int) -> dict[str, str]:
    if form.anonymous:
        return {}
    response = (
        Response.objects.filter(form=form, person_id=user_id).prefetch_related("answers").first()
    )
    if response is None:
        return {}
    return {
        f"q{a.question_id}": str(a.number) if a.number else str(a.text)
        for a in response.answers.all()
    }


@login_required
def feedback(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """My feedback on a session: in the room (htmx) or by its link for a week."""
    session = permissions.session_or_404(request.user, session_id, Action.VIEW)
    form = services.feedback_form_for(session=session)
    errors: dict[str, list[str]] = {}
    answers = _previous(form, request.user.pk)
    if request.method == "POST":
        answers = {k: str(v) for k, v in request.POST.items() if k.startswith("q")}
        try:
            services.response_submit(form=form, person=request.user, answers=answers)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
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
        "questions": form.questions.all(),
        "answers": answers,
        "errors": errors,
        "error_list": [e for v in errors.values() for e in v],
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
    programme = permissions.programme_or_404(request.user, programme_id, Action.MANAGE)
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
    """Answer a wellbeing measure (the person, or a facilitator helping them)."""
    form = Form.objects.filter(pk=form_id, kind=Form.Kind.INSTRUMENT).first()
    if form is None or not permissions.can(request.user, Action.VIEW, form.programme_id):
        raise Http404("No such form")
    spec = instruments.INSTRUMENTS[form.instrument]
    errors: dict[str, list[str]] = {}
    answers = _previous(form, request.user.pk)
    if request.method == "POST":
        answers = {k: str(v) for k, v in request.POST.items() if k.startswith("q")}
        try:
            services.response_submit(form=form, person=request.user, answers=answers)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, "Thank you: your answers were saved")
            return redirect("home")
    context = {
        "form": form,
        "spec": spec,
        "questions": form.questions.all(),
        "answers": answers,
        "errors": errors,
        "error_list": [e for v in errors.values() for e in v],
        "options": instruments.RESPONSE_OPTIONS,
        "instructions": instruments.INSTRUCTIONS,
    }
    return render(request, "evaluation/measure.html", context, status=400 if errors else 200)


@login_required
def report(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme report, organised by outcome: printable."""
    programme = permissions.programme_or_404(request.user, programme_id, Action.STEER)
    manages = permissions.can(request.user, Action.MANAGE, programme.pk)
    data = selectors.programme_report(programme=programme, with_payments=manages)
    return render(
        request,
        "evaluation/report.html",
        {"programme": programme, "report": data, "manages": manages},
    )


@login_required
def report_csv(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The report's figures as CSV."""
    programme = permissions.programme_or_404(request.user, programme_id, Action.STEER)
    data = selectors.programme_report(
        programme=programme,
        with_payments=permissions.can(request.user, Action.MANAGE, programme.pk),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}-report.csv"'
    writer = csv.writer(response)

    def safe(value: object) -> str:
        text = "" if value is None else str(value)
        return "'" + text if text.startswith(("=", "+", "-", "@", "\t")) else text

    writer.writerow(["section", "item", "value"])
    for outcome, indicators in data["outcomes"]:
        for indicator, value in indicators:
            writer.writerow([safe(f"Outcome: {outcome.title}"), safe(indicator.title), safe(value)])
    for q in data["feedback"]:
        writer.writerow(
            [
                "Feedback",
                safe(q.text),
                f"mean {q.mean} n {q.n} counts {' '.join(map(str, q.counts))}",
            ]
        )
    w = data["wellbeing"]
    writer.writerow(["Wellbeing (WEMWBS)", "n", w.n])
    writer.writerow(
        ["Wellbeing (WEMWBS)", "mean change", "" if w.mean_change is None else str(w.mean_change)]
    )
    for s, attended, _responses in data["attendance"]:
        writer.writerow(["Attendance", safe(f"Session {s.number}: {s.title}"), attended])
    for s, index in data["balance"]:
        writer.writerow(
            [
                "Equal voice",
                safe(f"Session {s.number}: {s.title}"),
                "" if index is None else str(index),
            ]
        )
    for session_title, question, text in data["free_text"]:
        writer.writerow(["Said in feedback", safe(f"{session_title}: {question}"), safe(text)])
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

    programme = permissions.programme_or_404(request.user, programme_id, permissions.Action.VIEW)
    steers = permissions.can(request.user, permissions.Action.STEER, programme.pk)
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

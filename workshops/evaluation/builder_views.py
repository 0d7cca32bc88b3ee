"""A programme's own forms and the builder: making a form, its settings, and its questions
(organisers and facilitators; members see and answer the open forms)."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from workshops import access
from workshops.access import Action
from workshops.evaluation import forms, selectors, services
from workshops.evaluation.models import Form, Question
from workshops.http import AuthenticatedHttpRequest


@login_required
def forms_home(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's own forms: members answer the open ones; staff make and build them."""
    programme = access.programme_or_404(request.user, programme_id, Action.VIEW)
    builds = access.can(request.user, Action.EVALUATE, programme.pk)
    new = forms.FormCreateForm(
        request.POST if request.method == "POST" else None, programme=programme
    )
    if new.is_bound:
        if not builds:
            raise Http404("No such page")
        if new.is_valid():
            try:
                form = services.form_create(
                    programme=programme,
                    title=new.cleaned_data["title"],
                    session=new.cleaned_data["session"],
                    anonymous=new.cleaned_data["anonymous"],
                    closes_at=new.cleaned_data["closes_on"],
                )
            except ValidationError as exc:
                forms.refuse(exc, new)
            else:
                messages.success(request, _("The form was made: now add its questions"))
                return redirect("form_build", form.pk)
    errors = forms.page_errors(new)
    context = {
        "programme": programme,
        "forms": selectors.custom_forms(programme=programme, user=request.user, with_drafts=builds),
        "measures": selectors.wellbeing_measures(programme=programme, user=request.user),
        "builds": builds,
        "sessions": selectors.sessions_of(programme=programme) if builds else [],
        "errors": errors,
        "error_list": forms.summary(errors),
        "posted": new.data if errors else {},
    }
    return render(request, "evaluation/forms.html", context, status=400 if errors else 200)


@login_required
def feedback_questions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The programme's feedback questions, edited in the builder."""
    programme = access.programme_or_404(request.user, programme_id, Action.EVALUATE)
    template = services.feedback_template_for(programme=programme)
    return redirect("form_build", template.pk)


def _refusal(exc: ValidationError) -> dict[str, list[str]]:
    """A service's refusal of a button with nothing to fill in: an error of the page."""
    return {NON_FIELD_ERRORS: exc.messages}


def _builder(
    request: AuthenticatedHttpRequest,
    form: Form,
    *,
    failed: django_forms.Form | None = None,
    errors: dict[str, list[str]] | None = None,
    editing: int | None = None,
    settings_open: bool = False,
) -> HttpResponse:
    """The builder page; a form that failed is shown with its errors and what was sent."""
    if errors is None:
        errors = forms.page_errors(failed) if failed is not None else {}
    settings_open = settings_open or isinstance(failed, forms.FormSettingsForm)
    sent = failed.data if failed is not None and errors else {}
    context = {
        "form": form,
        "programme": form.programme,
        "answered": form.kind == Form.Kind.CUSTOM and selectors.has_answers(form),
        "settings_open": settings_open,
        "questions": selectors.builder_questions(form=form),
        "kinds": [(k.value, k.label) for k in services.BUILDER_KINDS],
        "errors": errors,
        "error_list": forms.summary(errors),
        "editing": editing,
        "posted": {} if settings_open else sent,
        "settings_posted": sent if settings_open else {},
    }
    return render(request, "evaluation/builder.html", context, status=400 if errors else 200)


@login_required
def form_build(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Build a form: add questions of each kind (organisers and facilitators)."""
    form = access.form_or_404(request.user, form_id, Action.EVALUATE)
    if request.method != "POST":
        return _builder(request, form)
    question = forms.QuestionAddForm(request.POST, questionnaire=form)
    if question.is_valid():
        try:
            services.question_add(form=form, **question.cleaned_data)
        except ValidationError as exc:
            forms.refuse(exc, question)
        else:
            messages.success(request, _("The question was added"))
            return redirect("form_build", form.pk)
    return _builder(request, form, failed=question)


@login_required
def form_settings(request: AuthenticatedHttpRequest, form_id: int) -> HttpResponse:
    """Change a custom form's title, closing date or anonymity, or close it now (POST only)."""
    form = access.form_or_404(request.user, form_id, Action.EVALUATE)
    if form.kind != Form.Kind.CUSTOM or request.method != "POST":
        raise Http404("No such page")
    if forms.which(request.POST) == "close":
        try:
            services.form_close(form=form)
        except ValidationError as exc:
            return _builder(request, form, errors=_refusal(exc), settings_open=True)
        messages.success(request, _("The form is closed: no more answers can be given"))
        return redirect("form_build", form.pk)
    details = forms.FormSettingsForm(request.POST, questionnaire=form)
    if details.is_valid():
        try:
            services.form_settings_update(
                form=form,
                title=details.cleaned_data["title"],
                anonymous=details.cleaned_data["anonymous"],
                closes_at=details.cleaned_data["closes_on"],
            )
        except ValidationError as exc:
            forms.refuse(exc, details)
        else:
            messages.success(request, _("The form's settings were saved"))
            return redirect("form_build", form.pk)
    return _builder(request, form, failed=details)


def _question_change(request: AuthenticatedHttpRequest, question: Question, what: str) -> None:
    """Move, remove or reword a question; raises the refusal if it cannot be done."""
    if what in ("up", "down"):
        services.question_move(question=question, up=what == "up")
    elif what == "remove":
        services.question_remove(question=question)
        messages.success(request, _("The question was removed"))
    else:
        raise ValidationError(_("Choose what to do with the question"))


@login_required
def question_edit(
    request: AuthenticatedHttpRequest, form_id: int, question_id: int
) -> HttpResponse:
    """Reword, move or remove one question of a form (POST only)."""
    form = access.form_or_404(request.user, form_id, Action.EVALUATE)
    question = selectors.question_in(form=form, question_id=question_id)
    if question is None or request.method != "POST":
        raise Http404("No such question")
    what = forms.which(request.POST)
    if what == "update":
        edit = forms.QuestionEditForm(request.POST, question=question)
        if edit.is_valid():
            try:
                services.question_update(
                    question=question,
                    text=edit.cleaned_data["text"],
                    help_text=edit.cleaned_data["help_text"],
                    required=edit.cleaned_data["required"],
                    reworded=edit.reworded(),
                    removed=edit.cleaned_data["remove"],
                    added=edit.cleaned_data["added"],
                )
            except ValidationError as exc:
                forms.refuse(exc, edit)
        if edit.errors:
            return _builder(request, form, failed=edit, editing=question.pk)
        messages.success(request, _("The question was saved"))
    else:
        try:
            _question_change(request, question, what)
        except ValidationError as exc:
            return _builder(request, form, errors=_refusal(exc), editing=question.pk)
    anchor = "" if what == "remove" else f"#question-{question.pk}"
    return redirect(reverse("form_build", args=[form.pk]) + anchor)

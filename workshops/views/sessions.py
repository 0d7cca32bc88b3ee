"""A session before it starts: scheduling, editing, cancelling, its agenda, answers and ideas,
and the briefing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boards import selectors as board_selectors
from boards import services as board_services
from boards.forms import IdeaBeforeForm
from participants import identity
from workshops import access, selectors, services
from workshops.access import Action
from workshops.forms import (
    ActivityForm,
    CancelSessionForm,
    CopyAgendaForm,
    RsvpForm,
    SaveTemplateForm,
    SessionForm,
    UseTemplateForm,
)
from workshops.http import AuthenticatedHttpRequest
from workshops.models import Session


@login_required
def session_create(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Schedule a session of a programme."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_schedule(
                programme=programme,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Session %(number)s has been scheduled") % {"number": session.number}
            )
            return redirect("session_detail", session.pk)
    return render(
        request,
        "workshops/session_form.html",
        {"form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


@login_required
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A session: when and where, its agenda, and for staff the controls to run it."""
    session = access.session_or_404(request.user, session_id)
    steers = access.can_on_session(request.user, Action.STEER, session)
    form = ActivityForm(request.POST or None) if steers else None
    if request.method == "POST":
        if not steers or form is None:
            return HttpResponse(status=404)
        if form.is_valid():
            try:
                services.activity_add(session=session, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(title)s was added to the agenda") % {"title": form.cleaned_data["title"]},
                )
                return redirect("session_detail", session.pk)
    return _session_page(request, session, steers=steers, form=form)


def _session_page(
    request: AuthenticatedHttpRequest,
    session: Session,
    *,
    steers: bool,
    form: ActivityForm | None = None,
    status: int | None = None,
    idea_errors: list[str] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The session page, with any bound form that failed shown with its errors, the boards
    that take ideas before the session, and the Last time recap."""
    scheduled = session.status == Session.Status.SCHEDULED
    context: dict[str, Any] = {
        "session": session,
        "programme": session.programme,
        "agenda": selectors.agenda(session=session),
        "steers": steers,
        # A co-facilitator steers the room, but sees no one's needs, times or reports.
        "keeps_records": steers and access.can_on_session(request.user, Action.PERSONAL, session),
        "form": form,
        "rsvp": None,
        "rsvp_form": None,
        "idea_boards": board_selectors.boards_before_session(
            session=session, user_id=request.user.pk, steers=steers
        )
        if scheduled
        else [],
        "idea_errors": idea_errors or [],
        "last_time": board_selectors.last_time(session=session) if session.is_live else None,
    }
    may_answer = session.can_change and identity.signed_in_strongly(request)
    if may_answer:
        mine = selectors.rsvp_for(session=session, user=request.user)
        context["rsvp"] = mine
        initial = {"answer": "yes" if mine.coming else "no", "needs": mine.needs} if mine else {}
        context["rsvp_form"] = forms.get("rsvp_form") or RsvpForm(prefix="rsvp", initial=initial)
    if context["keeps_records"]:
        context["rsvps"] = selectors.rsvps(session=session)
    if steers and session.can_change:
        templates = selectors.agenda_templates(programme_id=session.programme_id)
        others = selectors.other_sessions_with_agenda(session=session)
        context |= {
            "cancel_form": forms.get("cancel_form") or CancelSessionForm(prefix="cancel"),
            "copy_form": forms.get("copy_form") or CopyAgendaForm(prefix="copy", sessions=others),
            "save_form": forms.get("save_form") or SaveTemplateForm(prefix="save"),
            "use_form": forms.get("use_form") or UseTemplateForm(prefix="use", templates=templates),
            "has_templates": bool(templates),
            "has_others": bool(others),
        }
    failed = [f for f in (form, *forms.values()) if f is not None and f.errors]
    context["failed_form"] = failed[0] if failed else None
    return render(
        request,
        "workshops/session_detail.html",
        context,
        status=status or (400 if failed or idea_errors else 200),
    )


def _session_action(
    request: AuthenticatedHttpRequest, session: Session, key: str, form: Any, run: Any, ok: str
) -> HttpResponse:
    """Run a session page's action from a bound form; on bad input show the page again with
    the error, changing nothing."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, msgs in errors.items():
                name = field if field in form.fields else None
                for msg in msgs:
                    form.add_error(name, msg)
        else:
            messages.success(request, ok)
            return redirect("session_detail", session.pk)
    steers = access.can_on_session(request.user, Action.STEER, session)
    return _session_page(request, session, steers=steers, **{key: form})


@login_required
def session_edit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Edit or move a session that has not started; people hear if it moves."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    if not session.can_change:
        messages.error(request, _("This session has already started, ended or been cancelled"))
        return redirect("session_detail", session.pk)
    local_start = timezone.localtime(session.starts_at)
    initial = {
        "title": session.title,
        "date": local_start.date(),
        "start_time": local_start.time().replace(second=0, microsecond=0),
        "end_time": timezone.localtime(session.ends_at).time().replace(second=0, microsecond=0),
        "place": session.place,
        "online_link": session.online_link,
    }
    form = SessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                session=session,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Session %(number)s has been saved") % {"number": session.number}
            )
            return redirect("session_detail", session.pk)
    return render(
        request,
        "workshops/session_form.html",
        {"form": form, "programme": session.programme, "session": session},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def session_cancel(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Cancel a session that has not started, saying why."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = CancelSessionForm(request.POST, prefix="cancel")
    return _session_action(
        request,
        session,
        "cancel_form",
        form,
        lambda d: services.session_cancel(session=session, reason=d["reason"], by=request.user),
        _("Session %(number)s has been cancelled. Everyone in the programme was told.")
        % {"number": session.number},
    )


@require_POST
@login_required
def agenda_copy(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Add another session's agenda to this one."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    others = selectors.other_sessions_with_agenda(session=session)
    form = CopyAgendaForm(request.POST, prefix="copy", sessions=others)
    return _session_action(
        request,
        session,
        "copy_form",
        form,
        lambda d: services.agenda_copy(session=session, from_session_id=d["from_session"]),
        _("The agenda was copied"),
    )


@require_POST
@login_required
def agenda_template_save(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Save this session's agenda as one of the programme's templates."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    form = SaveTemplateForm(request.POST, prefix="save")
    return _session_action(
        request,
        session,
        "save_form",
        form,
        lambda d: services.agenda_template_save(session=session, name=d["name"]),
        _("The agenda was saved as a template"),
    )


@require_POST
@login_required
def agenda_template_use(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Add a template's activities to this session's agenda."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    templates = selectors.agenda_templates(programme_id=session.programme_id)
    form = UseTemplateForm(request.POST, prefix="use", templates=templates)
    return _session_action(
        request,
        session,
        "use_form",
        form,
        lambda d: services.agenda_template_use(session=session, template_id=d["template"]),
        _("The template's activities were added to the agenda"),
    )


@require_POST
@login_required
def session_rsvp(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A member's own answer: coming or not, with any transport or care needs."""
    session = access.session_or_404(request.user, session_id)
    # A picked name proves only the room: it cannot answer for the person it names.
    if not identity.signed_in_strongly(request):
        raise Http404("No such session")
    form = RsvpForm(request.POST, prefix="rsvp")
    return _session_action(
        request,
        session,
        "rsvp_form",
        form,
        lambda d: services.rsvp_set(
            session=session, user=request.user, coming=d["answer"] == "yes", needs=d["needs"]
        ),
        _("Thank you: your answer was saved"),
    )


@require_POST
@login_required
def session_idea_add(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Add one's own idea to a board of a session that has not started yet."""
    session = access.session_or_404(request.user, session_id)
    form = IdeaBeforeForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            board_services.idea_before_session(
                session=session,
                by=request.user,
                board_id=data["board"],
                client_id=data["client_id"],
                column_id=data["column"],
                text=data["text"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, _("Your idea was added: the group will see it at the session")
            )
            return redirect("session_detail", session.pk)
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    steers = access.can_on_session(request.user, Action.STEER, session)
    form_for_agenda = ActivityForm() if steers else None
    return _session_page(
        request, session, steers=steers, form=form_for_agenda, idea_errors=errors, status=400
    )


@login_required
def session_briefing(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Before the session: what the people expected need, and who said no to photos or quotes."""
    session = access.session_or_404(request.user, session_id, Action.PERSONAL)
    context: dict[str, Any] = {"session": session, "programme": session.programme}
    context |= selectors.session_briefing(session=session)
    context["rsvps"] = selectors.rsvps(session=session)
    return render(request, "workshops/session_briefing.html", context)

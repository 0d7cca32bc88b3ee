"""The start page and a programme's own pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participants import identity
from participants.identity import room_identity_allowed
from workshops import access, selectors, services
from workshops.access import Action
from workshops.evaluation import selectors as evaluation_selectors
from workshops.forms import ProgrammeForm
from workshops.http import AuthenticatedHttpRequest, HtmxHttpRequest
from workshops.models import Session


@room_identity_allowed
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Start page: your programmes, live sessions and invitations, or how to join."""
    if not request.user.is_authenticated:
        return render(request, "workshops/start.html", {"open_signup": settings.COMHLA_OPEN_SIGNUP})
    scope = identity.room_scope(request.user)
    if scope is not None:
        # A room identity sees its one session, nothing of the person's programmes.
        session = Session.objects.filter(pk=scope, status=Session.Status.LIVE).first()
        return render(request, "workshops/start.html", {"room_session": session})
    return render(
        request,
        "workshops/home.html",
        {
            "programmes": selectors.programmes_for(user=request.user),
            "live_sessions": selectors.live_sessions_for(user=request.user),
            "invitations": selectors.invitations_for(user=request.user),
            "upcoming": selectors.upcoming_sessions_for(user=request.user),
            "may_set_up_programmes": access.may_set_up_programmes(request.user),
            "measures_due": evaluation_selectors.measures_due_for(user=request.user),
        },
    )


@login_required
def programme_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a programme; the creator becomes its organiser (staff only, never a contributor)."""
    if not access.may_set_up_programmes(request.user):
        raise Http404("No such page")
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(created_by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been created") % {"name": programme.name})
        return redirect("programme_detail", programme.pk)
    return render(
        request,
        "workshops/programme_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def programme_detail(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's timeline of sessions, and its people for organisers."""
    programme = access.programme_or_404(request.user, programme_id)
    manages = access.can(request.user, Action.MANAGE, programme.pk)
    steers = access.can(request.user, Action.STEER, programme.pk)
    context = {
        "programme": programme,
        "sessions": selectors.programme_timeline(programme=programme),
        "manages": manages,
        "steers": steers,
        "people": selectors.programme_people(programme=programme) if steers else [],
        "invitations": selectors.programme_invitations(programme=programme) if manages else [],
    }
    return render(request, "workshops/programme_detail.html", context)

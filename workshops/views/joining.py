"""Joining a session: by its code, picking a name, waiting to be let in, and a facilitator's
check of a picked name."""

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants import identity, personal_data, security
from participants.backends import MODEL_BACKEND
from participants.identity import room_identity_allowed
from participants.models import SecurityEvent, User
from workshops import access, selectors, services
from workshops.access import Action
from workshops.forms import JoinCodeForm, WhoAreYouForm
from workshops.http import (
    AuthenticatedHttpRequest,
    HtmxHttpRequest,
    KnownAddresses,
    RateLimit,
    client_address,
    done,
    error_fragment,
)
from workshops.models import Attendance, JoinClaim, Session

JOIN_PERMIT_KEY = "comhla_join_permit"
JOIN_CLAIM_KEY = "comhla_join_claim"
# Wrong join codes are limited three ways (numbers and reasons: README, Security): per address
# over minutes (a guesser waits, a room with typos does not), per address over a day, and in
# total over an hour. Once the total is spent, only addresses where a session's code already
# worked, or where a facilitator showed it, may keep trying: a venue's people still join.
join_code_limits = [
    RateLimit("join-code", limit="JOIN_CODE_RATE_LIMIT", window="JOIN_CODE_RATE_WINDOW"),
    RateLimit("join-code-day", limit="JOIN_CODE_DAILY_LIMIT", window=24 * 60 * 60),
]
join_code_total_limit = RateLimit("join-code-all", limit="JOIN_CODE_GLOBAL_LIMIT", window=60 * 60)
join_venues = KnownAddresses("join-venue", seconds=12 * 60 * 60)
ALL_ADDRESSES = "all"


def _join_code_refused(who: str) -> bool:
    """Must this address wait before its next join code is checked?"""
    if any(limit.tripped(who) for limit in join_code_limits):
        return True
    return join_code_total_limit.tripped(ALL_ADDRESSES) and who not in join_venues


def _wrong_join_code(who: str) -> None:
    for limit in join_code_limits:
        limit.fail(who)
    join_code_total_limit.fail(ALL_ADDRESSES)


@login_required
def session_join_poster(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The join code and a QR code, big enough to project on a wall."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    join_venues.add(client_address(request))  # the room is here: its people can keep joining
    join_url = request.build_absolute_uri(reverse("join")) + f"?code={session.join_code or ''}"
    # segno's SVG is built from our own URL (no text a person typed), so it is safe markup.
    qr_svg = mark_safe(  # noqa: S308
        segno.make(join_url, error="m").svg_inline(
            scale=10, dark="#0b0c0c", light="#ffffff", title=_("QR code to join this session")
        )
    )
    return render(
        request,
        "workshops/join_poster.html",
        {"session": session, "join_url": join_url, "qr_svg": qr_svg},
    )


@room_identity_allowed
def join(request: HtmxHttpRequest) -> HttpResponse:
    """Step 1 of joining: type the session code (no password, ever)."""
    who = client_address(request)
    initial = {"code": request.GET.get("code", "")}
    form = JoinCodeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _join_code_refused(who):
            security.record(
                kind=SecurityEvent.Kind.RATE_LIMITED, target="join", outcome="429", address=who
            )
            return render(
                request, "workshops/join.html", {"form": form, "too_many": True}, status=429
            )
        if form.is_valid():
            session = selectors.session_by_join_code(code=form.cleaned_data["code"])
            if session is not None:
                request.session[JOIN_PERMIT_KEY] = session.pk
                join_venues.add(who)
                return redirect("join_who", session.pk)
            _wrong_join_code(who)
            form.add_error(
                "code",
                _(
                    "That code does not match a session that is on now. "
                    "Check the numbers on the screen and try again."
                ),
            )
        else:
            _wrong_join_code(who)
    return render(
        request, "workshops/join.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@login_required
def room_join(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A member signed in with a proven identity joins a live session without its code:
    admitted, waiting or still removed exactly as if they had typed it."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    # A picked name proves only one room; it never opens another without the code.
    if not identity.signed_in_strongly(request):
        messages.error(request, _("Type the code shown in the room to join"))
        return redirect("join")
    try:
        return _enter(request, session, user=request.user, proven=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("room", session.pk)


def _permitted_session(request: HttpRequest, session_id: int) -> Session | None:
    if request.session.get(JOIN_PERMIT_KEY) != session_id:
        return None
    session = Session.objects.select_related("programme").filter(pk=session_id).first()
    if session is None or not session.join_code_is_valid():
        return None
    return session


@identity.joining_allowed
def join_who(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Step 2 of joining: pick your name, or give a new one."""
    session = _permitted_session(request, session_id)
    if session is None:
        messages.error(request, _("Type the session code again to join"))
        return redirect("join")
    people = selectors.joinable_people(programme=session.programme)
    current = request.user if request.user.is_authenticated else None
    is_member = bool(current) and access.membership_for(current, session.programme_id) is not None
    form = WhoAreYouForm(request.POST or None, people=people)
    if request.method == "POST":
        if request.POST.get("continue_as") and current and is_member:
            if identity.signed_in_strongly(request):
                return _enter(request, session, user=current, proven=True)
            return _pick(request, session, current)
        if form.is_valid():
            data = form.cleaned_data
            chosen = next((p for p in people if p.pk == data.get("person")), None)
            try:
                if chosen is not None:
                    return _pick(request, session, chosen)
                return _enter(
                    request,
                    session,
                    user=None,
                    new_name=data.get("new_name") or "",
                    role=data.get("role") or "",
                )
            except ValidationError as exc:
                form.add_error(None, exc)
    context = {
        "session": session,
        "form": form,
        "people": people,
        "current": current if is_member else None,
    }
    return render(request, "workshops/join_who.html", context, status=400 if form.errors else 200)


def _pick(request: HtmxHttpRequest, session: Session, person: User) -> HttpResponse:
    """A name picked from the list: a room identity, or a facilitator's check first when
    Comhla holds personal data about that person."""
    if personal_data.has_personal_data(user=person):
        mine = JoinClaim.objects.filter(
            pk=request.session.get(JOIN_CLAIM_KEY) or 0,
            session=session,
            user=person,
            status=JoinClaim.Status.PENDING,
        ).first()
        claim = mine or services.join_claim_create(session=session, user=person)
        request.session[JOIN_CLAIM_KEY] = claim.pk
        request.session.pop(JOIN_PERMIT_KEY, None)
        return redirect("join_claim", session.pk)
    return _enter(request, session, user=person)


def _sign_in(request: HtmxHttpRequest, person: User, *, method: str, session: Session) -> None:
    """Sign this device in as the person, proven or only for this session's room."""
    same = request.user.is_authenticated and request.user.pk == person.pk
    # The same person, picked by name last time and confirmed by a facilitator now, is
    # proven from now on (as on a fresh device); a proven sign-in is never weakened.
    upgrade = (
        same
        and method in identity.PROVEN_METHODS
        and request.session.get(identity.SIGNIN_METHOD_KEY) not in identity.PROVEN_METHODS
    )
    if not same or upgrade:
        login(request, person, backend=MODEL_BACKEND)
        request.session[identity.SIGNIN_METHOD_KEY] = method
    if method in identity.ROOM_METHODS:
        # Proves only that they are in the room: this session, nothing personal.
        request.session[identity.ROOM_SCOPE_KEY] = session.pk
        identity.limit_to_room(request.user, request.session)
    else:
        request.session.pop(identity.ROOM_SCOPE_KEY, None)


def _enter(
    request: HtmxHttpRequest,
    session: Session,
    *,
    user: User | None,
    new_name: str = "",
    role: str = "",
    proven: bool = False,
) -> HttpResponse:
    person, attendance = services.person_join_session(
        session=session, user=user, new_name=new_name, role=role
    )
    if not proven:
        _sign_in(request, person, method="name" if user else "walk_in", session=session)
    request.session.pop(JOIN_PERMIT_KEY, None)
    if attendance.admission == Attendance.Admission.ADMITTED:
        return redirect("room", session.pk)
    return redirect("join_waiting", session.pk)


@identity.joining_allowed
def join_claim(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Waiting for a facilitator to confirm a picked name; signs in as them once confirmed."""
    claim = (
        JoinClaim.objects.select_related("user", "session")
        .filter(pk=request.session.get(JOIN_CLAIM_KEY) or 0, session_id=session_id)
        .first()
    )
    if claim is None:
        return redirect("join")
    if claim.status == JoinClaim.Status.CONFIRMED and services.join_claim_use(claim=claim):
        request.session.pop(JOIN_CLAIM_KEY, None)
        _sign_in(request, claim.user, method="confirmed", session=claim.session)
        room_url = reverse("room", args=[claim.session_id])
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": room_url})
        return redirect(room_url)
    template = "workshops/join_claim.html"
    if request.htmx:
        template += "#claim-status"
    return render(request, template, {"claim": claim, "session": claim.session})


@require_POST
@login_required
def join_claim_decide(
    request: AuthenticatedHttpRequest, session_id: int, claim_id: int
) -> HttpResponse:
    """A facilitator answers "Is this them?" for a picked name."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    claim = JoinClaim.objects.filter(pk=claim_id, session=session).first()
    if claim is None:
        raise Http404("No such request")
    # A yes signs a device in as that person, with their payments and data: staff only.
    if not access.can_on_session(request.user, Action.PERSONAL, session):
        return error_fragment(
            request, [_("Only a facilitator or organiser can confirm who someone is")], status=403
        )
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        return error_fragment(request, [_("Choose yes or no")], status=400)
    try:
        services.join_claim_decide(claim=claim, by=request.user, confirmed=answer == "yes")
    except ValidationError as exc:
        return error_fragment(request, exc.messages)
    return done(request) if request.htmx else redirect("room", session.pk)


@identity.joining_allowed
@login_required
def join_waiting(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """Waiting to be let in: the page checks every few seconds and moves on by itself."""
    session = access.session_or_404(request.user, session_id, Action.VIEW)
    attendance = Attendance.objects.filter(session=session, user=request.user).first()
    if attendance is None:
        return redirect("join")
    if attendance.admission == Attendance.Admission.ADMITTED and session.is_live:
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": reverse("room", args=[session.pk])})
        return redirect("room", session.pk)
    template = "workshops/join_waiting.html"
    if request.htmx:
        template += "#waiting-status"
    return render(request, template, {"session": session, "attendance": attendance})

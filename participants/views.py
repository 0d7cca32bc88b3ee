"""People: adding them to programmes, consent and access needs, sign-in cards, signing out,
text size."""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants import identity, personal_data, selectors, services
from participants.backends import MODEL_BACKEND
from participants.context_processors import LARGE_TEXT_COOKIE, LARGE_TEXT_COOKIE_AGE
from participants.forms import (
    CONSENT_USES,
    AddPersonForm,
    ConsentForm,
    OrganisationForm,
    PaperConsentForm,
    TextSizeForm,
)
from participants.identity import room_identity_allowed
from participants.models import ACCESS_NEEDS, Consent, Membership, User
from workshops import access
from workshops import selectors as workshop_selectors
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest, HtmxHttpRequest
from workshops.models import Programme


@login_required
def person_add(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Add a person to a programme (organisers)."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.person_add_to_programme(
                programme=programme,
                added_by=request.user,
                site_url=request.build_absolute_uri(reverse("home")),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if membership.invited:
                # Never the account's own name: the address may belong to someone elsewhere.
                messages.success(
                    request,
                    _(
                        "We have emailed an invitation to %(email)s. They join the programme "
                        "when they accept it."
                    )
                    % {"email": membership.user.email},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s was added as %(role)s")
                    % {
                        "name": membership.user.display_name,
                        "role": membership.get_role_display().lower(),
                    },
                )
            if "add_another" in request.POST:
                return redirect("person_add", programme.pk)
            return redirect("programme_detail", programme.pk)
    return render(
        request,
        "participants/person_form.html",
        {"form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


@login_required
def membership_organisation(
    request: AuthenticatedHttpRequest, programme_id: int, membership_id: int
) -> HttpResponse:
    """Change the organisation and sector a person comes from, in this programme (organisers)."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    membership = (
        Membership.objects.filter(pk=membership_id, programme=programme, left_on__isnull=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such person")
    initial = {"organisation": membership.organisation, "sector": membership.sector}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_describe(membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            name = (
                membership.user.display_name if not membership.invited else membership.invited_name
            )
            messages.success(
                request, _("Saved the organisation and sector of %(name)s") % {"name": name}
            )
            return redirect("programme_detail", programme.pk)
    return render(
        request,
        "participants/organisation_form.html",
        {"form": form, "programme": programme, "membership": membership},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def membership_end(
    request: AuthenticatedHttpRequest, programme_id: int, membership_id: int
) -> HttpResponse:
    """Take someone out of the programme (organisers)."""
    programme = access.programme_or_404(request.user, programme_id, Action.MANAGE)
    membership = (
        Membership.objects.filter(pk=membership_id, programme=programme, left_on__isnull=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such person")
    try:
        services.membership_end(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer in %(programme)s")
            % {"name": membership.user.display_name, "programme": programme.name},
        )
    return redirect("programme_detail", programme.pk)


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything Comhla holds about me: download it, or erase my details."""
    if not identity.signed_in_strongly(request):
        return render(request, "participants/needs_card.html", status=403)
    if request.GET.get("download"):
        response = HttpResponse(
            personal_data.export_person_json(user=request.user),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="my-comhla-data.json"'
        return response
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            messages.error(request, _("Tick the box to confirm you want your details erased"))
            return redirect("my_data")
        services.person_signed_out(user=request.user)
        personal_data.person_erase(user=request.user, by=request.user)
        logout(request)
        messages.success(request, _("Your name and contact details have been erased"))
        return redirect("home")
    return render(
        request,
        "participants/my_data.html",
        {"programmes": workshop_selectors.programmes_for(user=request.user)},
    )


def consent_url(programme_id: int, *, next_url: str = "") -> str:
    """The consent page of a programme, coming back to next_url once answered."""
    url = reverse("consent", args=[programme_id])
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


@login_required
def consent_on_paper(
    request: AuthenticatedHttpRequest, programme_id: int, membership_id: int
) -> HttpResponse:
    """A facilitator or organiser types in the answers a person gave on the paper consent
    form (for people who join by name and have no card or email of their own)."""
    programme = access.programme_or_404(request.user, programme_id, Action.STEER)
    membership = (
        Membership.objects.filter(
            pk=membership_id, programme=programme, left_on__isnull=True, invited=False
        )
        .select_related("user")
        .first()
    )
    if membership is None or membership.steers:
        raise Http404
    current = selectors.consent_for(person=membership.user, programme=programme)
    initial = (
        {name: "yes" if getattr(current, name) else "no" for name in CONSENT_USES}
        if current
        else {}
    )
    form = PaperConsentForm(
        request.POST if request.method == "POST" else None, initial=initial, auto_id="%s"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                membership=membership,
                with_supporter=data["supported"],
                recorded_by=request.user,
                **{name: data[name] for name in CONSENT_USES},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s’s answers from paper are recorded")
                % {"name": membership.user.display_name},
            )
            back = _local_path(request, request.GET.get("next") or "")
            return redirect(back) if back else redirect("programme_detail", programme.pk)
    context = {"programme": programme, "membership": membership, "form": form, "current": current}
    return render(
        request,
        "participants/consent_on_paper.html",
        context,
        status=400 if form.errors else 200,
    )


def _consent_initial(user: User, current: Consent | None) -> dict[str, object]:
    initial: dict[str, object] = {name: getattr(user, name) for name in ACCESS_NEEDS}
    if current is not None:
        initial |= {name: "yes" if getattr(current, name) else "no" for name in CONSENT_USES}
    return initial


@login_required
def consent(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """The Easy Read consent page of one programme, and what the person needs to take part.

    Only the person, signed in as themselves (a card or a code), sees or changes it; a supporter
    answers with them on their device.
    """
    if not identity.signed_in_strongly(request):
        return render(request, "participants/needs_card.html", status=403)
    membership = access.own_membership_or_404(request.user, programme_id)
    programme = membership.programme
    current = selectors.consent_for(person=request.user, programme=programme)
    next_url = _local_path(request, request.GET.get("next") or "")
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        initial=_consent_initial(request.user, current),
        auto_id="%s",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.access_needs_set(
                    user=request.user, **{name: data[name] for name in ACCESS_NEEDS}
                )
                services.consent_record(
                    membership=membership,
                    with_supporter=data["supported"],
                    **{name: data[name] for name in CONSENT_USES},
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your answers are saved. You can change them at any time."))
            return redirect(next_url or reverse("home"))
    context = {"programme": programme, "form": form, "current": current, "next": next_url}
    return render(request, "participants/consent.html", context, status=400 if form.errors else 200)


def _local_path(request: HtmxHttpRequest, target: str) -> str:
    """The target if it is a path of this site, otherwise ""."""
    # Only a path: redirect() would take any other word for a view's name.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return ""
    return target


def _card_qr(request: HtmxHttpRequest, user: User) -> str:
    url = request.build_absolute_uri(reverse("card_signin", args=[user.signin_secret]))
    # segno's SVG is built from the URL only (no text a person typed), so it is safe markup.
    return mark_safe(  # noqa: S308
        segno.make(url, error="m").svg_inline(scale=5, title=_("Personal sign-in QR code"))
    )


@login_required
def signin_cards(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """Printable personal sign-in cards for everyone who joins without a password."""
    programme = access.programme_or_404(request.user, programme_id, Action.STEER)
    people = workshop_selectors.joinable_people(programme=programme)
    only = request.GET.get("person")
    if only:
        people = [p for p in people if str(p.pk) == only]
        if not people:
            raise Http404("No such person")
    cards = [{"person": p, "qr_svg": _card_qr(request, p)} for p in people]
    return render(
        request, "participants/signin_cards.html", {"programme": programme, "cards": cards}
    )


def _card_holder_or_404(
    request: AuthenticatedHttpRequest, programme_id: int, user_id: int
) -> tuple[Programme, User]:
    """A contributor whose card this programme's staff may act on (accepted, no password)."""
    programme = access.programme_or_404(request.user, programme_id, Action.STEER)
    person = next(
        (p for p in workshop_selectors.joinable_people(programme=programme) if p.pk == user_id),
        None,
    )
    if person is None:
        raise Http404("No such person")
    return programme, person


@require_POST
@login_required
def signin_card_renew(
    request: AuthenticatedHttpRequest, programme_id: int, user_id: int
) -> HttpResponse:
    """Replace a lost card: the old one stops working."""
    programme, person = _card_holder_or_404(request, programme_id, user_id)
    services.signin_card_renew(user=person)
    messages.success(
        request,
        _(
            "A new card was made for %(name)s. The old one no longer works, and every device "
            "signed in as them has been signed out."
        )
        % {"name": person.display_name},
    )
    return redirect(f"{reverse('signin_cards', args=[programme.pk])}?person={person.pk}")


@require_POST
@login_required
def person_sign_out_everywhere(
    request: AuthenticatedHttpRequest, programme_id: int, user_id: int
) -> HttpResponse:
    """Sign a contributor out on every device (a lost phone, a card in the wrong hands)."""
    programme, person = _card_holder_or_404(request, programme_id, user_id)
    services.person_sign_out_everywhere(user=person)
    messages.success(
        request, _("%(name)s has been signed out on every device.") % {"name": person.display_name}
    )
    return redirect(f"{reverse('signin_cards', args=[programme.pk])}?person={person.pk}")


@require_POST
@login_required
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sign me out on every device, this one included."""
    services.person_sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You have been signed out on every device"))
    return redirect("home")


@require_POST
@login_required
def invitation_answer(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    """Accept or decline an invitation to a programme (only the invited person can)."""
    membership = (
        Membership.objects.filter(pk=membership_id, user=request.user, invited=True)
        .select_related("programme")
        .first()
    )
    if membership is None:
        raise Http404("No such invitation")
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose whether to accept or decline the invitation"))
        return redirect("home")
    services.invitation_answer(membership=membership, user=request.user, accept=answer == "accept")
    if answer == "accept":
        messages.success(
            request,
            _("You are now part of %(programme)s") % {"programme": membership.programme.name},
        )
        programme_url = reverse("programme_detail", args=[membership.programme_id])
        if selectors.needs_consent(membership=membership):
            return redirect(consent_url(membership.programme_id, next_url=programme_url))
        return redirect(programme_url)
    messages.success(
        request,
        _("You declined the invitation to %(programme)s")
        % {"programme": membership.programme.name},
    )
    return redirect("home")


@room_identity_allowed
def card_signin(request: HtmxHttpRequest, secret: str) -> HttpResponse:
    """A personal sign-in card's link: signs this device in as that person."""
    person = User.objects.filter(signin_secret=secret, is_active=True).first()
    if person is None or person.has_usable_password():
        return render(request, "participants/card_invalid.html", status=404)
    if request.method == "POST":
        if request.user.is_authenticated and request.user.pk != person.pk:
            logout(request)
        login(request, person, backend=MODEL_BACKEND)
        request.session[identity.SIGNIN_METHOD_KEY] = "card"
        live = workshop_selectors.live_sessions_for(user=person).first()
        if live is not None:
            return redirect("room", live.pk)
        return redirect("home")
    return render(request, "participants/card_confirm.html", {"person": person})


@room_identity_allowed
@require_POST
def sign_out(request: HtmxHttpRequest) -> HttpResponse:
    """Sign out of this device; open room sockets of this person close."""
    if request.user.is_authenticated:
        services.person_signed_out(user=request.user)
    logout(request)
    messages.success(request, _("You have signed out on this device"))
    return redirect("home")


@room_identity_allowed
@require_POST
def text_size(request: HtmxHttpRequest) -> HttpResponse:
    """Switch larger text on or off for this device only."""
    form = TextSizeForm(request.POST)
    valid = form.is_valid()
    target = _local_path(request, form.cleaned_data.get("next") or "") or reverse("home")
    response = redirect(target)
    if not valid:
        messages.error(request, _("Choose a text size"))
        return response
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if form.cleaned_data["large_text"] else "0",
        max_age=LARGE_TEXT_COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def membership_label(membership: Membership) -> str:
    """A membership in plain words."""
    return f"{membership.user.display_name} ({membership.get_role_display()})"

"""People, their programme memberships and roles."""

import secrets
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def new_signin_secret() -> str:
    """A long random secret for a personal sign-in card."""
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager["User"]):
    """Creates people with or without an email address."""

    use_in_migrations = True

    def create_user(
        self, email: str | None = None, password: str | None = None, **fields: Any
    ) -> "User":
        """Create a person; without a password they can never sign in by password."""
        email = self.normalize_email(email) or None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str | None = None, password: str | None = None, **fields: Any
    ) -> "User":
        """Create a site administrator (Django admin only)."""
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("display_name", "Administrator")
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is optional: people who join by code may have none."""

    email = models.EmailField(blank=True, null=True, unique=True)
    display_name = models.CharField(max_length=80)
    pronouns = models.CharField(max_length=40, blank=True)
    large_text = models.BooleanField(default=False)
    read_aloud = models.BooleanField(default=False)
    needs_supporter = models.BooleanField(default=False)
    # Access needs, told by the person or their supporter; facilitators read them before a session.
    needs_bsl = models.BooleanField(default=False)
    needs_hearing_loop = models.BooleanField(default=False)
    needs_transport = models.BooleanField(default=False)
    dietary_needs = models.CharField(max_length=200, blank=True)
    other_needs = models.CharField(max_length=300, blank=True)
    access_needs_updated_at = models.DateTimeField(null=True, blank=True)
    signin_secret = models.CharField(max_length=64, unique=True, default=new_signin_secret)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of every session's auth hash: raising it signs the person out on every device
    # (a replaced card, "sign out everywhere"), whether or not they have a password.
    sign_in_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email or f"Person {self.pk}"

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "participants.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.sign_in_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def access_needs(self) -> list[tuple[str, str]]:
        """What this person needs to take part: (label, detail) pairs, detail "" for a yes."""
        needs = []
        for name, label in ACCESS_NEEDS.items():
            value = getattr(self, name)
            if value:
                needs.append((str(label), value if isinstance(value, str) else ""))
        return needs

    def get_full_name(self) -> str:
        """The name other people see."""
        return str(self)

    def get_short_name(self) -> str:
        """The name other people see."""
        return str(self)


# What a person needs to take part, each in the words the briefing and the form use.
ACCESS_NEEDS = {
    "large_text": _("Larger text"),
    "read_aloud": _("Things read aloud"),
    "needs_supporter": _("A supporter with them"),
    "needs_bsl": _("British Sign Language (BSL)"),
    "needs_hearing_loop": _("Hearing loop"),
    "needs_transport": _("Transport"),
    "dietary_needs": _("Food and drink"),
    "other_needs": _("Anything else"),
}


class Role(models.TextChoices):
    """What someone is in a programme. Roles belong to memberships, never to accounts."""

    ORGANISER = "organiser", "Organiser"
    FACILITATOR = "facilitator", "Facilitator"
    PRACTITIONER = "practitioner", "Practitioner"
    LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
    CARER = "carer", "Unpaid carer"


STAFF_ROLES = frozenset({Role.ORGANISER, Role.FACILITATOR})
STEERING_ROLES = frozenset({Role.ORGANISER, Role.FACILITATOR})
PAID_ROLES = frozenset({Role.LIVED_EXPERIENCE, Role.CARER})


class Sector(models.TextChoices):
    """Which part of health and social care someone comes from, so a report can show whether
    the statutory and third sectors worked together."""

    STATUTORY = "statutory", _("Statutory (NHS, council)")
    THIRD = "third", _("Third sector (charity, community group)")
    INDEPENDENT = "independent", _("Independent (private provider)")
    UNPAID = "unpaid", _("Unpaid (person or carer)")


class Membership(models.Model):
    """A person's place in one programme and their role (their consent: Consent)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An invitation not yet accepted: it gives the programme nothing of the person's (no card,
    # no sessions, no payments, no name) until they accept it, signed in as themselves.
    invited = models.BooleanField(default=False)
    invited_name = models.CharField(max_length=80, blank=True)
    # Someone who walked in to this session under a new name: a room identity that leaves the
    # programme when the session ends.
    walk_in_session = models.ForeignKey(
        "workshops.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(sector__in=["", *Sector.values]),
                name="membership_sector_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]
        ordering = ["user__display_name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.programme}"

    @property
    def is_active(self) -> bool:
        """Still part of the programme (and not just invited)."""
        return self.left_on is None and not self.invited

    @property
    def steers(self) -> bool:
        """May run sessions: move the room, open and end, admit and remove."""
        return self.role in STEERING_ROLES


class Consent(models.Model):
    """One answer to the consent page: yes or no to each use, in one programme, at a time.

    Never changed: a new answer is a new row, so the newest row is the answer in force and the
    older rows show what the person had agreed to, and when.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="consents")
    take_part = models.BooleanField()
    quotes = models.BooleanField(_("their words quoted in reports, without their name"))
    contact = models.BooleanField(_("being contacted for follow-up"))
    photos = models.BooleanField()
    with_supporter = models.BooleanField(_("answered with a supporter"), default=False)
    answered_at = models.DateTimeField(default=timezone.now)
    # A facilitator or organiser who typed in answers the person gave on a paper form.
    recorded_by = models.ForeignKey(
        "participants.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-answered_at", "-pk"]
        indexes = [models.Index(fields=["membership", "-answered_at"])]

    def __str__(self) -> str:
        return f"Consent of {self.membership} at {self.answered_at:%Y-%m-%d %H:%M}"

    def same_answers(self, **answers: bool) -> bool:
        """Whether these answers are the ones already recorded."""
        return all(getattr(self, name) == value for name, value in answers.items())


class SecurityEvent(models.Model):
    """A security-relevant event: who, what, on what, and the outcome. Never what anyone typed."""

    class Kind(models.TextChoices):
        ACCESS_DENIED = "access_denied", _("Access denied")
        SIGNIN_FAILED = "signin_failed", _("Sign-in failed")
        RATE_LIMITED = "rate_limited", _("Rate limit tripped")
        SOCKET_REFUSED = "socket_refused", _("Room socket refused")
        PAYMENT_TRANSITION = "payment_transition", _("Payment status changed")
        EXPORT = "export", _("Data exported")
        ERASURE = "erasure", _("Personal data erased")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=80, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.target} {self.outcome}"

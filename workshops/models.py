"""Programmes, their sessions, agendas, attendance."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

JOIN_CODE_LENGTH = 6
# A scheduled session's code already works this long before it starts, so people can settle in.
JOIN_WINDOW_BEFORE_START = timedelta(hours=1)


def new_join_code() -> str:
    """Six digits, easy to type on a phone."""
    return f"{secrets.randbelow(10**JOIN_CODE_LENGTH):0{JOIN_CODE_LENGTH}d}"


class Programme(models.Model):
    """A co-design programme: a series of facilitated sessions at one site."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Running")
        ENDED = "ended", _("Ended")

    name = models.CharField(max_length=120)
    site = models.CharField(_("site or locality"), max_length=120)
    focus = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal details for (months after the programme ends)"), default=24
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
        ]
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One facilitated session of a programme."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live now")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    class Admission(models.TextChoices):
        OPEN = "open", _("Anyone with the code comes straight in")
        WAITING_LIST = "waiting", _("A facilitator lets each person in")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), max_length=300, blank=True)
    # When it was first planned for, once it has been moved: people are told "Moved to ...".
    moved_from = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    admission = models.CharField(max_length=10, choices=Admission.choices, default=Admission.OPEN)
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, null=True, blank=True, unique=True)
    current_activity = models.ForeignKey(
        "Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    turn_time_limit_seconds = models.PositiveIntegerField(default=120)
    # Room-wide push sequence number: every push to the whole room carries the next value,
    # so a client that sees a gap knows it missed something and asks for a snapshot.
    seq = models.PositiveBigIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(turn_time_limit_seconds__gte=15)
                & models.Q(turn_time_limit_seconds__lte=3600),
                name="session_turn_limit_sensible",
            ),
        ]
        ordering = ["programme", "number"]

    def __str__(self) -> str:
        return f"Session {self.number}: {self.title}"

    @property
    def is_live(self) -> bool:
        """The room is open."""
        return self.status == self.Status.LIVE

    def join_code_is_valid(self, *, now: "datetime | None" = None) -> bool:
        """A code joins only while the session is live or about to start."""
        if not self.join_code or self.status in (self.Status.ENDED, self.Status.CANCELLED):
            return False
        if self.status == self.Status.LIVE:
            return True
        now = now or timezone.now()
        return self.starts_at - JOIN_WINDOW_BEFORE_START <= now <= self.ends_at

    @property
    def is_cancelled(self) -> bool:
        """Called off: it stays on the timeline with its reason."""
        return self.status == self.Status.CANCELLED

    @property
    def can_change(self) -> bool:
        """Still only planned: it can be edited, moved, cancelled and its agenda reshaped."""
        return self.status == self.Status.SCHEDULED

    @property
    def formatted_join_code(self) -> str:
        """The code split in two halves, easier to read off a wall."""
        code = self.join_code or ""
        return f"{code[:3]} {code[3:]}" if code else ""


class Activity(models.Model):
    """One item on a session's agenda."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Idea board")
        GO_ROUND = "go_round", _("Go-round")
        DISCUSSION = "discussion", _("Open discussion")
        BREAK = "break", _("Break")
        FEEDBACK = "feedback", _("Feedback")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=120)
    timebox_minutes = models.PositiveSmallIntegerField(default=15)
    order = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(timebox_minutes__gte=1) & models.Q(timebox_minutes__lte=480),
                name="activity_timebox_sensible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> "datetime | None":
        """When the timebox runs out, if the activity has started."""
        if self.started_at is None:
            return None
        return self.started_at + timedelta(minutes=self.timebox_minutes)


class AgendaTemplate(models.Model):
    """A programme's saved agenda: activities' kinds, titles and timeboxes, never content."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="agenda_templates"
    )
    name = models.CharField(max_length=120)
    # [{"kind": ..., "title": ..., "timebox_minutes": ...}, ...] in agenda order.
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="agenda_template_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Rsvp(models.Model):
    """A member's answer to "Are you coming?" for an upcoming session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coming = models.BooleanField()
    needs = models.CharField(_("transport or care needs"), max_length=300, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="rsvp_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {'coming' if self.coming else 'not coming'} to {self.session}"


class Attendance(models.Model):
    """A person's presence at a session: admission and the check-in/out times paid time uses."""

    class Admission(models.TextChoices):
        WAITING = "waiting", _("Waiting to be let in")
        ADMITTED = "admitted", _("In the session")
        REMOVED = "removed", _("Removed by a facilitator")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    admission = models.CharField(max_length=10, choices=Admission.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A contributor a facilitator asked to co-facilitate this session: the facilitator's
    # controls here while it is live (workshops.access decides), still paid as a contributor.
    co_facilitator = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_unique"),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(
                    checked_in_at__isnull=False, checked_out_at__gte=models.F("checked_in_at")
                ),
                name="attendance_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"


class JoinClaim(models.Model):
    """Someone in the room picked the name of a person Comhla holds personal data for.

    The device stays unsigned-in until a facilitator, who can see them, says it is that
    person; the number on the device's screen tells the facilitator which device is which.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a facilitator")
        CONFIRMED = "confirmed", _("Confirmed by a facilitator")
        REFUSED = "refused", _("Not confirmed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set once the asking device has been signed in, so a confirmation is used once.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Claim {self.number} for {self.user} in {self.session}"

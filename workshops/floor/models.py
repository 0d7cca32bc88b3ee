"""The floor: hands up, turns, go-rounds, and the equal-voice record kept with a session."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GoRound(models.Model):
    """A go-round: everyone present gets a turn, least heard first."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Finished")

    session = models.ForeignKey(
        "workshops.Session", on_delete=models.CASCADE, related_name="rounds"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=~models.Q(status="done"),
                name="one_open_round_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"Go-round in {self.session_id}"


class Turn(models.Model):
    """One person's turn (or raised hand) on the floor of a session."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Speaking")
        DONE = "done", _("Spoke")
        PASSED = "passed", _("Passed")
        WITHDRAWN = "withdrawn", _("Hand lowered")
        SKIPPED = "skipped", _("Skipped (not here)")

    class Mode(models.TextChoices):
        HAND = "hand", _("Hand up")
        ROUND = "round", _("Go-round")

    session = models.ForeignKey("workshops.Session", on_delete=models.CASCADE, related_name="turns")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="turns"
    )
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.HAND)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    go_round = models.ForeignKey(
        GoRound, on_delete=models.CASCADE, null=True, blank=True, related_name="turns"
    )
    round_position = models.PositiveSmallIntegerField(null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A facilitator or supporter spoke or typed for the person: it still counts as their voice.
    supported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The floor went to someone other than the least heard person waiting: kept on record.
    overrode_order = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # A hand raised twice is one hand.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=models.Q(status="waiting", mode="hand"),
                name="one_raised_hand_per_person",
            ),
            # Only one person has the floor at a time.
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(status="speaking"),
                name="one_speaker_per_session",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(started_at__isnull=False, ended_at__gte=models.F("started_at")),
                name="turn_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"

    @property
    def airtime_seconds(self) -> float:
        """How long this turn has had the floor so far."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())


class BalanceRecord(models.Model):
    """The equal-voice summary of a session, kept when the session ends."""

    session = models.OneToOneField(
        "workshops.Session", on_delete=models.CASCADE, related_name="balance_record"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    balance_index = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    # Plain figures: per person (id, role, airtime, turns, cards, votes) and per role group.
    figures = models.JSONField(default=dict)
    # 0: nobody took the floor, so there is no index (an even share of nothing is not balance)
    # and the session stays out of every average. None: the record does not say.
    turns_taken = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(turns_taken=0) | models.Q(balance_index__isnull=True),
                name="no_turns_no_balance_index",
            )
        ]

    def __str__(self) -> str:
        return f"Balance of session {self.session_id}"

    @property
    def no_turns_taken(self) -> bool:
        """Nobody took the floor in the session."""
        return self.turns_taken == 0

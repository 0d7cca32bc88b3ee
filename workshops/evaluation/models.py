"""Evaluation: forms and their answers, standard instruments and their licences, timepoints,
outcomes and indicators."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INSTRUMENT_CHOICES = [("wemwbs", _("WEMWBS (14 items)")), ("swemwbs", _("SWEMWBS (7 items)"))]


class InstrumentLicence(models.Model):
    """The organisation's licence to use a standard instrument in a programme."""

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="instrument_licences"
    )
    instrument = models.CharField(max_length=10, choices=INSTRUMENT_CHOICES)
    licence_holder = models.CharField(max_length=120)
    reference = models.CharField(max_length=80)
    licensed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument"], name="one_licence_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} licence ({self.reference})"


class Form(models.Model):
    """A questionnaire: session feedback, a standard instrument at a timepoint, or custom."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Session feedback")
        INSTRUMENT = "instrument", _("Wellbeing measure")
        CUSTOM = "custom", _("Custom form")
        # The programme's feedback questions: copied into each session's feedback form when it
        # is made, never answered itself.
        TEMPLATE = "template", _("Feedback questions")

    class Timepoint(models.TextChoices):
        NONE = "", _("None")
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="forms"
    )
    session = models.ForeignKey(
        "workshops.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="forms"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=120)
    instrument = models.CharField(max_length=10, choices=INSTRUMENT_CHOICES, blank=True)
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices, blank=True)
    anonymous = models.BooleanField(default=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(kind="feedback"),
                name="one_feedback_form_per_session",
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(kind="template"),
                name="one_feedback_template_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Answers can be given or changed until it closes."""
        return self.closes_at is None or timezone.now() < self.closes_at

    @property
    def editable(self) -> bool:
        """Standard instruments are worded and ordered as published: only other forms change."""
        return self.kind != self.Kind.INSTRUMENT

    @property
    def plain_title(self) -> str:
        """What the people answering see: a wellbeing measure in plain words (its instrument's
        name goes small beneath), any other form by its title."""
        if self.kind == self.Kind.INSTRUMENT:
            if self.timepoint == self.Timepoint.BASELINE:
                return str(_("Wellbeing questions — at the start"))
            if self.timepoint == self.Timepoint.FOLLOW_UP:
                return str(_("Wellbeing questions — some months on"))
        return self.title


class Question(models.Model):
    """One question of a form."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")
        INSTRUMENT_ITEM = "item", _("Item of a standard instrument")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(max_length=200)
    help_text = models.CharField(max_length=200, blank=True)
    required = models.BooleanField(default=True)
    item_number = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["form", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        """The name of this question's input in a form."""
        return f"q{self.pk}"

    @property
    def has_choices(self) -> bool:
        """Single or multiple choice: answered by picking the builder's options."""
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    """One option of a single- or multiple-choice question, as the builder entered it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=120)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """Someone's answers to a form. An anonymous form's responses hold no person at all."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="form_responses",
    )
    # Someone helped fill it in; who, when they were chosen (never on an anonymous form).
    supported = models.BooleanField(default=False)
    supported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form", "person"],
                condition=models.Q(person__isnull=False),
                name="one_response_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(supported_by__isnull=True) | models.Q(supported=True),
                name="helper_means_supported",
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.form_id}"


class ResponseReceipt(models.Model):
    """That a person answered an anonymous form — kept apart from the answers, with no link.

    Its id is random and it holds no time: a sequential id or a timestamp would follow the
    order people answered in, which the responses' own order shares, and so pair each receipt
    with its answers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="receipts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_receipts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "person"], name="one_receipt_per_person")
        ]

    def __str__(self) -> str:
        return f"Receipt for {self.form_id}"


class Answer(models.Model):
    """One answer: a number (1-5), text, or the options chosen."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)
    choices = models.ManyToManyField(Choice, related_name="answers", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=1, number__lte=5),
                name="answer_number_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class Outcome(models.Model):
    """What the programme set out to change."""

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="outcomes"
    )
    title = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """How an outcome is evidenced: one kind of evidence each."""

    class Kind(models.TextChoices):
        FEEDBACK_QUESTION = "feedback", _("Average answer to a form question")
        WELLBEING_CHANGE = "wellbeing", _("Change in wellbeing (WEMWBS), baseline to follow-up")
        SWEMWBS_CHANGE = "swemwbs", _("Change in wellbeing (SWEMWBS), baseline to follow-up")
        ATTENDANCE = "attendance", _("Attendance across sessions")
        BALANCE = "balance", _("Equal-voice balance index")
        PAYMENTS_ON_TIME = "payments", _("Payments made on time")
        SECTORS = "sectors", _("Sectors working together (statutory and third sector at sessions)")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The wording of the rating question, for a form-question indicator only.
    question_text = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["outcome", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """When a programme's wellbeing measures are due: baseline at session 1, follow-up later."""

    programme = models.OneToOneField(
        "workshops.Programme", on_delete=models.CASCADE, related_name="follow_up"
    )
    baseline_on = models.DateField()
    months_after = models.PositiveSmallIntegerField()
    follow_up_on = models.DateField()

    def __str__(self) -> str:
        return f"Follow-up {self.months_after} months after {self.baseline_on}"


class FollowUpReminder(models.Model):
    """An email asking someone to answer a wellbeing measure at a timepoint, and when it went:
    so a second press in the same week does not email them again."""

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="follow_up_reminders"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_up_reminders"
    )
    timepoint = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["programme", "timepoint", "-sent_at"])]

    def __str__(self) -> str:
        return f"Reminder to {self.person_id} at {self.timepoint}, {self.sent_at:%Y-%m-%d}"


class ActionPoint(models.Model):
    """You said, we did: something the group chose to do, linked to the ideas it came from.

    Not `Action`: that is what someone may do (`workshops.access.Action`).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Not going ahead")

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    progress_note = models.CharField(max_length=300, blank=True)
    ideas = models.ManyToManyField("boards.Card", related_name="actions", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

"""Idea boards: a board per board activity, its columns, groups, cards and dots."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CARD_TEXT_MAX = 500
GROUP_NAME_MAX = 80
SHORT_TEXT = 40


def short_text(text: str) -> str:
    """The start of a text, with an ellipsis when cut."""
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


class Board(models.Model):
    """The board of one board activity: prompt, columns and how the room works with it."""

    class Anonymity(models.TextChoices):
        OFF = "off", _("Everyone sees who wrote each idea")
        FACILITATORS = "facilitators", _("Only facilitators see who wrote each idea")
        NOBODY = "nobody", _("Nobody sees who wrote each idea")

    activity = models.OneToOneField(
        "workshops.Activity", on_delete=models.CASCADE, related_name="board"
    )
    prompt = models.CharField(max_length=300, blank=True)
    anonymity = models.CharField(max_length=12, choices=Anonymity.choices, default=Anonymity.OFF)
    hidden_until_reveal = models.BooleanField(default=False)
    revealed = models.BooleanField(default=False)
    votes_per_person = models.PositiveSmallIntegerField(default=3)
    results_shown = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    anyone_can_group = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(votes_per_person__lte=20), name="board_votes_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"Board for {self.activity_id}"

    @property
    def cards_hidden(self) -> bool:
        """Silent ideation: each person sees only their own ideas until the reveal."""
        return self.hidden_until_reveal and not self.revealed


class Column(models.Model):
    """A column of a board, e.g. "What matters to you"."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    title = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["board", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Group(models.Model):
    """A named group of ideas in one column."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="groups")
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=GROUP_NAME_MAX)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["column", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Card(models.Model):
    """One idea. `on_behalf_of` is set when someone typed it for another person: it is theirs."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="cards")
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cards_written"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cards_supported",
    )
    text = models.CharField(max_length=CARD_TEXT_MAX)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    client_id = models.UUIDField(unique=True)
    # Added from the session page while the session was still scheduled (not in the room).
    before_session = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["column", "position", "pk"]
        indexes = [models.Index(fields=["board", "deleted_at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="card_text_not_empty"),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="card_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def short(self) -> str:
        """The start of the text, for button labels that name the idea."""
        return short_text(self.text)

    @property
    def owner_id(self) -> int:
        """The person whose idea this is (the one it was typed for, if supported)."""
        return self.on_behalf_of_id or self.author_id

    @property
    def supported(self) -> bool:
        """Typed by someone else for its owner."""
        return self.on_behalf_of_id is not None


class Vote(models.Model):
    """One dot a person put on a card or a group. The budget is the same for everyone."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_votes"
    )
    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    client_id = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["board", "voter"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(card__isnull=False) & models.Q(group__isnull=True))
                | (models.Q(card__isnull=True) & models.Q(group__isnull=False)),
                name="vote_on_card_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"Vote by {self.voter_id}"


class ChangeReceipt(models.Model):
    """A change form's client-generated id, kept so a repeated POST is applied once."""

    client_id = models.UUIDField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} {self.client_id}"

"""What Comhla holds about a person: a complete export, erasure, and retention.

Every model that refers to a person must say here what erasure does to its rows, and every
such row is in the export. A test fails when a model refers to a person but is not listed, so
a new feature cannot forget someone's data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from participants.models import Membership, SecurityEvent, User, new_signin_secret

# What erasure does to rows that refer to a person, by model label.
#   "anonymise": the row stays (a card, a turn, attendance) but points at the anonymised
#                person, so nothing in it names them any more.
#   "keep":      the row stays as it is: the law needs it (payment lines and their audit,
#                which finance must keep for six years) and it names nobody by itself.
#   "delete":    the row goes.
ERASURE_POLICY: dict[str, str] = {
    "participants.membership": "anonymise",
    "participants.securityevent": "anonymise",
    "workshops.attendance": "anonymise",
    "boards.card": "anonymise",
    "boards.vote": "anonymise",
    "floor.turn": "anonymise",
    "floor.goround": "anonymise",
    # Finance must keep payment records for six years: they stay, naming nobody once erased.
    "payments.paymentline": "keep",
    "payments.paymentevent": "keep",
    "payments.ratecard": "keep",
    "payments.registerconfirmation": "keep",
    # Answers stay (anonymised with the person); an anonymous form's receipt says only "answered".
    "evaluation.response": "anonymise",
    "evaluation.responsereceipt": "anonymise",
    "evaluation.instrumentlicence": "keep",
    "evaluation.action": "keep",
    "account.emailaddress": "delete",
    "sessions.session": "delete",
    # A picked name waiting to be confirmed: it only says who was asked for.
    "workshops.joinclaim": "delete",
    "admin.logentry": "anonymise",
    "auth.permission": "keep",
}
# Link tables Django makes for permissions: nothing personal in them beyond the link.
IGNORED = {"participants.user_groups", "participants.user_user_permissions"}


def models_referring_to_people() -> dict[str, list[models.Field[Any, Any]]]:
    """Every model with a foreign key (or one-to-one) to the user model, and those fields."""
    found: dict[str, list[models.Field[Any, Any]]] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in IGNORED or model is User:
            continue
        fields: list[models.Field[Any, Any]] = [
            f
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey | models.OneToOneField)
            and f.related_model is User
            and not f.auto_created
        ]
        if fields:
            found[label] = fields
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _rows(
    model: type[models.Model], fields: Iterable[models.Field[Any, Any]], user: User
) -> list[dict[str, Any]]:
    query = models.Q()
    for field in fields:
        query |= models.Q(**{field.attname: user.pk})
    return [
        {k: _plain(v) for k, v in row.items()}
        for row in model._default_manager.filter(query).values()
    ]


def export_person(*, user: User) -> dict[str, Any]:
    """Everything Comhla holds about a person, as plain data."""
    profile = {
        "id": user.pk,
        "display_name": user.display_name,
        "email": user.email,
        "pronouns": user.pronouns,
        "large_text": user.large_text,
        "read_aloud": user.read_aloud,
        "needs_supporter": user.needs_supporter,
        "date_joined": user.date_joined.isoformat(),
    }
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat(), "person": profile}
    for label, fields in sorted(models_referring_to_people().items()):
        if label == "sessions.session":
            continue
        model = apps.get_model(label)
        data[label] = _rows(model, fields, user)
    data["evaluation.answer"] = _answers(user)
    return data


def _answers(user: User) -> list[dict[str, Any]]:
    """The person's own answers (anonymous forms hold no person, so none of those)."""
    from workshops.evaluation.models import Answer

    answers = (
        Answer.objects.filter(response__person=user)
        .select_related("question", "response__form")
        .prefetch_related("choices")
        .order_by("response_id", "question__order", "pk")
    )
    return [
        {
            "form": a.response.form.title,
            "response_id": a.response_id,
            "question": a.question.text,
            "number": a.number,
            "text": a.text,
            "choices": [c.text for c in a.choices.all()],
        }
        for a in answers
    ]


def export_person_json(*, user: User) -> str:
    """The export as pretty JSON."""
    return json.dumps(export_person(user=user), indent=2, ensure_ascii=False, sort_keys=True)


@transaction.atomic
def person_erase(*, user: User, by: User | None) -> User:
    """Erase a person: name and contact details go; their contributions stay, anonymised;
    what the law needs (payment lines) stays."""
    from participants import security

    for label, fields in models_referring_to_people().items():
        policy = ERASURE_POLICY.get(label)
        if policy == "delete":
            model = apps.get_model(label)
            query = models.Q()
            for field in fields:
                query |= models.Q(**{field.attname: user.pk})
            model._default_manager.filter(query).delete()
    Membership.objects.filter(user=user).update(invited_name="")
    user.display_name = f"Former participant {user.pk}"
    user.email = None
    user.pronouns = ""
    user.large_text = user.read_aloud = user.needs_supporter = False
    user.signin_secret = new_signin_secret()
    user.set_unusable_password()
    user.is_active = False
    user.save()
    security.record(
        kind=SecurityEvent.Kind.ERASURE, actor=by, target=f"user:{user.pk}", outcome="erased"
    )
    return user


def people_past_retention(*, today: date | None = None) -> list[User]:
    """People whose every programme ended longer ago than its retention setting."""
    from workshops.models import Programme

    today = today or timezone.localdate()
    current: set[int] = set()
    expired: set[int] = set()
    for programme in Programme.objects.prefetch_related("memberships"):
        months = programme.retention_months
        year, month = divmod(programme.ends_on.month - 1 + months, 12)
        keep_until = programme.ends_on.replace(
            year=programme.ends_on.year + year, month=month + 1, day=min(programme.ends_on.day, 28)
        )
        target = expired if keep_until < today else current
        target.update(m.user_id for m in programme.memberships.all())
    return list(User.objects.filter(pk__in=expired - current, is_active=True, is_superuser=False))

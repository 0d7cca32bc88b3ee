"""A person's export: everything Comhla holds about them, as plain data (JSON to download)."""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.utils import timezone

from participants.models import User
from participants.payments.models import PaymentLine, PaymentPreference
from participants.personal_data.classification import rows_of
from participants.personal_data.holdings import HOLDINGS
from participants.personal_data.rules import EXPORTED
from workshops.evaluation.models import Answer, Choice, Response


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _export_rows(label: str, user: User) -> list[dict[str, Any]]:
    model = apps.get_model(label)
    holding = HOLDINGS[label]
    columns, many = [], []
    for name, (export, _) in holding.fields.items():
        if export != EXPORTED:
            continue
        field = model._meta.get_field(name)
        if field.many_to_many:
            many.append(name)
        else:
            columns.append(field.attname)
    rows = rows_of(label=label, user=user).order_by("pk")
    exported = [{k: _plain(v) for k, v in row.items()} for row in rows.values("pk", *columns)]
    for name in many:
        pairs = rows.values_list("pk", name)
        for row in exported:
            row[name] = sorted(v for pk, v in pairs if pk == row["pk"] and v is not None)
    for row in exported:
        row.pop("pk")
    return exported


def export_person(*, user: User) -> dict[str, Any]:
    """Everything Comhla holds about a person, as plain data."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for label, holding in sorted(HOLDINGS.items()):
        if holding.people:
            data[label] = _export_rows(label, user)
    data["person"] = data.pop("participants.user")[0]
    _readable_answers(data["evaluation.answer"])
    return data


def _readable_answers(rows: list[dict[str, Any]]) -> None:
    """Answers name their form, question and chosen options in words, not only numbers."""

    answers = Answer.objects.select_related("question", "response__form").in_bulk(
        [row["id"] for row in rows]
    )
    choices = Choice.objects.in_bulk([pk for row in rows for pk in row["choices"]])
    for row in rows:
        answer = answers[row["id"]]
        row["form"] = answer.response.form.title
        row["question"] = answer.question.text
        row["choices"] = [choices[pk].text for pk in row["choices"]]
    rows.sort(key=lambda row: (row["response_id"], answers[row["id"]].question.order, row["id"]))


def export_person_json(*, user: User) -> str:
    """The export as pretty JSON."""
    return json.dumps(export_person(user=user), indent=2, ensure_ascii=False, sort_keys=True)


def has_personal_data(*, user: User) -> bool:
    """Does Comhla hold anything about this person beyond taking part in a room?

    Picking such a person's name needs a facilitator to confirm it is them.
    """
    return bool(
        user.email
        or PaymentLine.objects.filter(person=user).exists()
        or PaymentPreference.objects.filter(membership__user=user).exists()
        or Response.objects.filter(person=user).exists()
    )

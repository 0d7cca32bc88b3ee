"""Checks that `HOLDINGS` classifies every model and field that is about a person, and the
rows of a model that are about one person."""

from typing import Any

from django.apps import apps
from django.db import models

from participants.models import User
from participants.personal_data.holdings import HOLDINGS, NOT_ABOUT_PEOPLE
from participants.personal_data.rules import ANONYMISED, DELETED, ERASED, EXPORTED, Holding


def holding_fields(model: type[models.Model]) -> set[str]:
    """The names of a model's own fields (columns and many-to-many), not reverse relations."""
    return {
        f.name
        for f in model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)
    }


def models_referring_to_people(
    candidates: list[type[models.Model]] | None = None,
) -> set[str]:
    """Labels of models that point at a person: directly, or through a model that does."""
    candidates = candidates if candidates is not None else apps.get_models()
    found = {User._meta.label_lower}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            label = model._meta.label_lower
            if label in found:
                continue
            if any(
                f.is_relation
                and not f.auto_created
                and f.related_model is not None
                and f.related_model._meta.label_lower in found
                for f in model._meta.get_fields()
            ):
                found.add(label)
                grew = True
    return found


def classification_gaps(candidates: list[type[models.Model]] | None = None) -> list[str]:
    """What is not classified (or classified wrongly); empty when every field says its fate."""
    candidates = candidates if candidates is not None else apps.get_models()
    gaps: list[str] = []
    linked = models_referring_to_people(candidates)
    for model in candidates:
        label = model._meta.label_lower
        holding = HOLDINGS.get(label)
        if holding is None:
            if label in linked:
                gaps.append(f"{label}: refers to a person; add it to HOLDINGS")
            elif label not in NOT_ABOUT_PEOPLE:
                gaps.append(f"{label}: add it to HOLDINGS or NOT_ABOUT_PEOPLE")
            continue
        if label in NOT_ABOUT_PEOPLE:
            gaps.append(f"{label}: in both HOLDINGS and NOT_ABOUT_PEOPLE")
        actual = holding_fields(model)
        named = set(holding.fields)
        gaps += [f"{label}.{name}: not classified" for name in sorted(actual - named)]
        gaps += [f"{label}.{name}: no such field" for name in sorted(named - actual)]
        for name, (export, erasure) in holding.fields.items():
            if name not in actual:
                continue
            field = model._meta.get_field(name)
            if export != EXPORTED and not export.startswith("not exported: "):
                gaps.append(f"{label}.{name}: export must be EXPORTED or not_exported(reason)")
            if (erasure == DELETED) != (holding.rows == "delete"):
                gaps.append(f"{label}.{name}: DELETED exactly when the rows are deleted")
            if erasure == ANONYMISED and field.related_model is not User:
                gaps.append(f"{label}.{name}: only a link to a person is anonymised")
            if erasure not in (ERASED, ANONYMISED, DELETED) and not erasure.startswith("kept: "):
                gaps.append(f"{label}.{name}: erasure must be ERASED/ANONYMISED/DELETED or kept()")
    return gaps


def _people_query(holding: Holding, user: User) -> models.Q:
    query = models.Q(pk__in=[])
    for lookup in holding.people:
        query |= models.Q(**{lookup: user.pk})
    return query


def rows_of(*, label: str, user: User) -> models.QuerySet[Any]:
    """The rows of one model that are about the person."""
    model: type[models.Model] = apps.get_model(label)
    rows: models.QuerySet[Any] = model._default_manager.filter(_people_query(HOLDINGS[label], user))
    return rows.distinct()

"""What Comhla holds about a person: a complete export, erasure, and retention.

`HOLDINGS` classifies, field by field, every model that refers to a person (a foreign key,
one-to-one or many-to-many to the user model, directly or through a model that does) or
describes one: whether each field is in the person's export (or why not) and what erasure does
to it (or why it is kept). Export and erasure are driven by it, and a test fails when a model
or a field is not classified, so a new feature cannot forget someone's data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone

from participants import security
from participants.models import Membership, SecurityEvent, User, new_signin_secret
from participants.payments.models import PaymentLine, PaymentPreference
from workshops.evaluation.models import Answer, Choice, Response
from workshops.models import Programme

EXPORTED = "exported"
ERASED = "erased"  # cleared or replaced by erasure
ANONYMISED = "anonymised"  # a link that stays, pointing at the person, who is anonymised
DELETED = "deleted"  # the row goes


def not_exported(reason: str) -> str:
    """Why a field is not in the person's export."""
    return f"not exported: {reason}"


def kept(reason: str) -> str:
    """Why erasure keeps a field as it is."""
    return f"kept: {reason}"


Rule = tuple[
    str, str
]  # (export: EXPORTED or why not, erasure: ERASED/ANONYMISED/DELETED or why kept)

ROW_NUMBER: Rule = (EXPORTED, kept("a row number; it names nobody"))
LINK: Rule = (EXPORTED, ANONYMISED)
GONE: Rule = (EXPORTED, DELETED)
CONTEXT = kept("which programme, session, form or board the row belongs to; names nobody")
WHEN = kept("a date or time that names nobody once the person is anonymised")
FINANCE = kept("finance must keep payment records for six years (audit); names nobody once erased")
EQUAL_VOICE = kept("the session's equal-voice figures count it, per anonymised person")
CONSENT = kept("evidence of consent the organisation keeps; names nobody once erased")
EVALUATION = kept("the evaluation results count it, no longer named")


@dataclass(frozen=True)
class Holding:
    """How one model holds people's data.

    `people`: lookups from a row to the person it is about; their rows are exported and erased
    (rows where someone only acted on another person's data belong to that other person).
    `rows`: "keep" (anonymised in place) or "delete".
    """

    people: tuple[str, ...]
    rows: str
    fields: dict[str, Rule]


HOLDINGS: dict[str, Holding] = {
    "participants.user": Holding(
        people=("pk",),
        rows="keep",
        fields={
            "id": (EXPORTED, kept("contributions stay counted per (anonymised) person")),
            "password": (not_exported("a password hash is a credential"), ERASED),
            "last_login": (EXPORTED, ERASED),
            "is_superuser": (EXPORTED, kept("an access flag; erasure also deactivates")),
            "email": (EXPORTED, ERASED),
            "display_name": (EXPORTED, ERASED),
            "pronouns": (EXPORTED, ERASED),
            "large_text": (EXPORTED, ERASED),
            "read_aloud": (EXPORTED, ERASED),
            "needs_supporter": (EXPORTED, ERASED),
            "needs_bsl": (EXPORTED, ERASED),
            "needs_hearing_loop": (EXPORTED, ERASED),
            "needs_transport": (EXPORTED, ERASED),
            "dietary_needs": (EXPORTED, ERASED),
            "other_needs": (EXPORTED, ERASED),
            "access_needs_updated_at": (EXPORTED, ERASED),
            "signin_secret": (
                not_exported("the secret behind their sign-in card: a download must not sign in"),
                ERASED,
            ),
            "is_staff": (EXPORTED, kept("an access flag; erasure also deactivates")),
            "is_active": (EXPORTED, ERASED),
            "date_joined": (EXPORTED, WHEN),
            "groups": (EXPORTED, ERASED),
            "user_permissions": (EXPORTED, ERASED),
            "sign_in_generation": (
                not_exported("a counter that ends sign-ins; it says nothing about the person"),
                kept("a counter; it names nobody"),
            ),
        },
    ),
    "participants.membership": Holding(
        people=("user",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "user": LINK,
            "programme": (EXPORTED, CONTEXT),
            "role": (EXPORTED, kept("reports count people by role")),
            "joined_on": (EXPORTED, WHEN),
            "left_on": (EXPORTED, WHEN),
            "added_by": LINK,
            "invited": (EXPORTED, kept("whether they accepted; it names nobody")),
            "invited_name": (EXPORTED, ERASED),
            "walk_in_session": (EXPORTED, CONTEXT),
            # Where someone works can name them in a small programme: it goes with their name.
            "organisation": (EXPORTED, ERASED),
            "sector": (EXPORTED, kept("reports count sectors working together; names nobody")),
        },
    ),
    # Every answer to the consent page, kept as evidence of what was agreed, and when.
    "participants.consent": Holding(
        people=("membership__user",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "membership": (EXPORTED, kept("the programme the answer was given in")),
            "take_part": (EXPORTED, CONSENT),
            "quotes": (EXPORTED, CONSENT),
            "contact": (EXPORTED, CONSENT),
            "photos": (EXPORTED, CONSENT),
            "with_supporter": (EXPORTED, CONSENT),
            "answered_at": (EXPORTED, CONSENT),
            "recorded_by": (EXPORTED, CONSENT),
        },
    ),
    "participants.securityevent": Holding(
        people=("actor",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "at": (EXPORTED, WHEN),
            "kind": (EXPORTED, kept("the security record of what happened")),
            "actor": LINK,
            "target": (EXPORTED, kept("names objects by number only, e.g. user:12")),
            "outcome": (EXPORTED, kept("the security record of what happened")),
            "address": (EXPORTED, ERASED),
        },
    ),
    "payments.paymentpreference": Holding(
        people=("membership__user",),
        rows="delete",
        fields={
            "id": GONE,
            "membership": GONE,
            "method": GONE,
            "reduced_amount": GONE,
            "receives_benefits": GONE,
            "benefits_advice_offered_on": GONE,
            "works_in_public_sector": GONE,
            "payee_reference": GONE,
            "cost_code": GONE,
            "uc_assessment_day": GONE,
        },
    ),
    "payments.paymentline": Holding(
        people=("person",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "programme": (EXPORTED, CONTEXT),
            "session": (EXPORTED, CONTEXT),
            "person": LINK,
            "kind": (EXPORTED, FINANCE),
            "status": (EXPORTED, FINANCE),
            "rate_card": (EXPORTED, FINANCE),
            "worked_on": (EXPORTED, FINANCE),
            "minutes_attended": (EXPORTED, FINANCE),
            "minutes_paid": (EXPORTED, FINANCE),
            "hours": (EXPORTED, FINANCE),
            "rate": (EXPORTED, FINANCE),
            "amount": (EXPORTED, FINANCE),
            "category": (EXPORTED, FINANCE),
            "miles": (EXPORTED, FINANCE),
            "receipt_note": (EXPORTED, FINANCE),
            "over_cap_reason": (EXPORTED, FINANCE),
            "corrects": (EXPORTED, FINANCE),
            "payment_reference": (EXPORTED, FINANCE),
            "paid_on": (EXPORTED, FINANCE),
            "created_by": LINK,
            "created_at": (EXPORTED, FINANCE),
        },
    ),
    "payments.paymentevent": Holding(
        people=("line__person",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "line": (EXPORTED, FINANCE),
            "programme": (EXPORTED, CONTEXT),
            "at": (EXPORTED, FINANCE),
            "by": LINK,
            "action": (EXPORTED, FINANCE),
            "from_status": (EXPORTED, FINANCE),
            "to_status": (EXPORTED, FINANCE),
            "reason": (EXPORTED, FINANCE),
        },
    ),
    "payments.ratecard": Holding(
        people=("created_by",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "programme": (EXPORTED, CONTEXT),
            "starts_on": (EXPORTED, FINANCE),
            "basis": (EXPORTED, FINANCE),
            "hourly_rate": (EXPORTED, FINANCE),
            "session_fee": (EXPORTED, FINANCE),
            "preparation_minutes": (EXPORTED, FINANCE),
            "rounding_minutes": (EXPORTED, FINANCE),
            "mileage_rate": (EXPORTED, FINANCE),
            "cap_fares": (EXPORTED, FINANCE),
            "cap_parking": (EXPORTED, FINANCE),
            "cap_meals": (EXPORTED, FINANCE),
            "cap_care": (EXPORTED, FINANCE),
            "cap_other": (EXPORTED, FINANCE),
            "created_by": LINK,
            "created_at": (EXPORTED, FINANCE),
        },
    ),
    "payments.registerconfirmation": Holding(
        people=("confirmed_by",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "session": (EXPORTED, CONTEXT),
            "confirmed_by": LINK,
            "confirmed_at": (EXPORTED, FINANCE),
        },
    ),
    "workshops.attendance": Holding(
        people=("user",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "session": (EXPORTED, CONTEXT),
            "user": LINK,
            "admission": (EXPORTED, kept("attendance figures count it")),
            "requested_at": (EXPORTED, kept("paid time and attendance figures need it")),
            "checked_in_at": (EXPORTED, kept("paid time and attendance figures need it")),
            "checked_out_at": (EXPORTED, kept("paid time and attendance figures need it")),
            "admitted_by": LINK,
            "co_facilitator": (EXPORTED, kept("whether they co-facilitated; it names nobody")),
        },
    ),
    "floor.turn": Holding(
        people=("person",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "session": (EXPORTED, CONTEXT),
            "person": LINK,
            "mode": (EXPORTED, EQUAL_VOICE),
            "status": (EXPORTED, EQUAL_VOICE),
            "go_round": (EXPORTED, EQUAL_VOICE),
            "round_position": (EXPORTED, EQUAL_VOICE),
            "raised_at": (EXPORTED, EQUAL_VOICE),
            "started_at": (EXPORTED, EQUAL_VOICE),
            "ended_at": (EXPORTED, EQUAL_VOICE),
            "given_by": LINK,
            "supported_by": LINK,
            "overrode_order": (EXPORTED, EQUAL_VOICE),
        },
    ),
    "floor.goround": Holding(
        people=("started_by",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "session": (EXPORTED, CONTEXT),
            "status": (EXPORTED, EQUAL_VOICE),
            "started_at": (EXPORTED, WHEN),
            "started_by": LINK,
        },
    ),
    "floor.balancerecord": Holding(
        people=(),
        rows="keep",
        fields={
            "id": (not_exported("a session's summary of everyone"), kept("names nobody")),
            "session": (not_exported("a session's summary of everyone"), CONTEXT),
            "recorded_at": (not_exported("a session's summary of everyone"), WHEN),
            "balance_index": (not_exported("a figure about the whole room"), EQUAL_VOICE),
            "figures": (
                not_exported(
                    "everyone's counts together; the person's own turns, cards and votes the "
                    "counts come from are exported"
                ),
                kept("names people by number only, which then points at the anonymised person"),
            ),
        },
    ),
    "boards.card": Holding(
        people=("author", "on_behalf_of"),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "uid": ROW_NUMBER,
            "board": (EXPORTED, CONTEXT),
            "column": (EXPORTED, CONTEXT),
            "cluster": (EXPORTED, CONTEXT),
            "author": LINK,
            "on_behalf_of": LINK,
            "text": (EXPORTED, kept("the group's shared work: the idea stays, no longer named")),
            "position": (EXPORTED, CONTEXT),
            "version": ROW_NUMBER,
            "client_id": ROW_NUMBER,
            "before_session": (EXPORTED, CONTEXT),
            "created_at": (EXPORTED, WHEN),
            "deleted_at": (EXPORTED, WHEN),
        },
    ),
    "boards.vote": Holding(
        people=("voter",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "board": (EXPORTED, CONTEXT),
            "voter": LINK,
            "card": (EXPORTED, kept("the group's dot counts need it")),
            "cluster": (EXPORTED, kept("the group's dot counts need it")),
            "client_id": ROW_NUMBER,
            "created_at": (EXPORTED, WHEN),
        },
    ),
    "evaluation.response": Holding(
        people=("person",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "form": (EXPORTED, CONTEXT),
            "person": LINK,
            "supported": (EXPORTED, EVALUATION),
            "supported_by": LINK,
            "submitted_at": (EXPORTED, WHEN),
        },
    ),
    "evaluation.answer": Holding(
        people=("response__person",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "response": (EXPORTED, EVALUATION),
            "question": (EXPORTED, EVALUATION),
            "number": (EXPORTED, EVALUATION),
            "text": (EXPORTED, EVALUATION),
            "choices": (EXPORTED, EVALUATION),
        },
    ),
    "evaluation.responsereceipt": Holding(
        people=("person",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "form": (EXPORTED, CONTEXT),
            "person": LINK,
        },
    ),
    "evaluation.followupreminder": Holding(
        people=("person",),
        rows="delete",
        fields={
            "id": GONE,
            "programme": GONE,
            "person": GONE,
            "timepoint": GONE,
            "sent_at": GONE,
        },
    ),
    "evaluation.instrumentlicence": Holding(
        people=("recorded_by",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "programme": (EXPORTED, CONTEXT),
            "instrument": (EXPORTED, kept("the organisation's licence record")),
            "licence_holder": (EXPORTED, kept("the organisation's licence record")),
            "reference": (EXPORTED, kept("the organisation's licence record")),
            "licensed_on": (EXPORTED, kept("the organisation's licence record")),
            "recorded_by": LINK,
        },
    ),
    "evaluation.action": Holding(
        people=("owner",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "programme": (EXPORTED, CONTEXT),
            "title": (EXPORTED, kept("the programme's action (you said, we did)")),
            "owner": LINK,
            "due_on": (EXPORTED, kept("the programme's action (you said, we did)")),
            "status": (EXPORTED, kept("the programme's action (you said, we did)")),
            "progress_note": (EXPORTED, kept("the programme's action (you said, we did)")),
            "created_at": (EXPORTED, WHEN),
            "ideas": (EXPORTED, kept("the programme's action (you said, we did)")),
        },
    ),
    # A picked name waiting for a facilitator: it only says who was asked for.
    "workshops.joinclaim": Holding(
        people=("user",),
        rows="delete",
        fields={
            "id": GONE,
            "session": GONE,
            "user": GONE,
            "number": GONE,
            "status": GONE,
            "created_at": GONE,
            "decided_by": GONE,
            "decided_at": GONE,
            "used_at": GONE,
        },
    ),
    # "Are you coming?" and the transport or care needs given with it: theirs alone.
    "workshops.rsvp": Holding(
        people=("user",),
        rows="delete",
        fields={
            "id": GONE,
            "session": GONE,
            "user": GONE,
            "coming": GONE,
            "needs": GONE,
            "answered_at": GONE,
        },
    ),
    "account.emailaddress": Holding(
        people=("user",),
        rows="delete",
        fields={
            "id": GONE,
            "user": GONE,
            "email": GONE,
            "verified": GONE,
            "primary": GONE,
        },
    ),
    "account.emailconfirmation": Holding(
        people=("email_address__user",),
        rows="delete",
        fields={
            "id": GONE,
            "email_address": GONE,
            "created": GONE,
            "sent": GONE,
            "key": (not_exported("a one-time secret that confirms the address"), DELETED),
        },
    ),
    "sessions.session": Holding(
        # Signed-in state names the person only inside its encoded data: erasure decodes it.
        people=(),
        rows="delete",
        fields={
            "session_key": (not_exported("a credential: it signs the browser in"), DELETED),
            "session_data": (not_exported("the server's sign-in state"), DELETED),
            "expire_date": (not_exported("the server's sign-in state"), DELETED),
        },
    ),
    "admin.logentry": Holding(
        people=("user",),
        rows="keep",
        fields={
            "id": ROW_NUMBER,
            "action_time": (EXPORTED, WHEN),
            "user": LINK,
            "content_type": (EXPORTED, kept("what kind of thing an administrator changed")),
            "object_id": (EXPORTED, kept("a number; names nobody")),
            "object_repr": (
                EXPORTED,
                kept("what an administrator changed; the person's name in it is replaced"),
            ),
            "action_flag": (EXPORTED, kept("the administrators' history")),
            "change_message": (EXPORTED, kept("the administrators' history: field names only")),
        },
    ),
}

# Models that hold nothing about a person, and why. Every model is in HOLDINGS or here.
NOT_ABOUT_PEOPLE: dict[str, str] = {
    "auth.permission": "Django's permission names",
    "auth.group": "Django's permission groups",
    "contenttypes.contenttype": "Django's list of models",
    "workshops.programme": "a programme",
    "workshops.session": "a session of a programme",
    "workshops.activity": "an agenda item",
    "workshops.agendatemplate": "a programme's saved agenda: activity kinds, titles, minutes",
    "evaluation.form": "a form's questions, written by staff",
    "evaluation.question": "a form's questions, written by staff",
    "evaluation.choice": "a question's options, written by staff",
    "evaluation.outcome": "a programme's outcomes",
    "evaluation.indicator": "an outcome's indicators",
    "evaluation.followup": "when a programme's wellbeing measures are due",
    "payments.paymentpolicy": "a programme's payment thresholds",
    "boards.board": "a board's settings",
    "boards.column": "a board's columns",
    "boards.cluster": "a named group of ideas",
    "boards.changereceipt": "a change's id, kept so a repeated post applies once",
}


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


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _people_query(holding: Holding, user: User) -> models.Q:
    query = models.Q(pk__in=[])
    for lookup in holding.people:
        query |= models.Q(**{lookup: user.pk})
    return query


def rows_of(*, label: str, user: User) -> models.QuerySet[Any]:
    """The rows of one model that are about the person."""
    model = apps.get_model(label)
    return model._default_manager.filter(_people_query(HOLDINGS[label], user)).distinct()


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


def _delete_signed_in_sessions(user: User) -> None:
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def person_erase(*, user: User, by: User | None) -> User:
    """Erase a person: name and contact details go; their contributions stay, anonymised;
    what the law needs (payment lines) stays."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    for label, holding in HOLDINGS.items():
        if holding.rows == "delete" and holding.people:
            rows_of(label=label, user=user).delete()
    _delete_signed_in_sessions(user)
    Membership.objects.filter(user=user).update(invited_name="", organisation="")
    old_name, anonymised = user.display_name, f"Former participant {user.pk}"
    user.display_name = anonymised
    user.email = None
    user.pronouns = ""
    user.large_text = user.read_aloud = user.needs_supporter = False
    user.needs_bsl = user.needs_hearing_loop = user.needs_transport = False
    user.dietary_needs = user.other_needs = ""
    user.access_needs_updated_at = None
    user.signin_secret = new_signin_secret()
    user.last_login = None
    user.set_unusable_password()
    user.is_active = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    SecurityEvent.objects.filter(actor=user).update(address=None)
    # The admin history names what was changed by its str(): the person, or their membership.
    about = models.Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    about |= models.Q(
        content_type=ContentType.objects.get_for_model(Membership),
        object_id__in=[str(pk) for pk in user.memberships.values_list("pk", flat=True)],
    )
    if old_name:
        LogEntry.objects.filter(about).update(
            object_repr=Replace(F("object_repr"), Value(old_name), Value(anonymised))
        )
    security.record(
        kind=SecurityEvent.Kind.ERASURE, actor=by, target=f"user:{user.pk}", outcome="erased"
    )
    return user


def people_past_retention(*, today: date | None = None) -> list[User]:
    """People whose every programme ended longer ago than its retention setting."""

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

"""Reads about people: the consent in force, and what it allows.

Whoever shows a person's words, contacts them or uses their photo asks here first. No answer
yet is a no, and so is a no to taking part at all.
"""

from typing import Any

from django.db.models import OuterRef, Subquery

from participants.models import Consent, Membership


def consent_for(*, person: Any, programme: Any) -> Consent | None:
    """The person's newest answer to the consent page in this programme, or None."""
    return (
        Consent.objects.filter(membership__user=person, membership__programme=programme)
        .order_by("-answered_at", "-pk")
        .first()
    )


def _allows(person: Any, programme: Any, use: str) -> bool:
    consent = consent_for(person=person, programme=programme)
    return consent is not None and consent.take_part and bool(getattr(consent, use))


def may_quote(*, person: Any, programme: Any) -> bool:
    """May this programme quote the person's words in its reports (without their name)?"""
    return _allows(person, programme, "quotes")


def may_contact(*, person: Any, programme: Any) -> bool:
    """May this programme contact the person for follow-up?"""
    return _allows(person, programme, "contact")


def may_photograph(*, person: Any, programme: Any) -> bool:
    """May this programme take and use photos of the person?"""
    return _allows(person, programme, "photos")


def consents_in(*, programme: Any) -> dict[int, Consent]:
    """Everyone's newest answer in a programme, by person id (one query)."""
    newest = (
        Consent.objects.filter(membership=OuterRef("membership"))
        .order_by("-answered_at", "-pk")
        .values("pk")[:1]
    )
    rows = Consent.objects.filter(
        membership__programme=programme, pk=Subquery(newest)
    ).select_related("membership")
    return {c.membership.user_id: c for c in rows}


def _people_allowing(programme: Any, use: str) -> set[int]:
    return {
        user_id
        for user_id, consent in consents_in(programme=programme).items()
        if consent.take_part and getattr(consent, use)
    }


def quotable_people(*, programme: Any) -> set[int]:
    """Ids of the people whose words this programme may quote (one query)."""
    return _people_allowing(programme, "quotes")


def contactable_people(*, programme: Any) -> set[int]:
    """Ids of the people this programme may contact for follow-up (one query)."""
    return _people_allowing(programme, "contact")


def needs_consent(*, membership: Membership | None) -> bool:
    """Must this member answer the consent page (again) before taking part?

    Staff run the sessions and are not asked; a contributor is, until they say yes to taking part.
    """
    if membership is None or membership.steers:
        return False
    current = membership.consents.order_by("-answered_at", "-pk").first()
    return current is None or not current.take_part

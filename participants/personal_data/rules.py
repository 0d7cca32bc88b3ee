"""The words `HOLDINGS` is written in: what a person's export does with a field (EXPORTED, or
why not) and what erasure does to it (ERASED, ANONYMISED, DELETED, or why it is kept)."""

from dataclasses import dataclass

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

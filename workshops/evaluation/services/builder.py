"""A programme's own forms and the builder: making a form, its settings, and its questions."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from project.text import clean_text
from workshops.evaluation.models import Answer, Choice, Form, Question
from workshops.evaluation.selectors import has_answers
from workshops.models import Programme, Session

# What the builder offers; instrument items come only from the published instruments.
BUILDER_KINDS = [
    Question.Kind.RATING,
    Question.Kind.SINGLE,
    Question.Kind.MULTIPLE,
    Question.Kind.TEXT,
]
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
TITLE_MAX = 120
QUESTION_MAX = 200
OPTION_MAX = 120
MAX_OPTIONS = 20
INSTRUMENT_REFUSAL = gettext_lazy(
    "Standard instruments are worded and ordered as published: they cannot be changed"
)


@transaction.atomic
def form_create(
    *,
    programme: Programme,
    title: str,
    session: Session | None = None,
    anonymous: bool = False,
    closes_at: datetime | None = None,
) -> Form:
    """A custom form for a programme, optionally for one session, anonymous, or closing."""
    title = _clean_title(title)
    if session is not None and session.programme_id != programme.pk:
        raise ValidationError({"session": _("Choose a session of this programme")})
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing date must be in the future")})
    return Form.objects.create(
        programme=programme,
        session=session,
        kind=Form.Kind.CUSTOM,
        title=title,
        anonymous=anonymous,
        closes_at=closes_at,
    )


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Enter a title for the form")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("Keep the title under 120 characters")})
    return clean_text(title, "title", max_length=TITLE_MAX)


def _locked_custom(form: Form) -> Form:
    if form.kind != Form.Kind.CUSTOM:
        raise ValidationError(_("Only a form built for this programme has settings to change"))
    return Form.objects.select_for_update().get(pk=form.pk)


@transaction.atomic
def form_settings_update(
    *, form: Form, title: str, anonymous: bool, closes_at: datetime | None
) -> Form:
    """Rename a custom form, set or clear its closing date, or (before any answer) its anonymity.

    Whether a form keeps names cannot change once someone has answered: they answered on the
    promise the form made them. Locks the form's row, so an answer given meanwhile is seen.
    """
    locked = _locked_custom(form)
    title = _clean_title(title)
    if anonymous != locked.anonymous and has_answers(locked):
        raise ValidationError(
            {
                "anonymous": _(
                    "People have answered this form already, so whether it keeps "
                    "names cannot change now"
                )
            }
        )
    # An unchanged date that has passed is fine: the form simply stays closed.
    if closes_at is not None and closes_at != locked.closes_at and closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing date must be in the future")})
    locked.title, locked.anonymous, locked.closes_at = title, anonymous, closes_at
    locked.save(update_fields=["title", "anonymous", "closes_at"])
    return locked


@transaction.atomic
def form_close(*, form: Form) -> Form:
    """Close a custom form now: answers already given stay, no more can be given or changed."""
    locked = _locked_custom(form)
    if not locked.is_open:
        raise ValidationError(_("This form is closed already"))
    locked.closes_at = timezone.now()
    locked.save(update_fields=["closes_at"])
    return locked


def check_editable(form: Form) -> None:
    """Refuse to change a standard instrument's questions."""
    if not form.editable:
        raise ValidationError(INSTRUMENT_REFUSAL)


def _clean_wording(text: str, help_text: str) -> tuple[str, str]:
    text, help_text = text.strip(), help_text.strip()
    if not text:
        raise ValidationError({"text": _("Enter the question")})
    if len(text) > QUESTION_MAX:
        raise ValidationError({"text": _("Keep the question under 200 characters")})
    if len(help_text) > QUESTION_MAX:
        raise ValidationError({"help_text": _("Keep the help text under 200 characters")})
    return (
        clean_text(text, "text", max_length=QUESTION_MAX),
        clean_text(help_text, "help_text", max_length=QUESTION_MAX),
    )


def check_options(options: list[str]) -> None:
    """A choice question's options: 2 to MAX_OPTIONS, each different, each one short line."""
    if len(options) < 2:
        raise ValidationError({"options": _("Enter at least two options, one on each line")})
    if len(options) > MAX_OPTIONS:
        raise ValidationError({"options": _("Offer at most %(n)s options") % {"n": MAX_OPTIONS}})
    if any(len(o) > OPTION_MAX for o in options):
        raise ValidationError({"options": _("Keep each option under 120 characters")})
    if len({o.casefold() for o in options}) != len(options):
        raise ValidationError({"options": _("Each option must be different")})
    for option in options:
        clean_text(option, "options", max_length=OPTION_MAX)


def lines(options: Iterable[str]) -> list[str]:
    """The options entered, one a line: stripped, blank lines left out."""
    return [o.strip() for o in options if o.strip()]


@transaction.atomic
def question_add(
    *,
    form: Form,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = True,
    options: Iterable[str] = (),
) -> Question:
    """Add a question at the end of a form; choice questions with the options entered."""
    check_editable(form)
    if kind not in BUILDER_KINDS:
        raise ValidationError({"kind": _("Choose what kind of question it is")})
    text, help_text = _clean_wording(text, help_text)
    choices = lines(options) if kind in CHOICE_KINDS else []
    if kind in CHOICE_KINDS:
        check_options(choices)
    last = form.questions.aggregate(last=Max("order"))["last"]
    question = Question.objects.create(
        form=form,
        order=0 if last is None else last + 1,
        kind=kind,
        text=text,
        help_text=help_text,
        required=required,
    )
    Choice.objects.bulk_create(
        Choice(question=question, order=i, text=t) for i, t in enumerate(choices)
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: str,
    help_text: str = "",
    required: bool = True,
    reworded: dict[int, str] | None = None,
    removed: Iterable[int] = (),
    added: Iterable[str] = (),
) -> Question:
    """Reword a question and its options, add options, or remove options nobody chose.

    A question's kind never changes once made, and an option someone chose is never removed,
    so every stored answer keeps meaning what the person meant.
    """
    check_editable(question.form)
    text, help_text = _clean_wording(text, help_text)
    existing = {c.pk: c for c in question.choices.all()}
    reworded = reworded or {}
    removed_ids = set(removed)
    if not set(reworded) | removed_ids <= set(existing):
        raise ValidationError({"options": _("That option is not part of this question")})
    new_texts = lines(added)
    if question.has_choices:
        kept = _kept_options(existing, reworded, removed_ids)
        check_options(list(kept.values()) + new_texts)
    elif new_texts or removed_ids or reworded:
        raise ValidationError({"options": _("Only choice questions have options")})
    question.text, question.help_text, question.required = text, help_text, required
    question.save(update_fields=["text", "help_text", "required"])
    if question.has_choices:
        Choice.objects.filter(pk__in=removed_ids).delete()
        changed = [c for pk, c in existing.items() if pk not in removed_ids and c.text != kept[pk]]
        for choice in changed:
            choice.text = kept[choice.pk]
        Choice.objects.bulk_update(changed, ["text"])
        last = max((c.order for c in existing.values()), default=-1)
        Choice.objects.bulk_create(
            Choice(question=question, order=last + 1 + i, text=t) for i, t in enumerate(new_texts)
        )
    return question


def _kept_options(
    existing: dict[int, Choice], reworded: dict[int, str], removed: set[int]
) -> dict[int, str]:
    """The options that stay, as reworded; refused if someone chose one being removed."""
    chosen = set(
        Answer.choices.through.objects.filter(choice_id__in=removed).values_list(
            "choice_id", flat=True
        )
    )
    if chosen:
        names = ", ".join(f"“{existing[pk].text}”" for pk in sorted(chosen))
        raise ValidationError(
            {
                "options": _("Someone chose %(names)s, so it cannot be removed: reword it instead")
                % {"names": names}
            }
        )
    kept = {pk: (reworded.get(pk, c.text).strip() or c.text) for pk, c in existing.items()}
    for pk in removed:
        kept.pop(pk)
    return kept


@transaction.atomic
def question_move(*, question: Question, up: bool) -> None:
    """Move a question one place up or down; orders are renumbered 0, 1, 2… as it goes."""
    check_editable(question.form)
    siblings = list(Question.objects.filter(form_id=question.form_id).order_by("order", "pk"))
    i = next(n for n, q in enumerate(siblings) if q.pk == question.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
    for n, q in enumerate(siblings):
        q.order = n
    Question.objects.bulk_update(siblings, ["order"])


@transaction.atomic
def question_remove(*, question: Question) -> None:
    """Remove a question nobody has answered yet."""
    check_editable(question.form)
    if question.answers.exists():
        raise ValidationError(
            _(
                "People have answered “%(question)s”, so it cannot be removed: "
                "reword it or make it optional instead"
            )
            % {"question": question.text}
        )
    question.delete()

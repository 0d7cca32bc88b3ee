"""Answers to a form's questions: one field for each kind of question, and the form made of a
questionnaire's questions.

The answer pages validate with it, and so does every service that saves answers: a service
may be handed answers by something other than a page (the demo, a test), and checks them the
same way.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from project.text import CONTROL_MESSAGE, has_control_characters
from workshops.evaluation.models import Form, Question

TEXT_MAX = 2000

# One answer as it is saved: a number (1-5), words, or the options chosen.
type Given = tuple[int | None, str, list[int]]
# Every answer given, by question id (a question left unanswered is not there).
type Cleaned = dict[int, Given]


class Values(forms.Widget):
    """Every value sent for a question, as a list of non-empty stripped strings.

    Checkboxes send several; a radio button sends one, but a hand-made post can send more
    (refused with "Give one answer"). A service's plain dict may hold a string or a list.
    """

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        """The values sent under `name`."""
        getlist = getattr(data, "getlist", None)
        if getlist is not None:
            values = getlist(name)
        else:
            value = data.get(name, "")
            values = value if isinstance(value, list | tuple) else [value]
        return [str(v).strip() for v in values if v is not None and str(v).strip()]


class AnswerField(forms.Field):
    """One question's answer: cleaned to what is saved, or None when it was left empty.

    Whether an answer is required is the question's to say, in words that name it, so the
    field itself is never `required`.
    """

    widget = Values

    def __init__(self, *, question: Question, **kwargs: Any) -> None:
        super().__init__(required=False, label=question.text, **kwargs)
        self.question = question

    def refuse(self, message: Any) -> ValidationError:
        """A refusal naming the question."""
        return ValidationError(message, params={"question": self.question.text})

    def one(self, values: list[str]) -> str:
        """The one value of a question answered with one value, or "" if none was sent."""
        if len(values) > 1:
            raise self.refuse(_("Give one answer for: %(question)s"))
        return values[0] if values else ""

    def options(self) -> dict[str, int]:
        """The question's options by the value their input sends."""
        return {str(c.pk): c.pk for c in self.question.choices.all()}

    def clean(self, value: Any) -> Given | None:
        """The answer to save, or None."""
        raise NotImplementedError


class RatingAnswer(AnswerField):
    """A rating from 1 to 5 (a standard instrument's items are answered the same way)."""

    def clean(self, value: Any) -> Given | None:
        """A whole number from 1 to 5."""
        chosen = self.one(list(value or []))
        if not chosen:
            if self.question.required:
                raise self.refuse(_("Choose an answer for: %(question)s"))
            return None
        try:
            number = int(chosen)
        except ValueError:
            number = 0
        if not 1 <= number <= 5:
            raise self.refuse(_("Choose an answer from 1 to 5 for: %(question)s"))
        return (number, "", [])


class SingleChoiceAnswer(AnswerField):
    """One of the question's options."""

    def clean(self, value: Any) -> Given | None:
        """The option chosen."""
        chosen = self.one(list(value or []))
        if not chosen:
            if self.question.required:
                raise self.refuse(_("Choose an answer for: %(question)s"))
            return None
        options = self.options()
        if chosen not in options:
            raise self.refuse(_("Choose one of the options given for: %(question)s"))
        return (None, "", [options[chosen]])


class MultipleChoiceAnswer(AnswerField):
    """Any of the question's options (at least one, if the question needs an answer)."""

    def clean(self, value: Any) -> Given | None:
        """The options chosen, each once, in the order they were made."""
        chosen = list(value or [])
        options = self.options()
        if any(v not in options for v in chosen):
            raise self.refuse(_("Choose from the options given for: %(question)s"))
        if not chosen:
            if self.question.required:
                raise self.refuse(_("Choose at least one option for: %(question)s"))
            return None
        return (None, "", sorted({options[v] for v in chosen}))


class TextAnswer(AnswerField):
    """Words, on as many lines as people like, up to TEXT_MAX characters."""

    def clean(self, value: Any) -> Given | None:
        """The words written."""
        text = self.one(list(value or []))
        if len(text) > TEXT_MAX:
            raise ValidationError(_("Keep it under 2,000 characters"))
        if has_control_characters(text, multiline=True):
            raise ValidationError(CONTROL_MESSAGE)
        if not text:
            if self.question.required:
                raise self.refuse(_("Answer: %(question)s"))
            return None
        return (None, text, [])


FIELDS: dict[str, type[AnswerField]] = {
    Question.Kind.RATING: RatingAnswer,
    Question.Kind.INSTRUMENT_ITEM: RatingAnswer,
    Question.Kind.SINGLE: SingleChoiceAnswer,
    Question.Kind.MULTIPLE: MultipleChoiceAnswer,
    Question.Kind.TEXT: TextAnswer,
}


class AnswersForm(forms.Form):
    """Answers to each of a form's questions: one field each, named as the page names it."""

    def __init__(self, data: Any = None, *, questions: Iterable[Question], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.field_name] = FIELDS[question.kind](question=question)

    def answers(self) -> Cleaned:
        """The answers given, by question id (after is_valid())."""
        answers: Cleaned = {}
        for name, given in self.cleaned_data.items():
            field = self.fields[name]
            if given is not None and isinstance(field, AnswerField):
                answers[field.question.pk] = given
        return answers

    def sent(self) -> dict[str, list[str]]:
        """Each question's values as sent: to show them again, or to hand to a service."""
        return {name: self[name].data for name in self.fields}


def clean_answers(*, form: Form, answers: Mapping[str, Any]) -> Cleaned:
    """Check every answer against its question; a value may be a string or a list of them."""
    bound = AnswersForm(answers, questions=form.questions.prefetch_related("choices"))
    if not bound.is_valid():
        raise ValidationError(bound.errors.as_data())
    return bound.answers()

"""Session feedback: each session's form, made from the programme's feedback questions."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workshops.evaluation.defaults import DEFAULT_FEEDBACK_RATINGS, DEFAULT_FEEDBACK_TEXT
from workshops.evaluation.models import Choice, Form, Question
from workshops.models import Programme, Session

# The feedback form stays reachable by its link for a week after the session.
FEEDBACK_OPEN_FOR = timedelta(days=7)


@transaction.atomic
def feedback_form_for(*, session: Session, anonymous: bool = False) -> Form:
    """The session's feedback form, made with the default questions the first time."""
    form = Form.objects.filter(session=session, kind=Form.Kind.FEEDBACK).first()
    if form is not None:
        return form
    try:
        # Every phone in the room asks for the form at the same moment when the room moves to
        # feedback: one of them makes it; the others find it.
        with transaction.atomic():
            return _make_feedback_form(session, anonymous)
    except IntegrityError:
        return Form.objects.get(session=session, kind=Form.Kind.FEEDBACK)


def _make_feedback_form(session: Session, anonymous: bool) -> Form:
    form = Form.objects.create(
        programme_id=session.programme_id,
        session=session,
        kind=Form.Kind.FEEDBACK,
        title=_("Your feedback on ‘%(title)s’") % {"title": session.title},
        anonymous=anonymous,
        closes_at=session.ends_at + FEEDBACK_OPEN_FOR,
    )
    template = (
        Form.objects.filter(programme_id=session.programme_id, kind=Form.Kind.TEMPLATE)
        .prefetch_related("questions__choices")
        .first()
    )
    if template is None:
        _add_default_questions(form)
    else:
        _copy_questions(template, form)
    return form


def _add_default_questions(form: Form) -> None:
    questions = [
        Question(form=form, order=i, kind=Question.Kind.RATING, text=str(t))
        for i, t in enumerate(DEFAULT_FEEDBACK_RATINGS)
    ]
    questions += [
        Question(form=form, order=10 + i, kind=Question.Kind.TEXT, text=str(t), required=False)
        for i, t in enumerate(DEFAULT_FEEDBACK_TEXT)
    ]
    Question.objects.bulk_create(questions)


def _copy_questions(source: Form, target: Form) -> None:
    """Copy questions and their options: later edits to the source leave the copy alone."""
    originals = list(source.questions.all())
    copies = Question.objects.bulk_create(
        Question(
            form=target,
            order=q.order,
            kind=q.kind,
            text=q.text,
            help_text=q.help_text,
            required=q.required,
        )
        for q in originals
    )
    Choice.objects.bulk_create(
        Choice(question=copy, order=c.order, text=c.text)
        for original, copy in zip(originals, copies, strict=True)
        for c in original.choices.all()
    )


@transaction.atomic
def feedback_template_for(*, programme: Programme) -> Form:
    """The programme's feedback questions, made from the defaults the first time."""
    template = Form.objects.filter(programme=programme, kind=Form.Kind.TEMPLATE).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            template = Form.objects.create(
                programme=programme, kind=Form.Kind.TEMPLATE, title=_("Feedback questions")
            )
            _add_default_questions(template)
            return template
    except IntegrityError:
        return Form.objects.get(programme=programme, kind=Form.Kind.TEMPLATE)

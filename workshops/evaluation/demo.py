"""Demo evaluation: Keeping it Personal's outcomes, a follow-up at 9 months, a licence, feedback
and WEMWBS data."""

import random

from django.utils import timezone

from participants.models import PAID_ROLES, User
from workshops.evaluation import services
from workshops.evaluation.models import Form, Indicator, Outcome
from workshops.models import Programme, Session

OUTCOMES = [
    (
        "Every participant is valued as an equal partner",
        [
            ("People felt listened to", Indicator.Kind.FEEDBACK_QUESTION, "I felt listened to"),
            ("Airtime is shared evenly", Indicator.Kind.BALANCE, ""),
            # Keeping it Personal pays unpaid contributors, as staff are paid: on time.
            ("Contributors are paid on time", Indicator.Kind.PAYMENTS_ON_TIME, ""),
        ],
    ),
    (
        "People build on their strengths and say what matters to them",
        [
            (
                "People could say what they wanted",
                Indicator.Kind.FEEDBACK_QUESTION,
                "I could say what I wanted to say",
            ),
            ("Wellbeing from baseline to follow-up", Indicator.Kind.WELLBEING_CHANGE, ""),
        ],
    ),
    (
        "Peer support: people learn from each other",
        [
            ("People learned something", Indicator.Kind.FEEDBACK_QUESTION, "I learned something"),
            ("People keep coming", Indicator.Kind.ATTENDANCE, ""),
        ],
    ),
    (
        "Mutuality and reciprocity: ideas lead to change",
        [
            (
                "People's ideas made a difference",
                Indicator.Kind.FEEDBACK_QUESTION,
                "My ideas made a difference",
            )
        ],
    ),
]


def load_evaluation_demo(*, programme: Programme, organiser: User) -> None:
    """Outcomes, a WEMWBS licence, feedback on the held session, baseline and follow-up (once)."""
    if Outcome.objects.filter(programme=programme).exists():
        return
    rng = random.Random(programme.pk)
    for title, indicators in OUTCOMES:
        services.outcome_add(
            programme=programme, title=title, indicators=[(t, k, q) for t, k, q in indicators]
        )
    services.follow_up_set(programme=programme, months=9)
    people = [m.user for m in programme.memberships.select_related("user") if m.role in PAID_ROLES]
    held = programme.sessions.filter(status=Session.Status.ENDED).order_by("number").first()
    if held is not None:
        form = services.feedback_form_for(session=held)
        form.closes_at = timezone.now() + services.FEEDBACK_OPEN_FOR
        form.save(update_fields=["closes_at"])
        comments = [
            "Being asked first, before the professionals",
            "The tea and the time to talk",
            "Hearing from other carers",
        ]
        for i, person in enumerate(people):
            answers = {
                f"q{q.pk}": str(rng.choice([3, 4, 4, 5, 5]))
                for q in form.questions.filter(kind="rating")
            }
            worked = form.questions.get(text="What worked well?")
            answers[f"q{worked.pk}"] = comments[i % len(comments)]
            services.response_submit(form=form, person=person, answers=answers)
    if held is not None:
        demo_actions(held, people, organiser)
        demo_custom_form(held, people, rng)
    services.licence_record(
        programme=programme,
        instrument="wemwbs",
        licence_holder="Demo Health and Social Care Partnership",
        reference="WEMWBS-DEMO-2026",
        licensed_on=programme.starts_on,
        by=organiser,
    )
    baseline = services.instrument_form_create(
        programme=programme, instrument="wemwbs", timepoint=Form.Timepoint.BASELINE, session=held
    )
    follow_up = services.instrument_form_create(
        programme=programme, instrument="wemwbs", timepoint=Form.Timepoint.FOLLOW_UP
    )
    for person in people:
        start = [rng.choice([2, 3, 3, 4]) for _ in range(14)]
        later = [min(5, v + rng.choice([0, 0, 1])) for v in start]
        for form, values in ((baseline, start), (follow_up, later)):
            answers = {
                f"q{q.pk}": str(values[q.item_number - 1])
                for q in form.questions.all()
                if q.item_number
            }
            services.response_submit(form=form, person=person, answers=answers)


def demo_custom_form(held: Session, people: list[User], rng: random.Random) -> None:
    """A form the facilitators built: where and how to meet, answered by the contributors."""
    form = services.form_create(
        programme=held.programme, title="How should we meet next time?", session=held
    )
    where = services.question_add(
        form=form,
        kind="single",
        text="Where would you like to meet?",
        options=["The community hall", "The library", "Online"],
    )
    helps = services.question_add(
        form=form,
        kind="multiple",
        text="What would help you take part?",
        help_text="Choose as many as you like",
        options=["A lift there and back", "A quiet room", "Large print", "Someone to sit with me"],
    )
    anything = services.question_add(
        form=form, kind="text", text="Anything else we should know?", required=False
    )
    where_options = [str(c.pk) for c in where.choices.all()]
    help_options = [str(c.pk) for c in helps.choices.all()]
    for person in people:
        services.response_submit(
            form=form,
            person=person,
            answers={
                where.field_name: rng.choice(where_options[:2] * 2 + where_options),
                helps.field_name: rng.sample(help_options, rng.randint(1, 3)),
                anything.field_name: "",
            },
        )


def demo_actions(held: Session, people: list[User], organiser: User) -> None:
    """Ideas from the held session's board, and what they led to."""
    import uuid

    from boards.models import Board, Card

    board = Board.objects.filter(activity__session=held).first()
    if board is None or not people:
        return
    column = board.columns.order_by("position").first()
    if column is None:
        return
    texts = [
        "Being asked what I can still do, not only what I can't",
        "The same person at the door every time",
        "A quiet room for the first hour",
        "Transport to the sessions",
    ]
    cards = [
        Card.objects.create(
            board=board,
            column=column,
            author=people[i % len(people)],
            text=text,
            client_id=uuid.uuid4(),
        )
        for i, text in enumerate(texts)
    ]
    first = services.action_point_create(
        programme=held.programme,
        by=organiser,
        title="Book the small hall for a quiet first hour",
        card_uids=[str(cards[2].uid)],
        owner_id=organiser.pk,
    )
    services.action_point_update(
        action_point=first,
        by=organiser,
        status="done",
        progress_note="The small hall is booked for every session from now on",
    )
    services.action_point_create(
        programme=held.programme,
        by=organiser,
        title="Arrange taxis for people who need them",
        card_uids=[str(cards[3].uid)],
        owner_id=organiser.pk,
    )

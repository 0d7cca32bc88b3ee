"""The demo's evaluation: Keeping it Personal's own four outcomes with indicators, wellbeing
measured at the first session and again nine months on, feedback on every held session, a
form the facilitators built, and what the group's ideas led to ("you said, we did")."""

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from boards.models import Card
from participants.models import User
from workshops.evaluation import services
from workshops.evaluation.models import ActionPoint, Form, Indicator, Response
from workshops.models import Programme, Session

Evidence = Indicator.Kind
# The project's outcomes, word for word as Keeping it Personal set them out (Iriss, 2014).
KIP_OUTCOMES = [
    "Increased capacity and capability among people using services to be active partners at "
    "individual and service level to influence their own health and wellbeing by contributing "
    "to the design and delivery of more person-centred care and support, including peer "
    "support.",
    "Increased capacity and capability among people delivering services to work "
    "collaboratively with people using support and services",
    "Enhanced understanding/relationships/collaboration between statutory and third sector",
    "Cultural transformation towards an asset-based, empowerment model.",
]
WELLBEING = "wellbeing"  # stands for the site's instrument in INDICATORS
INDICATORS: list[list[tuple[str, str, str]]] = [
    [
        (
            "People using services say what they want to say",
            Evidence.FEEDBACK_QUESTION,
            "I could say what I wanted to say",
        ),
        (
            "People's ideas make a difference",
            Evidence.FEEDBACK_QUESTION,
            "My ideas made a difference",
        ),
        ("Contributors' wellbeing, baseline to follow-up", WELLBEING, ""),
    ],
    [
        ("Everyone feels listened to", Evidence.FEEDBACK_QUESTION, "I felt listened to"),
        ("Airtime is shared evenly between professionals and contributors", Evidence.BALANCE, ""),
    ],
    [
        (
            "People learn from each other, across services and sectors",
            Evidence.FEEDBACK_QUESTION,
            "I learned something",
        ),
        ("People keep coming, session after session", Evidence.ATTENDANCE, ""),
        ("Statutory and third sector people at the same sessions", Evidence.SECTORS, ""),
    ],
    [
        ("Unpaid contributors are paid for their time, on time", Evidence.PAYMENTS_ON_TIME, ""),
    ],
]
# Which wellbeing measure each site uses: the short one where people tire quickly.
INSTRUMENT = {"glasgow": "wemwbs", "motherwell": "swemwbs"}
INSTRUMENT_CHANGE = {"wemwbs": Evidence.WELLBEING_CHANGE, "swemwbs": Evidence.SWEMWBS_CHANGE}
FOLLOW_UP_MONTHS = 9
# Someone whose follow-up is still to come in, per site: it shows on the follow-up list.
FOLLOW_UP_WAITING = {"glasgow": "Tam Wilson", "motherwell": "Margaret Reid"}
COMMENTS: dict[str, list[str]] = {
    "glasgow": [
        "Being asked first, before the professionals",
        "The tea and the time to talk",
        "Hearing from other carers",
        "Nobody rushed me",
        "Seeing our ideas on the wall",
    ],
    "motherwell": [
        "Meeting people who know what it is like",
        "The nurse listened, and so did we",
        "A seat near the door and a break halfway",
        "Learning what the tablets are for",
        "Being paid for my time, like everyone else",
    ],
}
# What the group's ideas led to: the action, the ideas (card texts), who owns it, where it got
# to and what happened; a due date in days from today for those still to do.
ACTIONS: dict[str, list[tuple[str, list[str], str, str, str, int | None]]] = {
    "glasgow": [
        (
            "Book the small hall for a quiet first hour",
            ["A quiet room for the first hour"],
            "Morag Campbell",
            ActionPoint.Status.DONE,
            "The small hall is booked for every session from now on",
            None,
        ),
        (
            "Keep the same volunteer on the door at every session",
            ["The same person at the door every time"],
            "Fiona MacLeod",
            ActionPoint.Status.DONE,
            "Ruth greets everyone at the door now",
            None,
        ),
        (
            "Arrange taxis for people who need them",
            [
                "Taxis to the sessions for people who need them",
                "No way of getting to things after dark",
            ],
            "Morag Campbell",
            ActionPoint.Status.UNDER_WAY,
            "Booked for Tam and Jean; the partnership is asked to fund it for good",
            14,
        ),
        (
            "Ask the library about a monthly memory café",
            ["A memory café at the library, once a month", "A memory café nearer home"],
            "Isla Robertson",
            ActionPoint.Status.PLANNED,
            "",
            21,
        ),
        (
            "Rewrite the appointment letter with the group",
            ["Plain-English letters, tested with this group", "Our letters are full of jargon"],
            "Priya Shah",
            ActionPoint.Status.UNDER_WAY,
            "A first draft is ready to read together at session 5",
            None,
        ),
        (
            "Ask carers how they are doing at every review",
            ["Carers asked how they are doing too"],
            "Gordon Fraser",
            ActionPoint.Status.DROPPED,
            "The review form is set nationally: raised with the partnership instead",
            None,
        ),
    ],
    "motherwell": [
        (
            "Hold a carers' session on medicines with the pharmacist",
            [
                "A carers' session with the pharmacist about the tablets",
                "Knowing what the water tablets do",
            ],
            "Karen Lindsay",
            ActionPoint.Status.DONE,
            "Held at the resource centre: nine carers came",
            None,
        ),
        (
            "Write a one-page guide to daily weighing with the group",
            ["A one-page guide to daily weighing, in plain words"],
            "Alan Baird",
            ActionPoint.Status.DONE,
            "Printed, and handed out at the clinic",
            None,
        ),
        (
            "Ask cardiac rehab for an afternoon class",
            ["An afternoon cardiac rehab class", "Cardiac rehab is only in the mornings"],
            "Alan Baird",
            ActionPoint.Status.UNDER_WAY,
            "A trial afternoon class starts next month",
            30,
        ),
        (
            "Start a monthly walking group in Strathclyde Park",
            ["A walking group at our pace", "The flat paths in Strathclyde Park"],
            "Bill Anderson",
            ActionPoint.Status.PLANNED,
            "",
            28,
        ),
        (
            "Book BSL interpreters for clinics as standard",
            ["BSL interpreters booked for every clinic, without asking"],
            "Morag Campbell",
            ActionPoint.Status.UNDER_WAY,
            "Agreed for the heart failure clinic; asking outpatients next",
            None,
        ),
    ],
}


def outcomes_add(*, programme: Programme, site: str) -> None:
    """Keeping it Personal's four outcomes, each with its indicators."""
    change = INSTRUMENT_CHANGE[INSTRUMENT[site]]
    for title, indicators in zip(KIP_OUTCOMES, INDICATORS, strict=True):
        services.outcome_add(
            programme=programme,
            title=title,
            indicators=[(t, change if k == WELLBEING else k, q) for t, k, q in indicators],
        )


def _at_ten(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _answers(form: Form, values: list[int]) -> dict[str, str]:
    return {
        q.field_name: str(values[q.item_number - 1]) for q in form.questions.all() if q.item_number
    }


def wellbeing_add(
    *,
    programme: Programme,
    site: str,
    organiser: User,
    first: Session,
    people: list[User],
    rng: random.Random,
) -> None:
    """A licence for the site's measure; everyone's answers at the first session (baseline)
    and nine months later (follow-up), all but one person's follow-up in."""
    instrument = INSTRUMENT[site]
    services.licence_record(
        programme=programme,
        instrument=instrument,
        licence_holder="Demo Health and Social Care Partnership",
        reference=f"{instrument.upper()}-DEMO-2026",
        licensed_on=programme.starts_on,
        by=organiser,
    )
    plan = services.follow_up_set(programme=programme, months=FOLLOW_UP_MONTHS)
    baseline = services.instrument_form_create(
        programme=programme,
        instrument=instrument,
        timepoint=Form.Timepoint.BASELINE,
        session=first,
    )
    follow_up = services.instrument_form_create(
        programme=programme, instrument=instrument, timepoint=Form.Timepoint.FOLLOW_UP
    )
    due = _at_ten(plan.follow_up_on)
    Form.objects.filter(pk=baseline.pk).update(created_at=first.starts_at - timedelta(days=7))
    Form.objects.filter(pk=follow_up.pk).update(created_at=due - timedelta(days=14))
    for i, person in enumerate(people):
        start = [rng.choice([2, 3, 3, 4]) for _ in range(14)]
        later = [min(5, v + rng.choice([0, 0, 1, 1])) for v in start]
        answered = services.response_submit(
            form=baseline, person=person, answers=_answers(baseline, start)
        )
        # At the first session, in the half hour before it began.
        Response.objects.filter(pk=answered.pk).update(
            submitted_at=first.starts_at - timedelta(minutes=30 - i)
        )
        if person.display_name == FOLLOW_UP_WAITING[site]:
            continue
        answered = services.response_submit(
            form=follow_up, person=person, answers=_answers(follow_up, later)
        )
        # Online, or on the phone with a facilitator, over the fortnight it was due.
        Response.objects.filter(pk=answered.pk).update(
            submitted_at=due + timedelta(days=i % 12, hours=i % 6)
        )


def feedback_add(*, session: Session, site: str, people: list[User], rng: random.Random) -> None:
    """Everyone's feedback on a held session, given in its last ten minutes: a little better
    each session."""
    form = services.feedback_form_for(session=session)
    closes_at = form.closes_at
    # Answered while it was open (the week after the session); it has closed since.
    form.closes_at = None
    worked = form.questions.get(text="What worked well?")
    ratings = list(form.questions.filter(kind="rating"))
    comments = COMMENTS[site]
    lift = (session.number - 1) // 2
    for i, person in enumerate(people):
        answers = {q.field_name: str(min(5, rng.choice([2, 3, 4, 4, 5]) + lift)) for q in ratings}
        if i % 2 == 0:
            answers[worked.field_name] = comments[(i // 2 + session.number) % len(comments)]
        services.response_submit(form=form, person=person, answers=answers)
    form.closes_at = closes_at
    Response.objects.filter(form=form).update(submitted_at=session.ends_at - timedelta(minutes=35))


def custom_form_add(*, session: Session, people: list[User], rng: random.Random) -> None:
    """A form the facilitators built: where and how to meet, answered by the contributors."""
    form = services.form_create(
        programme=session.programme, title="How should we meet next time?", session=session
    )
    Form.objects.filter(pk=form.pk).update(created_at=session.starts_at - timedelta(days=2))
    where = services.question_add(
        form=form,
        kind="single",
        text="Where would you like to meet?",
        options=["Where we meet now", "The library", "Online"],
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
    Response.objects.filter(form=form).update(submitted_at=session.ends_at)


def actions_add(
    *,
    programme: Programme,
    site: str,
    organiser: User,
    cards: dict[str, Card],
    people: dict[str, User],
) -> None:
    """What the group's ideas led to, each decided just after the session of its latest idea."""
    today = timezone.localdate()
    for title, ideas, owner, status, note, due_in in ACTIONS[site]:
        action_point = services.action_point_create(
            programme=programme,
            title=title,
            card_uids=[str(cards[text].uid) for text in ideas],
            owner_id=people[owner].pk,
            due_on=today + timedelta(days=due_in) if due_in is not None else None,
        )
        if status != ActionPoint.Status.PLANNED:
            services.action_point_update(
                action_point=action_point, status=status, progress_note=note
            )
        latest = Card.objects.filter(uid__in=[cards[text].uid for text in ideas]).aggregate(
            at=Max("created_at")
        )["at"]
        ActionPoint.objects.filter(pk=action_point.pk).update(
            created_at=latest + timedelta(hours=2)
        )

"""Reads for the evaluation plan: outcomes and indicators, and who is due a wellbeing measure."""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import PAID_ROLES, Membership, User
from workshops.evaluation.defaults import DEFAULT_FEEDBACK_RATINGS
from workshops.evaluation.models import (
    FollowUp,
    Form,
    Indicator,
    Outcome,
    Question,
    Response,
    ResponseReceipt,
)
from workshops.evaluation.selectors.questionnaires import MeasureLink, wellbeing_measures
from workshops.models import Programme

DUE_WINDOW_DAYS = 14


def rating_question_texts(*, programme: Programme) -> list[str]:
    """The wordings a form-question indicator can follow: the default feedback ratings and
    every rating question of the programme's own forms."""
    texts = [str(t) for t in DEFAULT_FEEDBACK_RATINGS]
    for text in (
        Question.objects.filter(
            form__programme=programme,
            kind=Question.Kind.RATING,
            form__kind__in=[Form.Kind.FEEDBACK, Form.Kind.TEMPLATE, Form.Kind.CUSTOM],
        )
        .order_by("text")
        .values_list("text", flat=True)
        .distinct()
    ):
        if text not in texts:
            texts.append(text)
    return texts


def plan_outcomes(*, programme: Programme) -> list[Outcome]:
    """A programme's outcomes in order, each with its indicators in order."""
    return list(
        Outcome.objects.filter(programme=programme)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))
        )
    )


def outcome_in(*, programme: Programme, outcome_id: int) -> Outcome | None:
    """One of the programme's outcomes (with `n_indicators`), or None."""
    return (
        Outcome.objects.filter(pk=outcome_id, programme=programme)
        .select_related("programme")
        .annotate(n_indicators=Count("indicators"))
        .first()
    )


def indicator_in(*, programme: Programme, indicator_id: int) -> Indicator | None:
    """One of the indicators of the programme's outcomes, or None."""
    return (
        Indicator.objects.filter(pk=indicator_id, outcome__programme=programme)
        .select_related("outcome__programme")
        .first()
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def baseline_day(*, programme: Programme) -> date:
    """When the baseline is due: the day of session 1, or the programme's start before any
    session is scheduled."""
    first = programme.sessions.order_by("number", "starts_at").first()
    return timezone.localdate(first.starts_at) if first else programme.starts_on


def follow_up_plan(*, programme: Programme) -> FollowUp | None:
    """The programme's follow-up (or None), dated from session 1 as it is now.

    Organisers often set the follow-up before scheduling any session, when the baseline can
    only be the programme's start: once session 1 is scheduled, or moved, both dates follow it,
    so "baseline at session 1" stays true. Nothing is saved.
    """
    plan = FollowUp.objects.filter(programme=programme).first()
    if plan is not None:
        baseline = baseline_day(programme=programme)
        if baseline != plan.baseline_on:
            plan.baseline_on = baseline
            plan.follow_up_on = add_months(baseline, plan.months_after)
    return plan


@dataclass
class Due:
    """One timepoint: when it is due, whether it is due now, overdue or done, and who has not
    answered a measure at it yet."""

    label: str
    timepoint: str
    due_on: date
    status: str
    waiting: list[Any]
    # Due now or overdue: the people waiting may be reminded.
    is_due: bool = False
    # Everyone asked has answered: never overdue, whatever the date.
    done: bool = False


def due_status(due_on: date, today: date, *, done: bool = False) -> str:
    """Done once everyone has answered; else overdue once the day has passed, due now within
    two weeks before it."""
    if done:
        return _("Done")
    if today > due_on:
        return _("Overdue")
    if (due_on - today).days <= DUE_WINDOW_DAYS:
        return _("Due now")
    return _("Not due yet")


def timepoint_days(*, programme: Programme) -> list[tuple[str, date | None]]:
    """When each timepoint is due: the baseline at session 1 even before a follow-up is set,
    the follow-up once it is (None until then)."""
    plan = follow_up_plan(programme=programme)
    if plan is None:
        return [
            (Form.Timepoint.BASELINE, baseline_day(programme=programme)),
            (Form.Timepoint.FOLLOW_UP, None),
        ]
    return [
        (Form.Timepoint.BASELINE, plan.baseline_on),
        (Form.Timepoint.FOLLOW_UP, plan.follow_up_on),
    ]


def measures_due_for(*, user: User, today: date | None = None) -> list[MeasureLink]:
    """The wellbeing measure each of this person's programmes asks them to answer now: due
    now or overdue, and nothing answered at that timepoint yet (the earliest such timepoint,
    one measure per programme). Only contributors are measured, and only in programmes they
    belong to."""
    today = today or timezone.localdate()
    memberships = (
        Membership.objects.filter(
            user=user, role__in=PAID_ROLES, left_on__isnull=True, invited=False
        )
        .select_related("programme")
        .order_by("programme__name", "programme_id")
    )
    due: list[MeasureLink] = []
    for membership in memberships:
        programme = membership.programme
        measures = wellbeing_measures(programme=programme, user=user)
        for timepoint, due_on in timepoint_days(programme=programme):
            if due_on is None or (due_on - today).days > DUE_WINDOW_DAYS:
                continue
            at = [m for m in measures if m.form.timepoint == timepoint]
            if at and not any(m.answered for m in at):
                due.append(at[0])
                break
    return due


def follow_ups_due(*, programme: Programme, today: date | None = None) -> list[Due]:
    """Each timepoint of the plan with the contributors who have not answered a wellbeing
    measure at it yet (an answer to WEMWBS or SWEMWBS counts)."""
    plan = follow_up_plan(programme=programme)
    if plan is None:
        return []
    today = today or timezone.localdate()
    members = list(
        # Someone only invited is not in the programme yet: not measured, not reminded, and
        # their own account's name is not the programme's to show.
        Membership.objects.filter(
            programme=programme, role__in=PAID_ROLES, left_on__isnull=True, invited=False
        )
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    result = []
    for timepoint, due_on in (
        (Form.Timepoint.BASELINE, plan.baseline_on),
        (Form.Timepoint.FOLLOW_UP, plan.follow_up_on),
    ):
        forms = Form.objects.filter(
            programme=programme, kind=Form.Kind.INSTRUMENT, timepoint=timepoint
        )
        answered = set(
            Response.objects.filter(form__in=forms, person__isnull=False).values_list(
                "person_id", flat=True
            )
        ) | set(ResponseReceipt.objects.filter(form__in=forms).values_list("person_id", flat=True))
        waiting = [m.user for m in members if m.user_id not in answered]
        done = bool(members) and not waiting
        result.append(
            Due(
                label=str(Form.Timepoint(timepoint).label),
                timepoint=timepoint,
                due_on=due_on,
                status=due_status(due_on, today, done=done),
                waiting=waiting,
                is_due=(due_on - today).days <= DUE_WINDOW_DAYS,
                done=done,
            )
        )
    return result

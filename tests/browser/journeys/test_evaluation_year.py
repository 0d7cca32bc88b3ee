"""An evaluation's year, pressed as people press it (issue #15): on an empty install a new
organiser sets up a programme and plans its evaluation, runs two sessions with phones, records
the wellbeing follow-up months later and prints the funder's report."""

import calendar
import csv
import io
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from participants.models import User
from tests.browser.conftest import assert_accessible, wait_connected
from tests.browser.journeys.steps import (
    WIDTHS,
    add_idea,
    answer_feedback,
    answer_measure,
    confirm_register,
    give_consent,
    join_by_code,
    pay_approved_lines,
    set_hourly_rate,
    shoot,
    sign_in_with_card,
    time_passes,
)
from tests.factories import StaffUserFactory
from workshops.evaluation.instruments import SWEMWBS_METRIC
from workshops.evaluation.models import Response
from workshops.evaluation.selectors import follow_up_plan
from workshops.floor.models import BalanceRecord
from workshops.models import Programme, Session

PROGRAMME = "Keeping it Personal"
CONTRIBUTORS = [
    ("Jean Robertson", "Person with lived experience"),
    ("Isla Carer", "Unpaid carer"),
    ("Davie Stewart", "Person with lived experience"),
]
SWEMWBS_ITEMS = 7
# Each person answers every SWEMWBS item the same way, so their score is the published
# metric for 7 times that answer (the instruments module holds the conversion table).
BASELINE = {"Jean Robertson": 3, "Isla Carer": 3, "Davie Stewart": 2}
FOLLOW_UP = {"Jean Robertson": 4, "Isla Carer": 3}  # Davie has not answered the follow-up
ANSWER_WORDS = {2: "Rarely", 3: "Some of the time", 4: "Often"}
# "I felt listened to": session 1 Jean, Isla, Davie; session 2 Jean, Davie.
LISTENED = [("Completely", 5), ("Somewhat", 3), ("Completely", 5), ("Mostly", 4), ("Completely", 5)]


def every_item(score: int) -> list[str]:
    """The same answer to all seven items."""
    return [ANSWER_WORDS[score]] * SWEMWBS_ITEMS


def metric(score: int) -> Decimal:
    """SWEMWBS metric score when all seven items are answered `score`."""
    return SWEMWBS_METRIC[score * SWEMWBS_ITEMS]


def one_place(value: Decimal) -> Decimal:
    """Rounded as the report rounds: to one place, half up."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def months_later(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_until_due(session_1_day: date, today: date) -> int:
    """How many days must pass for the follow-up, 3 months after session 1, to fall due today
    (or up to three days later, where a month's end is shorter than session 1's day)."""
    days = (months_later(session_1_day, 3) - today).days
    while months_later(session_1_day - timedelta(days=days), 3) < today:
        days -= 1
    return days


def room_here(page: Any, title: str) -> None:
    """Wait until this phone's room shows the activity."""
    page.locator("#activity").get_by_role("heading", name=title).wait_for()


@pytest.mark.parametrize("phone", WIDTHS)
def test_a_new_organiser_evaluates_a_programme_from_plan_to_funders_report(
    open_page: Any, server: Any, phone: bool
) -> None:
    today = timezone.localdate()
    assert not Programme.objects.exists(), "an empty install: no demo data"
    organiser = StaffUserFactory(display_name="Morag Organiser", email="morag@example.org")

    # --- 1. A new organiser, with no programme yet, sets one up. ---
    org = open_page(organiser, phone=phone)
    org.goto("/")
    org.get_by_text("You are not part of a programme yet.").wait_for()
    assert_accessible(org)
    org.get_by_role("link", name="Set up a new programme").click()
    assert_accessible(org)
    org.get_by_label("Name").fill(PROGRAMME)
    org.get_by_label("Site or locality").fill("Dumfries")
    # The programme began a week ago; its first session is today.
    org.get_by_label("Starts on").fill((today - timedelta(days=7)).isoformat())
    org.get_by_label("Ends on").fill((today + timedelta(days=365)).isoformat())
    org.get_by_role("button", name="Create programme").click()
    org.get_by_text(f"{PROGRAMME} has been created").wait_for()
    assert_accessible(org)
    programme_url = org.url
    programme = Programme.objects.get(name=PROGRAMME)

    org.get_by_role("link", name="Add a person").click()
    for i, (name, role) in enumerate(CONTRIBUTORS):
        org.get_by_label("Name").fill(name)
        org.get_by_label(role, exact=True).check()
        last = i == len(CONTRIBUTORS) - 1
        org.get_by_role("button", name="Add person" if last else "Add and add another").click()
        org.get_by_text(f"{name} was added as {role.lower()}").wait_for()
    assert_accessible(org)

    # --- 2. She plans the evaluation: outcomes, indicators of each kind, the follow-up. ---
    org.goto(programme_url)
    org.get_by_role("link", name="Plan your evaluation").click()
    org.get_by_role("heading", name="Plan your evaluation").wait_for()
    org.get_by_text("No outcomes yet.").wait_for()
    assert_accessible(org)
    plan_url = org.url
    add_outcome = org.locator("form", has=org.get_by_role("button", name="Add the outcome"))
    outcomes = {
        "People feel heard": [
            ("Listened to, in feedback", "Average answer to a form question", "I felt listened to"),
            ("Everyone's voice is heard", "Equal-voice balance index", ""),
        ],
        "Wellbeing improves": [
            ("Wellbeing rises", "Change in wellbeing (SWEMWBS), baseline to follow-up", ""),
        ],
        "People keep taking part and are paid promptly": [
            ("People keep coming", "Attendance across sessions", ""),
            ("Paid within a fortnight", "Payments made on time", ""),
        ],
        # Not decided yet how to evidence this one: the report must say so.
        "Ideas lead to change": [],
    }
    for number, (title, indicators) in enumerate(outcomes.items(), start=1):
        add_outcome.get_by_label("Outcome", exact=True).fill(title)
        add_outcome.get_by_role("button", name="Add the outcome").click()
        org.get_by_text("The outcome was added: now add its indicators").wait_for()
        section = org.locator("section.comhla-outcome", has_text=f"Outcome {number}: {title}")
        for indicator, kind, question in indicators:
            section.get_by_text(f"Add an indicator to outcome {number}").click()
            add = section.locator(
                "form",
                has=org.get_by_role("button", name=f"Add the indicator to outcome {number}"),
            )
            add.get_by_label("Indicator", exact=True).fill(indicator)
            add.get_by_role("radio", name=kind).check()
            if question:
                add.get_by_label("Which question").select_option(question)
            add.get_by_role("button", name=f"Add the indicator to outcome {number}").click()
            org.get_by_text("The indicator was added").wait_for()
    org.get_by_text("You have 4 outcomes (3 to 5 are suggested).").wait_for()
    org.get_by_label("Follow-up, months after session 1").fill("3")
    org.get_by_role("button", name="Set the follow-up").click()
    org.get_by_text("The follow-up was set").wait_for()
    org.get_by_text("(3 months later)").wait_for()
    assert_accessible(org)
    shoot(org, "evaluation-plan", at="#outcomes")

    # The wellbeing measure is licensed, then made ready for the baseline.
    org.get_by_role("link", name="wellbeing measures").click()
    org.get_by_role("heading", name="Wellbeing measures").wait_for()
    assert_accessible(org)
    licence = org.locator("form", has=org.get_by_role("button", name="Record the licence"))
    licence.get_by_label("Which instrument is the licence for?").select_option("swemwbs")
    licence.get_by_label("Licence holder").fill("Dumfries Carers Centre")
    licence.get_by_label("Licence reference").fill("SWEMWBS-2026-118")
    licence.get_by_label("Licensed on").fill(today.isoformat())
    licence.get_by_role("button", name="Record the licence").click()
    org.get_by_text("The licence was recorded").wait_for()
    measure = org.locator("form", has=org.get_by_role("button", name="Add the measure"))
    measure.get_by_label("Which instrument will people answer?").select_option("swemwbs")
    measure.get_by_label("Timepoint").select_option("baseline")
    measure.get_by_role("button", name="Add the measure").click()
    org.get_by_text("The measure is ready to be answered").wait_for()
    assert_accessible(org)
    baseline_title = "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS): baseline"

    # Jean and Isla are given personal sign-in cards; Davie would rather pick his name.
    org.goto(programme_url)
    org.get_by_role("link", name="Print personal sign-in cards").click()
    org.get_by_role("heading", name="Personal sign-in cards").wait_for()
    for name, _role in CONTRIBUTORS:
        org.locator(".comhla-signin-card__name", has_text=name).wait_for()
    assert_accessible(org)

    # Isla scans her card at home, days before the first session.
    isla = open_page(phone=True)
    sign_in_with_card(isla, User.objects.get(display_name="Isla Carer"))
    isla.get_by_role("heading", name="Hello, Isla Carer").wait_for()
    assert_accessible(isla)

    # --- 3. Session 1, with an agenda: ideas, then feedback. ---
    org.goto(programme_url)
    org.get_by_role("link", name="Schedule a session").click()
    org.get_by_label("Title").fill("What matters to you")
    org.get_by_label("Date").fill(today.isoformat())
    org.get_by_label("Starts at").fill("00:00")
    org.get_by_label("Ends at").fill("23:59")
    org.get_by_role("button", name="Schedule session").click()
    org.get_by_text("Session 1 has been scheduled").wait_for()
    for title, kind in [("Ideas", "Idea board"), ("How was today?", "Feedback")]:
        org.get_by_label("What kind of activity").select_option(label=kind)
        org.get_by_label("Title").fill(title)
        org.get_by_label("Time (minutes)").fill("20")
        org.get_by_role("button", name="Add to agenda").click()
        org.get_by_text(f"{title} was added to the agenda").wait_for()
    assert_accessible(org)
    session_1_url = org.url

    # The plan's baseline is session 1's day, even though the follow-up was set before it.
    org.goto(plan_url)
    timepoints = org.locator("#timepoints + dl").inner_text()
    assert f"Due {today:%-d %B %Y} (session 1)" in timepoints, timepoints
    assert f"Due {months_later(today, 3):%-d %B %Y} (3 months later)" in timepoints, timepoints
    org.get_by_role("heading", name="Baseline: due now").wait_for()

    org.goto(session_1_url)
    org.get_by_role("button", name="Open the session now").click()
    wait_connected(org)
    org.get_by_role("button", name="Set up the board").click()
    org.get_by_role("button", name="Lock the board").wait_for()
    assert_accessible(org)
    code = org.locator(".comhla-join-code__code").inner_text().replace(" ", "")
    jean_user = User.objects.get(display_name="Jean Robertson")
    davie_user = User.objects.get(display_name="Davie Stewart")

    # Jean scans her card: the live room asks her consent first, at her first join.
    jean = open_page(phone=True)
    sign_in_with_card(jean, jean_user)
    give_consent(jean)
    jean.get_by_role("button", name="Join this session").click()
    wait_connected(jean)
    assert_accessible(jean)
    # Isla signed in with her card at home; at the session she types the code.
    isla.goto("/join/")
    isla.get_by_label("Session code").fill(code)
    isla.get_by_role("button", name="Continue").click()
    isla.get_by_role("button", name="Continue as Isla Carer").click()
    give_consent(isla, quotes=False)
    wait_connected(isla)
    # Davie types the code and picks his name.
    davie = open_page(phone=True)
    join_by_code(davie, code, "Davie Stewart")
    for name, _role in CONTRIBUTORS:
        org.locator("#presence").get_by_text(name).wait_for()
    shoot(jean, "year-room-contributor")

    # The baseline: Jean and Isla answer on their phones. Jean's start page asks her; Isla
    # finds it among the programme's forms. Both read plain words, the scale's name small.
    for page, name in ((jean, "Jean Robertson"), (isla, "Isla Carer")):
        page.get_by_role("link", name="Your programmes").click()
        if name == "Jean Robertson":
            assert_accessible(page)
            shoot(page, "year-home-wellbeing-due", at="#wellbeing-due-title")
            page.get_by_role("link", name="Answer the wellbeing questions").click()
        else:
            page.get_by_role("link", name=PROGRAMME, exact=True).click()
            page.get_by_role("link", name="Forms to fill in").click()
            page.get_by_role("heading", name="Wellbeing questions").wait_for()
            assert_accessible(page)
            shoot(page, "year-forms-wellbeing", at="#wellbeing")
            assert page.get_by_role("link", name=baseline_title).count() == 0
            page.get_by_role("link", name="Wellbeing questions — at the start").click()
        page.get_by_role("heading", name="Wellbeing questions — at the start").wait_for()
        page.get_by_text(
            "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)"
        ).first.wait_for()
        assert_accessible(page)
        if name == "Jean Robertson":
            shoot(page, "year-wellbeing-measure")
        answer_measure(page, every_item(BASELINE[name]))
        page.get_by_text("Thank you: your answers were saved").wait_for()
        assert_accessible(page)
        assert page.get_by_role("link", name="Answer the wellbeing questions").count() == 0
        page.get_by_role("link", name="Go to What matters to you").click()
        wait_connected(page)
    # Davie answers on paper; the organiser types his answers in, as his.
    paper = open_page(organiser, phone=phone)
    paper.goto(plan_url)
    paper.get_by_role("link", name="wellbeing measures").click()
    paper.get_by_role("link", name=baseline_title).click()
    paper.get_by_label("Who is answering?").select_option(label="Davie Stewart")
    answer_measure(paper, every_item(BASELINE["Davie Stewart"]))
    paper.get_by_text("Davie Stewart's answers were saved").wait_for()
    assert_accessible(paper)
    davie_baseline = Response.objects.get(person=davie_user, form__timepoint="baseline")
    assert davie_baseline.supported and davie_baseline.supported_by == organiser

    # Ideas and votes.
    for page, idea in (
        (jean, "Being listened to by my GP"),
        (isla, "A break for carers"),
        (davie, "Buses that turn up"),
    ):
        add_idea(page, idea)
    for page in (org, jean, isla, davie):
        page.locator(".comhla-idea__text", has_text="Buses that turn up").wait_for()
    for page in (jean, isla, davie):
        page.get_by_role("button", name="Vote for: A break for carers").click()
    org.get_by_role("button", name="Show the votes").click()
    org.locator(".comhla-idea", has_text="A break for carers").get_by_text("3 votes").wait_for()
    # The floor: Isla, then Davie.
    isla.get_by_role("button", name="Raise my hand").click()
    isla.get_by_text("You are next").wait_for()
    davie.get_by_role("button", name="Raise my hand").click()
    davie.get_by_text("You are number 2 in the queue").wait_for()
    org.get_by_role("button", name="Give the floor to Isla Carer").click()
    isla.get_by_role("heading", name="It is your turn to speak").wait_for()
    org.get_by_role("button", name="End turn and give the floor to Davie Stewart").click()
    davie.get_by_role("heading", name="It is your turn to speak").wait_for()
    davie.get_by_role("button", name="I have finished").click()
    org.locator("#floor").get_by_text("Nobody has the floor").wait_for()
    assert_accessible(org)
    shoot(org, "year-room-organiser")

    # Feedback on every phone, then the session ends.
    org.get_by_role("button", name="Move room here to How was today?").click()
    for page, (answer, _n), comment in zip(
        (jean, isla, davie),
        LISTENED[:3],
        ("The GP idea got heard", "Good to be asked", "The tea was cold"),
        strict=True,
    ):
        room_here(page, "How was today?")
        answer_feedback(page, answer, comment)
        assert_accessible(page)
    org.get_by_role("button", name="End session").click()
    org.get_by_text("What matters to you has ended").wait_for()
    for page in (jean, isla, davie):
        room_here(page, "This session has ended")

    # The organiser sets the rate and confirms session 1's register.
    set_hourly_rate(org, programme_url, from_day=today - timedelta(days=7), pounds="20.00")
    now = timezone.localtime()
    time_in = max(now - timedelta(hours=2), now.replace(hour=0, minute=0)).strftime("%H:%M")
    time_out = (now - timedelta(minutes=1)).strftime("%H:%M")
    org.goto(programme_url)
    confirm_register(
        org,
        "Session 1: What matters to you",
        {name: (time_in, time_out) for name, _role in CONTRIBUTORS},
    )

    # --- 4. A week later, session 2: shorter, with a copied agenda. ---
    org.goto(programme_url)
    org.get_by_role("link", name="Schedule a session").click()
    org.get_by_label("Title").fill("Carers' breaks")
    org.get_by_label("Date").fill((today + timedelta(days=7)).isoformat())
    org.get_by_label("Starts at").fill("00:00")
    org.get_by_label("Ends at").fill("23:59")
    org.get_by_role("button", name="Schedule session").click()
    org.get_by_text("Session 2 has been scheduled").wait_for()
    org.get_by_label("Copy the agenda of").select_option(label="Session 1: What matters to you")
    org.get_by_role("button", name="Copy this agenda").click()
    org.get_by_text("The agenda was copied").wait_for()
    assert_accessible(org)
    session_2_url = org.url

    time_passes(programme=programme, days=7)
    org.goto(session_2_url)
    org.get_by_role("button", name="Open the session now").click()
    wait_connected(org)
    org.get_by_role("button", name="Set up the board").click()
    org.get_by_role("button", name="Lock the board").wait_for()
    code = org.locator(".comhla-join-code__code").inner_text().replace(" ", "")
    # Jean is still signed in on her phone: the start page shows the live session.
    jean.goto("/")
    jean.get_by_role("link", name="Go to Carers' breaks").click()
    jean.get_by_role("button", name="Join this session").click()
    wait_connected(jean)
    # Davie picks his name again; now Comhla keeps his answers, the organiser checks it is him.
    davie.goto("/join/")
    davie.get_by_label("Session code").fill(code)
    davie.get_by_role("button", name="Continue").click()
    davie.get_by_label("Davie Stewart", exact=True).check()
    davie.get_by_role("button", name="Join the session").click()
    davie.get_by_text("number").first.wait_for()
    assert_accessible(davie)
    org.get_by_role("button", name="Yes, let in as Davie Stewart").click()
    # Confirmed as himself, he is asked his consent, as anyone is at their first proven join.
    give_consent(davie, quotes=False)
    wait_connected(davie)
    assert_accessible(org)
    add_idea(davie, "Respite at weekends")
    org.locator(".comhla-idea__text", has_text="Respite at weekends").wait_for()
    jean.get_by_role("button", name="Raise my hand").click()
    org.get_by_role("button", name="Give the floor to Jean Robertson").click()
    jean.get_by_role("heading", name="It is your turn to speak").wait_for()
    jean.get_by_role("button", name="I have finished").click()
    org.locator("#floor").get_by_text("Nobody has the floor").wait_for()
    org.get_by_role("button", name="Move room here to How was today?").click()
    for page, (answer, _n), comment in zip(
        (jean, davie), LISTENED[3:], ("Shorter was better", "Quiet today"), strict=True
    ):
        room_here(page, "How was today?")
        answer_feedback(page, answer, comment)
    org.get_by_role("button", name="End session").click()
    org.get_by_text("Carers' breaks has ended").wait_for()
    org.goto(programme_url)
    confirm_register(
        org,
        "Session 2: Carers' breaks",
        {name: (time_in, time_out) for name in ("Jean Robertson", "Davie Stewart")},
    )
    pay_approved_lines(org, programme_url, lines=5, reference="BACS-0101")

    # --- 5. Three months after session 1 the follow-up is due. ---
    plan = follow_up_plan(programme=programme)
    session_1_day = today - timedelta(days=7)  # a week has passed since session 1
    assert plan is not None and plan.follow_up_on == months_later(session_1_day, 3)
    time_passes(programme=programme, days=days_until_due(session_1_day, today))
    org.goto(plan_url)
    org.get_by_role("heading", name="Follow-up: due now").wait_for()
    # Everyone answered the baseline: it is done, not overdue, months after its day.
    org.get_by_role("heading", name="Baseline: done").wait_for()
    assert org.get_by_role("heading", name="Baseline: overdue").count() == 0
    org.locator("#due ~ p", has_text="Everyone has answered.").first.wait_for()
    due = org.locator("#due ~ ul").nth(0)
    assert due.inner_text().split("\n") == ["Davie Stewart", "Isla Carer", "Jean Robertson"]
    assert_accessible(org)
    shoot(org, "year-follow-up-due", at="#due")
    # Nobody gave an email address: the list is printed instead.
    org.get_by_role("button", name="Email reminders to people who are due").click()
    org.get_by_text("Reminders emailed to 0 people. 3 cannot be emailed").wait_for()
    org.get_by_role("link", name="Print the list for people who cannot be emailed").click()
    org.get_by_role("heading", name="Wellbeing follow-up list").wait_for()
    org.locator("table", has_text="Baseline: done").get_by_text("Everyone has answered.").wait_for()
    follow_up_table = org.locator("table", has_text="Follow-up: due now")
    for name, _role in CONTRIBUTORS:
        follow_up_table.get_by_text(name).wait_for()
    assert_accessible(org)
    org.emulate_media(media="print")
    assert not org.locator(".comhla-no-print").first.is_visible()
    shoot(org, "year-follow-up-list-print")
    org.emulate_media(media="screen")

    # The follow-up measure: Jean on her phone, Isla's on paper typed in by the organiser.
    org.goto(programme_url)
    org.get_by_role("link", name="Wellbeing measures").click()
    measure = org.locator("form", has=org.get_by_role("button", name="Add the measure"))
    measure.get_by_label("Which instrument will people answer?").select_option("swemwbs")
    measure.get_by_label("Timepoint").select_option("follow_up")
    measure.get_by_role("button", name="Add the measure").click()
    org.get_by_text("The measure is ready to be answered").wait_for()
    follow_up_title = "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS): follow-up"
    jean.goto("/")
    jean.get_by_role("link", name="Answer the wellbeing questions").click()
    jean.get_by_role("heading", name="Wellbeing questions — some months on").wait_for()
    answer_measure(jean, every_item(FOLLOW_UP["Jean Robertson"]))
    jean.get_by_text("Thank you: your answers were saved").wait_for()
    org.get_by_role("link", name=follow_up_title).click()
    org.get_by_label("Who is answering?").select_option(label="Isla Carer")
    answer_measure(org, every_item(FOLLOW_UP["Isla Carer"]))
    org.get_by_text("Isla Carer's answers were saved").wait_for()
    org.goto(plan_url)
    org.get_by_role("heading", name="Follow-up: due now").wait_for()
    assert org.locator("#due ~ ul").nth(0).inner_text().split("\n") == ["Davie Stewart"]

    # --- 6. The funder's report: each outcome with its evidence, and what is missing. ---
    org.goto(programme_url)
    org.get_by_role("link", name="Programme report").click()
    org.get_by_role("heading", name=f"{PROGRAMME}: report").wait_for()
    assert_accessible(org)

    def evidence(indicator: str) -> str:
        row = org.locator(".govuk-summary-list__row", has_text=indicator)
        return str(row.locator("dd").inner_text())

    listened = Decimal(sum(n for _a, n in LISTENED)) / len(LISTENED)
    assert evidence("Listened to, in feedback") == (
        f"Average {listened:.2f} out of 5, from {len(LISTENED)} answers"
    )
    # Paired change: only people with both a baseline and a follow-up (Davie has no follow-up).
    pairs = [(metric(BASELINE[p]), metric(FOLLOW_UP[p])) for p in FOLLOW_UP]
    mean_before = one_place(sum((b for b, _ in pairs), Decimal(0)) / len(pairs))
    mean_after = one_place(sum((f for _, f in pairs), Decimal(0)) / len(pairs))
    mean_change = one_place(sum((f - b for b, f in pairs), Decimal(0)) / len(pairs))
    improved = sum(1 for b, f in pairs if f - b >= 3)
    # By hand, from the published table: raw 21 is 19.25 and raw 28 is 25.03, so Jean moved
    # 19.25 to 25.03 (+5.78) and Isla stayed at 19.25: means 19.25 and 22.14, change +2.89.
    assert (mean_before, mean_after, mean_change, improved) == (
        Decimal("19.3"),
        Decimal("22.1"),
        Decimal("2.9"),
        1,
    )
    # Davie answered the baseline only: left out of the change, and the report says so.
    assert evidence("Wellbeing rises") == (
        f"Average change {mean_change:+} ({mean_before} at baseline, {mean_after} at "
        f"follow-up) for 2 people; {improved} of 2 improved by 3 or more; "
        "1 more answered at the start and has no follow-up yet"
    )
    assert org.locator("[data-instrument='swemwbs'] [data-baseline-only]").inner_text() == "1"
    # Three came to session 1 and two to session 2.
    assert evidence("People keep coming") == "Average 2.5 people per session, over 2 sessions held"
    assert evidence("Paid within a fortnight") == "5 of 5 payments made on time (within 14 days)"
    indices = list(
        BalanceRecord.objects.filter(session__programme=programme).values_list(
            "balance_index", flat=True
        )
    )
    kept = [i for i in indices if i is not None]
    assert len(kept) == 2, indices
    mean_index = one_place(sum(kept, Decimal(0)) / 2)
    assert evidence("Everyone's voice is heard") == (
        f"Average balance index {mean_index} out of 100, over 2 sessions"
    )
    ideas = org.locator("h3", has_text="4. Ideas lead to change").locator(
        "xpath=following-sibling::p[1]"
    )
    assert ideas.inner_text() == "No evidence yet. No indicators yet for this outcome."
    # Only the words of people who said yes to quotes: Jean did, Isla and Davie did not.
    org.get_by_text("The GP idea got heard").wait_for()
    for unquoted in ("Good to be asked", "The tea was cold", "Quiet today"):
        assert org.get_by_text(unquoted).count() == 0
    shoot(org, "year-report", at="h2")

    # The figures as CSV, and the page as printed.
    with org.expect_download() as download:
        org.get_by_role("link", name="Download the figures (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert ["Outcome: Wellbeing improves", "Wellbeing rises", evidence("Wellbeing rises")] in rows
    assert ["Outcome: Ideas lead to change", "", "No evidence yet"] in rows
    assert ["Wellbeing (SWEMWBS)", "n", "2"] in rows
    assert ["Wellbeing (SWEMWBS)", "mean change", str(mean_change)] in rows
    assert ["Wellbeing (SWEMWBS)", "baseline only, no follow-up yet", "1"] in rows
    assert ["Attendance", "Session 1: What matters to you", "3"] in rows
    assert ["Attendance", "Session 2: Carers' breaks", "2"] in rows
    org.emulate_media(media="print")
    assert not org.get_by_role("link", name="Download the figures (CSV)").is_visible()
    shoot(org, "year-report-print")
    org.emulate_media(media="screen")
    assert Session.objects.filter(programme=programme, status="ended").count() == 2

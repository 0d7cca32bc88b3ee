"""The demo is true to Keeping it Personal: two sites, six days each over a year with their own
agendas, its own four outcomes, wellbeing measured at the start and months later, real
roles, consent, payments, ideas and what they led to; and it loads twice without change."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards.models import Board, Card, Vote
from participants.models import Consent, Membership, Role
from participants.payments.models import PaymentLine
from workshops import services
from workshops.evaluation import selectors
from workshops.evaluation.models import ActionPoint, Form, Outcome, Response
from workshops.floor.models import BalanceRecord
from workshops.management.demo import load_demo
from workshops.models import Activity, Attendance, Programme, Rsvp, Session

pytestmark = pytest.mark.django_db

# Keeping it Personal's outcomes as Iriss set them out (shared/context, seed 003), word for word.
SEED_OUTCOMES = [
    "Increased capacity and capability among people using services to be active partners at"
    " individual and service level to influence their own health and wellbeing by contributing"
    " to the design and delivery of more person-centred care and support, including peer"
    " support.",
    "Increased capacity and capability among people delivering services to work collaboratively"
    " with people using support and services",
    "Enhanced understanding/relationships/collaboration between statutory and third sector",
    "Cultural transformation towards an asset-based, empowerment model.",
]
FOLLOW_UP_WAITING = ["Tam Wilson", "Margaret Reid"]
MODELS = [Programme, Session, Activity, Membership, Consent, Attendance, Board, Card, Vote]
MODELS += [PaymentLine, Form, Response, Outcome, ActionPoint, Rsvp, BalanceRecord]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo() -> list[Programme]:
    return load_demo()


def test_loading_it_twice_changes_nothing(demo: list[Programme]) -> None:
    before = counts()
    codes = set(Session.objects.exclude(join_code=None).values_list("pk", "join_code"))

    again = load_demo()

    assert again == demo
    assert counts() == before
    assert set(Session.objects.exclude(join_code=None).values_list("pk", "join_code")) == codes


def test_two_sites_dementia_in_north_west_glasgow_heart_failure_in_motherwell(
    demo: list[Programme],
) -> None:
    glasgow, motherwell = demo
    assert glasgow.name == "Keeping it Personal — North West Glasgow"
    assert glasgow.site == "North West Glasgow" and "dementia" in glasgow.focus
    assert motherwell.name == "Keeping it Personal — Motherwell"
    assert motherwell.site == "Motherwell area" and "heart failure" in motherwell.focus
    assert Programme.objects.count() == 2


@pytest.mark.parametrize("site", [0, 1])
def test_six_days_over_twelve_months_each_with_its_own_agenda(
    demo: list[Programme], site: int
) -> None:
    sessions = list(demo[site].sessions.order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5, 6]
    span = sessions[-1].starts_at - sessions[0].starts_at
    assert timedelta(days=350) <= span <= timedelta(days=380)
    gaps = [b.starts_at - a.starts_at for a, b in pairwise(sessions)]
    assert all(timedelta(days=50) <= gap <= timedelta(days=90) for gap in gaps), gaps
    agendas = [tuple(s.activities.values_list("title", flat=True)) for s in sessions]
    assert len(set(agendas)) == 6 and all(len(agenda) >= 4 for agenda in agendas)
    assert len({s.title for s in sessions}) == 6
    # Four held, one on now, one to come.
    assert [s.status for s in sessions] == ["ended"] * 4 + ["live", "scheduled"]
    assert sessions[5].starts_at > timezone.now()
    assert sessions[4].join_code_is_valid()
    # Every board activity has its board, ready before the session.
    for activity in Activity.objects.filter(session__in=sessions, kind="board"):
        assert Board.objects.filter(activity=activity).exists(), activity


@pytest.mark.parametrize("site", [0, 1])
def test_keeping_it_personals_own_four_outcomes_with_indicators(
    demo: list[Programme], site: int
) -> None:
    outcomes = list(Outcome.objects.filter(programme=demo[site]).order_by("order"))
    assert [o.title for o in outcomes] == SEED_OUTCOMES
    assert all(o.indicators.exists() for o in outcomes)


@pytest.mark.parametrize(("site", "instrument"), [(0, "wemwbs"), (1, "swemwbs")])
def test_wellbeing_at_the_first_session_and_months_later(
    demo: list[Programme], site: int, instrument: str
) -> None:
    programme = demo[site]
    first = programme.sessions.get(number=1)
    baseline = Form.objects.get(programme=programme, kind="instrument", timepoint="baseline")
    follow_up = Form.objects.get(programme=programme, kind="instrument", timepoint="follow_up")
    assert baseline.instrument == follow_up.instrument == instrument
    assert baseline.session == first
    plan = programme.follow_up
    assert plan.baseline_on == timezone.localdate(first.starts_at) and plan.months_after == 9
    assert plan.follow_up_on < timezone.localdate()  # due already, so the report has figures
    before = {r.person_id: r.submitted_at for r in baseline.responses.all()}
    after = {r.person_id: r.submitted_at for r in follow_up.responses.all()}
    assert {timezone.localdate(at) for at in before.values()} == {plan.baseline_on}
    assert all(timezone.localdate(at) >= plan.follow_up_on for at in after.values())
    paired = before.keys() & after.keys()
    assert len(paired) >= 3
    assert all(after[p] - before[p] > timedelta(days=250) for p in paired)
    # One person's follow-up is still to come in: the follow-up list has someone on it.
    assert len(before) == len(after) + 1


@pytest.mark.parametrize("site", [0, 1])
def test_people_in_every_role_with_consent_payments_and_ideas(
    demo: list[Programme], site: int
) -> None:
    programme = demo[site]
    roles = set(Membership.objects.filter(programme=programme).values_list("role", flat=True))
    assert set(Role) <= roles
    contributors = Membership.objects.filter(
        programme=programme, role__in=[Role.LIVED_EXPERIENCE, Role.CARER]
    )
    assert contributors.count() >= 5
    assert Consent.objects.filter(membership__programme=programme).count() >= 5
    statuses = set(PaymentLine.objects.filter(programme=programme).values_list("status", flat=True))
    assert {"paid", "sent", "approved", "queried", "pending"} <= statuses
    held = programme.sessions.filter(status="ended")
    for session in held:
        assert Card.objects.filter(board__activity__session=session).count() >= 5
        assert Attendance.objects.filter(session=session).count() >= 5
        assert BalanceRecord.objects.filter(session=session).exists()
    # Only people who were at a session wrote on its board.
    for card in Card.objects.filter(board__activity__session__in=held):
        assert Attendance.objects.filter(
            session=card.board.activity.session_id, user_id=card.owner_id
        ).exists(), card.text
    assert Vote.objects.filter(board__activity__session__programme=programme).exists()
    actions = ActionPoint.objects.filter(programme=programme)
    assert {"done", "under_way", "planned"} <= set(actions.values_list("status", flat=True))
    assert all(a.ideas.exists() for a in actions)


def test_a_carer_who_asked_not_to_be_paid_and_a_newcomer() -> None:
    glasgow, motherwell = load_demo()
    sandra = Membership.objects.get(programme=motherwell, user__display_name="Sandra Cairns")
    lines = PaymentLine.objects.filter(person=sandra.user)
    assert lines and {line.status for line in lines} == {"declined"}
    agnes = Membership.objects.get(programme=glasgow, user__display_name="Agnes Murray")
    assert not Attendance.objects.filter(user=agnes.user).exists()
    assert not Consent.objects.filter(membership=agnes).exists()


def test_a_live_session_ended_by_hand_is_followed_by_the_next_one_when_loaded_again(
    demo: list[Programme],
) -> None:
    glasgow = demo[0]
    live = glasgow.sessions.get(status="live")
    services.session_end(session=live)

    load_demo()

    now_live = glasgow.sessions.get(status="live")
    assert now_live.number == 6
    assert now_live.join_code_is_valid()
    assert now_live.starts_at <= timezone.now() < now_live.ends_at
    assert demo[1].sessions.filter(status="live").count() == 1


@pytest.mark.parametrize("site", [0, 1])
def test_the_organisers_pages_show_the_demo(demo: list[Programme], site: int) -> None:
    programme = demo[site]
    client = Client()
    client.force_login(Membership.objects.get(programme=programme, role="organiser").user)
    held = programme.sessions.get(number=4)
    pages = {
        reverse("programme_detail", args=[programme.pk]): "Sharing the learning",
        reverse("programme_report", args=[programme.pk]): "Cultural transformation",
        reverse("wellbeing", args=[programme.pk]): "Warwick-Edinburgh",
        reverse("follow_up_list", args=[programme.pk]): FOLLOW_UP_WAITING[site],
        reverse("actions", args=[programme.pk]): "Not going ahead" if site == 0 else "Done",
        reverse("payments_home", args=[programme.pk]): "Queried",
        reverse("session_report", args=[held.pk]): "Choosing what to improve",
        reverse("session_briefing", args=[programme.sessions.get(number=5).pk]): "BSL"
        if site == 1
        else "Hearing loop",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), (url, text)


def test_the_sectors_worked_together_at_every_held_session(demo: list[Programme]) -> None:
    for programme in demo:
        together = selectors.sectors_together(programme_id=programme.pk)
        held = len(together.by_session)

        assert held == 5  # four ended and one live
        # Staff from the third sector and statutory practitioners at each of the four that
        # ended; nobody has arrived at the live one yet.
        assert together.both == 4
        third = Outcome.objects.filter(programme=programme).order_by("order", "pk")[2]
        assert "statutory and third sector" in third.title
        assert third.indicators.filter(kind="sectors").exists()

"""Between sessions: past boards read-only, You said we did, ideas before a session, Last time."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import selectors, services
from boards.models import Board, Card, Group, Vote
from participants.identity import ROOM_SCOPE_KEY
from tests.factories import ActivityFactory, LiveSessionFactory, SessionFactory
from tests.helpers import session_cookie_for
from workshops.evaluation.models import ActionPoint
from workshops.floor import voices as floor_voices
from workshops.models import Session

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def room_identity(user: Any, scope: int) -> Client:
    """A device that picked this person's name in the room of one session."""
    client = Client()
    name, _, key = session_cookie_for(user, method="name").partition("=")
    client.cookies[name] = key
    store = client.session
    store[ROOM_SCOPE_KEY] = scope
    store.save()
    return client


def _card(board: Board, by: Any, text: str, *, column: int = 0, **kw: Any) -> Card:
    col = board.columns.order_by("position")[column]
    return Card.objects.create(
        board=board, column=col, author=by, text=text, client_id=uuid.uuid4(), **kw
    )


def _dots(board: Board, card: Card, voters: list[Any]) -> None:
    for voter in voters:
        Vote.objects.create(board=board, voter=voter, card=card, client_id=uuid.uuid4())


@pytest.fixture
def past(programme: Any, facilitator: Any, person: Any, carer: Any) -> dict[str, Any]:
    """An ended first session: a board with a group, dots, and an action from one idea."""
    start = timezone.now() - timedelta(days=14)
    session = SessionFactory(
        programme=programme,
        number=1,
        title="What matters to you",
        status=Session.Status.ENDED,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        ended_at=start + timedelta(hours=2),
    )
    activity = ActivityFactory(session=session, kind="board", title="Ideas")
    board = services.board_create(activity=activity, by=facilitator)
    Board.objects.filter(pk=board.pk).update(results_shown=True)
    board.refresh_from_db()
    column = board.columns.order_by("position")[0]
    group = Group.objects.create(board=board, column=column, name="Getting there")
    bus = _card(board, person, "A bus that waits", group=group)
    _card(board, carer, "Somewhere to sit")
    _dots(board, bus, [person, carer, facilitator])
    action = ActionPoint.objects.create(
        programme=programme, title="Ask the bus company", status="done"
    )
    action.ideas.add(bus)
    return {"session": session, "board": board, "bus": bus, "action": action}


def past_board_url(past: dict[str, Any]) -> str:
    return reverse("board_past", args=[past["session"].pk, past["board"].pk])


def past_sessions_url(programme: Any) -> str:
    return reverse("past_sessions", args=[programme.pk])


def _only(html: str, element_id: str) -> str:
    """The part of a page inside the element with this id (up to its end marker)."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index(f"<!-- /{element_id} -->", start)]


# -- 1. past boards ------------------------------------------------------------------------


def test_an_outsider_gets_404_for_past_sessions_and_past_boards(
    past: dict[str, Any], programme: Any, outsider: Any
) -> None:
    client = signed_in(outsider)
    assert client.get(past_sessions_url(programme)).status_code == 404
    assert client.get(past_board_url(past)).status_code == 404


def test_a_room_identity_cannot_open_past_sessions(
    past: dict[str, Any], programme: Any, person: Any, second: Any
) -> None:
    client = room_identity(person, second.pk)
    assert client.get(past_sessions_url(programme)).status_code == 403
    assert client.get(past_board_url(past)).status_code == 403


def test_a_contributor_lists_ended_sessions_with_their_boards(
    past: dict[str, Any], programme: Any, person: Any
) -> None:
    session = SessionFactory(programme=programme, number=2)
    response = signed_in(person).get(past_sessions_url(programme))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What matters to you" in html
    assert past_board_url(past) in html
    # A scheduled session is not past.
    assert reverse("session_detail", args=[session.pk]) not in _only(html, "past-sessions")


def test_a_past_board_reads_by_column_and_group_with_dots_and_chosen_ideas(
    past: dict[str, Any], person: Any
) -> None:
    response = signed_in(person).get(past_board_url(past))
    assert response.status_code == 200
    board = _only(response.content.decode(), "past-board")
    assert "What matters to you" in board or past["board"].columns.first().title in board
    assert "Getting there" in board
    assert "A bus that waits" in board and "Somewhere to sit" in board
    assert "3 dots" in board
    assert "Chosen" in board and "Ask the bus company" in board
    assert "<button" not in board and "<form" not in board


def test_a_live_session_board_is_not_a_past_board(board: Board, person: Any) -> None:
    url = reverse("board_past", args=[board.activity.session_id, board.pk])
    assert signed_in(person).get(url).status_code == 404


def test_a_board_under_another_session_is_404(
    past: dict[str, Any], person: Any, programme: Any
) -> None:
    other = SessionFactory(programme=programme, number=7, status=Session.Status.ENDED)
    url = reverse("board_past", args=[other.pk, past["board"].pk])
    assert signed_in(person).get(url).status_code == 404


def test_names_stay_off_a_past_board(past: dict[str, Any], person: Any, carer: Any) -> None:
    board = _only(signed_in(person).get(past_board_url(past)).content.decode(), "past-board")
    assert carer.display_name not in board


# -- 2. you said, we did -------------------------------------------------------------------


def test_the_start_page_links_past_sessions_and_you_said_we_did(
    past: dict[str, Any], programme: Any, person: Any
) -> None:
    html = signed_in(person).get(reverse("home")).content.decode()
    assert past_sessions_url(programme) in html
    assert reverse("actions", args=[programme.pk]) in html


def test_a_contributor_reads_you_said_we_did_without_controls(
    past: dict[str, Any], programme: Any, person: Any
) -> None:
    html = signed_in(person).get(reverse("actions", args=[programme.pk])).content.decode()
    assert "Ask the bus company" in html and "A bus that waits" in html
    assert "Add the action" not in html and 'name="what"' not in html


# -- 3. ideas before a session -------------------------------------------------------------


@pytest.fixture
def next_board(session: Any, facilitator: Any) -> Board:
    """The scheduled session's board, set up by the facilitator."""
    return services.board_create(activity=session.activities.get(kind="board"), by=facilitator)


def idea_url(session: Any) -> str:
    return reverse("session_idea_add", args=[session.pk])


def _idea(board: Board, text: str = "Longer appointments") -> dict[str, Any]:
    return {
        "board": board.pk,
        "column": board.columns.order_by("position")[0].pk,
        "text": text,
        "client_id": str(uuid.uuid4()),
    }


def test_an_outsider_cannot_add_an_idea_before_the_session(
    next_board: Board, session: Any, outsider: Any
) -> None:
    response = signed_in(outsider).post(idea_url(session), _idea(next_board))
    assert response.status_code == 404
    assert not Card.objects.exists()


def test_a_member_adds_an_idea_before_the_session(
    next_board: Board, session: Any, person: Any
) -> None:
    client = signed_in(person)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert idea_url(session) in page
    response = client.post(idea_url(session), _idea(next_board))
    assert response.status_code == 302
    card = Card.objects.get()
    assert card.before_session and card.author == person and card.board == next_board
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Longer appointments" in page


def test_the_same_idea_posted_twice_is_added_once(
    next_board: Board, session: Any, person: Any
) -> None:
    client = signed_in(person)
    data = _idea(next_board)
    client.post(idea_url(session), data)
    client.post(idea_url(session), data)
    assert Card.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "Write your idea"),
        ({"text": "x" * 501}, "500"),
        ({"column": 0}, "column"),
        ({"board": 0}, "board"),
        ({"client_id": "nope"}, ""),
    ],
)
def test_bad_input_changes_nothing(
    next_board: Board, session: Any, person: Any, change: dict[str, Any], message: str
) -> None:
    data = _idea(next_board) | change
    response = signed_in(person).post(idea_url(session), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Card.objects.exists()


def test_a_board_of_another_session_is_refused(
    next_board: Board, programme: Any, person: Any
) -> None:
    other = SessionFactory(programme=programme, number=5)
    response = signed_in(person).post(idea_url(other), _idea(next_board))
    assert response.status_code == 400
    assert not Card.objects.exists()


def test_once_the_session_is_live_ideas_go_in_the_room(
    next_board: Board, session: Any, person: Any
) -> None:
    Session.objects.filter(pk=session.pk).update(status=Session.Status.LIVE)
    response = signed_in(person).post(idea_url(session), _idea(next_board))
    assert response.status_code == 400
    assert "room" in response.content.decode()
    assert not Card.objects.exists()


def test_a_locked_board_takes_no_ideas_before_the_session(
    next_board: Board, session: Any, person: Any
) -> None:
    Board.objects.filter(pk=next_board.pk).update(locked=True)
    response = signed_in(person).post(idea_url(session), _idea(next_board))
    assert response.status_code == 400
    assert not Card.objects.exists()


def test_the_board_marks_an_idea_added_before_the_session(
    next_board: Board, person: Any, facilitator: Any
) -> None:
    services.card_add(
        board=next_board,
        by=person,
        client_id=uuid.uuid4(),
        column_id=next_board.columns.first().pk,  # type: ignore[union-attr]
        text="Longer appointments",
        before_session=True,
    )
    from boards import render

    html = render.render_board(next_board, audience="facilitators")
    assert "Added before the session" in html


def test_ideas_before_the_session_count_in_the_balance(
    programme: Any, facilitator: Any, person: Any, admitted: Any, live_session: Any
) -> None:
    board = services.board_create(
        activity=live_session.activities.get(kind="board"), by=facilitator
    )
    _card(board, person, "Before", before_session=True)
    admitted(person)
    counts = selectors.contributions_by_person(session=live_session)
    assert counts[person.pk]["cards"] == 1
    figures = floor_voices.balance(session=live_session, present={person.pk})
    mine = next(p for p in figures.people if p.user_id == person.pk)
    assert mine.counts["cards"] == 1


# -- 4. last time --------------------------------------------------------------------------


@pytest.fixture
def second(programme: Any) -> Any:
    """Session 2, live now."""
    return LiveSessionFactory(programme=programme, number=2, title="Making it happen")


def test_a_live_session_shows_last_times_chosen_ideas_and_their_actions(
    past: dict[str, Any], second: Any, person: Any
) -> None:
    html = signed_in(person).get(reverse("session_detail", args=[second.pk])).content.decode()
    panel = _only(html, "last-time")
    assert "Last time" in panel and "What matters to you" in panel
    assert "A bus that waits" in panel and "3 dots" in panel
    assert "Ask the bus company" in panel and "Done" in panel
    assert "Somewhere to sit" not in panel  # no dots, no action: not chosen


def test_the_room_shows_the_last_time_panel(past: dict[str, Any], second: Any, person: Any) -> None:
    from tests.factories import AttendanceFactory

    AttendanceFactory(session=second, user=person)
    html = signed_in(person).get(reverse("room", args=[second.pk])).content.decode()
    assert "A bus that waits" in _only(html, "last-time")


def test_no_last_time_panel_for_a_first_or_scheduled_session(
    past: dict[str, Any], programme: Any, person: Any
) -> None:
    client = signed_in(person)
    first = LiveSessionFactory(programme=programme, number=0)
    assert (
        'id="last-time"'
        not in client.get(reverse("session_detail", args=[first.pk])).content.decode()
    )
    later = SessionFactory(programme=past["session"].programme, number=3)
    assert (
        'id="last-time"'
        not in client.get(reverse("session_detail", args=[later.pk])).content.decode()
    )


def test_last_time_is_from_this_programme_only(
    past: dict[str, Any], other_programme: Any, outsider: Any
) -> None:
    theirs = LiveSessionFactory(programme=other_programme, number=2)
    assert selectors.last_time(session=theirs) is None

"""Board views: changes over plain and htmx POSTs, bad input, outsiders, exports, query counts."""

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services
from boards.models import Board, Card
from tests.boards.conftest import add, cid
from workshops.room import render as room_render

pytestmark = pytest.mark.django_db
HTMX: Any = {"HTTP_HX_REQUEST": "true"}


def url(name: str, board: Board, *args: Any) -> str:
    return reverse(name, args=[board.activity.session_id, board.pk, *args])


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_a_plain_post_with_csrf_cookie_and_header_adds_a_card(board: Board, person: Any) -> None:
    """How the benchmark (and a browser without htmx) adds a card."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    client.get(reverse("room", args=[board.activity.session_id]))
    token = client.cookies["csrftoken"].value
    column = board.columns.first()
    assert column is not None
    data = {"text": "Plain post", "column": column.pk, "client_id": str(cid())}
    response = client.post(url("card_add", board), data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302
    assert Card.objects.get().text == "Plain post"
    assert client.post(url("card_add", board), data).status_code == 403  # no token


def test_an_htmx_post_answers_its_sender_with_the_changed_fragments(
    client: Client, board: Board, person: Any
) -> None:
    column = board.columns.first()
    assert column is not None
    data = {"text": "Answered at once", "column": column.pk, "client_id": str(cid())}
    response = signed_in(client, person).post(url("card_add", board), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="column-{column.pk}-title"' in html and "Answered at once" in html
    assert f'id="board-mine-{board.pk}"' in html
    again = client.post(url("card_add", board), data, **HTMX)
    assert again.status_code == 200 and Card.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "column": 0}, "Write your idea first"),
        ({"text": "x" * 501, "column": 0}, "500 characters or fewer"),
        ({"text": "Fine", "column": 999999}, "Choose a column on this board"),
        ({"text": "Fine"}, "Choose a column"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client: Client, board: Board, person: Any, data: dict[str, Any], message: str
) -> None:
    if data.get("column") == 0:
        data["column"] = board.columns.first().pk  # type: ignore[union-attr]
    response = signed_in(client, person).post(url("card_add", board), data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response["HX-Retarget"] == "#page-errors"
    assert not Card.objects.exists()


def test_editing_someone_elses_card_is_forbidden(
    client: Client, board: Board, person: Any, carer: Any
) -> None:
    card = add(board, person, "Jean's")
    response = signed_in(client, carer).post(
        url("card_edit", board, card.uid), {"text": "Isla's now", "version": 1}, **HTMX
    )
    assert response.status_code == 403
    assert "only your own" in response.content.decode()
    card.refresh_from_db()
    assert card.text == "Jean's"


def test_an_edit_conflict_keeps_both_texts_in_view(
    client: Client, board: Board, person: Any, facilitator: Any
) -> None:
    card = add(board, person, "Original")
    services.card_edit(
        board=board, by=facilitator, client_id=cid(), card_uid=card.uid, text="Theirs", version=1
    )
    response = signed_in(client, person).post(
        url("card_edit", board, card.uid),
        {"text": "My own words", "version": 1, "form_id": f"edit-{card.uid}"},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this idea" in html
    assert "Theirs" in html and "My own words" in html
    assert 'name="version" value="2"' in html
    assert response["HX-Retarget"] == f"#edit-{card.uid}"


def test_voting_past_the_budget_gets_a_message(client: Client, board: Board, person: Any) -> None:
    card = add(board, person)
    signed_in(client, person)
    for _ in range(3):
        assert client.post(url("vote_add", board), {"card": card.uid}, **HTMX).status_code == 200
    response = client.post(url("vote_add", board), {"card": card.uid}, **HTMX)
    assert response.status_code == 422
    assert "used all 3 of your votes" in response.content.decode()


def test_people_outside_the_programme_or_the_room_get_404(
    client: Client, board: Board, outsider: Any, person: Any, programme: Any
) -> None:
    card = add(board, person)
    signed_in(client, outsider)
    column = board.columns.first()
    assert column is not None
    for path, data in [
        (url("card_add", board), {"text": "Sneaky", "column": column.pk}),
        (url("card_edit", board, card.uid), {"text": "Sneaky", "version": 1}),
        (url("vote_add", board), {"card": card.uid}),
        (url("board_reveal", board), {}),
    ]:
        assert client.post(path, data, **HTMX).status_code == 404
    assert client.get(url("board_page", board)).status_code == 404
    assert client.get(url("board_csv", board)).status_code == 404
    assert Card.objects.count() == 1


def test_participants_cannot_steer(client: Client, board: Board, person: Any) -> None:
    signed_in(client, person)
    response = client.post(url("board_lock", board), {"value": "on"}, **HTMX)
    assert response.status_code == 403
    assert client.get(url("board_csv", board)).status_code == 404
    board.refresh_from_db()
    assert not board.locked


def test_csv_neutralises_formulas_and_names_authors_only_where_allowed(
    client: Client, board: Board, make_board: Any, person: Any, facilitator: Any
) -> None:
    add(board, person, '=HYPERLINK("http://evil")')
    add(board, facilitator, "@SUM(A1)", on_behalf_of_id=person.pk)
    add(board, person, "Plain idea")
    signed_in(client, facilitator)
    rows = list(csv.reader(io.StringIO(client.get(url("board_csv", board)).content.decode())))
    assert rows[0] == ["card", "column", "group", "votes", "supported", "author"]
    texts = {r[0]: r for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in texts
    assert texts["'@SUM(A1)"][4] == "yes" and texts["'@SUM(A1)"][5] == person.display_name
    make_board(anonymity=Board.Anonymity.NOBODY)
    rows = list(csv.reader(io.StringIO(client.get(url("board_csv", board)).content.decode())))
    assert "author" not in rows[0]
    assert person.display_name not in client.get(url("board_csv", board)).content.decode()
    page = client.get(url("board_print", board)).content.decode()
    assert "Plain idea" in page and person.display_name not in page


def test_setting_up_a_board_from_the_session_page(
    client: Client, live_session: Any, facilitator: Any
) -> None:
    activity = live_session.activities.get(kind="board")
    signed_in(client, facilitator)
    setup = reverse("board_setup", args=[live_session.pk, activity.pk])
    assert "Set up the board" in client.get(setup).content.decode()
    response = client.post(setup, {"template": "ideas", "votes_per_person": 5, "anonymity": "off"})
    board = Board.objects.get(activity=activity)
    assert response.status_code == 302 and board.votes_per_person == 5
    assert list(board.columns.values_list("title", flat=True)) == ["Ideas"]
    assert client.get(setup).status_code == 302


def _fill(board: Board, people: list[Any], n: int) -> None:
    column_ids = list(board.columns.values_list("pk", flat=True))
    Card.objects.bulk_create(
        [
            Card(
                board=board,
                column_id=column_ids[i % len(column_ids)],
                author=people[i % len(people)],
                text=f"Idea {i}",
                position=i,
                client_id=cid(),
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("anonymity", ["off", "facilitators", "nobody"])
def test_board_page_and_snapshot_queries_do_not_grow_with_cards(
    client: Client,
    board: Board,
    make_board: Any,
    person: Any,
    carer: Any,
    facilitator: Any,
    anonymity: str,
) -> None:
    make_board(anonymity=anonymity, results_shown=True)
    session = board.activity.session
    counts: dict[str, list[int]] = {"page": [], "snapshot": [], "facilitator": []}
    for n in (10, 290):
        _fill(board, [person, carer, facilitator], n)
        signed_in(client, person)
        with CaptureQueriesContext(connection) as page:
            assert client.get(url("board_page", board)).status_code == 200
        with CaptureQueriesContext(connection) as snap:
            room_render.render_snapshot(session, viewer=person)
        with CaptureQueriesContext(connection) as fac:
            room_render.render_snapshot(session, viewer=facilitator)
        counts["page"].append(len(page))
        counts["snapshot"].append(len(snap))
        counts["facilitator"].append(len(fac))
    for name, (small, large) in counts.items():
        assert small == large, (name, counts)
    # Measured: a person's snapshot takes 12 queries (5 of them the board's, 4 the floor's),
    # the board page 11 (sign-in, permissions and the session included).
    assert counts["snapshot"][0] <= 12 and counts["page"][0] <= 11
    assert Card.objects.count() == 300


def test_the_board_part_of_a_snapshot_takes_few_queries(
    board: Board, person: Any, django_assert_num_queries: Any
) -> None:
    _fill(board, [person], 300)
    activity = board.activity
    from boards import render

    # board, columns, groups, cards, votes; for a person: nothing more (their panel
    # is worked out from the same rows).
    with django_assert_num_queries(5):
        render.render_activity_body(
            session=activity.session, activity=activity, viewer=person, steers=False
        )


def test_moving_someone_elses_idea_is_refused_clearly(
    client: Client, board: Board, person: Any, carer: Any
) -> None:
    card = add(board, person, "Jean's idea")
    before = (card.column_id, card.position)
    data = {"client_id": str(cid()), "direction": "right"}
    response = signed_in(client, carer).post(url("card_move", board, card.uid), data, **HTMX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#page-errors"
    assert "You can move only your own ideas" in response.content.decode()
    card.refresh_from_db()
    assert (card.column_id, card.position) == before

"""What each board service pushes: how many messages, to whom, and nothing on rollback."""

from typing import Any

import pytest
from django.db import transaction

from boards import services
from boards.models import Board
from tests.boards.conftest import add, cid
from tests.helpers import captured_broadcasts
from workshops.room import broadcast

pytestmark = pytest.mark.django_db


def groups(board: Board, *user_ids: int) -> list[str]:
    s = board.activity.session_id
    return [broadcast.room_group(s), broadcast.facilitators_group(s)] + [
        broadcast.person_group(s, u) for u in user_ids
    ]


def test_a_new_card_goes_to_the_room_the_facilitators_and_its_owner(
    board: Board, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        card = add(board, person, "Being listened to")
    assert pushes.groups() == groups(board, person.pk)
    room, facilitators, mine = pushes.frames()
    assert room["event"] == "card_added" and isinstance(room["seq"], int)
    assert f'id="card-{card.uid}"' in room["content"]
    assert 'hx-swap-oob="outerHTML settle:0"' in room["content"]
    assert room["announce"] == "New idea in What matters to you: Being listened to"
    assert f'id="card-{card.uid}"' in facilitators["content"]
    assert f'id="board-mine-{board.pk}"' in mine["content"]


def test_a_repeated_post_pushes_nothing_the_second_time(
    board: Board, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client_id = cid()
    add(board, person, client_id=client_id)
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=0):
        add(board, person, client_id=client_id)


def test_hidden_cards_go_only_to_their_owner_and_a_count_to_the_room(
    board: Board, make_board: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_board(hidden_until_reveal=True)
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        add(board, person, "A secret idea")
    room, facilitators, mine = pushes.frames()
    assert "A secret idea" not in room["content"] + facilitators["content"]
    assert "1 idea" in room["content"]
    assert room["announce"] == "Someone added an idea"
    assert "A secret idea" in mine["content"]


def test_a_reveal_of_many_cards_is_one_message_per_audience(
    board: Board,
    make_board: Any,
    person: Any,
    carer: Any,
    facilitator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_board(hidden_until_reveal=True)
    for i in range(50):
        add(board, person if i % 2 else carer, f"Idea number {i}")
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=2) as pushes:
        services.board_reveal(board=board, by=facilitator, client_id=cid())
    assert pushes.groups() == groups(board)
    for frame in pushes.frames():
        assert frame["event"] == "board_revealed"
        assert all(f"Idea number {i}<" in frame["content"] for i in range(50))


def test_a_move_between_columns_is_one_message_per_audience_with_the_card_and_both_counts(
    board: Board, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    card = add(board, person)
    first, second, _ = board.columns.order_by("position")
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=2) as pushes:
        services.card_move(
            board=board, by=person, client_id=cid(), card_uid=card.uid, direction="right"
        )
    content = pushes.frames()[0]["content"]
    # Only the card (told where it now goes) and both columns' counts: not the columns.
    assert f'data-list="column-{second.pk}-cards"' in content
    assert content.index(f'id="card-{card.uid}"') < content.index(f'id="column-{second.pk}-title"')
    assert f'id="column-{first.pk}-title"' in content
    assert f'id="column-{first.pk}"' not in content and f'id="column-{second.pk}"' not in content


def test_votes_stay_private_until_results_are_shown(
    board: Board, person: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    card = add(board, person)
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=1) as pushes:
        services.vote_add(board=board, by=person, client_id=cid(), card_uid=card.uid)
    assert pushes.groups() == [broadcast.person_group(board.activity.session_id, person.pk)]
    assert "<strong>2</strong> of 3 votes left" in pushes.frames()[0]["content"]
    services.board_set_flag(
        board=board, by=facilitator, client_id=cid(), flag="results_shown", value=True
    )
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.vote_add(board=board, by=person, client_id=cid(), card_uid=card.uid)
    assert "2 votes" in pushes.frames()[0]["content"]


def test_edit_delete_and_undo_push_the_column_and_the_owner(
    board: Board, person: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    card = add(board, person, "Old")
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.card_edit(
            board=board, by=facilitator, client_id=cid(), card_uid=card.uid, text="New", version=1
        )
    assert pushes.groups() == groups(board, person.pk)
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.card_delete(board=board, by=person, client_id=cid(), card_uid=card.uid)
    assert f'id="card-{card.uid}"' not in pushes.frames()[0]["content"]
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.card_restore(board=board, by=person, client_id=cid(), card_uid=card.uid)
    assert f'id="card-{card.uid}"' in pushes.frames()[0]["content"]


def test_nothing_is_pushed_for_a_rolled_back_change(
    board: Board, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        captured_broadcasts(django_capture_on_commit_callbacks, expected=0),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        add(board, person)
        raise RuntimeError("the outer transaction fails")


def test_a_board_the_room_is_not_on_pushes_nothing(
    board: Board, person: Any, live_session: Any, django_capture_on_commit_callbacks: Any
) -> None:
    live_session.current_activity = live_session.activities.get(kind="go_round")
    live_session.save(update_fields=["current_activity"])
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=0):
        add(board, person)


def test_setting_up_the_current_board_pushes_the_activity(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    activity = live_session.activities.get(kind="board")
    live_session.current_activity = activity
    live_session.save(update_fields=["current_activity"])
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=2) as pushes:
        services.board_create(activity=activity, by=facilitator)
    assert all('id="activity"' in f["content"] for f in pushes.frames())
    assert "What gets in the way" in pushes.frames()[0]["content"]


def test_a_new_vote_budget_makes_every_browser_refetch_its_own_panel(
    board: Board, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.board_update_settings(
            board=board,
            by=facilitator,
            client_id=cid(),
            prompt="What matters?",
            anonymity=Board.Anonymity.OFF,
            hidden_until_reveal=False,
            votes_per_person=5,
            anyone_can_group=False,
        )
    loader = pushes.frames()[2]
    assert loader["event"] == "board_budget_changed"
    assert (
        f'hx-get="/sessions/{board.activity.session_id}/boards/{board.pk}/mine/"'
        in loader["content"]
    )

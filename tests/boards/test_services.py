"""Board services: every action, its bad input, idempotency, the edit conflict and the budget."""

import threading
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from boards import selectors, services
from boards.models import Board, Card, Column, Group, Vote
from participants.models import Role
from tests.boards.conftest import add, cid
from tests.factories import ActivityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------- setting up


def test_board_from_template_has_three_columns(board: Board) -> None:
    titles = list(board.columns.order_by("position").values_list("title", flat=True))
    assert titles == ["What matters to you", "What gets in the way", "Ideas"]
    assert board.prompt


def test_only_facilitators_set_up_boards_and_only_on_board_activities(
    live_session: Any, person: Any, facilitator: Any
) -> None:
    board_activity = live_session.activities.get(kind="board")
    with pytest.raises(PermissionDenied):
        services.board_create(activity=board_activity, by=person)
    talk = live_session.activities.get(kind="discussion")
    with pytest.raises(ValidationError):
        services.board_create(activity=talk, by=facilitator)
    services.board_create(activity=board_activity, by=facilitator, template="ideas")
    with pytest.raises(ValidationError, match="already has a board"):
        services.board_create(activity=board_activity, by=facilitator)
    assert Board.objects.count() == 1


# ------------------------------------------------------------------------- cards


def test_anyone_in_the_session_adds_a_trimmed_card(board: Board, person: Any) -> None:
    card = add(board, person, "  Being listened to  ")
    assert card.text == "Being listened to"
    assert card.owner_id == person.pk and not card.supported
    assert card.version == 1


@pytest.mark.parametrize(("text", "message"), [("   ", "empty"), ("x" * 501, "500 characters")])
def test_empty_or_long_text_is_refused(board: Board, person: Any, text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        add(board, person, text)
    assert not Card.objects.exists()


def test_unknown_column_or_a_column_of_another_board_is_refused(
    board: Board, person: Any, live_session: Any, facilitator: Any
) -> None:
    other_activity: Any = ActivityFactory(session=live_session, kind="board", title="Other")
    other = services.board_create(activity=other_activity, by=facilitator)
    for column_id in (None, 999_999, other.columns.first().pk):  # type: ignore[union-attr]
        with pytest.raises(ValidationError, match="Choose a column"):
            services.card_add(
                board=board, by=person, client_id=cid(), column_id=column_id, text="Hello"
            )
    assert not Card.objects.exists()


def test_a_repeated_post_adds_the_card_once(board: Board, person: Any) -> None:
    client_id = cid()
    first = add(board, person, "Tea", client_id=client_id)
    again = add(board, person, "Tea", client_id=client_id)
    assert first.pk == again.pk
    assert Card.objects.count() == 1


def test_a_card_on_behalf_counts_for_the_person_and_is_supported(
    board: Board, person: Any, facilitator: Any, carer: Any
) -> None:
    card = add(board, facilitator, "More time at appointments", on_behalf_of_id=person.pk)
    assert card.owner_id == person.pk and card.supported and card.author_id == facilitator.pk
    with pytest.raises(PermissionDenied):
        add(board, carer, "For Jean", on_behalf_of_id=person.pk)
    stranger: Any = UserFactory()
    with pytest.raises(ValidationError, match="not in this programme"):
        add(board, facilitator, "Hmm", on_behalf_of_id=stranger.pk)
    # Only invited, not yet accepted: not in the programme either.
    invitee: Any = UserFactory()
    MembershipFactory(
        user=invitee,
        programme=board.activity.session.programme,
        role=Role.CARER,
        invited=True,
        invited_name="Typed",
    )
    with pytest.raises(ValidationError, match="not in this programme"):
        add(board, facilitator, "For the invitee", on_behalf_of_id=invitee.pk)
    counts = selectors.contributions_by_person(session=board.activity.session)
    assert counts[person.pk]["cards"] == 1
    assert facilitator.pk not in counts


def test_edit_own_card_not_someone_elses_but_facilitators_edit_any(
    board: Board, person: Any, carer: Any, facilitator: Any
) -> None:
    card = add(board, person, "First")
    with pytest.raises(PermissionDenied):
        services.card_edit(
            board=board, by=carer, client_id=cid(), card_uid=card.uid, text="Mine now", version=1
        )
    card = services.card_edit(
        board=board, by=person, client_id=cid(), card_uid=card.uid, text="Second", version=1
    )
    assert (card.text, card.version) == ("Second", 2)
    card = services.card_edit(
        board=board, by=facilitator, client_id=cid(), card_uid=card.uid, text="Third", version=2
    )
    assert (card.text, card.version) == ("Third", 3)


def test_the_second_concurrent_editor_gets_a_conflict_with_the_latest_text(
    board: Board, person: Any, facilitator: Any
) -> None:
    card = add(board, person, "Original")
    services.card_edit(
        board=board, by=facilitator, client_id=cid(), card_uid=card.uid, text="Theirs", version=1
    )
    with pytest.raises(services.CardConflict) as conflict:
        services.card_edit(
            board=board, by=person, client_id=cid(), card_uid=card.uid, text="Mine", version=1
        )
    assert conflict.value.card.text == "Theirs" and conflict.value.card.version == 2
    card.refresh_from_db()
    assert card.text == "Theirs"


def test_a_repeated_edit_is_applied_once_without_a_false_conflict(
    board: Board, person: Any
) -> None:
    card = add(board, person, "Original")
    client_id = cid()
    for _ in range(2):
        services.card_edit(
            board=board, by=person, client_id=client_id, card_uid=card.uid, text="New", version=1
        )
    card.refresh_from_db()
    assert (card.text, card.version) == ("New", 2)


def test_a_card_from_another_board_is_refused(
    board: Board, person: Any, live_session: Any, facilitator: Any
) -> None:
    other = services.board_create(
        activity=cast(Any, ActivityFactory(session=live_session, kind="board")), by=facilitator
    )
    foreign = add(other, person, "Elsewhere")
    with pytest.raises(ValidationError, match="not on this board"):
        services.card_edit(
            board=board, by=person, client_id=cid(), card_uid=foreign.uid, text="x", version=1
        )
    with pytest.raises(ValidationError, match="not on this board"):
        services.vote_add(board=board, by=person, client_id=cid(), card_uid=foreign.uid)


def test_delete_and_undo(board: Board, person: Any, carer: Any) -> None:
    card = add(board, person, "Oops")
    with pytest.raises(PermissionDenied):
        services.card_delete(board=board, by=carer, client_id=cid(), card_uid=card.uid)
    services.card_delete(board=board, by=person, client_id=cid(), card_uid=card.uid)
    card.refresh_from_db()
    assert card.deleted_at is not None
    assert selectors.board_state(board=board, audience="room").card_count == 0
    services.card_restore(board=board, by=person, client_id=cid(), card_uid=card.uid)
    card.refresh_from_db()
    assert card.deleted_at is None


def test_moves_by_button_and_by_drop(board: Board, person: Any) -> None:
    a, b, c = (add(board, person, t) for t in ("A", "B", "C"))
    first, second, third = board.columns.order_by("position")

    def order(column: Column) -> list[str]:
        return list(
            Card.objects.filter(column=column, deleted_at__isnull=True)
            .order_by("position")
            .values_list("text", flat=True)
        )

    services.card_move(board=board, by=person, client_id=cid(), card_uid=c.uid, direction="up")
    assert order(first) == ["A", "C", "B"]
    with pytest.raises(ValidationError, match="top"):
        services.card_move(board=board, by=person, client_id=cid(), card_uid=a.uid, direction="up")
    with pytest.raises(ValidationError, match="left-most"):
        services.card_move(
            board=board, by=person, client_id=cid(), card_uid=a.uid, direction="left"
        )
    services.card_move(board=board, by=person, client_id=cid(), card_uid=a.uid, direction="right")
    assert order(first) == ["C", "B"] and order(second) == ["A"]
    services.card_move(
        board=board, by=person, client_id=cid(), card_uid=b.uid, column_id=second.pk, index=0
    )
    assert order(second) == ["B", "A"]
    with pytest.raises(ValidationError, match="Choose a column"):
        services.card_move(
            board=board, by=person, client_id=cid(), card_uid=b.uid, column_id=123456, index=0
        )
    assert order(third) == []


def test_a_participant_moves_only_their_own_ideas(
    board: Board, make_board: Any, person: Any, carer: Any, facilitator: Any
) -> None:
    jeans = add(board, person, "Jean's idea")
    first, second, _third = board.columns.order_by("position")
    with pytest.raises(PermissionDenied, match="only your own ideas"):
        services.card_move(
            board=board, by=carer, client_id=cid(), card_uid=jeans.uid, direction="right"
        )
    assert Card.objects.get(pk=jeans.pk).column_id == first.pk
    services.card_move(
        board=board, by=person, client_id=cid(), card_uid=jeans.uid, direction="right"
    )
    assert Card.objects.get(pk=jeans.pk).column_id == second.pk
    services.card_move(
        board=board, by=facilitator, client_id=cid(), card_uid=jeans.uid, direction="left"
    )
    assert Card.objects.get(pk=jeans.pk).column_id == first.pk
    # An idea typed for someone is theirs to move.
    supported = add(board, facilitator, "For Isla", on_behalf_of_id=carer.pk)
    services.card_move(
        board=board, by=carer, client_id=cid(), card_uid=supported.uid, direction="right"
    )
    # A board where anyone may organise the ideas lets anyone move any of them.
    open_board = make_board(anyone_can_group=True)
    theirs = add(open_board, person, "Move me")
    services.card_move(
        board=open_board, by=carer, client_id=cid(), card_uid=theirs.uid, direction="right"
    )
    assert Card.objects.get(pk=theirs.pk).column_id == second.pk


def test_a_locked_board_or_column_changes_only_for_facilitators(
    board: Board, person: Any, facilitator: Any
) -> None:
    card = add(board, person, "Before the lock")
    services.board_set_flag(board=board, by=facilitator, client_id=cid(), flag="locked", value=True)
    with pytest.raises(ValidationError, match="locked"):
        add(board, person, "After the lock")
    with pytest.raises(ValidationError, match="locked"):
        services.card_edit(
            board=board, by=person, client_id=cid(), card_uid=card.uid, text="x", version=1
        )
    with pytest.raises(ValidationError, match="locked"):
        services.card_move(
            board=board, by=person, client_id=cid(), card_uid=card.uid, direction="right"
        )
    add(board, facilitator, "Facilitators still can")
    with pytest.raises(PermissionDenied):
        services.board_set_flag(board=board, by=person, client_id=cid(), flag="locked", value=False)
    services.board_set_flag(
        board=board, by=facilitator, client_id=cid(), flag="locked", value=False
    )
    column = board.columns.order_by("position")[1]
    services.column_set_locked(
        board=board, by=facilitator, client_id=cid(), column_id=column.pk, locked=True
    )
    with pytest.raises(ValidationError, match="locked the column"):
        add(board, person, "Into the locked column", column=1)
    with pytest.raises(ValidationError, match="locked the column"):
        services.card_move(
            board=board, by=person, client_id=cid(), card_uid=card.uid, direction="right"
        )
    add(board, person, "Elsewhere is fine", column=2)


# ------------------------------------------------------------------------- reveal


def test_hidden_until_reveal_shows_each_person_only_their_own(
    board: Board, make_board: Any, person: Any, carer: Any, facilitator: Any
) -> None:
    make_board(hidden_until_reveal=True)
    add(board, person, "Jean's idea")
    add(board, carer, "Isla's idea")
    for audience in ("room", "facilitators"):
        state = selectors.board_state(board=board, audience=audience)
        assert all(not col.cards for col in state.columns)
        assert state.card_count == 2
    jean = selectors.mine(
        state=selectors.board_state(board=board, audience="room"), user_id=person.pk
    )
    assert [c.text for c in jean.cards] == ["Jean's idea"]
    with pytest.raises(ValidationError, match="revealed"):
        services.vote_add(board=board, by=person, client_id=cid(), card_uid=jean.cards[0].uid)
    with pytest.raises(PermissionDenied):
        services.board_reveal(board=board, by=person, client_id=cid())
    board = services.board_reveal(board=board, by=facilitator, client_id=cid())
    state = selectors.board_state(board=board, audience="room")
    assert sorted(c.text for col in state.columns for c in col.cards) == [
        "Isla's idea",
        "Jean's idea",
    ]


# ------------------------------------------------------------------------- groups


def test_groups_create_add_rename_dissolve(
    board: Board, make_board: Any, person: Any, facilitator: Any
) -> None:
    a, b = add(board, person, "Buses"), add(board, person, "Parking")
    with pytest.raises(PermissionDenied):
        services.group_create(
            board=board, by=person, client_id=cid(), card_uid=a.uid, name="Getting there"
        )
    group = services.group_create(
        board=board, by=facilitator, client_id=cid(), card_uid=a.uid, name="Getting there"
    )
    services.card_set_group(
        board=board, by=facilitator, client_id=cid(), card_uid=b.uid, group_id=group.pk
    )
    assert set(group.cards.values_list("text", flat=True)) == {"Buses", "Parking"}
    make_board(anyone_can_group=True)
    services.group_rename(board=board, by=person, client_id=cid(), group_id=group.pk, name="Travel")
    group.refresh_from_db()
    assert group.name == "Travel"
    with pytest.raises(ValidationError, match="group name"):
        services.group_rename(board=board, by=person, client_id=cid(), group_id=group.pk, name=" ")
    services.group_dissolve(board=board, by=facilitator, client_id=cid(), group_id=group.pk)
    assert not Group.objects.exists()
    assert Card.objects.filter(group__isnull=True).count() == 2


# ------------------------------------------------------------------------- votes


def test_dot_voting_with_the_same_budget_for_everyone(
    board: Board, person: Any, facilitator: Any
) -> None:
    card = add(board, person, "Buses")
    group = services.group_create(
        board=board, by=facilitator, client_id=cid(), card_uid=card.uid, name="Travel"
    )
    for who in (person, facilitator):
        services.vote_add(board=board, by=who, client_id=cid(), card_uid=card.uid)
        services.vote_add(board=board, by=who, client_id=cid(), card_uid=card.uid)
        services.vote_add(board=board, by=who, client_id=cid(), group_id=group.pk)
        with pytest.raises(ValidationError, match="used all 3"):
            services.vote_add(board=board, by=who, client_id=cid(), card_uid=card.uid)
    assert Vote.objects.filter(voter=person).count() == 3
    services.vote_remove(board=board, by=person, client_id=cid(), card_uid=card.uid)
    services.vote_add(board=board, by=person, client_id=cid(), group_id=group.pk)
    with pytest.raises(ValidationError, match="no vote"):
        services.vote_remove(
            board=board, by=person, client_id=cid(), card_uid=add(board, person).uid
        )
    state = selectors.board_state(board=board, audience="room")
    mine = selectors.mine(state=state, user_id=person.pk)
    assert mine.votes_used == 3 and mine.votes_left == 0
    counts = selectors.contributions_by_person(session=board.activity.session)
    assert counts[person.pk] == {"cards": 2, "votes": 3}
    assert counts[facilitator.pk] == {"cards": 0, "votes": 3}


def test_a_repeated_vote_is_counted_once(board: Board, person: Any) -> None:
    card = add(board, person)
    client_id = cid()
    services.vote_add(board=board, by=person, client_id=client_id, card_uid=card.uid)
    services.vote_add(board=board, by=person, client_id=client_id, card_uid=card.uid)
    assert Vote.objects.count() == 1


def test_results_sort_by_votes_only_when_shown(
    board: Board, person: Any, carer: Any, facilitator: Any
) -> None:
    low, high = add(board, person, "Low"), add(board, person, "High")
    for who in (person, carer):
        services.vote_add(board=board, by=who, client_id=cid(), card_uid=high.uid)
    services.vote_add(board=board, by=person, client_id=cid(), card_uid=low.uid)
    hidden = selectors.board_state(board=board, audience="room").columns[0].cards
    assert [c.text for c in hidden] == ["Low", "High"] and all(c.votes == 0 for c in hidden)
    board = services.board_set_flag(
        board=board, by=facilitator, client_id=cid(), flag="results_shown", value=True
    )
    shown = selectors.board_state(board=board, audience="room").columns[0].cards
    assert [(c.text, c.votes) for c in shown] == [("High", 2), ("Low", 1)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_simultaneous_votes_past_the_budget_leave_exactly_the_budget(
    live_session: Any, programme: Any
) -> None:
    facilitator: Any = UserFactory()
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    voter: Any = UserFactory()
    MembershipFactory(user=voter, programme=programme, role=Role.CARER)
    activity = live_session.activities.get(kind="board")
    board = services.board_create(activity=activity, by=facilitator, votes_per_person=2)
    card = add(board, voter, "Popular")
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def vote() -> None:
        try:
            barrier.wait()
            services.vote_add(board=board, by=voter, client_id=cid(), card_uid=card.uid)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ok", "ok", "refused", "refused", "refused", "refused"]
    assert Vote.objects.filter(voter=voter).count() == 2

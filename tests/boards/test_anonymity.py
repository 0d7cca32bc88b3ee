"""Where nobody sees names, no HTML and no pushed message holds the author's name or id."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import Board
from participants.models import Role
from tests.boards.conftest import add, cid
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import captured_broadcasts
from workshops.room import render as room_render

pytestmark = pytest.mark.django_db

# Distinctive ids, so finding them in HTML means an author leaked (not a column's number).
JEAN_ID = 987_651
DAVIE_ID = 987_652


@pytest.fixture
def authors(programme: Any, admitted: Any) -> tuple[Any, Any]:
    jean = UserFactory(pk=JEAN_ID, display_name="Jeanette Quietvoice")
    davie = UserFactory(pk=DAVIE_ID, display_name="Davie Supportedperson")
    for user, role in ((jean, Role.LIVED_EXPERIENCE), (davie, Role.CARER)):
        MembershipFactory(user=user, programme=programme, role=role)
        admitted(user)
    return jean, davie


def strip_people_lists(html: str) -> str:
    """Drop the facilitators' list of who is in the session (people, not authors)."""
    return re.sub(r'<select[^>]*name="on_behalf_of".*?</select>', "", html, flags=re.S)


def leaks(html: str) -> list[str]:
    html = strip_people_lists(html)
    needles = ["Jeanette", "Quietvoice", "Davie", "Supportedperson", str(JEAN_ID), str(DAVIE_ID)]
    return [n for n in needles if n in html]


def board_part(html: str) -> str:
    """The #activity section of a room page (the floor and side panels list who is present)."""
    start = html.index('id="activity"')
    end = html.index("comhla-room__side")
    floor = html.find('<section id="floor', start)
    return html[start : floor if 0 < floor < end else end]


def test_nobody_sees_names_anywhere(
    board: Board,
    authors: tuple[Any, Any],
    facilitator: Any,
    person: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    jean, davie = authors
    services.board_update_settings(
        board=board,
        by=facilitator,
        client_id=cid(),
        prompt="What matters?",
        anonymity=Board.Anonymity.NOBODY,
        hidden_until_reveal=True,
        votes_per_person=3,
        anyone_can_group=True,
    )
    board.refresh_from_db()
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        jeans = add(board, jean, "Time to talk")
        supported = add(board, facilitator, "Help with forms", on_behalf_of_id=davie.pk)
        board = services.board_reveal(board=board, by=facilitator, client_id=cid())
        services.card_edit(
            board=board, by=jean, client_id=cid(), card_uid=jeans.uid, text="More time", version=1
        )
        services.card_move(
            board=board, by=person, client_id=cid(), card_uid=jeans.uid, direction="right"
        )
        services.group_create(
            board=board, by=jean, client_id=cid(), card_uid=supported.uid, name="Paperwork"
        )
        services.vote_add(board=board, by=davie, client_id=cid(), card_uid=jeans.uid)
        board = services.board_set_flag(
            board=board, by=facilitator, client_id=cid(), flag="results_shown", value=True
        )
        services.vote_add(board=board, by=person, client_id=cid(), card_uid=supported.uid)
    jean_group = f"session.{board.activity.session_id}.person.{JEAN_ID}"
    davie_group = f"session.{board.activity.session_id}.person.{DAVIE_ID}"
    others = [(g, m) for g, m in pushes.messages if g not in (jean_group, davie_group)]
    assert len(others) >= 12
    for group, message in others:
        frame = json.loads(message["text"])
        assert not leaks(frame["content"] + frame.get("announce", "")), group
    # Even the authors' own pushes carry no ids or names in the shared parts.
    for _group, message in pushes.messages:
        content = strip_people_lists(json.loads(message["text"])["content"])
        assert str(JEAN_ID) not in content and str(DAVIE_ID) not in content

    client = Client()
    for viewer in (facilitator, person):
        client.force_login(viewer)
        page = client.get(reverse("room", args=[board.activity.session_id])).content.decode()
        assert "More time" in page
        assert not leaks(board_part(page)), (viewer, leaks(board_part(page)))
        snapshot, _ = room_render.render_snapshot(board.activity.session, viewer=viewer)
        assert not leaks(board_part_of_snapshot(snapshot))
        board_page = client.get(
            reverse("board_page", args=[board.activity.session_id, board.pk])
        ).content.decode()
        assert not leaks(board_page.split('id="main-content"')[1])
    client.force_login(facilitator)
    for name in ("board_csv", "board_print"):
        body = client.get(reverse(name, args=[board.activity.session_id, board.pk]))
        assert not leaks(body.content.decode().split("</header>")[-1])

    # The author can still change her own idea: her own panel lists it.
    client.force_login(jean)
    mine = client.get(reverse("board_mine", args=[board.activity.session_id, board.pk]))
    assert "More time" in mine.content.decode()
    assert f"/cards/{jeans.uid}/edit/" in mine.content.decode()
    other = client.get(reverse("board_mine", args=[board.activity.session_id, board.pk]))
    assert "Help with forms" not in other.content.decode()


def board_part_of_snapshot(snapshot: str) -> str:
    """The #activity fragment of a snapshot."""
    start = snapshot.index('id="activity"')
    end = snapshot.index('id="presence"')
    return snapshot[start:end]


def test_only_facilitators_see_names_when_so_set(
    board: Board,
    authors: tuple[Any, Any],
    facilitator: Any,
    person: Any,
    make_board: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    jean, _ = authors
    make_board(anonymity=Board.Anonymity.FACILITATORS)
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        add(board, jean, "Being heard")
    room_frame, facilitators_frame, _mine = pushes.frames()
    assert "Jeanette Quietvoice" not in room_frame["content"]
    assert "Jeanette Quietvoice" in facilitators_frame["content"]
    assert str(JEAN_ID) not in facilitators_frame["content"]
    client = Client()
    client.force_login(person)
    page = client.get(reverse("room", args=[board.activity.session_id])).content.decode()
    assert "Being heard" in page and "Jeanette Quietvoice" not in board_part(page)
    client.force_login(facilitator)
    page = client.get(reverse("room", args=[board.activity.session_id])).content.decode()
    assert "Jeanette Quietvoice" in board_part(page)

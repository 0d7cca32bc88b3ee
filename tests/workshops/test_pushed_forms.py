"""Every form in a pushed or snapshot fragment can post: it is rendered without a request, so
`{% csrf_token %}` is empty there and only an htmx post (which sends the CSRF header set once
on the page) gets through."""

import uuid
from html.parser import HTMLParser
from typing import Any

import pytest

from boards import render as board_render
from boards import services as board_services
from tests.factories import ActivityFactory, AttendanceFactory
from tests.helpers import captured_broadcasts
from workshops import services as workshop_services
from workshops.floor import render as floor_render
from workshops.floor import services as floor_services
from workshops.models import Attendance
from workshops.room import render as room_render

pytestmark = pytest.mark.django_db


class FormFinder(HTMLParser):
    """Collects each <form>'s attributes and its csrfmiddlewaretoken values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": a, "tokens": []})
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["tokens"].append(a.get("value") or "")


def forms_that_cannot_post(html: str) -> list[str]:
    """Forms that would post without a CSRF token: a plain POST form, or an empty token."""
    finder = FormFinder()
    finder.feed(html)
    bad = []
    for form in finder.forms:
        a = form["attrs"]
        if any(not t for t in form["tokens"]):
            bad.append(f"empty csrfmiddlewaretoken: {a}")
        elif (
            (a.get("method") or "get").lower() == "post"
            and "hx-post" not in a
            and not form["tokens"]
        ):
            bad.append(f"plain POST form with no token: {a}")
    return bad


def test_the_checker_catches_a_plain_post_form_and_an_empty_token() -> None:
    assert forms_that_cannot_post('<form method="post" action="/x/"><button>Go</button></form>')
    assert forms_that_cannot_post(
        '<form method="post" hx-post="/x/"><input type="hidden" name="csrfmiddlewaretoken" value=""></form>'
    )
    assert not forms_that_cannot_post('<form method="post" action="/x/" hx-post="/x/"></form>')
    assert not forms_that_cannot_post('<form method="get" action="/x/"></form>')


def test_every_pushed_and_snapshot_fragment_posts_with_a_token(
    django_capture_on_commit_callbacks: Any,
    live_session: Any,
    facilitator: Any,
    person: Any,
    carer: Any,
    practitioner: Any,
) -> None:
    session = live_session
    for user in (person, carer, practitioner):
        AttendanceFactory(session=session, user=user)
    AttendanceFactory(
        session=session,
        user=practitioner.__class__.objects.create(display_name="Waiting Wendy"),
        admission=Attendance.Admission.WAITING,
    )
    ActivityFactory(session=session, kind="feedback", title="How was it", order=3)
    htmls: list[str] = []

    def snapshots() -> None:
        for viewer in (facilitator, person):
            html, _ = room_render.render_snapshot(session, viewer=viewer)
            htmls.append(html)
            # The page's own containers are rendered the same way (no request).
            htmls.extend(str(v) for v in room_render.room_context(session, viewer=viewer).values())

    with captured_broadcasts(django_capture_on_commit_callbacks) as captured:
        # The floor: a speaker, a hand up, a go-round.
        floor_services.hand_raise(session=session, user=carer)
        floor_services.floor_give(session=session, by=facilitator, person_id=person.pk)
        snapshots()
        htmls.append(floor_render.render_mine(session, person.pk))
        htmls.append(floor_render.render_mine(session, carer.pk))
        floor_services.round_start(session=session, by=facilitator)
        snapshots()
        # The board: ideas, a group, a dot, a deleted idea, and the setup form.
        board_activity = session.activities.get(kind="board")
        workshop_services.session_move_to_activity(session=session, activity_id=board_activity.pk)
        snapshots()
        board = board_services.board_create(activity=board_activity, by=facilitator)
        column = board.columns.order_by("position").first()
        assert column is not None
        cards = [
            board_services.card_add(
                board=board, by=who, client_id=uuid.uuid4(), column_id=column.pk, text=text
            )
            for who, text in ((person, "Being listened to"), (carer, "Time to talk"))
        ]
        board_services.group_create(
            board=board, by=facilitator, client_id=uuid.uuid4(), card_uid=cards[0].uid, name="Ears"
        )
        board_services.vote_add(
            board=board, by=person, client_id=uuid.uuid4(), card_uid=cards[1].uid
        )
        board_services.card_delete(
            board=board, by=carer, client_id=uuid.uuid4(), card_uid=cards[1].uid
        )
        snapshots()
        for audience in ("room", "facilitators"):
            htmls.append(board_render.render_board(board, audience=audience))  # type: ignore[arg-type]
            htmls.append(board_render.render_head(board, audience=audience))  # type: ignore[arg-type]
        htmls.append(board_render.render_mine(board, user_id=person.pk))
        htmls.append(board_render.render_mine_loader(board))
        # Feedback, people out and in, admission, and the end.
        feedback = session.activities.get(kind="feedback")
        workshop_services.session_move_to_activity(session=session, activity_id=feedback.pk)
        workshop_services.attendance_remove(session=session, user_id=carer.pk, by=facilitator)
        workshop_services.session_set_admission(session=session, admission="waiting")
        snapshots()
        workshop_services.session_end(session=session)
        snapshots()
    htmls += [f["html"] for f in captured.frames() if "html" in f]
    htmls += [f["content"] for f in captured.frames() if "content" in f]
    everything = "".join(htmls)
    assert "End session" in everything and "Let back in" in everything and "Let in" in everything
    assert "Pause the round" in everything and "Save the time limit" in everything
    problems = sorted({p for html in htmls for p in forms_that_cannot_post(html)})
    assert not problems, "\n".join(problems)

"""Room events are one typed list: a name not in it cannot be sent."""

import re
from pathlib import Path

import pytest

from workshops.room import broadcast
from workshops.room.events import ROOM_EVENTS, RoomEvent

ROOT = Path(__file__).resolve().parents[2]


def test_a_frame_with_an_unlisted_event_is_refused() -> None:
    with pytest.raises(ValueError, match="not a room event"):
        broadcast.encode_frame(event="card_addded", html="<p></p>", seq=1)
    assert '"event":"card_added"' in broadcast.encode_frame(
        event=RoomEvent.CARD_ADDED, html="<p></p>", seq=1
    )


def test_every_event_named_in_the_code_is_listed() -> None:
    named = set()
    for path in [*ROOT.glob("workshops/**/*.py"), *ROOT.glob("boards/**/*.py")]:
        text = path.read_text()
        named |= set(re.findall(r'\bevent="([a-z_]+)"', text))
        named |= set(re.findall(r'_people_panel_changed\(session, "([a-z_]+)"\)', text))
    assert named, "the scan found no events"
    assert named <= ROOM_EVENTS, sorted(named - ROOM_EVENTS)
    for words in ("resumed", "paused", "finished"):  # round_set_status's f"round_{words}"
        assert f"round_{words}" in ROOM_EVENTS

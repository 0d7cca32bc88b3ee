"""Ten people change one idea at the same moment: one change wins, nine see the conflict."""

import uuid
from typing import Any

import pytest
from django.urls import reverse

from boards.models import Board, Card, ChangeReceipt
from tests.boards.conftest import add
from tests.concurrency import at_once, signed_in_clients

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_ten_concurrent_edits_of_one_card_one_wins_nine_see_the_latest_text(
    board: Board, person: Any, facilitator: Any
) -> None:
    card = add(board, person, "Original words")
    url = reverse("card_edit", args=[board.activity.session_id, board.pk, card.uid])
    # Jean in three tabs and the facilitator in seven: all loaded version 1.
    clients = signed_in_clients([person] * 3 + [facilitator] * 7)
    drafts = [f"Draft number {i}" for i in range(10)]

    responses = at_once(
        clients,
        lambda i, c: c.post(
            url,
            {
                "text": drafts[i],
                "version": 1,
                "client_id": str(uuid.uuid4()),
                "form_id": f"edit-{card.uid}",
            },
            HTTP_HX_REQUEST="true",
        ),
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 9, codes
    card = Card.objects.get(pk=card.pk)
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert card.text == drafts[winner] and card.version == 2
    for i, response in enumerate(responses):
        if response.status_code == 409:
            html = response.content.decode()
            assert "Someone else changed this idea" in html
            assert drafts[winner] in html, "the conflict shows the latest text"
            assert drafts[i] in html, "and keeps the loser's own words"
            assert 'name="version" value="2"' in html
    # A refused change keeps nothing, not even its receipt: sending it again is a new try.
    assert ChangeReceipt.objects.filter(action="card_edit").count() == 1

"""The demo's idea boards: one for each board activity, set up as the facilitators did, and
the ideas people gave (and their votes) on the boards of the held sessions."""

import uuid
from datetime import timedelta

from boards.models import Board, Card, Column, Vote
from boards.services import board_create
from participants.models import User
from workshops.models import Activity, Session

SUPPORTED = "for:"  # an author written "for:Name" typed the idea for Name, who owns it

# Each session's board: the template, its prompt and its columns (the template's if none).
SETUPS: dict[int, tuple[str, str, list[str]]] = {
    1: ("matters", "", []),
    2: (
        "ideas",
        "What helps you live well, and what gets in the way?",
        ["What helps", "What gets in the way"],
    ),
    3: (
        "ideas",
        "Which people, places and groups near you already help?",
        ["People", "Places", "Groups and services"],
    ),
    4: ("ideas", "What one change would make support better?", ["Ideas"]),
    5: (
        "ideas",
        "What did we learn from trying our ideas?",
        ["What worked", "What we would change"],
    ),
    6: ("ideas", "What should other teams take away from our year?", ["Take away"]),
}
# The ideas on each held session's board, per site: (column, author, text). Only people at
# that session wrote on its board.
IDEAS: dict[str, dict[int, list[tuple[str, str, str]]]] = {
    "glasgow": {
        1: [
            (
                "What matters to you",
                "Fiona MacLeod for:Jean Robertson",
                "Being asked what I can still do, not only what I can't",
            ),
            ("What matters to you", "Tam Wilson", "Getting out to the bowling club on a Tuesday"),
            (
                "What matters to you",
                "Isla Robertson",
                "Knowing who to phone when Mum has a bad day",
            ),
            (
                "What gets in the way",
                "Davie Stewart",
                "Telling our story again to every new face",
            ),
            ("What gets in the way", "Gordon Fraser", "Our letters are full of jargon"),
            ("What gets in the way", "Tam Wilson", "Appointments that clash with the bus times"),
            ("Ideas", "Ruth Kerr", "A memory café nearer home"),
            ("Ideas", "Isla Robertson", "Carers asked how they are doing too"),
        ],
        2: [
            (
                "What helps",
                "Fiona MacLeod for:Jean Robertson",
                "The same person at the door every time",
            ),
            ("What helps", "Isla Robertson", "A quiet room for the first hour"),
            ("What helps", "Priya Shah", "Time at the end of a visit just to talk"),
            ("What gets in the way", "Tam Wilson", "No way of getting to things after dark"),
            ("What gets in the way", "Isla Robertson", "Being passed from service to service"),
            ("What gets in the way", "Ruth Kerr", "Nobody knows what the day centre offers"),
        ],
        3: [
            ("People", "Jean Robertson", "My neighbour Betty, who pops in every morning"),
            ("People", "Priya Shah", "Pharmacists who know people by name"),
            ("Places", "Isla Robertson", "The library in Partick: the staff know Mum"),
            ("Places", "Davie Stewart", "Victoria Park on a dry day"),
            (
                "Groups and services",
                "Ruth Kerr",
                "The singing group for people with dementia at the church hall",
            ),
            ("Groups and services", "Gordon Fraser", "The carers' centre drop-in on Thursdays"),
        ],
        4: [
            ("Ideas", "Tam Wilson", "Taxis to the sessions for people who need them"),
            ("Ideas", "Isla Robertson", "A memory café at the library, once a month"),
            ("Ideas", "Fiona MacLeod for:Jean Robertson", "One name to call, not five"),
            ("Ideas", "Davie Stewart", "A carers' chat after each session"),
            ("Ideas", "Ruth Kerr", "Plain-English letters, tested with this group"),
            ("Ideas", "Priya Shah", "Longer first appointments after a diagnosis"),
        ],
    },
    "motherwell": {
        1: [
            (
                "What matters to you",
                "Bill Anderson",
                "Still getting to the football with my grandson",
            ),
            ("What matters to you", "Margaret Reid", "Managing the stairs at home"),
            (
                "What matters to you",
                "Elspeth Gray",
                "Sleeping through without listening for his breathing",
            ),
            ("What gets in the way", "Jim Cairns", "Too many tablets, and nobody explains them"),
            (
                "What gets in the way",
                "Sandra Cairns",
                "Letters that arrive after the appointment",
            ),
            ("What gets in the way", "Alan Baird", "The clinic only runs on weekday mornings"),
            (
                "Ideas",
                "Karen Lindsay",
                "People who have lived with it for years meeting the newly diagnosed",
            ),
            ("Ideas", "Bill Anderson", "A number to ring when my weight goes up"),
        ],
        2: [
            ("What helps", "Bill Anderson", "The nurse phoning the week after I got home"),
            ("What helps", "Jim Cairns", "Weighing myself every morning, and writing it down"),
            ("What helps", "Elspeth Gray", "Knowing what the water tablets do"),
            ("What gets in the way", "Sandra Cairns", "Nobody asks how the carer is coping"),
            ("What gets in the way", "Karen Lindsay", "Cardiac rehab is only in the mornings"),
            ("What gets in the way", "Alan Baird", "Salt and fluid advice that is hard to follow"),
        ],
        3: [
            ("People", "Bill Anderson", "My grandson, who walks with me"),
            ("People", "Jim Cairns", "The pharmacist on Merry Street"),
            ("Places", "Elspeth Gray", "The flat paths in Strathclyde Park"),
            ("Places", "Margaret Reid", "The Deaf club, where I can sign"),
            ("Groups and services", "Sandra Cairns", "The carers' centre phone line"),
            ("Groups and services", "Alan Baird", "Walking football at the leisure centre"),
        ],
        4: [
            ("Ideas", "Bill Anderson", "A walking group at our pace"),
            ("Ideas", "Margaret Reid", "BSL interpreters booked for every clinic, without asking"),
            ("Ideas", "Elspeth Gray", "A one-page guide to daily weighing, in plain words"),
            ("Ideas", "Sandra Cairns", "A carers' session with the pharmacist about the tablets"),
            ("Ideas", "Karen Lindsay", "An afternoon cardiac rehab class"),
            ("Ideas", "Alan Baird", "A phone call the week after discharge, for everyone"),
        ],
    },
}
VOTED_ON = 4  # the board where the group chose ideas with their dots


def boards_set_up(session: Session) -> None:
    """Give each board activity of a session its board, as the facilitators set it up."""
    template, prompt, columns = SETUPS[session.number]
    for activity in Activity.objects.filter(session=session, kind=Activity.Kind.BOARD):
        board = board_create(activity=activity, by=None, template=template, prompt=prompt)
        if columns:
            Column.objects.filter(board=board).delete()
            Column.objects.bulk_create(
                Column(board=board, title=title, position=i) for i, title in enumerate(columns)
            )


def ideas_add(
    session: Session, *, site: str, people: dict[str, User], present: set[int]
) -> dict[str, Card]:
    """The ideas given on a held session's board, and on the voting board everyone's dots.
    Returns the cards by their text."""
    board = Board.objects.get(activity__session=session)
    columns = {c.title: c for c in board.columns.all()}
    cards = []
    for i, (column, author, text) in enumerate(IDEAS[site].get(session.number, [])):
        writer, _, owner = author.partition(f" {SUPPORTED}")
        cards.append(
            Card(
                board=board,
                column=columns[column],
                author=people[writer],
                on_behalf_of=people[owner] if owner else None,
                text=text,
                position=i,
                client_id=uuid.uuid4(),
            )
        )
        if people[owner or writer].pk not in present:
            raise ValueError(f"{owner or writer} was not at session {session.number}")
    Card.objects.bulk_create(cards)
    # Written during the board activity, not when the demo was loaded.
    Card.objects.filter(board=board).update(created_at=session.starts_at + timedelta(minutes=90))
    if session.number == VOTED_ON and cards:
        votes = [
            Vote(
                board=board,
                voter_id=voter,
                card=cards[(n + 2 * k) % len(cards)],
                client_id=uuid.uuid4(),
            )
            for n, voter in enumerate(sorted(present))
            for k in range(board.votes_per_person)
        ]
        Vote.objects.bulk_create(votes)
        Board.objects.filter(pk=board.pk).update(results_shown=True)
    return {card.text: card for card in cards}

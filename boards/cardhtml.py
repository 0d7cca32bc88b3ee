"""One idea's <li>, built in Python: the hot path of every board render (hundreds per board).

The markup is what templates/boards/board.html would give, without a template engine pass
per card. Every value a person typed is escaped here.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards.selectors import CardView

MOVES = (("left", "←"), ("up", "↑"), ("down", "↓"), ("right", "→"))
FORM = 'hx-target="#page-errors" hx-swap="none"'


def card_li(
    card: CardView,
    *,
    urls: dict[str, str],
    voting: bool,
    can_move: bool,
    can_group: bool,
    steers: bool,
    results_shown: bool,
) -> SafeString:
    """The idea as one audience sees it, with the controls that audience may use."""
    uid = escape(card.uid)
    short = escape(card.short)
    parts = [
        f'<li id="card-{uid}" class="comhla-idea" data-card="{uid}">',
        f'<p class="comhla-idea__text">{escape(card.text)}</p>',
    ]
    meta = []
    if card.author_name:
        meta.append(f'<span class="comhla-idea__author">{escape(card.author_name)}</span>')
    if card.supported:
        meta.append('<strong class="govuk-tag govuk-tag--turquoise">Supported</strong>')
    if card.before_session:
        meta.append('<strong class="govuk-tag govuk-tag--yellow">Added before the session</strong>')
    if results_shown:
        s = "" if card.votes == 1 else "s"
        meta.append(f'<strong class="comhla-idea__votes">{card.votes} vote{s}</strong>')
    if meta:
        parts.append(f'<p class="comhla-idea__meta">{" ".join(meta)}</p>')
    parts.append('<div class="comhla-idea__actions">')
    if voting:
        parts.append(
            f'<form method="post" action="{urls["vote_add"]}" hx-post="{urls["vote_add"]}" {FORM}>'
            f'<input type="hidden" name="client_id" value="">'
            f'<input type="hidden" name="card" value="{uid}">'
            f'<button type="submit" class="govuk-button govuk-button--secondary '
            f'comhla-button-small" id="card-{uid}-vote">Vote<span class="govuk-visually-hidden">'
            f" for: {short}</span></button></form>"
        )
    if can_move:
        move = f"{urls['cards']}{uid}/move/"
        buttons = "".join(
            f'<button type="submit" name="direction" value="{d}" class="comhla-move" '
            f'id="card-{uid}-{d}"><span aria-hidden="true">{arrow}</span>'
            f'<span class="govuk-visually-hidden">Move {d}: {short}</span></button>'
            for d, arrow in MOVES
        )
        parts.append(
            f'<form method="post" action="{move}" hx-post="{move}" {FORM} class="comhla-idea__move">'
            f'<input type="hidden" name="client_id" value="">{buttons}</form>'
        )
    if can_group:
        parts.append(_panel(uid, short, urls, "grouping", "Group", "group"))
    if steers:
        parts.append(_panel(uid, short, urls, "edit", "Change", "change"))
    parts.append("</div></li>")
    return mark_safe("".join(parts))  # noqa: S308 - every typed value is escaped above


def _panel(uid: str, short: str, urls: dict[str, str], key: str, label: str, panel: str) -> str:
    return (
        f'<details class="govuk-details comhla-idea__more" id="more-{key}-{uid}" hx-preserve '
        f'data-keep-open><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{label}<span class="govuk-visually-hidden">'
        f" idea: {short}</span></span></summary>"
        f'<div class="govuk-details__text" data-panel="{urls["cards"]}{uid}/panel/{panel}/">'
        f'<p class="govuk-body-s">Loading…</p></div></details>'
    )

"""One idea's <li>, built in Python: the hot path of every board render (hundreds per board).

The markup is what templates/boards/board.html would give, without a template engine pass
per card. Every value a person typed is escaped here; the words around them are translated
(a translation, like a template's, is trusted markup).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from boards.selectors import CardView

MOVES = (
    ("left", "←", gettext_lazy("Move left: %(idea)s")),
    ("up", "↑", gettext_lazy("Move up: %(idea)s")),
    ("down", "↓", gettext_lazy("Move down: %(idea)s")),
    ("right", "→", gettext_lazy("Move right: %(idea)s")),
)
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
        meta.append(f'<strong class="govuk-tag govuk-tag--turquoise">{_("Supported")}</strong>')
    if card.before_session:
        meta.append(
            f'<strong class="govuk-tag govuk-tag--yellow">{_("Added before the session")}</strong>'
        )
    if results_shown:
        votes = ngettext("%(count)d vote", "%(count)d votes", card.votes) % {"count": card.votes}
        meta.append(f'<strong class="comhla-idea__votes">{votes}</strong>')
    if meta:
        parts.append(f'<p class="comhla-idea__meta">{" ".join(meta)}</p>')
    parts.append('<div class="comhla-idea__actions">')
    if voting:
        parts.append(
            f'<form method="post" action="{urls["vote_add"]}" hx-post="{urls["vote_add"]}" {FORM}>'
            f'<input type="hidden" name="client_id" value="">'
            f'<input type="hidden" name="card" value="{uid}">'
            f'<button type="submit" class="govuk-button govuk-button--secondary '
            f'comhla-button-small" id="card-{uid}-vote">'
            + _('Vote<span class="govuk-visually-hidden"> for: %(idea)s</span>') % {"idea": short}
            + "</button></form>"
        )
    if can_move:
        move = f"{urls['cards']}{uid}/move/"
        buttons = "".join(
            f'<button type="submit" name="direction" value="{d}" class="comhla-move" '
            f'id="card-{uid}-{d}"><span aria-hidden="true">{arrow}</span>'
            f'<span class="govuk-visually-hidden">{label % {"idea": short}}</span></button>'
            for d, arrow, label in MOVES
        )
        parts.append(
            f'<form method="post" action="{move}" hx-post="{move}" {FORM} class="comhla-idea__move">'
            f'<input type="hidden" name="client_id" value="">{buttons}</form>'
        )
    if can_group:
        label = _('Group<span class="govuk-visually-hidden"> idea: %(idea)s</span>')
        parts.append(_panel(uid, urls, "grouping", label % {"idea": short}, "group"))
    if steers:
        label = _('Change<span class="govuk-visually-hidden"> idea: %(idea)s</span>')
        parts.append(_panel(uid, urls, "edit", label % {"idea": short}, "change"))
    parts.append("</div></li>")
    return mark_safe("".join(parts))  # noqa: S308 - every typed value is escaped above


def _panel(uid: str, urls: dict[str, str], key: str, label: str, panel: str) -> str:
    return (
        f'<details class="govuk-details comhla-idea__more" id="more-{key}-{uid}" hx-preserve '
        f'data-keep-open><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{label}</span></summary>'
        f'<div class="govuk-details__text" data-panel="{urls["cards"]}{uid}/panel/{panel}/">'
        f'<p class="govuk-body-s">{_("Loading…")}</p></div></details>'
    )

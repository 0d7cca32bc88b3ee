"""Thin views for boards: every change is a POST → form → service; the socket brings it to all.

An htmx change also answers its sender with the changed fragments (for the sender's own
audience), so a change made while the socket is down still shows at once.
"""

import csv
from collections.abc import Callable
from typing import Any, Literal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from boards import broadcasts, forms, selectors, services
from boards import render as board_render
from boards.models import Board
from participants.identity import room_identity_allowed
from project.exports import spreadsheet_safe
from workshops import access
from workshops.access import Action
from workshops.http import AuthenticatedHttpRequest, error_fragment, form_errors
from workshops.models import Activity, Session

TEMPLATE = "boards/board.html"


def _board(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> Board:
    """The board, if this person is in the room of its session; otherwise 404."""
    session = access.session_or_404(request.user, session_id, Action.ENTER_ROOM)
    board = (
        Board.objects.select_related("activity__session__programme")
        .filter(pk=board_id, activity__session=session)
        .first()
    )
    if board is None:
        raise Http404("No such board")
    return board


def _steers(request: AuthenticatedHttpRequest, board: Board) -> bool:
    return access.can_on_session(request.user, Action.STEER, board.activity.session)


def _updated(
    request: AuthenticatedHttpRequest,
    board: Board,
    *,
    columns: list[int] | None = None,
    whole: bool = False,
    extra: str = "",
) -> HttpResponse:
    """The sender's own view of what changed, as out-of-band fragments (or a redirect)."""
    if not request.htmx:
        return redirect("room", board.activity.session_id)
    board.refresh_from_db()
    audience = board_render.audience_for(_steers(request, board))
    parts = [extra]
    if whole:
        parts.append(board_render.render_board(board, audience=audience))
    elif columns is not None:
        if board.cards_hidden:
            parts.append(board_render.render_head(board, audience=audience))
        else:
            parts.append(board_render.render_columns(board, columns, audience=audience))
    parts.append(board_render.render_mine(board, user_id=request.user.pk))
    parts.append(
        '<div id="page-errors" aria-live="assertive" hx-swap-oob="outerHTML settle:0"></div>'
    )
    return HttpResponse("".join(parts))


def _answer(
    request: AuthenticatedHttpRequest, board: Board, result: Any, *, columns: list[int]
) -> HttpResponse:
    """The sender's answer, reusing what the service rendered for pushing (if it did)."""
    fragments: broadcasts.Fragments | None = getattr(result, "fragments", None)
    if fragments is None or not request.htmx:
        return _updated(request, board, columns=columns)
    audience = board_render.audience_for(_steers(request, board))
    mine = fragments.mine.get(request.user.pk)
    if mine is None:
        mine = board_render.render_mine(board, user_id=request.user.pk)
    seq = "" if fragments.seq is None else f' data-room-seq="{fragments.seq}"'
    return HttpResponse(
        fragments.board.get(audience, "")
        + mine
        + f'<div id="page-errors" aria-live="assertive"{seq} hx-swap-oob="outerHTML settle:0"></div>'
    )


def _change(
    request: AuthenticatedHttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    respond: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Validate, call the service, and answer the sender: fragments or a clear error."""
    if not form.is_valid():
        return error_fragment(request, form_errors(form), status=422)
    try:
        result = action(form.cleaned_data)
    except PermissionDenied as exc:
        return error_fragment(request, [str(exc) or "You cannot do that here"], status=403)
    except ValidationError as exc:
        return error_fragment(request, exc.messages, status=422)
    return respond(result)


# ---------------------------------------------------------------------------------------------
# pages


@room_identity_allowed
@login_required
def board_page(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """A board on a page of its own (for preparing, projecting or catching up)."""
    board = _board(request, session_id, board_id)
    steers = _steers(request, board)
    body = board_render.render_board_wrap(board, viewer=request.user, steers=steers)
    return render(request, "boards/board_page.html", {"board": board, "body": body})


@login_required
def past_sessions(request: AuthenticatedHttpRequest, programme_id: int) -> HttpResponse:
    """A programme's ended sessions and their boards, to look back on (members only)."""
    programme = access.programme_or_404(request.user, programme_id)
    context = {"programme": programme, "sessions": selectors.past_sessions(programme=programme)}
    return render(request, "boards/past_sessions.html", context)


@login_required
def board_past(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """An ended session's board to read: ideas by column and group, dots, chosen ideas."""
    session = access.session_or_404(request.user, session_id)
    board = (
        Board.objects.select_related("activity__session__programme")
        .filter(pk=board_id, activity__session=session)
        .first()
    )
    if board is None or session.status != Session.Status.ENDED:
        raise Http404("No such board")
    context = {"board": board, "session": session, "past": selectors.past_board(board=board)}
    return render(request, "boards/past_board.html", context)


@room_identity_allowed
@never_cache
@login_required
def board_mine(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """The person's own panel (their ideas and dots), loaded once the board appears."""
    board = _board(request, session_id, board_id)
    return HttpResponse(board_render.render_mine(board, user_id=request.user.pk, oob=False))


@room_identity_allowed
@never_cache
@login_required
def card_panel(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str, panel: str
) -> HttpResponse:
    """The "Change" or "Group" forms of one idea, loaded when someone opens them.

    Loaded on demand so a board of hundreds of ideas does not carry every form in its HTML.
    """
    board = _board(request, session_id, board_id)
    steers = _steers(request, board)
    card = board.cards.filter(uid=card_uid, deleted_at__isnull=True).first()
    if card is None:
        raise Http404("No such idea")
    context: dict[str, Any] = {
        "board": board,
        "session": board.activity.session,
        "card": card,
        "urls": board_render.board_urls(board),
    }
    if panel == "change" and steers:
        return HttpResponse(render_to_string(f"{TEMPLATE}#change-panel", context))
    if panel == "group" and (steers or board.anyone_can_group) and not board.cards_hidden:
        context["groups"] = selectors.groups_in_column(board=board, column_id=card.column_id)
        return HttpResponse(render_to_string(f"{TEMPLATE}#group-panel", context))
    raise Http404("No such panel")


@login_required
def board_print(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """A printable page of the board: every idea by column and group, with votes."""
    board = _board(request, session_id, board_id)
    if not _steers(request, board):
        raise Http404("No such board")
    rows, with_authors = selectors.export_rows(board=board, audience="facilitators")
    return render(
        request,
        "boards/print.html",
        {"board": board, "rows": rows, "with_authors": with_authors},
    )


@login_required
def board_csv(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """The board as CSV: card, column, group, votes, supported, author (where allowed)."""
    board = _board(request, session_id, board_id)
    if not _steers(request, board):
        raise Http404("No such board")
    rows, with_authors = selectors.export_rows(board=board, audience="facilitators")
    header = ["card", "column", "group", "votes", "supported"] + (
        ["author"] if with_authors else []
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-{board.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[h]) for h in header])
    return response


# ---------------------------------------------------------------------------------------------
# setting up and steering


@login_required
def board_setup(
    request: AuthenticatedHttpRequest, session_id: int, activity_id: int
) -> HttpResponse:
    """Set up the board of a board activity (facilitators), from the room or the session page."""
    session = access.session_or_404(request.user, session_id, Action.STEER)
    activity = Activity.objects.filter(
        pk=activity_id, session=session, kind=Activity.Kind.BOARD
    ).first()
    if activity is None:
        raise Http404("No such activity")
    if request.method != "POST":
        existing = selectors.board_for_activity(activity_id=activity.pk)
        if existing is not None:
            return redirect("board_page", session.pk, existing.pk)
        setup = render_to_string(
            f"{TEMPLATE}#setup", {"session": session, "activity": activity, "steers": True}
        )
        return render(
            request,
            "boards/setup_page.html",
            {"session": session, "activity": activity, "body": setup},
        )
    form = forms.SetupForm(request.POST)
    if not form.is_valid():
        return error_fragment(request, form_errors(form))
    try:
        board = services.board_create(activity=activity, by=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return error_fragment(request, messages)
    if request.htmx:
        html = board_render.render_activity_body(
            session=session, activity=activity, viewer=request.user, steers=True
        )
        return HttpResponse(html)
    return redirect("board_page", session.pk, board.pk)


@require_POST
@login_required
def board_settings(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int
) -> HttpResponse:
    """Change a board's prompt and settings."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.SettingsForm(request.POST),
        lambda d: services.board_update_settings(board=board, by=request.user, **d),
        lambda _: _updated(request, board, whole=True),
    )


@require_POST
@login_required
def board_reveal(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """Reveal everyone's ideas."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.board_reveal(board=board, by=request.user, **d),
        lambda _: _updated(request, board, whole=True),
    )


def _flag_view(flag: Literal["locked", "results_shown"]) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    def view(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
        board = _board(request, session_id, board_id)
        return _change(
            request,
            forms.FlagForm(request.POST),
            lambda d: services.board_set_flag(
                board=board,
                by=request.user,
                client_id=d["client_id"],
                flag=flag,
                value=d["value"],
            ),
            lambda _: _updated(request, board, whole=True),
        )

    view.__doc__ = f"Switch the board's {flag} setting."
    return view


board_lock = _flag_view("locked")
board_results = _flag_view("results_shown")


@require_POST
@login_required
def column_add(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """Add a column."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.ColumnForm(request.POST),
        lambda d: services.column_add(board=board, by=request.user, **d),
        lambda _: _updated(request, board, whole=True),
    )


@require_POST
@login_required
def column_lock(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, column_id: int
) -> HttpResponse:
    """Lock or unlock a column."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.FlagForm(request.POST),
        lambda d: services.column_set_locked(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            column_id=column_id,
            locked=d["value"],
        ),
        lambda _: _updated(request, board, whole=True),
    )


# ---------------------------------------------------------------------------------------------
# cards


@room_identity_allowed
@require_POST
@login_required
def card_add(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
    """Add an idea: fields text, column, client_id (a UUID), on_behalf_of (facilitators)."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.CardAddForm(request.POST),
        lambda d: services.card_add(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            column_id=d["column"],
            text=d["text"],
            on_behalf_of_id=d.get("on_behalf_of"),
        ),
        lambda card: _answer(request, board, card, columns=[card.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def card_edit(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Change an idea's text; a clash with someone else's change keeps both texts in view."""
    board = _board(request, session_id, board_id)
    form = forms.CardEditForm(request.POST)
    target = request.POST.get("form_id", "")
    try:
        return _change(
            request,
            form,
            lambda d: services.card_edit(
                board=board,
                by=request.user,
                client_id=d["client_id"],
                card_uid=card_uid,
                text=d["text"],
                version=d["version"],
            ),
            lambda card: _answer(request, board, card, columns=[card.column_id]),
        )
    except services.CardConflict as conflict:
        html = render_to_string(
            f"{TEMPLATE}#edit-form",
            {
                "board": board,
                "session": board.activity.session,
                "card": conflict.card,
                "form_id": target if target.startswith(("edit-", "fac-edit-")) else "",
                "draft": form.cleaned_data.get("text", ""),
                "conflict": True,
                "urls": board_render.board_urls(board),
            },
            request=request,
        )
        headers = {}
        if target.startswith(("edit-", "fac-edit-")):
            headers = {"HX-Retarget": f"#{target}", "HX-Reswap": "outerHTML"}
        return HttpResponse(html, status=409, headers=headers)


@room_identity_allowed
@require_POST
@login_required
def card_delete(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Take an idea off the board, with a moment to undo."""
    board = _board(request, session_id, board_id)

    def respond(card: Any) -> HttpResponse:
        undo = render_to_string(
            f"{TEMPLATE}#undo",
            {
                "board": board,
                "session": board.activity.session,
                "card": card,
                "oob": True,
                "urls": board_render.board_urls(board),
            },
        )
        return _updated(request, board, columns=[card.column_id], extra=undo)

    return _change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.card_delete(board=board, by=request.user, card_uid=card_uid, **d),
        respond,
    )


@room_identity_allowed
@require_POST
@login_required
def card_restore(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Undo a delete."""
    board = _board(request, session_id, board_id)
    cleared = f'<div id="board-undo-{board.pk}" class="comhla-undo" aria-live="polite" hx-swap-oob="outerHTML settle:0"></div>'
    return _change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.card_restore(board=board, by=request.user, card_uid=card_uid, **d),
        lambda card: _updated(request, board, columns=[card.column_id], extra=cleared),
    )


@room_identity_allowed
@require_POST
@login_required
def card_move(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Move an idea: a step by button or keyboard, or to a place by drag and drop."""
    board = _board(request, session_id, board_id)
    before = selectors.card_column(board=board, card_uid=card_uid)
    return _change(
        request,
        forms.CardMoveForm(request.POST),
        lambda d: services.card_move(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            card_uid=card_uid,
            direction=d.get("direction") or None,
            column_id=d.get("column"),
            index=d.get("index"),
        ),
        lambda card: _answer(
            request, board, card, columns=list(dict.fromkeys([card.column_id, before]))
        ),
    )


@room_identity_allowed
@require_POST
@login_required
def card_group(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Put an idea into a group of its column, or take it out."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.CardGroupForm(request.POST),
        lambda d: services.card_set_group(
            board=board,
            by=request.user,
            client_id=d["client_id"],
            card_uid=card_uid,
            group_id=d.get("group"),
        ),
        lambda card: _answer(request, board, card, columns=[card.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def group_create(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, card_uid: str
) -> HttpResponse:
    """Start a named group with this idea."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.GroupNameForm(request.POST),
        lambda d: services.group_create(board=board, by=request.user, card_uid=card_uid, **d),
        lambda group: _updated(request, board, columns=[group.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def group_rename(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, group_id: int
) -> HttpResponse:
    """Rename a group."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.GroupNameForm(request.POST),
        lambda d: services.group_rename(board=board, by=request.user, group_id=group_id, **d),
        lambda group: _updated(request, board, columns=[group.column_id]),
    )


@room_identity_allowed
@require_POST
@login_required
def group_dissolve(
    request: AuthenticatedHttpRequest, session_id: int, board_id: int, group_id: int
) -> HttpResponse:
    """Dissolve a group; its ideas stay."""
    board = _board(request, session_id, board_id)
    return _change(
        request,
        forms.ChangeForm(request.POST),
        lambda d: services.group_dissolve(board=board, by=request.user, group_id=group_id, **d),
        lambda _: _updated(request, board, whole=True),
    )


# ---------------------------------------------------------------------------------------------
# dots


def _vote_view(add: bool) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    def view(request: AuthenticatedHttpRequest, session_id: int, board_id: int) -> HttpResponse:
        board = _board(request, session_id, board_id)
        service = services.vote_add if add else services.vote_remove
        return _change(
            request,
            forms.VoteForm(request.POST),
            lambda d: service(
                board=board,
                by=request.user,
                client_id=d["client_id"],
                card_uid=d.get("card"),
                group_id=d.get("group"),
            ),
            lambda vote: (
                _answer(request, board, vote, columns=[])
                if getattr(vote, "fragments", None)
                else _updated(request, board, whole=board.results_shown)
            ),
        )

    view.__doc__ = "Put a dot on an idea or group." if add else "Take a dot back."
    return room_identity_allowed(view)


vote_add = _vote_view(True)
vote_remove = _vote_view(False)

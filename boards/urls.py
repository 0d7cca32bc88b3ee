"""Board URLs: full paths (this module is included at the site root)."""

from django.urls import path

from boards.views import cards, groups, pages, steering, votes

B = "sessions/<int:session_id>/boards/<int:board_id>/"
C = B + "cards/<uuid:card_uid>/"

urlpatterns = [
    path(
        "sessions/<int:session_id>/activities/<int:activity_id>/board/",
        steering.board_setup,
        name="board_setup",
    ),
    path(B, pages.board_page, name="board_page"),
    path(B + "past/", pages.board_past, name="board_past"),
    path(
        "programmes/<int:programme_id>/past-sessions/",
        pages.past_sessions,
        name="past_sessions",
    ),
    path(B + "mine/", pages.board_mine, name="board_mine"),
    path(B + "print/", pages.board_print, name="board_print"),
    path(B + "export.csv", pages.board_csv, name="board_csv"),
    path(B + "settings/", steering.board_settings, name="board_settings"),
    path(B + "reveal/", steering.board_reveal, name="board_reveal"),
    path(B + "lock/", steering.board_lock, name="board_lock"),
    path(B + "results/", steering.board_results, name="board_results"),
    path(B + "columns/", steering.column_add, name="column_add"),
    path(B + "columns/<int:column_id>/lock/", steering.column_lock, name="column_lock"),
    path(B + "cards/", cards.card_add, name="card_add"),
    path(C + "edit/", cards.card_edit, name="card_edit"),
    path(C + "delete/", cards.card_delete, name="card_delete"),
    path(C + "restore/", cards.card_restore, name="card_restore"),
    path(C + "move/", cards.card_move, name="card_move"),
    path(C + "group/", groups.card_group, name="card_group"),
    path(C + "group/new/", groups.group_create, name="group_create"),
    path(C + "panel/<str:panel>/", pages.card_panel, name="card_panel"),
    path(B + "groups/<int:group_id>/rename/", groups.group_rename, name="group_rename"),
    path(B + "groups/<int:group_id>/dissolve/", groups.group_dissolve, name="group_dissolve"),
    path(B + "votes/add/", votes.vote_add, name="vote_add"),
    path(B + "votes/remove/", votes.vote_remove, name="vote_remove"),
]

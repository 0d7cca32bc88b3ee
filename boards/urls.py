"""Board URLs: full paths (this module is included at the site root)."""

from django.urls import path

from boards import views

B = "sessions/<int:session_id>/boards/<int:board_id>/"
C = B + "cards/<uuid:card_uid>/"

urlpatterns = [
    path(
        "sessions/<int:session_id>/activities/<int:activity_id>/board/",
        views.board_setup,
        name="board_setup",
    ),
    path(B, views.board_page, name="board_page"),
    path(B + "past/", views.board_past, name="board_past"),
    path(
        "programmes/<int:programme_id>/past-sessions/",
        views.past_sessions,
        name="past_sessions",
    ),
    path(B + "mine/", views.board_mine, name="board_mine"),
    path(B + "print/", views.board_print, name="board_print"),
    path(B + "export.csv", views.board_csv, name="board_csv"),
    path(B + "settings/", views.board_settings, name="board_settings"),
    path(B + "reveal/", views.board_reveal, name="board_reveal"),
    path(B + "lock/", views.board_lock, name="board_lock"),
    path(B + "results/", views.board_results, name="board_results"),
    path(B + "columns/", views.column_add, name="column_add"),
    path(B + "columns/<int:column_id>/lock/", views.column_lock, name="column_lock"),
    path(B + "cards/", views.card_add, name="card_add"),
    path(C + "edit/", views.card_edit, name="card_edit"),
    path(C + "delete/", views.card_delete, name="card_delete"),
    path(C + "restore/", views.card_restore, name="card_restore"),
    path(C + "move/", views.card_move, name="card_move"),
    path(C + "group/", views.card_group, name="card_group"),
    path(C + "group/new/", views.group_create, name="group_create"),
    path(C + "panel/<str:panel>/", views.card_panel, name="card_panel"),
    path(B + "groups/<int:group_id>/rename/", views.group_rename, name="group_rename"),
    path(B + "groups/<int:group_id>/dissolve/", views.group_dissolve, name="group_dissolve"),
    path(B + "votes/add/", views.vote_add, name="vote_add"),
    path(B + "votes/remove/", views.vote_remove, name="vote_remove"),
]

from django.urls import URLPattern, path

from workshops.floor import views

F = "sessions/<int:session_id>/floor/"

urlpatterns: list[URLPattern] = [
    path(F + "hand/raise/", views.hand_raise, name="hand_raise"),
    path(F + "hand/lower/", views.hand_lower, name="hand_lower"),
    path(F + "next/", views.floor_next, name="floor_next"),
    path(F + "give/", views.floor_give, name="floor_give"),
    path(F + "turn/end/", views.turn_end, name="turn_end"),
    path(F + "turn/pass/", views.turn_pass, name="turn_pass"),
    path(F + "turn/skip/", views.round_skip, name="round_skip"),
    path(F + "round/start/", views.round_start, name="round_start"),
    path(F + "round/status/", views.round_status, name="round_status"),
    path(F + "limit/", views.turn_limit, name="turn_limit"),
    path(F + "balance.csv", views.balance_csv, name="balance_csv"),
]

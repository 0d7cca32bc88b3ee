from django.urls import path

from workshops import views

urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("join/<int:session_id>/who/", views.join_who, name="join_who"),
    path("join/<int:session_id>/waiting/", views.join_waiting, name="join_waiting"),
    path("join/<int:session_id>/check/", views.join_claim, name="join_claim"),
    path(
        "sessions/<int:session_id>/claims/<int:claim_id>/",
        views.join_claim_decide,
        name="join_claim_decide",
    ),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path(
        "programmes/<int:programme_id>/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/rsvp/", views.session_rsvp, name="session_rsvp"),
    path("sessions/<int:session_id>/agenda/copy/", views.agenda_copy, name="agenda_copy"),
    path(
        "sessions/<int:session_id>/agenda/templates/save/",
        views.agenda_template_save,
        name="agenda_template_save",
    ),
    path(
        "sessions/<int:session_id>/agenda/templates/use/",
        views.agenda_template_use,
        name="agenda_template_use",
    ),
    path("sessions/<int:session_id>/ideas/", views.session_idea_add, name="session_idea_add"),
    path("sessions/<int:session_id>/briefing/", views.session_briefing, name="session_briefing"),
    path("sessions/<int:session_id>/open/", views.session_open, name="session_open"),
    path("sessions/<int:session_id>/move/", views.session_move, name="session_move"),
    path("sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("sessions/<int:session_id>/admission/", views.session_admission, name="session_admission"),
    path(
        "sessions/<int:session_id>/people/<int:user_id>/admit/",
        views.attendance_admit,
        name="attendance_admit",
    ),
    path(
        "sessions/<int:session_id>/people/<int:user_id>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path(
        "sessions/<int:session_id>/people/<int:user_id>/co-facilitator/",
        views.attendance_co_facilitator,
        name="attendance_co_facilitator",
    ),
    path("sessions/<int:session_id>/room/", views.room_page, name="room"),
    path("sessions/<int:session_id>/room/join/", views.room_join, name="room_join"),
    path("sessions/<int:session_id>/room/snapshot/", views.room_snapshot, name="room_snapshot"),
    path(
        "sessions/<int:session_id>/poster/", views.session_join_poster, name="session_join_poster"
    ),
]

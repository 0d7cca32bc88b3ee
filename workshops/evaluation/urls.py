from django.urls import URLPattern, path

from workshops.evaluation import builder_views, plan_views, views

urlpatterns: list[URLPattern] = [
    path("sessions/<int:session_id>/feedback/", views.feedback, name="session_feedback"),
    path("sessions/<int:session_id>/report/", views.session_report, name="session_report"),
    path(
        "sessions/<int:session_id>/report.csv",
        views.session_report_csv,
        name="session_report_csv",
    ),
    path("programmes/<int:programme_id>/wellbeing/", views.wellbeing, name="wellbeing"),
    path("measures/<int:form_id>/", views.measure, name="measure"),
    path("programmes/<int:programme_id>/report/", views.report, name="programme_report"),
    path("programmes/<int:programme_id>/report.csv", views.report_csv, name="programme_report_csv"),
    path("programmes/<int:programme_id>/forms/", builder_views.forms_home, name="forms"),
    path(
        "programmes/<int:programme_id>/feedback-questions/",
        builder_views.feedback_questions,
        name="feedback_questions",
    ),
    path("forms/<int:form_id>/", views.form_answer, name="form_answer"),
    path("forms/<int:form_id>/build/", builder_views.form_build, name="form_build"),
    path("forms/<int:form_id>/settings/", builder_views.form_settings, name="form_settings"),
    path(
        "forms/<int:form_id>/questions/<int:question_id>/",
        builder_views.question_edit,
        name="question_edit",
    ),
]
urlpatterns.append(
    path("programmes/<int:programme_id>/you-said-we-did/", views.actions, name="actions")
)

PLAN = "programmes/<int:programme_id>/plan/"
urlpatterns += [
    path(PLAN, plan_views.plan, name="evaluation_plan"),
    path(f"{PLAN}outcomes/<int:outcome_id>/", plan_views.outcome_edit, name="outcome_edit"),
    path(f"{PLAN}outcomes/<int:outcome_id>/move/", plan_views.outcome_move, name="outcome_move"),
    path(
        f"{PLAN}outcomes/<int:outcome_id>/remove/",
        plan_views.outcome_remove,
        name="outcome_remove",
    ),
    path(
        f"{PLAN}outcomes/<int:outcome_id>/indicators/",
        plan_views.indicator_add,
        name="indicator_add",
    ),
    path(f"{PLAN}indicators/<int:indicator_id>/", plan_views.indicator_edit, name="indicator_edit"),
    path(
        f"{PLAN}indicators/<int:indicator_id>/move/",
        plan_views.indicator_move,
        name="indicator_move",
    ),
    path(
        f"{PLAN}indicators/<int:indicator_id>/remove/",
        plan_views.indicator_remove,
        name="indicator_remove",
    ),
    path(f"{PLAN}follow-up/", plan_views.follow_up_set, name="follow_up_set"),
    path(f"{PLAN}follow-up/list/", plan_views.follow_up_list, name="follow_up_list"),
    path(f"{PLAN}follow-up/remind/", plan_views.follow_up_remind, name="follow_up_remind"),
]

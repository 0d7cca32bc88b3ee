from django.urls import URLPattern, path

from workshops.evaluation import views

urlpatterns: list[URLPattern] = [
    path("sessions/<int:session_id>/feedback/", views.feedback, name="session_feedback"),
    path("programmes/<int:programme_id>/wellbeing/", views.wellbeing, name="wellbeing"),
    path("measures/<int:form_id>/", views.measure, name="measure"),
    path("programmes/<int:programme_id>/report/", views.report, name="programme_report"),
    path("programmes/<int:programme_id>/report.csv", views.report_csv, name="programme_report_csv"),
]
urlpatterns.append(
    path("programmes/<int:programme_id>/you-said-we-did/", views.actions, name="actions")
)

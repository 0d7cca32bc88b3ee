from django.urls import URLPattern, path

from participants.payments import views

P = "programmes/<int:programme_id>/payments/"

urlpatterns: list[URLPattern] = [
    path(P, views.payments_home, name="payments_home"),
    path(P + "rates/", views.rate_cards, name="payment_rates"),
    path(P + "lines/<int:line_id>/", views.line_detail, name="payment_line"),
    path(P + "bulk/", views.bulk, name="payments_bulk"),
    path(P + "export.<str:file_format>", views.export, name="payments_export"),
    path(P + "audit/", views.audit_page, name="payments_audit"),
    path(P + "expenses/new/", views.expense_new, name="payment_expense_new"),
    path(P + "people/<int:membership_id>/", views.preference_edit, name="payment_preference"),
    path(
        P + "people/<int:membership_id>/statement/",
        views.person_statement,
        name="payment_statement",
    ),
    path("sessions/<int:session_id>/register/", views.register, name="session_register"),
    path("me/payments/", views.my_payments, name="my_payments"),
    path("me/payments/statement/", views.my_statement, name="my_payments_statement"),
]

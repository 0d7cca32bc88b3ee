from django.urls import URLPattern, path

from participants.payments.views import exports, mine, organiser, register, statements

P = "programmes/<int:programme_id>/payments/"

urlpatterns: list[URLPattern] = [
    path(P, organiser.payments_home, name="payments_home"),
    path(P + "rates/", organiser.rate_cards, name="payment_rates"),
    path(P + "lines/<int:line_id>/", organiser.line_detail, name="payment_line"),
    path(P + "bulk/", organiser.bulk, name="payments_bulk"),
    path(P + "export.<str:file_format>", exports.export, name="payments_export"),
    path(P + "audit/", organiser.audit_page, name="payments_audit"),
    path(P + "expenses/new/", organiser.expense_new, name="payment_expense_new"),
    path(P + "people/<int:membership_id>/", organiser.preference_edit, name="payment_preference"),
    path(
        P + "people/<int:membership_id>/statement/",
        statements.person_statement,
        name="payment_statement",
    ),
    path("sessions/<int:session_id>/register/", register.register, name="session_register"),
    path("me/payments/", mine.my_payments, name="my_payments"),
    path("me/payments/statement/", statements.my_statement, name="my_payments_statement"),
]

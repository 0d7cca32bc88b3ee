from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "participants.payments"
    label = "payments"
    verbose_name = "Payments"

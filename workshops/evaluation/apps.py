from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "workshops.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

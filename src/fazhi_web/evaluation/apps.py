from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "fazhi_web.evaluation"
    label = "evaluation"
    verbose_name = "考评"

from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "fazhi_web.rectification"
    label = "rectification"
    verbose_name = "整改"

from django.apps import AppConfig


class Config(AppConfig):
    name = "fazhi_web.review"
    label = "review"
    default_auto_field = "django.db.models.BigAutoField"

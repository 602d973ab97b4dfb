from django.apps import AppConfig


class Config(AppConfig):
    name = "fazhi_web.followup"
    label = "followup"
    default_auto_field = "django.db.models.BigAutoField"

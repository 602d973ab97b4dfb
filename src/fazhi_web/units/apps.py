from django.apps import AppConfig


class Config(AppConfig):
    name = "fazhi_web.units"
    label = "units"
    default_auto_field = "django.db.models.BigAutoField"

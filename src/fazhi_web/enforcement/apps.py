from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fazhi_web.enforcement"
    verbose_name = "行政执法"

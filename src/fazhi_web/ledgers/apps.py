from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "fazhi_web.ledgers"
    label = "ledgers"
    verbose_name = "台账"

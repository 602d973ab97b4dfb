from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "fazhi_web.drafting"
    label = "drafting"
    verbose_name = "报告初稿"

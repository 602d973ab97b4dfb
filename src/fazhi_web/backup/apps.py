from django.apps import AppConfig


class Config(AppConfig):
    verbose_name = "备份与恢复"
    name = "fazhi_web.backup"
    label = "backup"

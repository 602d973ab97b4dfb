from django.apps import AppConfig


class Config(AppConfig):
    verbose_name = "账号与登录"
    name = "fazhi_web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Login, logout and lockout signals: session records and the audit log.
        from fazhi_web.accounts import signals  # noqa: F401

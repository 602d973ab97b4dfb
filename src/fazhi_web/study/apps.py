from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "fazhi_web.study"
    label = "study"
    verbose_name = "学法述法"

    def ready(self) -> None:
        from fazhi_web.ledgers import casebook
        from fazhi_web.study.ledger import REPORTS, SESSIONS

        casebook.register(SESSIONS)
        casebook.register(REPORTS)

from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "fazhi_web.disputes"
    label = "disputes"
    verbose_name = "行政复议与行政应诉"

    def ready(self) -> None:
        from fazhi_web.disputes.ledger import LITIGATIONS, RECONSIDERATIONS
        from fazhi_web.ledgers import casebook

        casebook.register(RECONSIDERATIONS)
        casebook.register(LITIGATIONS)

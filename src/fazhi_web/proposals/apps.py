from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "fazhi_web.proposals"
    label = "proposals"
    verbose_name = "建议提案"

    def ready(self) -> None:
        from fazhi_web.ledgers import casebook
        from fazhi_web.proposals.ledger import PROPOSALS

        casebook.register(PROPOSALS)

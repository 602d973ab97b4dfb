from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "fazhi_web.petitions"
    label = "petitions"
    verbose_name = "信访与12345热线"

    def ready(self) -> None:
        from fazhi_web.ledgers import casebook
        from fazhi_web.petitions.ledger import HOTLINE, PETITIONS

        casebook.register(PETITIONS)
        casebook.register(HOTLINE)

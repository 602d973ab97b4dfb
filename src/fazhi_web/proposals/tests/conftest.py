import pytest

from fazhi_web.ledgers import services
from fazhi_web.ledgers.tests.conftest import D


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Every case-ledger test runs on 2024-12-02, so dates counted by hand stay right."""
    monkeypatch.setattr(services, "today", lambda: D("2024-12-02"))

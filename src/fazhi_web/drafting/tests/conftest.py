"""The demo data (load_demo): five real reports, their units' ledgers, and last years' plans."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())

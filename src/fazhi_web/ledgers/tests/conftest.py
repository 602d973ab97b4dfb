from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from fazhi_web.ledgers import services
from fazhi_web.ledgers.models import DisclosureRequest, MajorDecision, NormativeDocument

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Every ledger test runs on 2024-12-02, so dates counted by hand stay right."""
    monkeypatch.setattr(services, "today", lambda: D("2024-12-02"))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published_doc(world):
    """A town document through review and deliberation, published on 2024-09-02."""
    doc = services.create(
        world.reporter, NormativeDocument, world.town,
        {"title": "清河镇农村人居环境整治管理办法", "drafted_on": D("2024-07-01")},
    )  # fmt: skip
    services.apply_event(
        world.reporter,
        doc,
        "submit_review",
        {"review_unit": world.town, "review_submitted_on": D("2024-07-15")},
    )
    services.apply_event(
        world.reporter,
        doc,
        "review",
        {"reviewer": "张法", "review_opinion": "合法", "reviewed_on": D("2024-07-25")},
    )
    services.apply_event(
        world.reporter,
        doc,
        "deliberate",
        {"deliberation": "镇党委会第8次会议", "deliberated_on": D("2024-08-20")},
    )
    services.apply_event(
        world.reporter, doc, "publish",
        {"doc_number": "清府〔2024〕3号", "published_on": D("2024-09-02"), "effective_on": D("2024-10-08")},
    )  # fmt: skip
    doc.refresh_from_db()
    return doc


@pytest.fixture
def request_in_town(world):
    return services.create(
        world.reporter, DisclosureRequest, world.town,
        {"number": "2024-001", "applicant_type": "natural", "applicant": "李某", "channel": "in_person",
         "submitted_on": D("2024-09-27"), "content": "申请公开某村道路改造预算"},
    )  # fmt: skip


@pytest.fixture
def decision(world):
    return services.create(
        world.reporter, MajorDecision, world.town,
        {"title": "清河镇垃圾分类收运体系建设方案", "year": 2024, "sponsor": "镇城建办"},
    )  # fmt: skip

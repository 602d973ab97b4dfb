from __future__ import annotations

import datetime as dt

import pytest

from fazhi_web.enforcement import services
from fazhi_web.ledgers import services as ledger_services

D = dt.date.fromisoformat
DECISION = (
    "当事人张三（身份证号码：440101198503071234，住址：东江市南湖区清河镇幸福路8号，"
    "联系电话13812345678）于2024年9月3日在清河镇集贸市场销售过期食品，"
    "违反《中华人民共和国食品安全法》第三十四条，决定罚款人民币五千元。"
)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Every enforcement test runs on 2024-12-02, so dates counted by hand stay right."""
    monkeypatch.setattr(services, "today", lambda: D("2024-12-02"))
    monkeypatch.setattr(ledger_services, "today", lambda: D("2024-12-02"))


@pytest.fixture
def officers(world):
    """Two town officers certified 2022-01-01 to 2026-12-31."""
    out = []
    for i, name in enumerate(("刘执法", "陈执法")):
        officer = services.create_officer(world.reporter, world.town, name=name, post="综合执法")
        services.add_certificate(
            world.reporter, officer,
            {"number": f"44010020220{i}", "issued_on": D("2022-01-01"), "expires_on": D("2026-12-31")},
        )  # fmt: skip
        out.append(officer)
    return out


@pytest.fixture
def penalty(world, officers):
    """A major penalty case against a natural person, filed 2024-09-05."""
    case = services.create_case(
        world.reporter, world.town,
        {"number": "清综执罚〔2024〕12号", "kind": "penalty", "title": "销售过期食品",
         "party": "张三", "party_is_person": True, "major": "public_interest",
         "decision_text": DECISION},
        officers,
    )  # fmt: skip
    services.record_event(world.reporter, case, "filed", on=D("2024-09-05"))
    services.record_event(world.reporter, case, "investigated", on=D("2024-09-10"))
    services.record_event(world.reporter, case, "notified", on=D("2024-09-20"))
    return case


def decide(world, case, on="2024-10-08"):
    services.record_legal_review(
        world.reporter, case, reviewer="法制审核员 黄律", opinion="事实清楚，证据确凿，程序合法。",
        reviewed_on=D(on) - dt.timedelta(days=1),
    )  # fmt: skip
    return services.record_event(world.reporter, case, "decided", on=D(on))

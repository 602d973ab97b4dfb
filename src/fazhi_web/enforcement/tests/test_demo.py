"""The demo enforcement ledgers agree with the demo reports and show every state."""

from __future__ import annotations

from django.core.management import call_command

from fazhi_web.enforcement import rules, services
from fazhi_web.enforcement.models import Case, Officer
from fazhi_web.ledgers import figures as ledger_figures
from fazhi_web.ledgers.deadlines import Calendars
from fazhi_web.units.models import Unit


def test_the_demo_matches_the_reports_figures(db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    call_command("load_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    zone = Unit.objects.get(name="东莞松山湖高新区管委会")
    town = Unit.objects.get(name="东莞市清溪镇人民政府")
    # 000: “全年共办理执法证申请、换证等业务69人次”; 002: “协助对重大行政执法开展法制审核19次”.
    assert ledger_figures.figure("enforcement_certificates", zone, 2020).value == 69
    assert ledger_figures.figure("enforcement_legal_reviews", town, 2021).value == 19
    assert ledger_figures.figure("enforcement_penalties", town, 2021).value == 19
    assert ledger_figures.figure("enforcement_publicized", town, 2021).value == 19
    today = services.today()
    cases = Case.objects.filter(unit=town)
    assert len(services.overdue_publications(cases, Calendars(), today)) == 1
    assert services.public_cases().count() == 20
    public = services.public_cases().filter(party_is_person=True).get().publication.masked_text
    assert "441900198806152317" not in public and "13929481234" not in public
    assert len(services.certificates_due(Officer.objects.filter(unit=town), today)) == 2
    assert all(rules.verify(c) == [] for c in cases)
    assert services.public_inspections().count() == 1
    # Loading again adds nothing.
    call_command("load_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    assert Case.objects.filter(unit=town).count() == cases.count()

"""The screens: raising from the review page, the unit's answer, the 整改台账 and its
.xlsx, the board's column and the 通报's section."""

from __future__ import annotations

import html
import io
import re

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.rectification import services
from fazhi_web.rectification.models import Item, ItemState
from fazhi_web.rectification.tests.conftest import PDF, D, client_for

pytestmark = pytest.mark.django_db


def card(version) -> int:
    """A finding shown as a card (the web-page furniture the engine removed is not)."""
    return next(i for i, f in enumerate(version.analysis["findings"]) if f["rule"] != "boilerplate")


def test_the_review_page_offers_each_finding_for_rectification(world, handed_in):
    obligation, version = handed_in
    index = card(version)
    reviewer = client_for(world.reviewer)
    page = reviewer.get(reverse("review:report", args=[obligation.pk])).content.decode()
    assert reverse("rectification:raise_from_finding", args=[version.pk, index]) in page
    response = reviewer.post(
        reverse("rectification:raise_from_finding", args=[version.pk, index]),
        {"problem": "报告缺少法定内容", "person": "张镇长", "limit_days": "20"},
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rectification:item", args=[item.pk]
    )
    assert item.problem == "报告缺少法定内容" and item.limit_working_days == 20
    # A date, when given, wins over the working days the form proposes.
    reviewer.post(
        reverse("rectification:raise_from_finding", args=[version.pk, index + 1]),
        {"problem": "另一个问题", "limit_days": "20", "due_on": "2030-06-30"},
    )
    assert Item.objects.get(finding_index=index + 1).due_on == D("2030-06-30")


def test_a_bad_form_is_refused_in_chinese_and_nothing_raised(world, handed_in):
    _, version = handed_in
    reviewer = client_for(world.reviewer)
    response = reviewer.post(
        reverse("rectification:raise_from_finding", args=[version.pk, 0]),
        {"problem": "问题", "limit_days": ""},
        follow=True,
    )
    assert "请填写整改时限" in response.content.decode() and not Item.objects.exists()


def test_the_unit_answers_on_the_item_page_and_the_office_closes(world, item):
    unit, office = client_for(world.reporter), client_for(world.reviewer)
    url = reverse("rectification:item", args=[item.pk])
    assert "提交核验" in unit.get(url).content.decode()
    assert "提交核验" not in office.get(url).content.decode()
    unit.post(
        reverse("rectification:upload_evidence", args=[item.pk]),
        {"file": SimpleUploadedFile("整改报告.pdf", PDF)},
    )
    unit.post(reverse("rectification:submit", args=[item.pk]), {"measures": "已整改"})
    page = office.get(url).content.decode()
    assert "整改报告.pdf" in page and "销号" in page
    evidence = item.evidence.get()
    download = office.get(reverse("rectification:evidence_file", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    read = AuditEntry.objects.get(action="read.evidence")
    assert read.actor == world.reviewer and read.unit == item.unit
    assert "整改报告.pdf" in read.summary
    office.post(reverse("rectification:close", args=[item.pk]))
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED


def test_a_refusal_is_shown_on_the_page(world, item):
    office = client_for(world.reviewer)
    response = office.post(reverse("rectification:close", args=[item.pk]), follow=True)
    assert "尚未提交整改情况" in response.content.decode()


@pytest.fixture
def several(world, handed_in, item, monkeypatch):
    """Three items of the town and the bureau: one closed, one overdue, one 挂牌督办."""
    closed = item
    services.add_evidence(world.reporter, closed, "整改报告.pdf", PDF)
    services.submit(world.reporter, closed, "已整改")
    services.close(world.reviewer, closed)
    monkeypatch.setattr(services, "today", lambda: D("2024-03-01"))
    _, version = handed_in
    overdue = services.raise_from_finding(world.reviewer, version, 1, limit_days=5)
    monkeypatch.undo()
    inspection = services.record_inspection(
        world.reviewer, world.city, held_on=D("2024-06-12"), team="第一督察组", units=[world.bureau]
    )
    escalated = services.raise_from_inspection(
        world.reviewer, inspection, world.bureau, problem="=规范性文件未按期报送备案",
        due_on=D("2099-01-01"),
    )  # fmt: skip
    services.escalate(world.reviewer, escalated, "屡次逾期")
    return {"closed": closed, "overdue": overdue, "escalated": escalated}


def _rows(page: str) -> list[list[str]]:
    body = page[page.index('<table class="rectification-ledger">') :]
    body = body[: body.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


def test_the_ledger_filters_and_its_export_matches_the_screen(world, several):
    office = client_for(world.reviewer)
    base = reverse("rectification:ledger")
    for query, expected in [
        ("", {"closed", "overdue", "escalated"}),
        (f"?unit={world.bureau.pk}", {"escalated"}),
        ("?state=closed", {"closed"}),
        ("?state=unclosed", {"overdue", "escalated"}),
        ("?overdue=1", {"overdue"}),
        ("?escalated=1", {"escalated"}),
        ("?year=2023", set()),
    ]:
        html = office.get(base + query).content.decode()
        shown = {
            name
            for name, i in several.items()
            if reverse("rectification:item", args=[i.pk]) in html
        }
        assert shown == expected, query
    screen = _rows(office.get(base).content.decode())
    sheet = office.get(reverse("rectification:export"))
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cells = [
        [
            "" if v is None else v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)
            for v in row
        ]
        for row in book.active.iter_rows(values_only=True)
    ]
    assert cells[0] == screen[0]
    assert cells[1:] == screen[1:] and len(cells) == 4
    # A problem starting with "=" stays text, never a formula.
    assert "=规范性文件未按期报送备案" in [row[3] for row in cells]
    assert any(row[8] == "已逾期" for row in cells) and any(row[9] == "挂牌督办" for row in cells)


def test_the_ledger_pages_keep_the_filter_and_the_export_keeps_every_row(
    world, several, monkeypatch
):
    from fazhi_web.rectification import views

    monkeypatch.setattr(views, "PAGE", 1)
    office = client_for(world.reviewer)
    base = reverse("rectification:ledger")
    first = office.get(base + "?state=unclosed").content.decode()
    assert "共 2 项" in first and len(_rows(first)) == 2  # the header and one item
    assert "第 1 / 2 页" in first and "state=unclosed&amp;page=2" in first
    second = office.get(base + "?state=unclosed&page=2").content.decode()
    shown = [
        name
        for name, i in several.items()
        for page in (first, second)
        if reverse("rectification:item", args=[i.pk]) in page
    ]
    assert sorted(shown) == ["escalated", "overdue"]
    assert "page=" not in first.split("导出 Excel")[0].rsplit("href=", 1)[1]
    sheet = office.get(reverse("rectification:export") + "?state=unclosed")
    assert openpyxl.load_workbook(io.BytesIO(sheet.content)).active.max_row == 3


def test_the_unit_sees_only_its_own_items(world, several):
    html = client_for(world.reporter).get(reverse("rectification:ledger")).content.decode()
    assert reverse("rectification:item", args=[several["overdue"].pk]) in html
    assert reverse("rectification:item", args=[several["escalated"].pk]) not in html


def test_the_board_counts_open_and_overdue_items(world, several):
    html = client_for(world.reviewer).get(reverse("review:board")).content.decode()
    assert "未销号1</span>" in html and "逾期1</span>" in html


def test_the_notice_lists_units_with_open_items(world, several):
    office = client_for(world.reviewer)
    response = office.post(
        reverse("review:notice", args=[world.city.pk, 2023]),
        {"issuer": "东江市法治办", "number": "东法办〔2024〕1号"},
    )
    texts = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    section = texts[texts.index("六、整改情况") : texts.index("七、有关要求")]
    assert "1. 南湖区清河镇（尚未销号1项，其中逾期1项）" in section
    assert "2. 东江市司法局（尚未销号1项）" in section


def test_items_are_raised_from_the_problems_a_notice_lists(world, handed_in):
    office = client_for(world.reviewer)
    url = reverse("rectification:notice", args=[world.city.pk, 2023])
    html = office.get(url).content.decode()
    # The year's other units have not reported: the 通报 lists them (its deadline passed).
    assert "东江市司法局" in html and "逾期未报送" in html
    problem = "2023年度法治政府建设年度报告逾期未报送"
    response = office.post(url, {"unit": world.bureau.pk, "problem": problem, "limit_days": "10"})
    item = Item.objects.get()
    assert response.status_code == 302 and item.unit == world.bureau and item.year == 2024
    assert item.notice_cycle.year == 2023
    assert "已列入整改" in office.get(url).content.decode()
    # A unit the notice does not name cannot be slipped in.
    assert (
        office.post(
            url, {"unit": world.other_town.pk, "problem": "x", "limit_days": "5"}
        ).status_code
        == 404
    )


def test_an_inspection_is_recorded_and_its_problems_raised(world):
    office = client_for(world.reviewer)
    response = office.post(
        reverse("rectification:inspections"),
        {"held_on": "2024-06-12", "team": "第一督察组", "units": [world.town.pk, world.bureau.pk]},
    )
    inspection = services.access_inspections(world.reviewer).get()
    assert response["Location"] == reverse("rectification:inspection", args=[inspection.pk])
    office.post(
        reverse("rectification:inspection", args=[inspection.pk]),
        {"unit": world.town.pk, "problem": "行政执法案卷不规范", "limit_days": "15"},
    )
    assert Item.objects.get().inspection == inspection
    page = office.get(reverse("rectification:inspection", args=[inspection.pk])).content.decode()
    assert "行政执法案卷不规范" in page


def test_the_followup_shows_on_the_review_page_and_the_self_check(world, item, seed_bytes):
    from fazhi_web.reports import services as report_services
    from fazhi_web.reports.models import Obligation

    report_services.open_year(world.admin, world.city, 2024)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2024)
    version = report_services.upload_version(
        world.reporter, obligation, "2024.txt", seed_bytes["002"]
    )
    report_services.submit(world.reporter, obligation, version)
    review = client_for(world.reviewer).get(reverse("review:report", args=[obligation.pk]))
    mine = client_for(world.reporter).get(reverse("reports:obligation", args=[obligation.pk]))
    for page in (review.content.decode(), mine.content.decode()):
        assert "整改事项落实情况（1项）" in page and "未报告整改情况" in page

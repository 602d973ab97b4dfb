"""Whether next year's report mentions an item: the matching measured on hand-made
cases in both directions, and the `rectification-not-reported` finding on real reports."""

from __future__ import annotations

import pytest

from fazhi_web.rectification import matching, services
from fazhi_web.rectification.tests.conftest import PDF
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation

# (问题, 整改措施, what the report says, whether it mentions the item)
CASES = [
    ("行政执法案卷评查发现部分案卷文书制作不规范", "",
     "针对上年度督察指出的部分行政执法案卷文书制作不规范问题，组织开展专项评查，逐卷整改。", True),
    ("规范性文件未按期报送备案", "",
     "对督察发现的2件规范性文件逾期报送备案问题，已于6月全部补报备案。", True),
    ("法治政府建设年度报告未在规定时间内公开", "在政府门户网站按时公开法治政府建设年度报告",
     "年度报告已于3月28日在政府门户网站按时公开，逾期公开问题已整改到位。", True),
    ("领导干部学法制度落实不到位，全年仅集中学法2次", "建立常务会议会前学法制度",
     "建立常务会议会前学法制度，全年集中学法12次，解决了学法次数少的问题。", True),
    ("领导干部学法制度落实不到位，全年仅集中学法2次", "",
     "领导干部集中学法次数偏少、学法制度落实不够到位的问题已整改，全年集中学法12次。", True),
    ("行政复议纠错率偏高，部分具体行政行为证据不足", "",
     "今年我镇12345热线受理诉求3134单，办结率98.1%。", False),
    ("行政执法案卷评查发现部分案卷文书制作不规范", "",
     "全面推行行政执法公示制度、执法全过程记录制度，执法人员持证上岗。", False),
    ("规范性文件未按期报送备案", "", "重大行政决策均经过合法性审查和集体讨论决定。", False),
]  # fmt: skip


@pytest.mark.parametrize(("problem", "measures", "said", "mentioned"), CASES)
def test_hand_made_cases(problem, measures, said, mentioned):
    assert matching.best(problem, measures, said).mentioned is mentioned


def test_a_whole_report_on_other_subjects_does_not_mention_an_item(seed_bytes):
    # 4,800 characters of a town's report share many words with any item, none of its passages.
    text = seed_bytes["002"].decode("utf-8")
    for problem, measures in [
        ("法治政府建设年度报告未在规定时间内公开", "在政府门户网站按时公开年度报告"),
        ("行政复议纠错率偏高，部分具体行政行为证据不足", "开展行政执法案卷评查"),
    ]:
        assert not matching.best(problem, measures, text).mentioned


def test_the_thresholds_separate_the_cases():
    scores = [(matching.best(p, m, s), expected) for p, m, s, expected in CASES]
    assert min(m.score for m, e in scores if e) >= 61
    assert max(max(m.partial, m.overlap) for m, e in scores if not e) <= 45


def test_text_too_short_to_look_for_is_never_mentioned():
    assert not matching.measure("整改问题", "整改问题已整改").mentioned


@pytest.fixture
def next_year(world, handed_in, item, seed_bytes):
    """The town's 2024 obligation; its report must account for the 2024 item."""
    report_services.open_year(world.admin, world.city, 2024)
    return Obligation.objects.get(unit=world.town, reporting_year__year=2024)


def _upload(world, obligation, text):
    version = report_services.upload_version(
        world.reporter, obligation, "2024年度报告.txt", text.encode("utf-8")
    )
    version.refresh_from_db()
    return version


def _with_sentence_in_shortcomings(version, sentence: str) -> str:
    sections = {s["id"]: s for s in version.analysis["sections"]}
    ids = version.analysis["parts"]["shortcomings"]["sections"]
    end = sections[ids[-1]]["end"]
    return version.text[:end].rstrip("\n") + sentence + "\n" + version.text[end:]


def test_a_report_that_does_not_mention_the_item_gets_the_warning(
    world, next_year, item, seed_bytes
):
    version = _upload(world, next_year, seed_bytes["002"].decode("utf-8"))
    (row,) = services.followup(next_year, version)
    assert row.item == item and row.finding is not None
    assert row.finding["rule"] == "rectification-not-reported"
    assert row.finding["severity"] == "warning"
    assert "2024年度整改事项" in row.finding["message"]


def test_a_report_that_mentions_the_item_gets_none(world, next_year, item, seed_bytes):
    services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    measures = "对照审查意见完善年度报告，逐项补齐法定内容并按时公开"
    services.submit(world.reporter, item, measures)
    item.refresh_from_db()
    first = _upload(world, next_year, seed_bytes["002"].decode("utf-8"))
    assert services.followup(next_year, first)[0].finding is not None
    text = _with_sentence_in_shortcomings(first, f"针对上年度审查指出的问题，已{measures}。")
    second = _upload(world, next_year, text)
    (row,) = services.followup(next_year, second)
    assert row.finding is None and row.match.mentioned


def test_earlier_years_count_until_closed(world, next_year, item, handed_in):
    earlier, _ = handed_in
    # The 2023 report accounts for nothing raised for 2024.
    assert services.followup(earlier) == []
    # An open item of an earlier year is still listed on a later year's report.
    report_services.open_year(world.admin, world.city, 2025)
    later = Obligation.objects.get(unit=world.town, reporting_year__year=2025)
    assert [r.item for r in services.followup(later)] == [item]
    assert services.followup(later)[0].match is None  # nothing uploaded yet
    services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    services.submit(world.reporter, item, "已整改")
    services.close(world.reviewer, item)
    assert services.followup(later) == []

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fazhi_web.reports.models import IndicatorValue, Obligation
from fazhi_web.review.services import confirm_indicator, correct_indicator
from fazhi_web.stats import queries
from fazhi_web.stats.queries import number
from fazhi_web.stats.tests.build import open_years, published, submitted

YEAR = 2025


@pytest.fixture
def data(world, seed_bytes):
    """2025 for both offices: town, district and bureau of 东江市 submitted, other town too."""
    open_years(world, YEAR)
    return {
        "town": published(world, world.town, YEAR, seed_bytes["002"]),
        "district": submitted(world, world.district, YEAR, seed_bytes["001"]),
        "bureau": submitted(world, world.bureau, YEAR, seed_bytes["004"]),
        "other": submitted(world, world.other_town, YEAR, seed_bytes["000"]),
    }


class TableParser(HTMLParser):
    """The stats table as the user sees it: header keys and cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.rows: list[list[str]] = []
        self.corrected: list[tuple[int, int]] = []
        # Cells marked 自动识别，待核对, with their titles.
        self.unchecked: dict[tuple[int, int], str] = {}
        self._in_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "stats-table" in (attrs.get("class") or ""):
            self._in_table = True
        if not self._in_table:
            return
        if tag == "th":
            self.keys.append(attrs["data-key"])
        elif tag == "tr" and "data-obligation" in attrs:
            self.rows.append([])
        elif tag == "td":
            self._cell = []
            if "corrected" in (attrs.get("class") or ""):
                self.corrected.append((len(self.rows) - 1, len(self.rows[-1])))
            if "unchecked" in (attrs.get("class") or "").split():
                self.unchecked[(len(self.rows) - 1, len(self.rows[-1]))] = attrs.get("title", "")

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def screen(client, **params) -> TableParser:
    response = client.get(reverse("stats:table"), params)
    assert response.status_code == 200
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser


def unit_names(client, **params) -> set[str]:
    return {row[0] for row in screen(client, **params).rows}


# -- who sees what ---------------------------------------------------------------


def test_reviewer_sees_only_units_below_the_office(client, world, data):
    client.force_login(world.reviewer)
    names = unit_names(client)
    assert names == {"东江市南湖区", "南湖区清河镇", "东江市司法局", "南湖区市场监督管理局"}
    assert "西山市白石镇" not in client.get(reverse("stats:table")).content.decode()


def test_other_reviewer_sees_none_of_the_city_units(client, world, data):
    client.force_login(world.other_reviewer)
    assert unit_names(client) == {"西山市白石镇"}
    html = client.get(reverse("stats:table")).content.decode()
    assert "清河镇" not in html and "南湖区" not in html
    # Asking for the other office explicitly is 404.
    response = client.get(reverse("stats:table"), {"office": world.city.pk})
    assert response.status_code == 404
    assert client.get(reverse("stats:export"), {"office": world.city.pk}).status_code == 404
    assert client.get(reverse("stats:charts"), {"office": world.city.pk}).status_code == 404


def test_reporter_sees_only_own_unit(client, world, data):
    client.force_login(world.reporter)
    assert unit_names(client) == {"南湖区清河镇"}
    wb = load_workbook(io.BytesIO(client.get(reverse("stats:export")).content))
    assert [r[0] for r in wb.active.iter_rows(min_row=3, values_only=True)] == ["南湖区清河镇"]


def test_outsider_gets_404(client, world, data):
    client.force_login(world.outsider)
    for name in ("stats:table", "stats:export", "stats:charts"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("stats:unit", args=[world.town.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, world, data):
    for url in (
        reverse("stats:table"),
        reverse("stats:export"),
        reverse("stats:charts"),
        reverse("stats:unit", args=[world.town.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# -- the table -------------------------------------------------------------------


def test_columns_are_the_indicators_of_the_filtered_rows(client, world, data):
    client.force_login(world.reviewer)
    parsed = screen(client, level="town")
    town_keys = set(
        IndicatorValue.objects.filter(obligation=data["town"]).values_list("indicator", flat=True)
    )
    assert parsed.keys[:5] == ["unit", "level", "state", "score", "on_time"]
    assert set(parsed.keys[5:]) == town_keys
    assert parsed.keys[5:] == [k for k in queries.INDICATORS if k in town_keys]  # spec order
    all_keys = set(screen(client).keys[5:])
    assert town_keys < all_keys


def test_filters_by_state_and_level(client, world, data):
    client.force_login(world.reviewer)
    assert unit_names(client, state="published") == {"南湖区清河镇"}
    assert unit_names(client, state="submitted") == {"东江市南湖区", "东江市司法局"}
    assert unit_names(client, level="department") == {"东江市司法局", "南湖区市场监督管理局"}
    assert unit_names(client, year=YEAR - 1) == set()


def test_sort_by_score_descending_and_missing_last(client, world, data):
    client.force_login(world.reviewer)
    parsed = screen(client, sort="-score")
    score_col = parsed.keys.index("score")
    scores = [r[score_col] for r in parsed.rows]
    present = [float(s) for s in scores if s]
    assert present == sorted(present, reverse=True) and len(present) == 3
    assert scores[-1] == ""  # district_bureau never reported
    ascending = [float(r[score_col]) for r in screen(client, sort="score").rows if r[score_col]]
    assert ascending == sorted(present)


def test_unknown_sort_key_is_ignored(client, world, data):
    client.force_login(world.reviewer)
    assert len(screen(client, sort="unit__path; drop").rows) == 4


def test_corrected_values_are_marked(client, world, data):
    correct_indicator(world.reviewer, data["district"], "study_sessions", 77, "次", "核对原文")
    client.force_login(world.reviewer)
    parsed = screen(client)
    col = parsed.keys.index("study_sessions")
    row = next(i for i, r in enumerate(parsed.rows) if r[0] == "东江市南湖区")
    assert parsed.rows[row][col] == "77"
    # The parser counts cells after the unit cell's own <td>, hence the same index.
    assert (row, col) in parsed.corrected


def _checks(world, data) -> tuple[str, str]:
    """The district's first value confirmed, its second corrected: (confirmed, corrected)."""
    first, second = (
        IndicatorValue.objects.filter(obligation=data["district"])
        .order_by("indicator")
        .values_list("indicator", flat=True)[:2]
    )
    confirm_indicator(world.reviewer, data["district"], first)
    correct_indicator(world.reviewer, data["district"], second, 5, "件", "核对原文")
    return first, second


def _expected_unchecked(parsed: TableParser) -> set[tuple[int, int]]:
    """Every cell holding an engine value no reviewer confirmed, from the database."""
    unit_ids = {o.unit.name: o.pk for o in Obligation.objects.select_related("unit")}
    automatic = set(
        IndicatorValue.objects.filter(corrected=False, confirmed=False).values_list(
            "obligation_id", "indicator"
        )
    )
    return {
        (i, col)
        for i, row in enumerate(parsed.rows)
        for col, key in enumerate(parsed.keys)
        if (unit_ids[row[0]], key) in automatic
    }


def test_only_unconfirmed_automatic_values_are_marked(client, world, data):
    confirmed, corrected = _checks(world, data)
    client.force_login(world.reviewer)
    response = client.get(reverse("stats:table"))
    parsed = TableParser()
    parsed.feed(response.content.decode())
    district = next(i for i, r in enumerate(parsed.rows) if r[0] == "东江市南湖区")
    at = {key: (district, parsed.keys.index(key)) for key in (confirmed, corrected)}
    assert at[confirmed] not in parsed.unchecked and at[confirmed] not in parsed.corrected
    assert at[corrected] not in parsed.unchecked and at[corrected] in parsed.corrected
    # Every other value is the engine's alone, and only those are marked.
    expected = _expected_unchecked(parsed)
    assert expected and set(parsed.unchecked) == expected
    assert set(parsed.unchecked.values()) == {"自动识别，待核对"}
    # Empty cells are not values: never marked.
    assert all(parsed.rows[r][c] != "" for r, c in parsed.unchecked)
    html = response.content.decode()
    assert "带“*”的数值由系统自动识别，尚未经审查人员核对。" in html
    assert html.index('id="unchecked-legend"') > html.index("</table>")


def test_no_legend_when_every_value_shown_is_checked(client, world, data):
    for key in IndicatorValue.objects.filter(obligation=data["town"]).values_list(
        "indicator", flat=True
    ):
        confirm_indicator(world.reviewer, data["town"], key)
    client.force_login(world.reviewer)
    response = client.get(reverse("stats:table"), {"level": "town"})
    parsed = TableParser()
    parsed.feed(response.content.decode())
    assert [r[0] for r in parsed.rows] == ["南湖区清河镇"] and not parsed.unchecked
    assert "尚未经审查人员核对" not in response.content.decode()
    # The district's values are all the engine's: the legend comes back with them.
    assert "尚未经审查人员核对" in client.get(reverse("stats:table")).content.decode()


def test_unit_history_marks_unconfirmed_values(client, world, data):
    confirmed, corrected = _checks(world, data)
    client.force_login(world.reviewer)
    response = client.get(reverse("stats:unit", args=[world.district.pk]))
    cells = {m["key"]: m["cells"][-1] for m in response.context["matrix"]}
    assert not cells[confirmed]["unchecked"] and not cells[confirmed]["corrected"]
    assert cells[corrected]["corrected"] and not cells[corrected]["unchecked"]
    others = [c for key, c in cells.items() if key not in (confirmed, corrected)]
    assert others and all(c["unchecked"] for c in others)
    assert 'class="num unchecked" title="自动识别，待核对"' in response.content.decode()


def test_export_marks_unconfirmed_values(client, world, data):
    from fazhi_web.stats.xlsx import UNCHECKED_FORMAT

    confirmed, corrected = _checks(world, data)
    client.force_login(world.reviewer)
    parsed = screen(client)
    wb = load_workbook(io.BytesIO(client.get(reverse("stats:export")).content))
    ws = wb["统计表"]
    assert [c.value for c in ws[2]] == parsed.keys
    marked = set()
    for r, row in enumerate(ws.iter_rows(min_row=3)):
        for c, cell in enumerate(row):
            if cell.number_format == UNCHECKED_FORMAT:
                # The number stays a number: Excel sums and sorts it.
                assert isinstance(cell.value, int | float)
                marked.add((r, c))
            else:
                assert cell.number_format == "General"
    # The same cells as on the screen, the confirmed and corrected ones not among them.
    assert marked == set(parsed.unchecked) == _expected_unchecked(parsed)
    district = next(i for i, r in enumerate(parsed.rows) if r[0] == "东江市南湖区")
    assert (district, parsed.keys.index(confirmed)) not in marked
    assert (district, parsed.keys.index(corrected)) not in marked
    notes = [r[0] for r in wb["说明"].iter_rows(values_only=True)]
    assert any(n and n.startswith("带“*”的数值由系统自动识别，尚未经审查人员核对") for n in notes)


def test_export_equals_the_screen_for_a_filtered_sorted_view(client, world, data):
    correct_indicator(world.reviewer, data["bureau"], "gov_service_items", 1700, "项", "核对原文")
    client.force_login(world.reviewer)
    params = {"level": "department", "sort": "-gov_service_items", "office": world.city.pk}
    parsed = screen(client, **params)
    response = client.get(reverse("stats:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content))["统计表"]
    sheet = [list(r) for r in ws.iter_rows(values_only=True)]
    assert sheet[1] == parsed.keys
    assert sheet[0][0] == "单位" and sheet[0][5:] == [
        queries.INDICATORS[k] for k in parsed.keys[5:]
    ]
    data_rows = sheet[2:]
    assert len(data_rows) == len(parsed.rows) == 2
    for excel, html in zip(data_rows, parsed.rows, strict=True):
        shown = [number(v) if isinstance(v, int | float) else (v or "") for v in excel]
        assert shown == html
    # Numbers are numbers, and the sort is the screen's: bureau (1700) first.
    col = parsed.keys.index("gov_service_items")
    assert data_rows[0][0] == "东江市司法局" and data_rows[0][col] == 1700
    assert isinstance(data_rows[0][parsed.keys.index("score")], float)
    assert ws.cell(row=3, column=col + 1).fill.fgColor.rgb.endswith("FDE68A")


def test_export_follows_a_different_sort(client, world, data):
    client.force_login(world.reviewer)
    for sort in ("unit", "-unit", "state", "on_time"):
        parsed = screen(client, sort=sort)
        ws = load_workbook(
            io.BytesIO(client.get(reverse("stats:export"), {"sort": sort}).content)
        ).active
        assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == [
            r[0] for r in parsed.rows
        ]


def test_table_query_count_does_not_grow_with_rows(client, world, seed_bytes):
    open_years(world, YEAR)
    client.force_login(world.reviewer)
    client.get(reverse("stats:table"))  # warm up sessions and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("stats:table"))
    submitted(world, world.town, YEAR, seed_bytes["002"])
    submitted(world, world.district, YEAR, seed_bytes["001"])
    submitted(world, world.bureau, YEAR, seed_bytes["004"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("stats:table"))
    assert len(response.context["table"].rows) == 4
    assert len(many) == len(few)
    assert not any("reportversion" in q["sql"].lower() and '"text"' in q["sql"] for q in many)


def test_on_time_status(world, seed_bytes):
    # 2025's deadline (2026-03-31) has passed: submitting now is late. 2026's has not.
    open_years(world, YEAR, YEAR + 1)
    submitted(world, world.town, YEAR, seed_bytes["002"])
    submitted(world, world.town, YEAR + 1, seed_bytes["002"])
    rows = {
        (r["unit_id"], r["reporting_year__year"]): r
        for r in queries.base_rows(Obligation.objects.all())
    }
    assert queries.on_time_status(rows[(world.town.pk, YEAR)]) == queries.LATE
    assert queries.on_time_status(rows[(world.town.pk, YEAR + 1)]) == queries.ON_TIME
    assert queries.on_time_status(rows[(world.bureau.pk, YEAR)]) == queries.OVERDUE
    assert queries.on_time_status(rows[(world.bureau.pk, YEAR + 1)]) == queries.NOT_DUE
    rates = queries.on_time_rates(Obligation.objects.filter(reporting_year__year=YEAR + 1))
    assert rates["on_time"] == 1 and rates["total"] == 5  # 4 units below 东江市, 1 below 西山市
    town_level = next(lv for lv in rates["levels"] if lv["level"] == "town")
    assert town_level["on_time"] == 1 and town_level["total"] == 2
    # The database's count agrees with the per-row rule, late and overdue included.
    late = queries.on_time_rates(Obligation.objects.filter(reporting_year__year=YEAR))
    assert late["on_time"] == 0 and late["total"] == 5


# -- one unit over the years ---------------------------------------------------


def test_unit_history(client, world, seed_bytes):
    open_years(world, YEAR - 1, YEAR)
    submitted(world, world.town, YEAR - 1, seed_bytes["002"])
    later = submitted(world, world.town, YEAR, seed_bytes["004"])
    client.force_login(world.reviewer)
    response = client.get(
        reverse("stats:unit", args=[world.town.pk]), {"indicator": "npc_suggestions"}
    )
    assert response.status_code == 200
    assert response.context["years"] == [YEAR - 1, YEAR]
    row = next(m for m in response.context["matrix"] if m["key"] == "npc_suggestions")
    value = IndicatorValue.objects.get(obligation=later, indicator="npc_suggestions").value
    assert [c["text"] for c in row["cells"]] == ["", number(value)]
    assert response.context["chart"]["series"][0]["data"] == [None, value]
    assert 'id="chart-indicator"' in response.content.decode()


@pytest.mark.parametrize(
    ("user", "unit", "status"),
    [
        ("reviewer", "town", 200),
        ("reporter", "town", 200),
        ("reporter", "district", 404),
        ("other_reviewer", "town", 404),
        ("other_reporter", "town", 404),
        ("outsider", "town", 404),
        ("reviewer", "city", 404),  # the office's own report goes to the level above
    ],
)
def test_unit_history_access(client, world, data, user, unit, status):
    client.force_login(getattr(world, user))
    response = client.get(reverse("stats:unit", args=[getattr(world, unit).pk]))
    assert response.status_code == status
    if status == 404:
        assert "得分" not in response.content.decode()


# -- charts --------------------------------------------------------------------


def test_charts_for_reviewer(client, world, data):
    client.force_login(world.reviewer)
    response = client.get(reverse("stats:charts"), {"indicator": "gov_service_items"})
    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("chart-parts", "chart-score", "chart-on-time", "chart-indicator"):
        assert f'id="{chart}"' in html
    assert "vendor/echarts.min.js" in html and "cdn" not in html.lower()
    ctx = response.context
    assert ctx["total"] == 4 and ctx["with_report"] == 3
    assert ctx["parts_chart"]["series"][0]["data"][0] == 100.0  # every report has 举措和成效
    assert sum(ctx["score_chart"]["series"][0]["data"]) == 3
    assert ctx["on_time"]["total"] == 4 and ctx["on_time"]["rate"] == 0.0  # 2025: all late
    units = ctx["indicator_chart"]["xAxis"]["data"]
    assert set(units) <= {"东江市南湖区", "南湖区清河镇", "东江市司法局", "南湖区市场监督管理局"}
    assert units  # gov_service_items is stated by the town, district and bureau
    values = ctx["indicator_chart"]["series"][0]["data"]
    assert values == sorted(values, reverse=True)


def test_charts_of_other_office_do_not_show_city_units(client, world, data):
    client.force_login(world.other_reviewer)
    response = client.get(reverse("stats:charts"), {"indicator": "gov_service_items"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "清河镇" not in html and "南湖区" not in html and "东江市司法局" not in html
    assert response.context["total"] == 1


def test_parts_are_counted_from_the_stored_presence(world, data):
    from fazhi_web.reports.models import ReportVersion

    versions = ReportVersion.objects.filter(obligation__in=data.values())
    for v in versions:
        assert v.parts_present == ReportVersion.parts_found(v.analysis)
    assert versions.get(obligation=data["town"]).parts_present["measures"] is True
    summary = queries.report_summary(Obligation.objects.filter(reporting_year__year=YEAR))
    # Five obligations in 2025 (four below 东江市, one below 西山市), four with a report.
    assert summary["count"] == 5 and summary["with_report"] == 4
    expected = {
        p: queries.share(sum(v.parts_present.get(p, False) for v in versions), 4)
        for p in queries.PARTS
    }
    assert summary["parts"] == expected
    scores = [v.score for v in versions]
    assert summary["mean_score"] == round(sum(scores) / len(scores), 1)
    town = next(lv for lv in summary["levels"] if lv["level"] == "town")
    assert town["count"] == 2 and town["with_report"] == 2


def test_score_histogram_bins(world, data):
    from fazhi_web.reports.models import ReportVersion

    qs = Obligation.objects.filter(reporting_year__year=YEAR)
    version = ReportVersion.objects.get(obligation=data["town"])
    for score, expected_bin in ((49.9, 0), (50, 1), (54.9, 1), (94.9, 9), (95, 10), (100, 10)):
        ReportVersion.objects.filter(pk=version.pk).update(score=score)
        labels, counts = queries.score_histogram(qs)
        assert sum(counts) == 4 and len(labels) == len(counts) == 11
        town_alone = queries.score_histogram(qs.filter(pk=data["town"].pk))[1]
        assert town_alone[expected_bin] == 1, (score, labels[expected_bin])


def test_junk_parameters(client, world, data):
    client.force_login(world.reviewer)
    for params in ({"year": "abc"}, {"year": "9" * 30}, {"level": "x", "state": "y"}):
        response = client.get(reverse("stats:table"), params)
        assert response.status_code == 200
    assert client.get(reverse("stats:table"), {"year": "abc"}).context["scope"].year == YEAR
    for office in ("abc", "9" * 30, str(world.other_city.pk)):
        assert client.get(reverse("stats:table"), {"office": office}).status_code == 404
    assert client.get(reverse("stats:unit", args=[10**20])).status_code == 404


# -- paged and sorted in the database ----------------------------------------------


def _export_names(client, **params) -> list[str]:
    ws = load_workbook(io.BytesIO(client.get(reverse("stats:export"), params).content)).active
    return [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]


def _export_rows(client, **params) -> tuple[list[str], list[list]]:
    ws = load_workbook(io.BytesIO(client.get(reverse("stats:export"), params).content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[1], rows[2:]


@pytest.fixture
def more_towns(world, data, seed_bytes):
    """Three more towns, two with reports: seven rows below 东江市."""
    from fazhi_web.reports.services import open_year
    from fazhi_web.units.models import Level, Unit

    extra = [
        Unit.objects.create(name=name, level=Level.TOWN, parent=world.district)
        for name in ("南湖区白沙镇", "南湖区东岭镇", "南湖区西坪镇")
    ]
    # Units made after the year was opened owe nothing; open the next year for all.
    open_year(world.admin, world.city, YEAR + 1)
    for unit, seed in zip(extra[:2], ("000", "003"), strict=True):
        submitted(world, unit, YEAR + 1, seed_bytes[seed])
    submitted(world, world.town, YEAR + 1, seed_bytes["002"])
    return extra


@pytest.mark.parametrize(
    "sort", ["", "unit", "-unit", "level", "state", "-score", "score", "on_time", "-on_time"]
)
def test_pages_follow_the_sort_and_cover_every_row(client, world, more_towns, monkeypatch, sort):
    from fazhi_web.stats import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(world.reviewer)
    params = {"year": YEAR + 1, "sort": sort}
    pages = [screen(client, **params, page=n) for n in (1, 2, 3)]
    assert [len(p.rows) for p in pages] == [3, 3, 1]
    shown = [row[0] for p in pages for row in p.rows]
    assert shown == _export_names(client, **params)
    assert len(set(shown)) == 7
    # A page past the end shows the last page, as Django's paginator does.
    assert [r[0] for r in screen(client, **params, page=99).rows] == shown[6:]


def _reference_order(keys: list[str], rows: list[list], sort: str) -> list[str]:
    """The table's sort rule, applied in Python to the unsorted export."""
    key = sort.lstrip("-")
    col = keys.index(key)
    rank = {
        "level": {label: i for i, label in enumerate(queries.LEVEL_LABELS.values())},
        "state": {label: i for i, label in enumerate(queries.STATE_LABELS.values())},
        "on_time": queries.ON_TIME_ORDER,
    }.get(key)

    def value(row):
        return rank[row[col]] if rank else row[col]

    present = [r for r in rows if r[col] not in (None, "")]
    missing = [r for r in rows if r[col] in (None, "")]
    ordered = sorted(present, key=value, reverse=sort.startswith("-")) + missing
    return [r[0] for r in ordered]


def test_sorts_in_the_database_match_the_rule(client, world, more_towns, data):
    correct_indicator(world.reviewer, data["district"], "study_sessions", 3, "次", "核对原文")
    client.force_login(world.reviewer)
    for year in (YEAR, YEAR + 1):
        keys, unsorted = _export_rows(client, year=year)
        assert len(unsorted) >= 4
        for key in keys:
            for sort in (key, "-" + key):
                expected = _reference_order(keys, unsorted, sort)
                assert _export_names(client, year=year, sort=sort) == expected, sort


def test_columns_and_corrections_cover_every_page(client, world, data, monkeypatch):
    from fazhi_web.stats import views

    correct_indicator(world.reviewer, data["district"], "study_sessions", 77, "次", "核对原文")
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(world.reviewer)
    # In hierarchy order the district (corrected) comes first, its town second.
    second = client.get(reverse("stats:table"), {"page": "2"})
    [row] = second.context["table"].rows
    assert row.cells["unit"] == "南湖区清河镇" and not row.corrected
    # The corrected value is on another page, yet the note about corrections shows.
    assert second.context["any_corrected"]
    assert "审查员更正后的数值" in second.content.decode()
    # The columns are those of all rows, not of the one row shown.
    keys = screen(client, page="2").keys
    assert "study_sessions" in keys and set(keys) == set(screen(client).keys)
    bureau = screen(client, level="department", page="2")
    assert set(bureau.keys) == set(screen(client, level="department").keys)
    assert "共 <strong>4</strong> 个单位" in second.content.decode()


def test_present_indicators_are_those_of_the_scope(world, data):
    everything = Obligation.objects.all()
    stated = set(IndicatorValue.objects.values_list("indicator", flat=True))
    assert queries.present_indicators(everything) == stated
    town = Obligation.objects.filter(pk=data["town"].pk)
    assert queries.present_indicators(town) == set(
        IndicatorValue.objects.filter(obligation=data["town"]).values_list("indicator", flat=True)
    )
    assert queries.present_indicators(Obligation.objects.filter(reporting_year__year=1999)) == set()
    assert queries.present_indicators(Obligation.objects.none()) == set()


def test_table_page_has_a_fixed_number_of_queries(
    client, world, more_towns, django_assert_max_num_queries
):
    client.force_login(world.reviewer)
    client.get(reverse("stats:table"))  # warm up sessions and caches
    for params in ({}, {"sort": "-study_sessions", "page": "1"}, {"level": "town"}):
        with django_assert_max_num_queries(14):
            assert client.get(reverse("stats:table"), params).status_code == 200


def test_unit_history_has_a_fixed_number_of_queries(
    client, world, seed_bytes, django_assert_max_num_queries
):
    open_years(world, YEAR - 2, YEAR - 1, YEAR)
    for year in (YEAR - 2, YEAR - 1, YEAR):
        submitted(world, world.town, year, seed_bytes["002"])
    client.force_login(world.reviewer)
    client.get(reverse("stats:unit", args=[world.town.pk]))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("stats:unit", args=[world.town.pk]))
    assert response.context["years"] == [YEAR - 2, YEAR - 1, YEAR]


def test_indicator_chart_shows_the_highest_values_when_units_are_many(
    client, world, data, monkeypatch
):
    from fazhi_web.stats import views

    client.force_login(world.reviewer)
    full = client.get(reverse("stats:charts"), {"indicator": "gov_service_items"}).context
    assert not full["indicator_capped"]
    monkeypatch.setattr(views, "CHART_UNITS", 2)
    response = client.get(reverse("stats:charts"), {"indicator": "gov_service_items"})
    chart = response.context["indicator_chart"]
    assert response.context["indicator_capped"]
    assert "仅显示数值最高的 2 个单位" in response.content.decode()
    assert chart["series"][0]["data"] == full["indicator_chart"]["series"][0]["data"][:2]
    assert chart["xAxis"]["data"] == full["indicator_chart"]["xAxis"]["data"][:2]


def test_charts_and_public_statistics_have_a_fixed_number_of_queries(
    client, world, more_towns, django_assert_max_num_queries
):
    client.force_login(world.reviewer)
    client.get(reverse("stats:charts"))
    with django_assert_max_num_queries(13):
        assert client.get(reverse("stats:charts")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(4):
        assert client.get(reverse("portal:stats"), {"year": YEAR}).status_code == 200

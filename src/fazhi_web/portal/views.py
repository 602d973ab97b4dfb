"""The public portal: published reports, full-text search, public statistics and open data.

Everything here reads through `published_obligations()`, whoever is logged in:
the portal is what the public sees, so an unpublished report is 404 here even
for its reviewer.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from fazhi_web.portal.models import Publication
from fazhi_web.portal.search import (
    by_relevance,
    matching,
    newest_first,
    through_the_index,
    tokens,
)
from fazhi_web.reports.models import IndicatorValue, Obligation, ReportingYear
from fazhi_web.reports.services import download_name, report_title
from fazhi_web.stats import queries
from fazhi_web.stats.views import bar_option
from fazhi_web.units.access import published_obligations

PER_PAGE = 50
RANKED_MATCHES = 500
OPEN_DATA_MAX_AGE = 600

ROW_FIELDS = (
    "pk",
    "unit__name",
    "unit__level",
    "unit__region",
    "reporting_year__year",
    "published_at",
    "current_version_id",
    "current_version__analysis__meta__title",
)


def _page_of_ids(ordered: QuerySet[Any], number: Any, size: int) -> Page[int]:
    """One page of the ids of `ordered`, and how many there are, in one query.

    Counting and then slicing would find every match twice (each time joining
    tens of thousands of index entries with the published reports); a window
    count comes with the page. (Where the database can stop a sort early, as
    for the statistics table, a separate count is cheaper.) Like `Paginator.get_page`, a number that is not
    one gives the first page and a number past the end the last.
    """
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    counted = ordered.annotate(in_all=Window(Count("pk"))).values_list("pk", "in_all")
    start = (wanted - 1) * size
    rows = list(counted[start : start + size])
    paginator: Paginator[int] = Paginator(ordered.values_list("pk", flat=True), size)
    if rows:
        paginator.count = rows[0][1]
    elif wanted > 1:  # past the end: the last page
        wanted = paginator.num_pages
        start = (wanted - 1) * size
        rows = list(counted[start : start + size])
    return Page([pk for pk, _ in rows], wanted, paginator)


def snippet(text: str, query: str, before: int = 40, after: int = 90) -> SafeString:
    """A piece of `text` around the first query word found in it, escaped, the word in <mark>.

    The words as typed are tried first, then rjieba's tokens of the query,
    longest first, since the index matched on those.
    """
    typed = [w for w in query.split() if w]
    words = list(dict.fromkeys(typed + sorted(tokens(query), key=len, reverse=True)))
    for word in words:
        pos = text.find(word)
        if pos >= 0:
            break
    else:
        cut = text[: before + after].replace("\n", " ")
        return mark_safe(escape(cut) + ("…" if len(text) > len(cut) else ""))
    start = max(0, pos - before)
    end = min(len(text), pos + len(word) + after)
    piece = text[start:end].replace("\n", " ")
    marked = f"<mark>{escape(word)}</mark>".join(escape(part) for part in piece.split(word))
    return mark_safe(("…" if start > 0 else "") + marked + ("…" if end < len(text) else ""))


# Words the reports use for the work people most often look for.
COMMON_WORDS = ("行政复议", "行政执法", "规范性文件", "法治宣传")


def suggestions(q: str, region: str, level: str, year: str, unit: str) -> list[dict[str, str]]:
    """What to try when a search finds nothing: fewer filters, fewer words, common words."""
    out = []
    narrowed = any((region, level, year, unit))
    if narrowed:
        text = f"在全部地区、层级、年度中检索“{q}”" if q else "清除筛选条件，查看全部已公开报告"
        out.append({"text": text, "query": urlencode({"q": q} if q else {})})
    words = sorted(set(tokens(q)) - {q}, key=len, reverse=True) if q else []
    for word in words[:3]:
        if len(word) >= 2:
            out.append({"text": f"只检索“{word}”", "query": urlencode({"q": word})})
    for word in COMMON_WORDS:
        if word != q:
            out.append({"text": f"检索常用词“{word}”", "query": urlencode({"q": word})})
    return out


def _row(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "pk": values["pk"],
        "unit": values["unit__name"],
        "level": queries.LEVEL_LABELS.get(values["unit__level"], values["unit__level"]),
        "region": values["unit__region"],
        "year": values["reporting_year__year"],
        "title": report_title(
            values["unit__name"],
            values["reporting_year__year"],
            values["current_version__analysis__meta__title"],
        ),
        "published_at": values["published_at"],
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    qs = published_obligations()
    years = _published_years()
    region = request.GET.get("region", "").strip()
    level = request.GET.get("level", "")
    unit = request.GET.get("unit", "").strip()
    q = request.GET.get("q", "").strip()[:100]
    year = request.GET.get("year", "")
    if region:
        qs = qs.filter(unit__region__icontains=region)
    if level in queries.LEVEL_LABELS:
        qs = qs.filter(unit__level=level)
    else:
        level = ""
    if year.isdigit() and len(year) == 4:
        # The year's cycles by id: the planner then knows how many reports they hold.
        cycles = ReportingYear.objects.filter(year=int(year)).values_list("pk", flat=True)
        qs = qs.filter(reporting_year__in=list(cycles))
    else:
        year = ""
    if unit:
        qs = qs.filter(unit__name__icontains=unit)

    newest = False
    if q:
        found_qs = matching(q, qs)
        with through_the_index():
            # A common word matches tens of thousands of reports in a national
            # year, too many to rank one by one: those are listed newest first.
            page = _page_of_ids(newest_first(found_qs), request.GET.get("page"), PER_PAGE)
            newest = page.paginator.count > RANKED_MATCHES
            if not newest:
                page = _page_of_ids(by_relevance(found_qs, q), request.GET.get("page"), PER_PAGE)
    else:
        # Ids first, from the index of published reports; only the page's rows are read.
        page = _page_of_ids(newest_first(qs), request.GET.get("page"), PER_PAGE)
    ids = list(page.object_list)
    fields = (*ROW_FIELDS, "current_version__text") if q else ROW_FIELDS
    found = {v["pk"]: v for v in published_obligations().filter(pk__in=ids).values(*fields)}
    rows = []
    for pk in ids:
        row = _row(found[pk])
        if q:
            row["snippet"] = snippet(found[pk]["current_version__text"] or "", q)
        rows.append(row)
    return render(
        request,
        "portal/index.html",
        {
            "suggestions": [] if rows else suggestions(q, region, level, year, unit),
            "rows": rows,
            "page": page,
            "q": q,
            "newest": newest,
            "region": region,
            "level": level,
            "year": year,
            "unit": unit,
            "years": years,
            "levels": list(queries.LEVEL_LABELS.items()),
        },
    )


# A heading's own full stop or colon stays with it, as the report wrote it.
HEADING_END = "。：:."


def _depths(sections: list[dict[str, Any]]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for s in sections:
        depth[s["id"]] = depth[s["parent"]] + 1 if s.get("parent") in depth else 0
    return depth


def _outline(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    depth = _depths(sections)
    return [
        {
            "id": s["id"],
            "marker": s.get("marker") or "",
            "title": s["title"],
            "depth": depth[s["id"]],
        }
        for s in sections
    ]


def _heading_at(line: str, section: dict[str, Any]) -> int:
    """How much of `line` is the section's heading (its marker and title), or 0."""
    heading = (section.get("marker") or "") + section["title"]
    if not heading or not line.startswith(heading):
        return 0
    end = len(heading)
    if end < len(line) and line[end] in HEADING_END:
        end += 1
    return end


def _blocks(text: str, sections: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    """The text as paragraphs and headings, from the engine's section offsets.

    A section whose heading fills its line is a heading (h2 for 一、, h3 for
    (一), h4 below); a heading followed by text on the same line (“(一)深入学习
    贯彻习近平法治思想。专题传达……”) is a run-in heading of its paragraph. Each
    block carries the ids of the sections that start in it, for the 目录's links.
    The title line is the page's own <h1>, so it is not repeated.
    """
    depth = _depths(sections)
    starts = sorted((s["start"], s["id"], s) for s in sections)
    out: list[dict[str, Any]] = []
    offset = 0
    i = 0
    for line in text.split("\n"):
        end = offset + len(line)
        anchors, here = [], []
        while i < len(starts) and starts[i][0] <= end:
            anchors.append(starts[i][1])
            here.append(starts[i])
            i += 1
        stripped = line.strip()
        if not stripped:
            if anchors and out:
                out[-1]["anchors"].extend(anchors)
        elif not out and stripped == title:
            pass
        else:
            block = {"text": stripped, "anchors": anchors, "heading": "", "level": 0}
            lead = len(line) - len(line.lstrip())
            starting = [s for start, _, s in here if start == offset + lead]
            if starting:
                cut = _heading_at(stripped, starting[0])
                if cut:
                    block["heading"] = stripped[:cut]
                    block["text"] = stripped[cut:].strip()
                    block["level"] = min(depth[starting[0]["id"]] + 2, 4)
            out.append(block)
        offset = end + 1
    return out


@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    obligation: Obligation = get_object_or_404(published_obligations(), pk=pk)
    version = obligation.current_version
    if version is None:
        raise Http404("报告不存在。")
    analysis = version.analysis or {}
    sections = analysis.get("sections") or []
    title = report_title(
        obligation.unit.name, obligation.year, (analysis.get("meta") or {}).get("title")
    )
    indicators = {
        v.indicator: v
        for v in IndicatorValue.objects.filter(obligation=obligation).only(
            "indicator", "value", "unit", "corrected"
        )
    }
    return render(
        request,
        "portal/report.html",
        {
            "obligation": obligation,
            "version": version,
            "title": title,
            "publication": Publication.objects.filter(obligation=obligation).first(),
            "level": queries.LEVEL_LABELS.get(obligation.unit.level, obligation.unit.level),
            "blocks": _blocks(version.text, sections, title),
            "outline": _outline(sections),
            "download_name": download_name(obligation, version),
            "indicators": [
                {
                    "label": queries.indicator_label(key),
                    "value": queries.number(indicators[key].value),
                    "unit": indicators[key].unit,
                    "corrected": indicators[key].corrected,
                }
                for key in queries.ordered_indicators(set(indicators))
            ],
        },
    )


def _published_years() -> list[int]:
    """Years with a published report: one probe per reporting cycle, not a pass over every report."""
    cycles = ReportingYear.objects.filter(
        Exists(published_obligations().filter(reporting_year=OuterRef("pk")))
    )
    return sorted(set(cycles.values_list("year", flat=True)), reverse=True)


def _year(request: HttpRequest, years: list[int]) -> int | None:
    value = request.GET.get("year", "")
    if value.isdigit() and len(value) == 4:
        return int(value)
    return years[0] if years else None


def _labelled(shares: dict[str, float | None]) -> list[dict[str, Any]]:
    """Each part's share with its name: on a phone every cell says what it is."""
    return [{"name": name, "share": shares[p]} for p, name in queries.PARTS.items()]


@require_safe
def stats(request: HttpRequest) -> HttpResponse:
    years = _published_years()
    year = _year(request, years)
    qs = published_obligations().filter(reporting_year__year=year)
    totals = queries.report_summary(qs)
    levels = totals["levels"]
    summary = queries.indicator_summary(qs)
    for item in summary:
        item["total_text"] = queries.number(item["total"])
        item["mean_text"] = queries.number(round(item["mean"], 2))
    level_names = [lv["label"] for lv in levels]
    return render(
        request,
        "portal/stats.html",
        {
            "years": years,
            "year": year,
            "count": totals["count"],
            "mean_score": totals["mean_score"],
            "levels": [lv | {"parts_labelled": _labelled(lv["parts"])} for lv in levels],
            "part_names": list(queries.PARTS.values()),
            "coverage_labelled": _labelled(totals["parts"]),
            "summary": summary,
            "count_chart": bar_option(
                level_names,
                [("公开报告数", [lv["count"] for lv in levels])],
                value_name="份",
                counts=True,
            ),
            "score_chart": bar_option(
                level_names, [("平均得分", [lv["mean_score"] for lv in levels])], value_name="分"
            ),
            "parts_chart": bar_option(
                list(queries.PARTS.values()),
                [(lv["label"], [lv["parts"][p] for p in queries.PARTS]) for lv in levels],
                percent=True,
            ),
        },
    )


def _open_data(request: HttpRequest) -> tuple[int | None, list[str], list[list[Any]]]:
    year = _year(request, _published_years())
    fields, rows = queries.open_data(published_obligations().filter(reporting_year__year=year))
    return year, fields, rows


@require_safe
@cache_control(public=True, max_age=OPEN_DATA_MAX_AGE)
def stats_csv(request: HttpRequest) -> HttpResponse:
    year, fields, rows = _open_data(request)
    buffer = io.StringIO()
    # The byte-order mark makes Excel read the file as UTF-8 instead of GBK.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(fields)
    for row in rows:
        writer.writerow(
            ["" if v is None else queries.number(v) if isinstance(v, float) else v for v in row]
        )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="fazhi-reports-{year or "none"}.csv"'
    return response


@require_safe
@cache_control(public=True, max_age=OPEN_DATA_MAX_AGE)
def stats_json(request: HttpRequest) -> HttpResponse:
    year, fields, rows = _open_data(request)
    return JsonResponse(
        {
            "year": year,
            "fields": fields,
            "labels": {k: queries.indicator_label(k) for k in fields if k in queries.INDICATORS},
            "rows": rows,
        },
        json_dumps_params={"ensure_ascii": False},
    )

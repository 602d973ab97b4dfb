"""Every change to the yearly cycle goes through these functions; each writes the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi import data as engine_data
from fazhi.load import SUPPORTED_SUFFIXES, InputError
from fazhi.pipeline import analyze_bytes
from fazhi_web.audit.log import record
from fazhi_web.reports.models import (
    DeadlineRule,
    IndicatorValue,
    Obligation,
    ReportingYear,
    ReportVersion,
    State,
)
from fazhi_web.units.models import Level, Unit

# What a unit may upload on the web; .doc/.wps need LibreOffice on the server.
WEB_SUFFIXES = frozenset({".docx", ".pdf", ".txt", ".html", ".htm"}) & SUPPORTED_SUFFIXES


class ActionRefused(Exception):
    """An action the rules of the cycle do not allow; the message is for the user."""


def default_deadline(level: str, year: int) -> dt.date:
    table = engine_data.load("deadlines")["submit"]
    month, day = (int(x) for x in table.get(level, table["unknown"]).split("-"))
    return dt.date(year + 1, month, day)


def deadline_for(office: Unit, level: str, year: int) -> dt.date:
    rule = DeadlineRule.objects.filter(office=office, level=level).first()
    return rule.date_for(year) if rule else default_deadline(level, year)


@transaction.atomic
def set_deadline_rule(actor: Any, office: Unit, level: str, month: int, day: int) -> DeadlineRule:
    try:
        dt.date(2001, month, day)
    except ValueError:
        raise ActionRefused("日期无效，请检查月份和日期。") from None
    rule = DeadlineRule.objects.filter(office=office, level=level).first()
    before = {"month": rule.month, "day": rule.day} if rule else None
    rule, _ = DeadlineRule.objects.update_or_create(
        office=office, level=level, defaults={"month": month, "day": day}
    )
    record(
        actor,
        "deadline.set",
        f"设置{Level(level).label}报送截止日期为次年{month}月{day}日",
        unit=office,
        obj=rule,
        before=before,
        after={"month": month, "day": day},
    )
    return rule


@transaction.atomic
def open_year(actor: Any, office: Unit, year: int) -> ReportingYear:
    """Open a reporting year: every visible unit below the office gets its obligation."""
    if ReportingYear.objects.filter(office=office, year=year).exists():
        raise ActionRefused(f"{year}年度已经开启，无需重复开启。")
    if not 2000 <= year <= timezone.localdate().year:
        raise ActionRefused("报告年度无效。")
    cycle = ReportingYear.objects.create(office=office, year=year, opened_by=actor)
    units = office.descendants().filter(hidden_reason="")
    Obligation.objects.bulk_create(
        Obligation(reporting_year=cycle, unit=u, deadline=deadline_for(office, u.level, year))
        for u in units
    )
    record(
        actor,
        "year.open",
        f"开启{year}年度报告，共{units.count()}个单位应报送",
        unit=office,
        obj=cycle,
        after={"year": year, "units": units.count()},
    )
    return cycle


@transaction.atomic
def grant_extension(actor: Any, obligation: Obligation, until: dt.date, reason: str) -> None:
    if not reason.strip():
        raise ActionRefused("请填写延期原因。")
    if until <= obligation.deadline:
        raise ActionRefused("延期后的日期应晚于原截止日期。")
    before = {"extended_to": _iso(obligation.extended_to), "reason": obligation.extension_reason}
    obligation.extended_to = until
    obligation.extension_reason = reason.strip()
    obligation.save(update_fields=["extended_to", "extension_reason"])
    record(
        actor,
        "obligation.extend",
        f"同意{obligation.unit}延期至{until.isoformat()}：{reason}",
        unit=obligation.unit,
        obj=obligation,
        before=before,
        after={"extended_to": until.isoformat(), "reason": reason},
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _store(content: bytes, sha256: str, suffix: str) -> str:
    """Write the upload once under its hash; identical uploads share the file."""
    root = Path(settings.UPLOAD_ROOT)
    name = f"{sha256[:2]}/{sha256}{suffix}"
    path = root / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    return name


def upload_version(actor: Any, obligation: Obligation, name: str, content: bytes) -> ReportVersion:
    """Analyse an upload and keep it as the next version. Refusals explain themselves."""
    if obligation.state not in (State.PENDING, State.RETURNED):
        raise ActionRefused("报告已报送，审查期间不能上传新版本；如需修改，请等待审查员退回。")
    suffix = Path(name).suffix.lower()
    if suffix not in WEB_SUFFIXES:
        raise ActionRefused(
            f"不支持“{name}”的文件类型，请上传 .docx、.pdf、.txt 或 .html 文件（.doc/.wps 请另存为 .docx）。"
        )
    if len(content) > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ActionRefused(
            f"文件“{name}”超过 {limit} MB 的大小限制，请压缩图片或删除附件后再上传。"
        )
    try:
        doc = analyze_bytes(name, content)
    except InputError as exc:
        raise ActionRefused(str(exc)) from None
    if doc.source.format == "doc":
        raise ActionRefused(f"“{name}”实为 .doc/.wps 文件，请另存为 .docx 后上传。")
    return _save_version(
        actor, obligation, name, content, doc.source.sha256, doc.source.format, doc
    )


def paste_version(actor: Any, obligation: Obligation, text: str) -> ReportVersion:
    if not text.strip():
        raise ActionRefused("粘贴的内容为空，请粘贴报告全文。")
    return upload_version(actor, obligation, "粘贴文本.txt", text.encode("utf-8"))


@transaction.atomic
def _save_version(
    actor: Any, obligation: Obligation, name: str, content: bytes, sha256: str, fmt: str, doc: Any
) -> ReportVersion:
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    number = obligation.versions.count() + 1
    analysis = doc.to_json()
    version = ReportVersion.objects.create(
        obligation=obligation,
        number=number,
        original_name=name[:255],
        stored_name=_store(content, sha256, Path(name).suffix.lower()),
        sha256=sha256,
        size=len(content),
        format=fmt,
        text=doc.text,
        analysis=analysis,
        score=analysis["score"]["total"],
        uploaded_by=actor,
    )
    record(
        actor,
        "version.upload",
        f"上传第{number}版“{name}”（得分{analysis['score']['total']}）",
        unit=obligation.unit,
        obj=version,
        after={"number": number, "sha256": sha256, "size": len(content), "name": name},
    )
    return version


@transaction.atomic
def submit(
    actor: Any, obligation: Obligation, version: ReportVersion, at: dt.datetime | None = None
) -> None:
    """Hand in a version. `at` records a submission made outside the platform (imports)."""
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.state not in (State.PENDING, State.RETURNED):
        raise ActionRefused("该报告已报送，不能重复报送。")
    if version.obligation_id != obligation.pk:
        raise ActionRefused("所选版本不属于该报告。")
    now = at or timezone.now()
    before = {"state": obligation.state, "version": _version_number(obligation)}
    obligation.state = State.SUBMITTED
    obligation.submitted_at = now
    obligation.current_version = version
    obligation.save(update_fields=["state", "submitted_at", "current_version"])
    version.submitted_at = now
    version.save(update_fields=["submitted_at"])
    rebuild_indicators(obligation)
    late = "（逾期）" if obligation.was_late() else ""
    record(
        actor,
        "obligation.submit",
        f"报送第{version.number}版{late}",
        unit=obligation.unit,
        obj=obligation,
        before=before,
        after={"state": obligation.state, "version": version.number},
    )


def _version_number(obligation: Obligation) -> int | None:
    return obligation.current_version.number if obligation.current_version else None


def rebuild_indicators(obligation: Obligation) -> None:
    """Indicator values of the current version, with the reviewers' latest corrections."""
    from fazhi_web.review.models import IndicatorCorrection

    version = obligation.current_version
    values: dict[str, tuple[float, str, bool]] = {}
    if version is not None:
        for key, entry in version.analysis.get("indicators", {}).items():
            values[key] = (entry["value"], entry.get("unit", ""), False)
    seen: set[str] = set()
    for c in IndicatorCorrection.objects.filter(obligation=obligation):
        if c.indicator not in seen:
            values[c.indicator] = (c.value, c.unit, True)
            seen.add(c.indicator)
    IndicatorValue.objects.filter(obligation=obligation).delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(obligation=obligation, indicator=k, value=v, unit=u, corrected=c)
        for k, (v, u, c) in values.items()
    )

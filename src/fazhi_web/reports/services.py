"""Every change to the yearly cycle goes through these functions; each writes the audit log."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi import data as engine_data
from fazhi import pipeline
from fazhi.load import SUPPORTED_SUFFIXES, InputError, load_bytes, office
from fazhi_web import uploads
from fazhi_web.audit.log import record
from fazhi_web.celery import broker_configured, run_later
from fazhi_web.reports import tasks
from fazhi_web.reports.models import (
    AnalysisState,
    DeadlineRule,
    IndicatorValue,
    Obligation,
    Reminder,
    ReportingYear,
    ReportVersion,
    State,
)
from fazhi_web.units.models import Level, Unit

# A report not yet handed in (or handed back): it can be reminded about or extended.
OPEN_STATES = (State.PENDING, State.RETURNED)

# What a unit may upload on the web: whatever the engine reads (.doc/.wps/.odt
# through LibreOffice, which scripts/ensure-libreoffice.sh installs on the server).
WEB_SUFFIXES = SUPPORTED_SUFFIXES


class ActionRefused(Exception):
    """An action the rules of the cycle do not allow; the message is for the user."""


def default_deadline(level: str, year: int) -> dt.date:
    table = engine_data.load("deadlines")["submit"]
    month, day = (int(x) for x in table.get(level, table["unknown"]).split("-"))
    return dt.date(year + 1, month, day)


def deadlines_for(office: Unit, year: int) -> dict[str, dt.date]:
    """The deadline of each level: the office's rule, else the default."""
    rules = {r.level: r for r in DeadlineRule.objects.filter(office=office)}
    return {
        level: rules[level].date_for(year) if level in rules else default_deadline(level, year)
        for level in Level.values
    }


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
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ActionRefused("报告年度无效。")
    cycle = ReportingYear.objects.create(office=office, year=year, opened_by=actor)
    units = office.descendants().filter(hidden_reason="").only("id", "level", "path")
    deadlines = deadlines_for(office, year)
    created = Obligation.objects.bulk_create(
        Obligation(
            reporting_year=cycle,
            unit=u,
            unit_path=u.path,
            deadline=deadlines.get(u.level) or default_deadline(u.level, year),
        )
        for u in units
    )
    record(
        actor,
        "year.open",
        f"开启{year}年度报告，共{len(created)}个单位应报送",
        unit=office,
        obj=cycle,
        after={"year": year, "units": len(created)},
    )
    return cycle


@transaction.atomic
def send_reminders(actor: Any, obligations: list[Obligation]) -> list[Obligation]:
    """催报 each selected unit that has not handed in its report; returns those reminded."""
    due = [ob for ob in obligations if ob.state in OPEN_STATES]
    if not due:
        raise ActionRefused("所选单位的报告均已报送，无需催报。")
    for ob in due:
        Reminder.objects.create(obligation=ob, sent_by=actor)
        count = ob.reminders.count()
        record(
            actor,
            "obligation.remind",
            f"催报{ob.unit.name}{ob.year}年度报告（第{count}次）",
            unit=ob.unit,
            obj=ob,
            after={"reminders": count},
        )
    return due


FIRST_YEAR = 2000


def year_to_open(office: Unit, today: dt.date) -> int | None:
    """The year the 开启报告年度 form proposes: the one after the latest opened year.

    With nothing open yet, the year just ended. Reports are written for a year
    that has begun, so with the current year open the form falls back to the
    latest earlier year still missing.
    """
    opened = set(ReportingYear.objects.filter(office=office).values_list("year", flat=True))
    if not opened:
        return today.year - 1
    year = max(opened) + 1
    if year <= today.year:
        return year
    return next((y for y in range(today.year, FIRST_YEAR - 1, -1) if y not in opened), None)


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


def upload_version(
    actor: Any, obligation: Obligation, name: str, content: bytes, *, analyse_now: bool = False
) -> ReportVersion:
    """Keep an upload as the next version and have it analysed. Refusals explain themselves.

    The text is extracted here, so that what cannot be read or is too long is
    refused at once. Short reports are analysed here too when no broker is set
    (a long province report takes a fraction of a second, and the reporter
    sees the result without waiting for a poll); longer ones, and every one
    when a broker is set, are analysed in the background while the page shows
    the progress. `analyse_now` is for callers without a page (load_demo).
    """
    if obligation.state not in (State.PENDING, State.RETURNED):
        raise ActionRefused("报告已报送，审查期间不能上传新版本；如需修改，请等待审查员退回。")
    suffix = Path(name).suffix.lower()
    if suffix not in WEB_SUFFIXES:
        raise ActionRefused(
            f"不支持“{name}”的文件类型，请上传 .docx、.doc、.wps、.odt、.pdf、.txt 或 .html 文件。"
        )
    if suffix in office.SUFFIXES and office.find_soffice() is None:
        raise ActionRefused(
            f"服务器缺少文档转换组件（LibreOffice），暂时无法读取“{name}”。"
            "请用 WPS 或 Word 另存为 .docx 后上传，并请系统管理员安装该组件。"
        )
    if len(content) > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ActionRefused(
            f"文件“{name}”超过 {limit} MB 的大小限制，请压缩图片或删除附件后再上传。"
        )
    try:
        doc = load_bytes(name, content)
    except InputError as exc:
        raise ActionRefused(str(exc)) from None
    limit = settings.FAZHI_MAX_REPORT_CHARS
    if len(doc.text) > limit:
        raise ActionRefused(
            f"“{name}”的文字有 {len(doc.text):,} 个字符，超过了 {limit:,} 个字符的上限"
            "（一份省级政府的年度报告约 3 万字）。请只上传年度报告正文，附件、表格请另行报送。"
        )
    inline = analyse_now or (
        not broker_configured() and len(doc.text) <= settings.FAZHI_INLINE_ANALYSIS_CHARS
    )
    if inline:
        pipeline.run(doc)
    version = _save_version(actor, obligation, name, content, doc, analysed=inline)
    if not inline:
        run_later(tasks.analyse_version, version.pk)
    return version


def paste_version(actor: Any, obligation: Obligation, text: str) -> ReportVersion:
    if not text.strip():
        raise ActionRefused("粘贴的内容为空，请粘贴报告全文。")
    return upload_version(actor, obligation, "粘贴文本.txt", text.encode("utf-8"))


@transaction.atomic
def _save_version(
    actor: Any, obligation: Obligation, name: str, content: bytes, doc: Any, *, analysed: bool
) -> ReportVersion:
    """Store the version; with its analysis when `analysed`, else as queued for the task."""
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    number = obligation.versions.count() + 1
    analysis = doc.to_json() if analysed else {}
    score = analysis["score"]["total"] if analysed else None
    sha256 = doc.source.sha256
    version = ReportVersion.objects.create(
        obligation=obligation,
        number=number,
        original_name=name[:255],
        stored_name=uploads.store(content, sha256, Path(name).suffix.lower()),
        sha256=sha256,
        size=len(content),
        format=doc.source.format,
        text=doc.text,
        analysis=analysis,
        parts_present=ReportVersion.parts_found(analysis),
        score=score,
        analysis_state=AnalysisState.DONE if analysed else AnalysisState.QUEUED,
        analysis_progress=100 if analysed else 0,
        analysis_updated_at=timezone.now(),
        uploaded_by=actor,
    )
    outcome = f"得分{score}" if analysed else "后台分析中"
    record(
        actor,
        "version.upload",
        f"上传第{number}版“{name}”（{outcome}）",
        unit=obligation.unit,
        obj=version,
        after={"number": number, "sha256": sha256, "size": len(content), "name": name},
    )
    return version


@transaction.atomic
def retry_analysis(actor: Any, version: ReportVersion) -> ReportVersion:
    """Queue a failed (or stalled) analysis again; the stored file and text stay as they are."""
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if version.analysis_state == AnalysisState.DONE:
        raise ActionRefused(f"第{version.number}版已分析完成，无需重试。")
    if version.analysis_state != AnalysisState.FAILED and not version.analysis_stalled:
        raise ActionRefused(f"第{version.number}版正在分析，请稍候。")
    before = {"state": version.analysis_state, "attempts": version.analysis_attempts}
    ReportVersion.objects.filter(pk=version.pk).update(
        analysis_state=AnalysisState.QUEUED, analysis_progress=0, analysis_updated_at=timezone.now()
    )
    record(
        actor,
        "version.retry_analysis",
        f"重新分析第{version.number}版“{version.original_name}”",
        unit=version.obligation.unit,
        obj=version,
        before=before,
        after={"state": AnalysisState.QUEUED},
    )
    run_later(tasks.analyse_version, version.pk)
    version.refresh_from_db()
    return version


def error_count(version: ReportVersion) -> int:
    """Findings of severity 错误 in a version: handing it in with any needs a confirmation."""
    return sum(1 for f in version.analysis.get("findings", []) if f.get("severity") == "error")


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
    # Fresh from the database: the analysis may have finished since the caller read it.
    version = ReportVersion.objects.get(pk=version.pk)
    if version.analysis_state == AnalysisState.FAILED:
        raise ActionRefused(
            f"第{version.number}版分析失败，不能报送；请重试分析，或重新上传后再报送。"
        )
    if not version.analysed:
        raise ActionRefused(f"第{version.number}版正在分析，分析完成、查看自检结果后才能报送。")
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
    errors = error_count(version)
    still = f"，确认时仍有{errors}处错误" if errors else ""
    record(
        actor,
        "obligation.submit",
        f"报送第{version.number}版{late}{still}",
        unit=obligation.unit,
        obj=obligation,
        before=before,
        after={"state": obligation.state, "version": version.number, "errors": errors},
    )


def _version_number(obligation: Obligation) -> int | None:
    return obligation.current_version.number if obligation.current_version else None


def rebuild_indicators(obligation: Obligation) -> None:
    """Indicator values of the current version, with the reviewers' latest corrections.

    An engine value is `confirmed` when the latest confirmation of its indicator
    confirms that very value and unit; a corrected value is the reviewer's own.
    """
    from fazhi_web.review.models import IndicatorConfirmation, IndicatorCorrection

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
    # Newest first: only the latest confirmation of an indicator counts.
    latest: set[str] = set()
    confirmed: set[str] = set()
    for k in IndicatorConfirmation.objects.filter(obligation=obligation):
        if k.indicator in latest:
            continue
        latest.add(k.indicator)
        current = values.get(k.indicator)
        if current is not None and not current[2] and confirms(k.value, k.unit, *current[:2]):
            confirmed.add(k.indicator)
    IndicatorValue.objects.filter(obligation=obligation).delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            obligation=obligation,
            indicator=k,
            value=v,
            unit=u,
            corrected=c,
            confirmed=k in confirmed,
        )
        for k, (v, u, c) in values.items()
    )


def confirms(confirmed_value: float, confirmed_unit: str, value: float, unit: str) -> bool:
    """Whether a confirmation of (value, unit) still holds for the current value: the same
    number (to the database's float precision) and the same unit."""
    return (confirmed_unit or "") == (unit or "") and math.isclose(
        float(confirmed_value), float(value), rel_tol=1e-9, abs_tol=1e-12
    )


# -- names ----------------------------------------------------------------------

# What Windows and macOS refuse in a file name, and control characters.
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
NAME_MAX = 120


def report_title(unit_name: str, year: int, stated: str | None = None) -> str:
    """The title the report gives itself (the engine's meta.title), else the usual one."""
    return (stated or "").strip() or f"{unit_name}{year}年度法治政府建设年度报告"


def download_name(obligation: Obligation, version: ReportVersion) -> str:
    """A download is named by the report's title, with the version when it is not the
    current one: 东江市2023年度法治政府建设年度报告（第1版）.docx."""
    meta = (version.analysis or {}).get("meta") or {}
    title = _UNSAFE_IN_NAMES.sub(
        "", report_title(obligation.unit.name, obligation.year, meta.get("title"))
    )
    if version.pk != obligation.current_version_id:
        title += f"（第{version.number}版）"
    return title[:NAME_MAX] + Path(version.original_name).suffix.lower()


# -- reads that are audited ---------------------------------------------------------

PRIVATE_RULE = "private-info"
READS = {
    "read.report": "查看",
    "read.diff": "比较",
    "read.download": "下载原件",
    "read.analysis": "经接口读取分析结果",
}


def record_read(
    actor: Any,
    action: str,
    obligation: Obligation,
    versions: list[ReportVersion],
    shows_findings: bool = True,
) -> None:
    """A read of what the public may not see (等保 安全审计): any version but the
    published one, and findings of personal data (in any version) when shown."""
    public = obligation.state == State.PUBLISHED
    unpublished = [v for v in versions if not (public and v.pk == obligation.current_version_id)]
    private = 0
    if shows_findings:
        private = sum(
            1
            for v in versions
            for f in (v.analysis or {}).get("findings", [])
            if f.get("rule") == PRIVATE_RULE
        )
    if not unpublished and not private:
        return
    numbers = "、".join(str(v.number) for v in versions)
    note = f"（含{private}处个人信息提示）" if private else ""
    record(
        actor,
        action,
        f"{READS[action]}{obligation.unit.name}{obligation.year}年度报告第{numbers}版{note}",
        unit=obligation.unit,
        obj=obligation,
        after={
            "versions": [v.number for v in versions],
            "unpublished": [v.number for v in unpublished],
            "private_findings": private,
        },
    )

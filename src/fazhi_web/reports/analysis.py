"""The analysis of stored versions, as background work runs it (see reports.tasks).

`analyse` fills in the analysis of a queued version and records how far it
got, stage by stage, for the page that polls it. `reanalyse` replaces the
analysis of an analysed version after the rules or the synonym data changed.
Both read the stored original again, so the engine sees what the upload view
saw (Word headings included), and both write the audit log. Nothing stored is
lost on failure: the file, the text and any earlier analysis stay.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fazhi.document import Document
from fazhi.load import load_bytes
from fazhi.pipeline import STAGES
from fazhi_web.audit.log import record
from fazhi_web.reports.models import AnalysisState, ReportVersion

log = logging.getLogger(__name__)


def _load(version: ReportVersion) -> Document:
    path = Path(settings.UPLOAD_ROOT) / version.stored_name
    return load_bytes(version.original_name, path.read_bytes())


def _run(doc: Document, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The engine's stages in order (as fazhi.pipeline.run), reporting each one done."""
    for done, stage in enumerate(STAGES, start=1):
        stage(doc)
        if progress is not None:
            # 100 only once the result is stored.
            progress(min(99, 100 * done // len(STAGES)))
    return doc.to_json()


def _set(version_id: int, **fields: Any) -> None:
    ReportVersion.objects.filter(pk=version_id).update(analysis_updated_at=timezone.now(), **fields)


def analyse(version_id: int) -> None:
    """Analyse a queued version; a second delivery of the same task finds it done."""
    version = ReportVersion.objects.filter(pk=version_id).select_related("obligation__unit").first()
    if version is None or version.analysis_state == AnalysisState.DONE:
        return
    _set(
        version_id,
        analysis_state=AnalysisState.RUNNING,
        analysis_progress=0,
        analysis_attempts=F("analysis_attempts") + 1,
    )
    try:
        doc = _load(version)
        result = _run(doc, lambda p: _set(version_id, analysis_progress=p))
    except Exception as exc:
        _failed(version, exc)
        return
    score = result["score"]["total"]
    with transaction.atomic():
        _set(
            version_id,
            text=doc.text,
            analysis=result,
            parts_present=ReportVersion.parts_found(result),
            score=score,
            analysis_state=AnalysisState.DONE,
            analysis_progress=100,
            analysis_error="",
        )
        record(
            None,
            "version.analyse",
            f"第{version.number}版“{version.original_name}”分析完成（得分{score}）",
            unit=version.obligation.unit,
            obj=version,
            after={"score": score, "findings": len(result.get("findings", []))},
        )


def _failed(version: ReportVersion, exc: Exception) -> None:
    log.exception("第%s版（id %s）分析失败", version.number, version.pk)
    detail = "".join(traceback.format_exception(exc))[-4000:]
    with transaction.atomic():
        _set(version.pk, analysis_state=AnalysisState.FAILED, analysis_error=detail)
        record(
            None,
            "version.analysis_failed",
            f"第{version.number}版“{version.original_name}”分析失败：{exc!r}"[:300],
            unit=version.obligation.unit,
            obj=version,
        )


def _remap_decisions(
    version: ReportVersion, old: list[dict[str, Any]], new: list[dict[str, Any]], text: str
) -> dict[int, int] | None:
    """Where each dismissed finding is in the new analysis, or None if one is gone.

    A finding is the same when its rule and quoted text are, counted in order:
    the second 为为 of the old list is the second 为为 of the new one.
    """

    def keys(findings: list[dict[str, Any]], source: str) -> list[tuple[str, str, int]]:
        seen: Counter[tuple[str, str]] = Counter()
        out = []
        for f in findings:
            start, end = f.get("start"), f.get("end")
            quote = source[start:end] if isinstance(start, int) and isinstance(end, int) else ""
            out.append((f["rule"], quote, seen[f["rule"], quote]))
            seen[f["rule"], quote] += 1
        return out

    old_keys = keys(old, version.text)
    where = {k: i for i, k in enumerate(keys(new, text))}
    moves = {}
    for index in version.decisions.values_list("finding_index", flat=True):
        if index >= len(old):
            return None
        target = where.get(old_keys[index])
        if target is None:
            return None
        moves[index] = target
    return moves


def reanalyse(version_id: int) -> str:
    """Replace an analysed version's analysis with the engine's current one.

    Reviewers' work is kept: dismissed findings move to the same finding in the
    new analysis (the version is left alone if one has no counterpart), and the
    indicators of a submitted version are rebuilt with the corrections on top.
    Returns "changed", "unchanged" or "skipped".
    """
    from fazhi_web.portal.search import index_obligation
    from fazhi_web.reports.models import State
    from fazhi_web.reports.services import rebuild_indicators
    from fazhi_web.review.models import FindingDecision

    version = ReportVersion.objects.filter(pk=version_id).select_related("obligation__unit").first()
    if version is None or version.analysis_state != AnalysisState.DONE:
        return "skipped"
    result = _run(_load(version))
    score = result["score"]["total"]
    if result == version.analysis and score == version.score:
        return "unchanged"
    old_findings = version.analysis.get("findings", [])
    moves = _remap_decisions(version, old_findings, result.get("findings", []), result["text"])
    if moves is None:
        log.warning(
            "第%s版（id %s）有审查判定无法对应到新的分析，未重新分析", version.number, version.pk
        )
        return "skipped"
    with transaction.atomic():
        decisions = list(FindingDecision.objects.filter(version=version).select_for_update())
        # Two steps: the new indices may collide with old ones of other decisions.
        for d in decisions:
            FindingDecision.objects.filter(pk=d.pk).update(finding_index=100_000_000 + d.pk)
        for d in decisions:
            FindingDecision.objects.filter(pk=d.pk).update(finding_index=moves[d.finding_index])
        _set(
            version.pk,
            text=result["text"],
            analysis=result,
            parts_present=ReportVersion.parts_found(result),
            score=score,
        )
        obligation = version.obligation
        if obligation.current_version_id == version.pk:
            rebuild_indicators(obligation)
            if obligation.state == State.PUBLISHED:
                index_obligation(obligation)
        record(
            None,
            "version.reanalyse",
            f"按现行规则重新分析第{version.number}版“{version.original_name}”"
            f"（得分{version.score}→{score}）",
            unit=obligation.unit,
            obj=version,
            before={"score": version.score, "findings": len(old_findings)},
            after={"score": score, "findings": len(result.get("findings", []))},
        )
    return "changed"


def reanalyse_all(
    progress: Callable[[int, int, dict[str, int]], None] | None = None,
) -> dict[str, int]:
    """Re-analyse every analysed version, oldest first; a failure skips that version only."""
    ids = list(
        ReportVersion.objects.filter(analysis_state=AnalysisState.DONE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    counts = {"changed": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    for done, pk in enumerate(ids, start=1):
        try:
            counts[reanalyse(pk)] += 1
        except Exception:
            log.exception("重新分析版本 id %s 失败", pk)
            counts["failed"] += 1
        if progress is not None:
            progress(done, len(ids), counts)
    return counts

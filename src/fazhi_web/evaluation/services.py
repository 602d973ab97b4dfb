"""Every change to 考评 data: copy a framework, edit a criterion, compute, score, adjust, publish.

Each function writes the audit log (wording in audit/wording.py). Who may act is decided
by `access.py` before a view calls these; the services refuse what the rules never allow
(an adjustment without a reason, a score above the criterion's points).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi_web.audit.log import record
from fazhi_web.evaluation import framework as framework_file
from fazhi_web.evaluation.access import scored_units
from fazhi_web.evaluation.models import Criterion, Framework, Score, points_text
from fazhi_web.evaluation.sources import SOURCES, Subject, check_params, describe
from fazhi_web.reports.models import Obligation
from fazhi_web.units.access import access_for
from fazhi_web.units.models import Unit

CENT = Decimal("0.01")


class EvaluationRefused(Exception):
    """An action the rules do not allow; the message is for the user."""


def _points(value: Any, limit: Decimal) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(CENT)
    except InvalidOperation:
        raise EvaluationRefused("得分必须是数字。") from None
    if not points.is_finite() or points < 0 or points > limit:
        raise EvaluationRefused(f"得分应在0到{points_text(limit)}分之间。")
    return points


@transaction.atomic
def copy_framework(
    actor: Any, office: Unit, year: int, path: Path = framework_file.DEFAULT
) -> Framework:
    """The office's own copy of a framework file for `year`, to edit and score with."""
    spec = framework_file.load(path)
    if Framework.objects.filter(office=office, year=year).exists():
        raise EvaluationRefused(f"{year}年度的考评方案已经建立，无需重复复制。")
    fw = Framework.objects.create(
        office=office,
        year=year,
        name=spec.name,
        issuer=spec.issuer,
        source=spec.source,
        copied_from=spec.file,
        created_by=actor,
    )
    Criterion.objects.bulk_create(
        Criterion(
            framework=fw,
            number=c.number,
            area_number=c.area_number,
            area_title=c.area_title,
            item_number=c.item_number,
            item_title=c.item_title,
            text=c.text,
            points=c.points,
            evidence_kind=c.evidence_kind,
            evidence_params=c.evidence_params,
            official=c.official,
            order=i,
        )
        for i, c in enumerate(spec.criteria)
    )
    record(
        actor,
        "evaluation.copy",
        f"复制“{spec.name}”为{year}年度考评方案",
        unit=office,
        obj=fw,
        after={"year": year, "name": spec.name, "criteria": len(spec.criteria),
               "total": float(spec.total)},
    )  # fmt: skip
    return fw


def _criterion_state(c: Criterion) -> dict[str, Any]:
    return {
        "number": c.number,
        "text": c.text,
        "points": float(c.points),
        "evidence": describe(c.evidence_kind, c.evidence_params),
    }


@transaction.atomic
def edit_criterion(
    actor: Any,
    criterion: Criterion,
    *,
    text: str,
    points: Any,
    evidence_kind: str,
    evidence_params: dict[str, Any],
) -> Criterion:
    """Change a criterion of the office's copy. Its automatic scores are measured again;
    a change of source drops the scores given under the old one (the log keeps them)."""
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    text = text.strip()
    if not text:
        raise EvaluationRefused("请填写三级指标的内容。")
    new_points = _points(points, Decimal("1000"))
    if new_points == 0:
        raise EvaluationRefused("分值必须大于0。")
    if evidence_kind not in SOURCES:
        raise EvaluationRefused("请选择评分依据的来源。")
    try:
        params = check_params(evidence_kind, evidence_params)
    except ValueError as exc:
        raise EvaluationRefused(str(exc)) from None
    before = _criterion_state(criterion)
    source_changed = (evidence_kind, params) != (
        criterion.evidence_kind,
        criterion.evidence_params,
    )
    scores = criterion.scores.all()
    dropped = 0
    if source_changed:
        dropped = scores.count()
        scores.delete()
    elif (
        scores.filter(value__gt=new_points)
        .exclude(measured__isnull=False, adjusted_reason="")
        .exists()
    ):
        raise EvaluationRefused(
            f"已有单位在该指标上的得分高于{points_text(new_points)}分，请先调整这些得分。"
        )
    criterion.text = text
    criterion.points = new_points
    criterion.evidence_kind = evidence_kind
    criterion.evidence_params = params
    criterion.save()
    after = {**_criterion_state(criterion), "dropped": dropped}
    record(
        actor,
        "evaluation.criterion_edit",
        f"修改考评指标{criterion.number}",
        unit=criterion.framework.office,
        obj=criterion,
        before=before,
        after=after,
    )
    if SOURCES[evidence_kind].automatic and criterion.framework.computed_at is not None:
        _measure(actor, criterion.framework, [criterion])
    return criterion


def _obligations(actor: Any, year: int) -> dict[int, Obligation]:
    """Each unit's obligation for `year` that `actor` may read; the later cycle wins."""
    qs = access_for(actor).obligations().filter(reporting_year__year=year)
    return {o.unit_id: o for o in qs.order_by("reporting_year_id")}


def _measure(actor: Any, fw: Framework, criteria: list[Criterion]) -> int:
    units = list(scored_units(actor, fw))
    obligations = _obligations(actor, fw.year)
    existing = {
        (s.criterion_id, s.unit_id): s for s in Score.objects.filter(criterion__in=criteria)
    }
    count = 0
    for unit in units:
        subject = Subject(unit, fw.year, obligations.get(unit.pk))
        for criterion in criteria:
            source = SOURCES[criterion.evidence_kind]
            assert source.measure is not None
            measure = source.measure(subject, criterion.evidence_params)
            measured = (criterion.points * Decimal(str(measure.fraction))).quantize(CENT)
            score = existing.get((criterion.pk, unit.pk)) or Score(criterion=criterion, unit=unit)
            score.measured = measured
            if not score.adjusted:
                score.value = measured
            score.note = measure.summary
            score.evidence = [e.as_dict() for e in measure.evidence]
            score.save()
            count += 1
    return count


@transaction.atomic
def compute(actor: Any, fw: Framework) -> int:
    """Measure every automatic criterion for every unit below the office.

    Run again after new reports or ledger records: measured values follow the evidence,
    and a reviewer's adjustment stays in force beside them.
    """
    criteria = [c for c in fw.criteria.all() if SOURCES[c.evidence_kind].automatic]
    count = _measure(actor, fw, criteria)
    fw.computed_at = timezone.now()
    fw.save(update_fields=["computed_at"])
    units = scored_units(actor, fw).count()
    record(
        actor,
        "evaluation.compute",
        f"计算{fw.year}年度考评的自动评分",
        unit=fw.office,
        obj=fw,
        after={"year": fw.year, "units": units, "scores": count},
    )
    return count


@transaction.atomic
def score_by_reviewer(actor: Any, criterion: Criterion, unit: Unit, value: Any, note: str) -> Score:
    """A reviewer's score on a criterion without an automatic source; the note is required."""
    if SOURCES[criterion.evidence_kind].automatic:
        raise EvaluationRefused("该指标自动评分，如需改变得分请调整并说明理由。")
    note = note.strip()
    if not note:
        raise EvaluationRefused("请写明评分说明（依据的材料和扣分原因）。")
    points = _points(value, criterion.points)
    score = Score.objects.select_for_update().filter(criterion=criterion, unit=unit).first()
    before = {"value": float(score.value), "note": score.note} if score else None
    if score is None:
        score = Score(criterion=criterion, unit=unit)
    score.value = points
    score.note = note
    score.scored_by = actor
    score.evidence = [{"label": "审查员评分说明", "quote": note}]
    score.save()
    record(
        actor,
        "evaluation.score",
        f"考评指标{criterion.number}评分：{note}",
        unit=unit,
        obj=score,
        before=before,
        after={"criterion": criterion.number, "value": float(points), "note": note},
    )
    return score


@transaction.atomic
def adjust_score(actor: Any, score: Score, value: Any, reason: str) -> Score:
    """Override an automatic score. The measured value and its evidence stay on record."""
    score = Score.objects.select_for_update().select_related("criterion").get(pk=score.pk)
    if score.measured is None:
        raise EvaluationRefused("该指标由审查员评分，请直接修改评分。")
    reason = reason.strip()
    if not reason:
        raise EvaluationRefused("调整自动评分必须写明理由。")
    points = _points(value, score.criterion.points)
    before = {"value": float(score.value), "measured": float(score.measured)}
    score.value = points
    score.adjusted_reason = reason
    score.scored_by = actor
    score.save()
    record(
        actor,
        "evaluation.adjust",
        f"调整考评指标{score.criterion.number}的自动评分：{reason}",
        unit=score.unit,
        obj=score,
        before=before,
        after={"criterion": score.criterion.number, "value": float(points), "reason": reason},
    )
    return score


@transaction.atomic
def publish(actor: Any, fw: Framework) -> None:
    """Let each unit see its own results (never the others')."""
    if fw.published_at is not None:
        raise EvaluationRefused("考评结果已经公布。")
    if fw.computed_at is None:
        raise EvaluationRefused("请先计算自动评分，再公布考评结果。")
    fw.published_at = timezone.now()
    fw.save(update_fields=["published_at"])
    record(
        actor,
        "evaluation.publish",
        f"公布{fw.year}年度考评结果",
        unit=fw.office,
        obj=fw,
        after={"year": fw.year},
    )

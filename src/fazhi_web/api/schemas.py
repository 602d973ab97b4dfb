"""Request and response shapes of the API; descriptions are shown in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from fazhi_web.reports.models import IndicatorValue, Obligation, ReportVersion
from fazhi_web.stats.queries import indicator_label
from fazhi_web.units.models import Unit

SEVERITIES = ("error", "warning", "info")


class ErrorOut(Schema):
    detail: str = Field(..., description="中文错误说明")


class UnitOut(Schema):
    id: int = Field(..., description="单位编号")
    name: str = Field(..., description="单位名称")
    level: str = Field(..., description="层级代码：province/city/county/town/department/zone")
    level_name: str = Field(..., description="层级名称，如“乡镇（街道）”")
    region: str = Field(..., description="所属地区")
    parent_id: int | None = Field(None, description="上级单位编号；顶级单位为空")
    hidden: bool = Field(..., description="是否已隐藏（单位不删除，只隐藏）")

    @staticmethod
    def resolve_level_name(obj: Unit) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_hidden(obj: Unit) -> bool:
        return obj.is_hidden


class ObligationOut(Schema):
    id: int = Field(..., description="报送任务编号")
    unit_id: int = Field(..., description="单位编号")
    unit_name: str = Field(..., description="单位名称")
    year: int = Field(..., description="报告年度")
    state: str = Field(
        ...,
        description="状态代码：pending 未报送、submitted 已报送、returned 退回修改、"
        "filed 已备案、published 已公开",
    )
    state_name: str = Field(..., description="状态名称")
    deadline: dt.date = Field(..., description="原定截止日期")
    effective_deadline: dt.date = Field(..., description="实际截止日期（如有延期，为延期后的日期）")
    overdue: bool = Field(
        ..., description="是否逾期未报（未报送或退回后已过实际截止日期），实时计算"
    )
    submitted_at: dt.datetime | None = Field(None, description="最近一次报送时间")
    score: float | None = Field(None, description="已报送版本的得分（0–100）")
    current_version: int | None = Field(None, description="已报送版本的版本号；尚未报送为空")

    @staticmethod
    def resolve_unit_name(obj: Obligation) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_year(obj: Obligation) -> int:
        return obj.reporting_year.year

    @staticmethod
    def resolve_state_name(obj: Obligation) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_overdue(obj: Obligation) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_score(obj: Obligation) -> float | None:
        return obj.current_version.score if obj.current_version_id else None

    @staticmethod
    def resolve_current_version(obj: Obligation) -> int | None:
        return obj.current_version.number if obj.current_version_id else None


class FindingCounts(Schema):
    error: int = Field(0, description="错误")
    warning: int = Field(0, description="警告")
    info: int = Field(0, description="提示")


class VersionOut(Schema):
    obligation_id: int = Field(..., description="报送任务编号")
    number: int = Field(..., description="版本号，从 1 起")
    original_name: str = Field(..., description="上传的文件名")
    format: str = Field(..., description="文件格式：txt/html/docx/pdf")
    size: int = Field(..., description="文件字节数")
    sha256: str = Field(..., description="文件内容的 SHA-256")
    score: float | None = Field(None, description="自动评分（0–100）；分析完成前为空")
    analysis_state: str = Field(
        ...,
        description="分析状态：queued 排队等待分析、running 正在分析、done 分析完成、"
        "failed 分析失败（可在页面上重试）。较长的报告在后台分析，完成前五项内容和问题数为空",
    )
    uploaded_at: dt.datetime = Field(..., description="上传时间")
    submitted: bool = Field(..., description="该版本是否已报送")
    parts: dict[str, bool] = Field(
        ...,
        description="五项法定内容是否具备：measures 主要举措和成效、shortcomings 存在的不足和原因、"
        "first_responsible 第一责任人职责、next_year 下一年度安排、other 其他情况",
    )
    findings: FindingCounts = Field(..., description="发现的问题数，按严重程度")

    @staticmethod
    def resolve_submitted(obj: ReportVersion) -> bool:
        return obj.submitted_at is not None

    @staticmethod
    def resolve_parts(obj: ReportVersion) -> dict[str, bool]:
        parts = obj.analysis.get("parts", {})
        return {name: bool(part.get("present")) for name, part in parts.items()}

    @staticmethod
    def resolve_findings(obj: ReportVersion) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in obj.analysis.get("findings", []):
            if finding.get("severity") in counts:
                counts[finding["severity"]] += 1
        return counts


class TextIn(Schema):
    text: str = Field(..., description="报告全文（纯文本）")


class SubmitIn(Schema):
    version: int = Field(..., ge=1, description="要报送的版本号")


class IndicatorOut(Schema):
    obligation_id: int = Field(..., description="报送任务编号")
    unit_id: int = Field(..., description="单位编号")
    unit_name: str = Field(..., description="单位名称")
    level: str = Field(..., description="单位层级代码")
    region: str = Field(..., description="所属地区")
    year: int = Field(..., description="报告年度")
    indicator: str = Field(..., description="指标代码，见分析契约 INDICATOR 表")
    indicator_name: str = Field(..., description="指标中文名称")
    value: float = Field(..., description="指标值")
    unit: str = Field(..., description="计量单位，如“件”“%”")
    corrected: bool = Field(..., description="是否经审查员更正")
    confirmed: bool = Field(
        ..., description="自动识别的数值是否经审查员核对无误（更正过的数值为 false）"
    )

    @staticmethod
    def resolve_unit_id(obj: IndicatorValue) -> int:
        return obj.obligation.unit_id

    @staticmethod
    def resolve_unit_name(obj: IndicatorValue) -> str:
        return obj.obligation.unit.name

    @staticmethod
    def resolve_level(obj: IndicatorValue) -> str:
        return obj.obligation.unit.level

    @staticmethod
    def resolve_region(obj: IndicatorValue) -> str:
        return obj.obligation.unit.region

    @staticmethod
    def resolve_year(obj: IndicatorValue) -> int:
        return obj.obligation.reporting_year.year

    @staticmethod
    def resolve_indicator_name(obj: IndicatorValue) -> str:
        return indicator_label(obj.indicator)

"""The ledgers (台账) a unit keeps: 规范性文件, 重大行政决策, 依申请公开, and the calendar
their clocks run on.

Records keep what happened and when; every deadline, stage and status is derived
from those dates (`fazhi_web.ledgers.deadlines`), so that a holiday added to the
calendar later moves every running deadline. Nothing is deleted: a record is
hidden with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi import data as engine_data
from fazhi_web.units.models import Unit


class Hideable(models.Model):
    hidden_reason = models.CharField("隐藏原因", max_length=200, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden_reason)


# -- the calendar ----------------------------------------------------------------------


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班日"


class CalendarDay(Hideable):
    """A holiday or a shifted working day. `region` empty: national; else a local day for
    the units whose region starts with it (e.g. "宁夏回族自治区")."""

    date = models.DateField("日期", db_index=True)
    kind = models.CharField("类型", max_length=8, choices=DayKind.choices)
    name = models.CharField("名称", max_length=60)
    region = models.CharField("适用地区", max_length=100, blank=True)
    source = models.CharField("来源", max_length=200)

    class Meta:
        ordering = ["date", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region"],
                condition=models.Q(hidden_reason=""),
                name="one_visible_calendar_day_per_region",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{self.get_kind_display()}）"


class CalendarYear(models.Model):
    """A year whose national holiday arrangement has been announced."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=200)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"


# -- 规范性文件 ------------------------------------------------------------------------


class FilingResult(models.TextChoices):
    ACCEPTED = "accepted", "予以备案"
    DEFERRED = "deferred", "暂缓备案，限期补正"
    SELF_CORRECTED = "self_corrected", "纠错：自行修改"
    REVOKED = "revoked", "纠错：撤销"


class DocumentEnd(models.TextChoices):
    REVISED = "revised", "修订"
    REPEALED = "repealed", "废止"
    DECLARED_INVALID = "declared_invalid", "宣布失效"


class NormativeDocument(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="制定机关", on_delete=models.PROTECT, related_name="normative_documents"
    )
    title = models.CharField("文件名称", max_length=200)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    drafted_on = models.DateField("起草日期", null=True, blank=True)
    review_unit = models.ForeignKey(
        Unit,
        verbose_name="合法性审核机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_submitted_on = models.DateField("送审日期", null=True, blank=True)
    reviewer = models.CharField("审核人", max_length=60, blank=True)
    review_opinion = models.TextField("审核意见", blank=True)
    reviewed_on = models.DateField("审核完成日期", null=True, blank=True)
    deliberation = models.CharField("集体审议会议", max_length=120, blank=True)
    deliberated_on = models.DateField("审议日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    early_effect_reason = models.CharField("不足30日施行的理由", max_length=200, blank=True)
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True)
    filing_unit = models.ForeignKey(
        Unit,
        verbose_name="备案机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_documents",
    )
    filed_on = models.DateField("报送备案日期", null=True, blank=True)
    filing_result = models.CharField(
        "备案审查结果", max_length=16, choices=FilingResult.choices, blank=True
    )
    filing_result_on = models.DateField("备案审查日期", null=True, blank=True)
    filing_note = models.TextField("备案审查意见", blank=True)
    correction_due = models.DateField("补正期限", null=True, blank=True)
    evaluated_on = models.DateField("评估日期", null=True, blank=True)
    evaluation_note = models.TextField("评估结论", blank=True)
    ended = models.CharField(
        "修订、废止或失效", max_length=16, choices=DocumentEnd.choices, blank=True
    )
    ended_on = models.DateField("修订、废止或失效日期", null=True, blank=True)
    end_note = models.CharField("说明", max_length=200, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="修订后的文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["unit", "published_on"])]

    def __str__(self) -> str:
        return self.title


class CleanupDecision(models.TextChoices):
    KEEP = "keep", "保留"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"
    INVALIDATE = "invalidate", "宣布失效"


class Cleanup(Hideable):
    """A 清理 campaign: the unit's documents, each decided, the result published."""

    unit = models.ForeignKey(
        Unit, verbose_name="开展清理的单位", on_delete=models.PROTECT, related_name="cleanups"
    )
    title = models.CharField("清理名称", max_length=200)
    started_on = models.DateField("开始日期")
    published_on = models.DateField("结果公布日期", null=True, blank=True)
    result_note = models.TextField("清理结果说明", blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CleanupItem(models.Model):
    cleanup = models.ForeignKey(Cleanup, on_delete=models.PROTECT, related_name="items")
    document = models.ForeignKey(
        NormativeDocument, on_delete=models.PROTECT, related_name="cleanup_items"
    )
    decision = models.CharField("清理结论", max_length=16, choices=CleanupDecision.choices)
    note = models.CharField("理由", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cleanup", "document"], name="one_decision_per_cleanup")
        ]


# -- 重大行政决策 ----------------------------------------------------------------------


PROCEDURES = engine_data.load("ledgers")["decision"]["procedure"]
ProcedureKind = models.TextChoices(
    "ProcedureKind", [(p["code"].upper(), (p["code"], p["label"])) for p in PROCEDURES]
)


class DecisionCatalogue(models.Model):
    """A unit's yearly 决策事项目录; the public sees it once published."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="decision_catalogues")
    year = models.PositiveIntegerField("年度")
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_catalogue_per_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度重大行政决策事项目录"


class MajorDecision(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="决策机关", on_delete=models.PROTECT, related_name="major_decisions"
    )
    year = models.PositiveIntegerField("目录年度")
    title = models.CharField("决策事项", max_length=200)
    sponsor = models.CharField("承办单位", max_length=100, blank=True)
    description = models.TextField("事项说明", blank=True)
    review_unit = models.ForeignKey(
        Unit,
        verbose_name="合法性审查机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_meeting = models.CharField("决定会议", max_length=120, blank=True)
    decision_result = models.CharField("决定结果", max_length=200, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    evaluated_on = models.DateField("后评估日期", null=True, blank=True)
    evaluation_note = models.TextField("后评估结论", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return self.title


class Procedure(models.Model):
    """One of the five procedures of a decision: done on a date, or not applicable."""

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="procedures")
    kind = models.CharField("程序", max_length=32, choices=ProcedureKind.choices)
    done_on = models.DateField("完成日期", null=True, blank=True)
    summary = models.TextField("情况", blank=True)
    not_applicable_reason = models.CharField("不适用的理由", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="one_record_per_procedure")
        ]


class Consultation(models.Model):
    """The public consultation of a decision draft, on the portal."""

    decision = models.OneToOneField(
        MajorDecision, on_delete=models.PROTECT, related_name="consultation"
    )
    draft = models.TextField("决策草案")
    opens_on = models.DateField("征求意见开始日期")
    closes_on = models.DateField("征求意见截止日期")
    short_reason = models.CharField("期限少于30日的理由", max_length=200, blank=True)
    summary = models.TextField("意见采纳情况说明", blank=True)
    summary_published_on = models.DateField("说明公布日期", null=True, blank=True)


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class PublicComment(Hideable):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    author = models.CharField("署名", max_length=40, blank=True)
    text = models.TextField("意见")
    submitted_at = models.DateTimeField(auto_now_add=True)
    adoption = models.CharField("采纳情况", max_length=16, choices=Adoption.choices, blank=True)
    response = models.TextField("答复", blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]


# -- 依申请公开 -------------------------------------------------------------------------


DISCLOSURE = engine_data.load("ledgers")["disclosure"]
Channel = models.TextChoices(
    "Channel", [(code.upper(), (code, c["label"])) for code, c in DISCLOSURE["channel"].items()]
)
ApplicantType = models.TextChoices(
    "ApplicantType", [(code.upper(), (code, label)) for code, label in DISCLOSURE["applicants"]]
)
Outcome = models.TextChoices(
    "Outcome",
    [
        (code.upper(), (code, f"{group}{('：' + item) if item else ''}"))
        for code, group, item in DISCLOSURE["outcomes"]
    ],
)


class DisclosureRequest(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="受理机关", on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    number = models.CharField("编号", max_length=40, blank=True)
    applicant_type = models.CharField("申请人类型", max_length=16, choices=ApplicantType.choices)
    applicant = models.CharField("申请人", max_length=100, blank=True)
    channel = models.CharField("申请渠道", max_length=16, choices=Channel.choices)
    submitted_on = models.DateField("提交日期")
    confirmed_on = models.DateField("签收或确认日期", null=True, blank=True)
    content = models.TextField("申请内容", blank=True)
    correction_requested_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_received_on = models.DateField("收到补正日期", null=True, blank=True)
    third_party_sent_on = models.DateField("征求第三方意见日期", null=True, blank=True)
    third_party_replied_on = models.DateField("第三方意见返回日期", null=True, blank=True)
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)
    extension_approver = models.CharField("延期批准人", max_length=60, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField("结果说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["unit", "submitted_on"])]

    def __str__(self) -> str:
        return self.number or f"申请 {self.pk}"


# -- import ------------------------------------------------------------------------------


class ImportBatch(models.Model):
    """An uploaded sheet between its preview and its import; kept as it came."""

    ledger = models.CharField(max_length=16)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

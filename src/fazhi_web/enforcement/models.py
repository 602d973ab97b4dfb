"""The 行政执法 ledger: enforcement staff and their certificates, cases and their events,
the 全过程记录 attachments in a hash chain, the 法制审核 of major decisions, the 公示
of decisions on the portal, and the 双随机 inspections.

Records keep what happened and when. Whether a certificate is valid or due soon, and
whether a publication is overdue, is derived from the dates and the clock rules
(`fazhi_web.enforcement.rules`), never stored. Nothing is deleted: a record is hidden
with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi import data as engine_data
from fazhi_web.ledgers.models import Hideable
from fazhi_web.units.models import Unit

RULES = engine_data.load("enforcement")
CaseKind = models.TextChoices(
    "CaseKind", [(code.upper(), (code, k["label"])) for code, k in RULES["kind"].items()]
)
EventKind = models.TextChoices(
    "EventKind", [(e["code"].upper(), (e["code"], e["label"])) for e in RULES["event"]]
)
MajorItem = models.TextChoices(
    "MajorItem", [(i["code"].upper(), (i["code"], i["label"])) for i in RULES["major"]["item"]]
)


class Officer(Hideable):
    """A member of a unit's enforcement staff (执法人员)."""

    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField("姓名", max_length=40)
    post = models.CharField("执法岗位", max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """An 执法证: valid from its issue to its expiry, unless revoked before."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("执法证号", max_length=40, unique=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    revoked_on = models.DateField("注销或吊销日期", null=True, blank=True)
    revoked_reason = models.CharField("注销或吊销原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class AnnualReview(models.Model):
    """A 年审 of a certificate; one that did not pass ends its validity that day."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("年审日期")
    passed = models.BooleanField("年审合格", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["reviewed_on", "pk"]


class Case(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="执法机关", on_delete=models.PROTECT, related_name="enforcement_cases"
    )
    number = models.CharField("案号", max_length=60)
    kind = models.CharField("类别", max_length=16, choices=CaseKind.choices)
    title = models.CharField("案由", max_length=200)
    party = models.CharField("当事人", max_length=100)
    party_is_person = models.BooleanField("当事人是自然人", default=False)
    officers = models.ManyToManyField(Officer, verbose_name="承办执法人员", related_name="cases")
    major = models.CharField(
        "重大执法决定情形", max_length=32, choices=MajorItem.choices, blank=True
    )
    decision_text = models.TextField("决定书内容", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number"],
                condition=models.Q(hidden_reason=""),
                name="one_visible_case_per_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def last_event(self) -> CaseEvent | None:
        events = list(self.events.all())
        return events[-1] if events else None


class CaseEvent(models.Model):
    """One step of a case, recorded in order; never changed once recorded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("环节", max_length=16, choices=EventKind.choices)
    on = models.DateField("日期")
    note = models.CharField("情况", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="one_event_of_a_kind_per_case")
        ]


class AttachmentKind(models.TextChoices):
    RECORD = "record", "文字记录"
    PHOTO = "photo", "照片或音像"
    FILE = "file", "文书或其他文件"


class Attachment(models.Model):
    """A 全过程记录 file at an event, a link of its case's hash chain: `link` hashes the
    previous link, the file's sha256 and the event's metadata."""

    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("类型", max_length=8, choices=AttachmentKind.choices)
    original_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    previous = models.CharField(max_length=64)
    link = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class LegalReview(models.Model):
    """The 法制审核 of a major case's decision."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="legal_review")
    reviewer = models.CharField("审核人", max_length=60)
    opinion = models.TextField("审核意见")
    reviewed_on = models.DateField("审核日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


class Publication(models.Model):
    """The public copy of a decision: masked by rule, approved by a reviewer, then public."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="publication")
    masked_text = models.TextField("公示文本")
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("审核通过日期", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)


# -- 双随机 -------------------------------------------------------------------------------


class Entity(Hideable):
    """An entry of a unit's 检查对象名录."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspection_entities")
    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    category = models.CharField("类别", max_length=60, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RandomInspection(Hideable):
    """A 双随机 draw: how many entities and officers, the seed, and what it drew."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="random_inspections")
    title = models.CharField("抽查事项", max_length=200)
    entity_count = models.PositiveSmallIntegerField("抽取检查对象数")
    officer_count = models.PositiveSmallIntegerField("每户选派执法人员数", default=2)
    seed = models.CharField("随机种子", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The entity and officer ids the draw chose from, in order: the draw replays from them.
    pool = models.JSONField(default=dict)
    published_on = models.DateField("结果公示日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DrawnEntity(models.Model):
    inspection = models.ForeignKey(RandomInspection, on_delete=models.PROTECT, related_name="drawn")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    officers = models.ManyToManyField(Officer, related_name="+")
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    result = models.CharField("检查结果", max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

"""Forms of the enforcement ledger; cross-field rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from fazhi_web.enforcement.models import AttachmentKind, CaseKind, EventKind, MajorItem, Officer
from fazhi_web.ledgers.forms import DateInput


class OfficerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40)
    post = forms.CharField(label="执法岗位", max_length=60, required=False)


class CertificateForm(forms.Form):
    number = forms.CharField(label="执法证号", max_length=40)
    issued_on = forms.DateField(label="发证日期", widget=DateInput())
    expires_on = forms.DateField(label="有效期至", widget=DateInput())


class AnnualReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="年审日期", widget=DateInput())
    passed = forms.TypedChoiceField(
        label="年审结果", choices=[("1", "合格"), ("0", "不合格")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明（不合格须填写）", max_length=200, required=False)


class RevokeForm(forms.Form):
    on = forms.DateField(label="注销或吊销日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200)


class CaseForm(forms.Form):
    number = forms.CharField(label="案号", max_length=60)
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices)
    title = forms.CharField(label="案由", max_length=200)
    party = forms.CharField(label="当事人", max_length=100)
    party_is_person = forms.BooleanField(label="当事人是自然人", required=False)
    major = forms.ChoiceField(
        label="重大执法决定情形（按重大执法决定目录，不属于的留空）",
        choices=[("", "不属于重大执法决定"), *MajorItem.choices],
        required=False,
    )
    officers = forms.ModelMultipleChoiceField(label="承办执法人员", queryset=Officer.objects.none())
    decision_text = forms.CharField(
        label="决定书内容",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="环节", choices=EventKind.choices)
    on = forms.DateField(label="日期", widget=DateInput())
    note = forms.CharField(label="情况", max_length=500, required=False)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="记录类型", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件")


class LegalReviewForm(forms.Form):
    reviewer = forms.CharField(label="审核人", max_length=60)
    opinion = forms.CharField(
        label="审核意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reviewed_on = forms.DateField(label="审核日期", widget=DateInput())


class PublicationForm(forms.Form):
    text = forms.CharField(
        label="公示文本（留空则按遮蔽规则由决定书自动生成）",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DateForm(forms.Form):
    on = forms.DateField(label="公示日期", widget=DateInput())


class EntityForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    category = forms.CharField(label="类别", max_length=60, required=False)


class InspectionForm(forms.Form):
    title = forms.CharField(label="抽查事项", max_length=200)
    entity_count = forms.IntegerField(label="抽取检查对象数", min_value=1, max_value=1000)
    officer_count = forms.IntegerField(
        label="每户选派执法人员数", min_value=1, max_value=10, initial=2
    )


class ResultForm(forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DateInput())
    result = forms.CharField(label="检查结果", max_length=200)

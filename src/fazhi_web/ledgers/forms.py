"""Forms of the ledgers: one per event, made from the model's fields, so the web page and
the API parse a value the same way. Cross-field rules live in checks.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.models import model_to_dict

from fazhi_web.ledgers.models import (
    Adoption,
    CleanupDecision,
    DayKind,
    NormativeDocument,
)
from fazhi_web.units.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _widgets(model: type[models.Model], fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.DateField):
            out[name] = DateInput()
        elif isinstance(field, models.TextField):
            out[name] = forms.Textarea(attrs={"rows": 3})
    return out


def event_form(
    model: type[models.Model],
    fields: tuple[str, ...],
    *,
    data: Any = None,
    record: Any = None,
    units: Any = None,
) -> forms.ModelForm:
    """A form for `fields` of `model`, showing `record`'s values; it never writes to
    `record` (the service does). Unit choices are limited to `units` when given."""
    form_class = forms.modelform_factory(model, fields=fields, widgets=_widgets(model, fields))
    initial = model_to_dict(record, fields=list(fields)) if record is not None else None
    form = form_class(data=data, initial=initial)
    for field in form.fields.values():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if field.queryset.model is Unit:
            field.queryset = units if units is not None else Unit.objects.filter(hidden_reason="")
        elif field.queryset.model is NormativeDocument:
            field.queryset = NormativeDocument.objects.filter(
                unit=getattr(record, "unit", None), hidden_reason=""
            ).exclude(pk=getattr(record, "pk", None))
    return form


def cleaned_values(form: forms.ModelForm) -> dict[str, Any]:
    """The form's values with blank text as "" and blank choices as "" (the model's empty)."""
    return {k: ("" if v is None and isinstance(form.fields[k], forms.CharField) else v)
            for k, v in form.cleaned_data.items()}  # fmt: skip


class HideForm(forms.Form):
    reason = forms.CharField(label="隐藏原因", max_length=200)


class ProcedureForm(forms.Form):
    done_on = forms.DateField(label="完成日期", required=False, widget=DateInput())
    summary = forms.CharField(
        label="情况（如专家名单、评估结论、审查意见、会议名称）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_applicable_reason = forms.CharField(label="不适用的理由", max_length=200, required=False)


class ConsultationForm(forms.Form):
    draft = forms.CharField(label="决策草案（公开全文）", widget=forms.Textarea(attrs={"rows": 10}))
    opens_on = forms.DateField(label="征求意见开始日期", widget=DateInput())
    closes_on = forms.DateField(label="征求意见截止日期", widget=DateInput())
    short_reason = forms.CharField(label="期限少于30日的理由", max_length=200, required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(label="意见采纳情况说明", widget=forms.Textarea(attrs={"rows": 5}))
    on = forms.DateField(label="公布日期", widget=DateInput())


class CommentForm(forms.Form):
    author = forms.CharField(label="署名（可不填）", max_length=40, required=False)
    text = forms.CharField(
        label="您的意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
    )


class AnswerForm(forms.Form):
    adoption = forms.ChoiceField(label="采纳情况", choices=Adoption.choices)
    response = forms.CharField(
        label="答复", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CatalogueForm(forms.Form):
    on = forms.DateField(label="公布日期", widget=DateInput())


class CleanupForm(forms.Form):
    title = forms.CharField(label="清理名称", max_length=200)
    started_on = forms.DateField(label="开始日期", widget=DateInput())


class CleanupItemForm(forms.Form):
    document = forms.ModelChoiceField(label="文件", queryset=NormativeDocument.objects.none())
    decision = forms.ChoiceField(label="清理结论", choices=CleanupDecision.choices)
    note = forms.CharField(label="理由", max_length=200, required=False)


class CleanupPublishForm(forms.Form):
    on = forms.DateField(label="结果公布日期", widget=DateInput())
    note = forms.CharField(
        label="清理结果说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput())
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="名称（如 国庆节、开斋节）", max_length=60)
    region = forms.CharField(
        label="适用地区（全国不填；本地节假日填地区，如 宁夏回族自治区）",
        max_length=100,
        required=False,
    )


class AnnounceForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据", max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")

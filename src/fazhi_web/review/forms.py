"""The reviewer's small forms. Services check the rules; forms only check the shape."""

from __future__ import annotations

from django import forms

from fazhi import data as engine_data
from fazhi_web.reports.models import State
from fazhi_web.units.models import Level


def indicator_choices() -> list[tuple[str, str]]:
    names: dict[str, str] = engine_data.load("indicator_names")["names"]
    return list(names.items())


BOARD_ORDERS = [("queue", "待审优先"), ("tree", "按单位层级")]


class BoardFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *State.choices])
    level = forms.ChoiceField(label="层级", required=False, choices=[("", "全部"), *Level.choices])
    overdue = forms.BooleanField(label="仅看逾期", required=False)
    q = forms.CharField(label="单位名称", required=False, max_length=50, strip=True)
    # A unit of the office's tree: its rows and those of every unit below it.
    under = forms.IntegerField(label="范围", required=False, min_value=1, max_value=2**31 - 1)
    order = forms.ChoiceField(label="排序", required=False, choices=BOARD_ORDERS)


class OpenYearForm(forms.Form):
    office = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label="报告年度", min_value=2000, max_value=2100)


class NoticeForm(forms.Form):
    issuer = forms.CharField(label="发文机关全称", max_length=100)
    number = forms.CharField(label="文号", max_length=60)


class ExtendForm(forms.Form):
    until = forms.DateField(label="延期至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期原因", max_length=200)


class PublicationForm(forms.Form):
    """The 政务公开 fields the reviewer confirms when publishing (portal.publication)."""

    index_number = forms.CharField(label="索引号", max_length=60)
    issuer = forms.CharField(label="发布机构", max_length=100)
    topic = forms.CharField(label="主题分类", max_length=50)
    written_on = forms.DateField(
        label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300)


class CorrectionForm(forms.Form):
    indicator = forms.ChoiceField(label="指标", choices=indicator_choices)
    value = forms.FloatField(label="更正值")
    unit = forms.CharField(label="计量单位", max_length=16, required=False)
    reason = forms.CharField(label="更正理由", max_length=300)


class ConfirmationForm(forms.Form):
    """核对无误: the indicator, and the value and unit the reviewer saw (the page's copy)."""

    indicator = forms.ChoiceField(label="指标", choices=indicator_choices)
    value = forms.FloatField(label="核对值", required=False)
    unit = forms.CharField(label="计量单位", max_length=16, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}))


def errors_text(form: forms.Form) -> str:
    """All of a form's errors as one line for a flash message."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"{label}：{error}" if label else str(error))
    return "；".join(parts)

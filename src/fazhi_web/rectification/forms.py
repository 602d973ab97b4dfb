"""The rectification forms. Services check the rules; forms only check the shape."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi_web.rectification import services
from fazhi_web.rectification.models import ItemState

DATE = forms.DateInput(attrs={"type": "date"})
UNCLOSED = "unclosed"


class ItemForm(forms.Form):
    """问题, 责任人 and 时限 of a new item: a date, or N working days (the date wins)."""

    problem = forms.CharField(label="问题", max_length=services.PROBLEM_MAX)
    person = forms.CharField(label="责任人", max_length=services.PERSON_MAX, required=False)
    due_on = forms.DateField(label="时限（日期）", required=False, widget=DATE)
    limit_days = forms.IntegerField(
        label="时限（工作日）", required=False, min_value=1, max_value=services.LIMIT_DAYS_MAX
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("due_on"):
            data["limit_days"] = None
        elif not data.get("limit_days"):
            raise forms.ValidationError("请填写整改时限：日期，或自提出之日起的工作日数。")
        return data

    def item_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "problem": d["problem"],
            "person": d["person"],
            "due_on": d["due_on"],
            "limit_days": d["limit_days"],
        }


class UnitItemForm(ItemForm):
    unit = forms.IntegerField(label="责任单位")


class InspectionForm(forms.Form):
    held_on = forms.DateField(label="督察日期", widget=DATE)
    team = forms.CharField(label="督察组", max_length=services.TEAM_MAX)
    units = forms.TypedMultipleChoiceField(label="被督察单位", coerce=int, choices=[])

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, u.name) for u in units]


class SubmitForm(forms.Form):
    measures = forms.CharField(label="整改措施", max_length=services.MEASURES_MAX)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=services.REASON_MAX)


class EscalateForm(forms.Form):
    reason = forms.CharField(label="督办理由", max_length=services.REASON_MAX, required=False)


class LedgerFilterForm(forms.Form):
    unit = forms.IntegerField(required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(
        required=False, choices=[("", "全部"), (UNCLOSED, "未销号"), *ItemState.choices]
    )
    overdue = forms.BooleanField(required=False)
    escalated = forms.BooleanField(required=False)


def errors_text(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}：{e}" if label else str(e) for e in errors]
    return "；".join(parts)

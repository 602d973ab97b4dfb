from __future__ import annotations

from typing import Any

from django import forms

from fazhi import data as engine_data
from fazhi_web.evaluation import framework as framework_file
from fazhi_web.evaluation.sources import SOURCES

MAX_NOTE = 2000


class CopyForm(forms.Form):
    office = forms.TypedChoiceField(label="办公室", coerce=int)
    year = forms.IntegerField(label="考评年度", min_value=2000, max_value=2100)
    file = forms.ChoiceField(label="指标体系")

    def __init__(self, offices: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(u.pk, u.name) for u in offices]
        self.fields["file"].choices = [
            (p.name, framework_file.load(p).name) for p in framework_file.available()
        ]


def _indicator_choices() -> list[tuple[str, str]]:
    names = engine_data.load("indicator_names")["names"]
    return [("", "—"), *names.items()]


class CriterionForm(forms.Form):
    text = forms.CharField(
        label="三级指标", widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_NOTE
    )
    points = forms.DecimalField(label="分值", min_value=0, max_value=1000, decimal_places=2)
    evidence_kind = forms.ChoiceField(
        label="评分依据", choices=[(k, s.label) for k, s in SOURCES.items()]
    )
    part = forms.ChoiceField(label="报告部分", required=False)
    indicator = forms.ChoiceField(label="指标", required=False)
    at_least = forms.FloatField(label="达标值", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts = engine_data.load("parts")["names"]
        self.fields["part"].choices = [("", "—"), *parts.items()]
        self.fields["indicator"].choices = _indicator_choices()

    def evidence_params(self) -> dict[str, Any]:
        """The parameters the chosen source takes, from the fields that carry them."""
        kind = self.cleaned_data["evidence_kind"]
        return {
            p: self.cleaned_data.get(p)
            for p in SOURCES[kind].params
            if self.cleaned_data.get(p) not in (None, "")
        }

    @staticmethod
    def initial_for(criterion: Any) -> dict[str, Any]:
        return {
            "text": criterion.text,
            "points": criterion.points,
            "evidence_kind": criterion.evidence_kind,
            **criterion.evidence_params,
        }


class ScoreForm(forms.Form):
    value = forms.DecimalField(label="得分", min_value=0, max_value=1000, decimal_places=2)
    note = forms.CharField(label="说明", max_length=MAX_NOTE, required=False)

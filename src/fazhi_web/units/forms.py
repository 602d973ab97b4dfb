"""Forms of the administration pages. They only parse input; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from fazhi_web.units.models import Level, Role, Unit
from fazhi_web.units.services import NAME_MAX, REASON_MAX, REGION_MAX, tree_order


class UnitChoiceField(forms.TypedChoiceField):
    """A unit picked from a tree-shaped list; only the units given can be chosen."""

    def __init__(self, units: Iterable[Unit], **kwargs: Any) -> None:
        ordered = tree_order(units)
        self.units = {u.pk: u for u, _ in ordered}
        choices = [("", "——请选择——")] + [
            (u.pk, "　" * depth + u.name + ("（已隐藏）" if u.is_hidden else ""))
            for u, depth in ordered
        ]
        super().__init__(choices=choices, coerce=int, empty_value=None, **kwargs)

    def clean(self, value: Any) -> Unit | None:
        pk = super().clean(value)
        return self.units[pk] if pk is not None else None


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=NAME_MAX)
    level = forms.ChoiceField(label="层级", choices=Level.choices)
    region = forms.CharField(label="地区", max_length=REGION_MAX, required=False)

    def __init__(
        self, *args: Any, parents: Iterable[Unit] | None, parent_required: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        # parents is None when the parent cannot be changed here (the top of the admin's scope).
        if parents is not None:
            self.fields["parent"] = UnitChoiceField(
                parents, label="上级单位", required=parent_required
            )


class HideForm(forms.Form):
    reason = forms.CharField(label="隐藏原因", max_length=REASON_MAX)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    must_change_password = forms.BooleanField(
        label="首次登录时须修改密码", required=False, initial=True
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(units, label="所在单位")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class MembershipForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(units, label="单位")


class DeadlineForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)
    month = forms.IntegerField(min_value=1, max_value=12)
    day = forms.IntegerField(min_value=1, max_value=31)


class OpenYearForm(forms.Form):
    year = forms.IntegerField(label="报告年度", min_value=2000, max_value=2100)

"""Forms of the account pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from fazhi_web.accounts.passwords import RULE_TEXT

PASSWORD_MAX = 128


def _password(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过{PASSWORD_MAX}个字符。",
        },
    )


class PasswordChangeForm(forms.Form):
    old_password = _password("当前密码", "current-password")
    new_password1 = _password("新密码", "new-password")
    new_password2 = _password("再次输入新密码", "new-password")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULE_TEXT

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class UnlockForm(forms.Form):
    kind = forms.ChoiceField(choices=[("account", "账号"), ("address", "网络地址")])
    value = forms.CharField(max_length=255)

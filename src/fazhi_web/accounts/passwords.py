"""The password rule (等保 身份鉴别): the validators settings.py lists, and passwords
generated to pass them (demo accounts, temporary passwords).

Django's own validators check length, likeness to the username and name, and its list
of 20,000 common passwords; the two here add the character classes and the unit's name.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

CLASSES = {
    "小写字母": string.ascii_lowercase,
    "大写字母": string.ascii_uppercase,
    "数字": string.digits,
    # Anything else counts as a symbol: punctuation, spaces, Chinese characters.
    "符号": None,
}
CLASSES_NEEDED = 3


def character_classes(password: str) -> set[str]:
    found = set()
    for char in password:
        for name, members in CLASSES.items():
            if members is None or char in members:
                found.add(name)
                break
    return found


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(character_classes(password)) < CLASSES_NEEDED:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少{CLASSES_NEEDED}类。"


def _squeeze(text: str) -> str:
    return "".join(text.split()).lower()


class UnitNameValidator:
    """Not the name of a unit the user works at, nor of its region, nor containing one."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from fazhi_web.units.models import Membership

        squeezed = _squeeze(password)
        for unit in Membership.objects.filter(user=user).select_related("unit"):
            for name in (unit.unit.name, unit.unit.region):
                name = _squeeze(name)
                if len(name) >= 2 and (name in squeezed or squeezed in name):
                    raise ValidationError(self.get_help_text(), code="password_unit_name")

    def get_help_text(self) -> str:
        return "密码不能包含所在单位或地区的名称。"


# Django 5.2's Chinese catalogue lacks some of its validators' messages: said by code.
PROBLEMS = {
    "password_too_short": "密码至少需要{min_length}个字符。",
    "password_too_common": "密码过于常见，容易被猜到。",
    "password_entirely_numeric": "密码不能全是数字。",
    "password_too_similar": "密码与用户名或姓名过于相似。",
}


def problems(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.error_list:
        template = PROBLEMS.get(error.code or "")
        out.append(
            template.format(**(error.params or {})) if template else " ".join(error.messages)
        )
    return out


RULE_TEXT = "密码至少12个字符，须包含大写字母、小写字母、数字、符号中的至少3类，不能与用户名、姓名或所在单位名称相似，也不能是常见密码。"

# No look-alikes (0/O, 1/l/I) and no quote or backslash: read aloud, typed from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_SYMBOLS = "!#%+-=?@_"


def generate(user: Any = None, length: int = 16) -> str:
    """A random password that passes every validator for `user`."""
    while True:
        chars = [secrets.choice(_ALPHABET) for _ in range(length - 2)]
        chars += [secrets.choice(_SYMBOLS), secrets.choice(string.digits[2:])]
        for i in range(len(chars) - 1, 0, -1):
            j = secrets.randbelow(i + 1)
            chars[i], chars[j] = chars[j], chars[i]
        password = "".join(chars)
        try:
            validate_password(password, user=user)
        except ValidationError:
            continue
        return password

"""The error every loader raises, and the shape of its message.

A person who uploads a report sees the message as is, so it is one line of
Simplified Chinese that names the file, says what is wrong and what to do.
"""

from __future__ import annotations

import re

# Control characters and line breaks in a file name would break the one-line
# promise of the message.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


class InputError(Exception):
    """Unusable input; the message is Chinese, names the file and says what to do."""


def input_error(name: str, problem: str, action: str) -> InputError:
    """Build the error for `name`: "无法读取“name”：problem，action。"."""
    shown = _UNPRINTABLE.sub(" ", name).strip() or "(未命名文件)"
    return InputError(f"无法读取“{shown}”：{problem}，{action.rstrip('。')}。")

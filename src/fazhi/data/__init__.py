"""Data files the engine reads: synonyms, rule texts, deadlines, weights.

They are TOML so that a supervising office can read and adjust them without
touching code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Parse `data/<name>.toml` once per process."""
    path = resources.files(__package__).joinpath(f"{name}.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))

"""The finding rules, in the order their findings are reported.

Each module has a `SLUG` from the spec, a docstring that explains the rule
(`fazhi rules SLUG` prints it), and `check(doc)` yielding findings; the one
corpus-level rule has `check_corpus(docs)` instead, and the rule that compares
a unit's two years runs in the platform, which has both reports.
"""

from __future__ import annotations

from types import ModuleType

from fazhi.rules import (
    arithmetic_mismatch,
    boilerplate,
    copy_paste,
    date_mismatch,
    duplicate_phrase,
    duplicate_sentence,
    enumeration_gap,
    late_report,
    missing_part,
    missing_title,
    nonstandard_title,
    outdated_reference,
    plan_not_followed,
    private_info,
    repeated_char,
    unbalanced_brackets,
)

DOCUMENT_RULES: tuple[ModuleType, ...] = (
    missing_part,
    missing_title,
    nonstandard_title,
    late_report,
    date_mismatch,
    outdated_reference,
    duplicate_sentence,
    duplicate_phrase,
    repeated_char,
    enumeration_gap,
    unbalanced_brackets,
    arithmetic_mismatch,
    private_info,
    boilerplate,
)
CORPUS_RULES: tuple[ModuleType, ...] = (copy_paste,)
PLATFORM_RULES: tuple[ModuleType, ...] = (plan_not_followed,)
ALL_RULES = DOCUMENT_RULES + CORPUS_RULES + PLATFORM_RULES


def by_slug(slug: str) -> ModuleType | None:
    return next((r for r in ALL_RULES if slug == r.SLUG), None)

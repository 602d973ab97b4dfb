"""The finding rules, in the order their findings are reported.

Each module has a `SLUG` from the spec, a docstring that explains the rule
(`fazhi rules SLUG` prints it), and `check(doc)` yielding findings. The one
corpus-level rule has instead `find(docs)`, which reads only what the stages up
to meta give, `add_findings(docs, found)`, and `check_corpus(docs)` for both
in turn. `PLATFORM_RULES` are documented
here but checked by the platform (fazhi_web), which has what one file lacks: the
unit's ledgers, its report of the year before, its rectification items.
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
    ledger_mismatch,
    missing_part,
    missing_title,
    nonstandard_title,
    outdated_reference,
    plan_not_followed,
    private_info,
    rectification_not_reported,
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
PLATFORM_RULES: tuple[ModuleType, ...] = (
    ledger_mismatch,
    plan_not_followed,
    rectification_not_reported,
)
ALL_RULES = DOCUMENT_RULES + CORPUS_RULES + PLATFORM_RULES


def by_slug(slug: str) -> ModuleType | None:
    return next((r for r in ALL_RULES if slug == r.SLUG), None)

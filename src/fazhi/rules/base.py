"""What every rule module shares: its texts from `data/rules.toml`."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi import data
from fazhi.document import Finding

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class RuleText:
    slug: str
    name: str
    severity: str
    message: str
    summary: str = ""
    explanation: str = ""

    def finding(
        self, start: int | None = None, end: int | None = None, **fields: object
    ) -> Finding:
        """A finding of this rule; `fields` fill the message template."""
        return Finding(
            rule=self.slug,
            severity=self.severity,
            message=self.message.format(**fields),
            start=start,
            end=end,
        )


def rule_text(slug: str) -> RuleText:
    entry = data.load("rules")[slug]
    doc = data.load("rule_docs").get(slug, {})
    if entry["severity"] not in SEVERITIES:
        raise ValueError(f"{slug}: unknown severity {entry['severity']}")
    return RuleText(
        slug,
        entry["name"],
        entry["severity"],
        entry["message"],
        doc.get("summary", ""),
        doc.get("explanation", "").strip(),
    )

"""Full-text search over published reports: SQLite FTS5 or PostgreSQL text search.

Chinese has no spaces, so both engines index rjieba's search tokens joined by
spaces; queries are tokenised the same way and every token must match.
"""

from __future__ import annotations

import re

import rjieba
from django.db import connection

from fazhi_web.portal.models import SearchDocument
from fazhi_web.reports.models import Obligation

_WORD = re.compile(r"\w", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t for t in rjieba.cut_for_search(text) if _WORD.search(t)]


def index_obligation(obligation: Obligation) -> None:
    version = obligation.current_version
    if version is None:
        return
    meta = version.analysis.get("meta", {})
    text = " ".join(
        [obligation.unit.name, obligation.unit.region, meta.get("title") or "", version.text]
    )
    SearchDocument.objects.update_or_create(
        obligation=obligation, defaults={"tokens": " ".join(tokens(text))}
    )


def remove(obligation: Obligation) -> None:
    SearchDocument.objects.filter(obligation=obligation).delete()


def search(query: str, limit: int = 200) -> list[int]:
    """Ids of obligations matching every word of `query`, best first."""
    words = list(dict.fromkeys(tokens(query)))[:20]
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # tsv is a stored column (migration 0003): parsed once, on write.
            cursor.execute(
                """
                SELECT obligation_id FROM portal_searchdocument
                WHERE tsv @@ plainto_tsquery('simple', %s)
                ORDER BY ts_rank(tsv, plainto_tsquery('simple', %s)) DESC
                LIMIT %s
                """,
                [" ".join(words), " ".join(words), limit],
            )
        else:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            cursor.execute(
                """
                SELECT d.obligation_id FROM portal_search_fts f
                JOIN portal_searchdocument d ON d.id = f.rowid
                WHERE portal_search_fts MATCH %s ORDER BY f.rank LIMIT %s
                """,
                [match, limit],
            )
        return [row[0] for row in cursor.fetchall()]

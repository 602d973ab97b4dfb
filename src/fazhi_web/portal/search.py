"""Full-text search over published reports: SQLite FTS5 or PostgreSQL text search.

Chinese has no spaces, so both engines index rjieba's search tokens joined by
spaces; queries are tokenised the same way and every token must match.
"""

from __future__ import annotations

import re

import rjieba
from django.db import connection
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL

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


def matching(query: str, within: QuerySet[Obligation] | None = None) -> QuerySet[SearchDocument]:
    """Index entries (of obligations in `within`) that contain every word of `query`.

    On PostgreSQL the stored vector's GIN index (migration 0003) finds them; on
    SQLite the FTS5 table (migration 0002).
    """
    words = list(dict.fromkeys(tokens(query)))[:20]
    if not words:
        return SearchDocument.objects.none()
    docs = SearchDocument.objects.all()
    if within is not None:
        docs = docs.filter(obligation__in=within.order_by().values("pk"))
    if connection.vendor == "postgresql":
        sql, params = "tsv @@ plainto_tsquery('simple', %s)", [" ".join(words)]
    else:
        sql = (
            f"{SearchDocument._meta.db_table}.id IN "
            "(SELECT rowid FROM portal_search_fts WHERE portal_search_fts MATCH %s)"
        )
        params = [_fts_match(words)]
    return docs.filter(RawSQL(sql, params, output_field=BooleanField()))


def by_relevance(docs: QuerySet[SearchDocument], query: str) -> QuerySet[SearchDocument]:
    """Best first: the engine's rank of each entry, for a few hundred at most.

    Ranking reads each entry's whole vector: fine for hundreds, seconds for the
    tens of thousands of reports that a common word matches in a national year.
    """
    words = list(dict.fromkeys(tokens(query)))[:20]
    if connection.vendor == "postgresql":
        rank = RawSQL("ts_rank(tsv, plainto_tsquery('simple', %s))", [" ".join(words)])
        order = rank.desc()
    else:
        # FTS5's rank is bm25, negated: lower is better.
        rank = RawSQL(
            "(SELECT rank FROM portal_search_fts WHERE portal_search_fts MATCH %s"
            f" AND rowid = {SearchDocument._meta.db_table}.id)",
            [_fts_match(words)],
        )
        order = rank.asc()
    return docs.order_by(order, "obligation_id")


def newest_first(docs: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
    return docs.order_by(F("obligation__published_at").desc(nulls_last=True), "-obligation_id")


def _fts_match(words: list[str]) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(query: str, limit: int = 200) -> list[int]:
    """Ids of obligations matching every word of `query`, best first."""
    ranked = by_relevance(matching(query), query)
    return list(ranked.values_list("obligation_id", flat=True)[:limit])

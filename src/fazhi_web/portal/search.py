"""Full-text search over published reports: SQLite FTS5 or PostgreSQL text search.

Chinese has no spaces, so both engines index rjieba's search tokens joined by
spaces; queries are tokenised the same way and every token must match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import rjieba
from django.db import connection, transaction
from django.db.models import FloatField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from fazhi_web.portal.models import SearchDocument
from fazhi_web.reports.models import Obligation

_WORD = re.compile(r"\w", re.UNICODE)
DOCS = SearchDocument._meta.db_table


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


def matching(query: str, within: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """The obligations of `within` whose index entry contains every word of `query`.

    PostgreSQL finds the entries through the stored vector's GIN index
    (migration 0003), SQLite through its FTS5 table (migration 0002).
    """
    words = _words(query)
    if not words:
        return within.none()
    if connection.vendor == "postgresql":
        # OFFSET 0 keeps the lookup a query of its own, answered by the index:
        # joined into the outer query, the planner may instead test the
        # filtered reports' vectors one by one, reading each from TOAST.
        sql = (
            f"SELECT obligation_id FROM {DOCS} WHERE tsv @@ plainto_tsquery('simple', %s) OFFSET 0"
        )
        return within.filter(pk__in=RawSQL(sql, [" ".join(words)]))
    sql = (
        f"SELECT d.obligation_id FROM portal_search_fts f JOIN {DOCS} d ON d.id = f.rowid"
        " WHERE portal_search_fts MATCH %s"
    )
    return within.filter(pk__in=RawSQL(sql, [_fts_match(words)]))


def by_relevance(obligations: QuerySet[Obligation], query: str) -> QuerySet[Obligation]:
    """Best first, by the engine's rank of each report: for a few hundred at most.

    Ranking reads each report's whole vector: fine for hundreds, seconds for the
    tens of thousands of reports that a common word matches in a national year.
    """
    words = _words(query)
    # The expressions run inside a subquery over the index entries, so their
    # unqualified names are the entry's columns.
    if connection.vendor == "postgresql":
        rank = RawSQL("ts_rank(tsv, plainto_tsquery('simple', %s))", [" ".join(words)])
        best = "-rank"
    else:
        # FTS5's rank is bm25, negated: lower is better.
        rank = RawSQL(
            "(SELECT rank FROM portal_search_fts WHERE portal_search_fts MATCH %s AND rowid = id)",
            [_fts_match(words)],
        )
        best = "rank"
    ranks = SearchDocument.objects.filter(obligation=OuterRef("pk")).annotate(rank=rank)
    return obligations.annotate(
        rank=Subquery(ranks.values("rank")[:1], output_field=FloatField())
    ).order_by(best, "pk")


def newest_first(obligations: QuerySet[Obligation]) -> QuerySet[Obligation]:
    return obligations.order_by("-published_at", "pk")


@contextmanager
def through_the_index() -> Iterator[None]:
    """PostgreSQL: find matches through the GIN index, never by reading every vector.

    For a word that most reports contain, the planner estimates a sequential
    scan as cheaper: it does not count fetching each report's stored vector
    from TOAST (gigabytes for a national year; seconds), whereas the index
    answers without reading the vectors at all. So, for the queries inside
    this block only, sequential scans are ruled out.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def search(query: str, limit: int = 200) -> list[int]:
    """Ids of obligations matching every word of `query`, best first."""
    ranked = by_relevance(matching(query, Obligation.objects.all()), query)
    return list(ranked.values_list("pk", flat=True)[:limit])


def _words(query: str) -> list[str]:
    return list(dict.fromkeys(tokens(query)))[:20]


def _fts_match(words: list[str]) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)

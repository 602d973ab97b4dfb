"""The public index of published reports, tokenised for full-text search.

`tokens` holds rjieba tokens separated by spaces, so that SQLite FTS5 (see the
migration) and PostgreSQL's 'simple' text search both index Chinese words.
"""

from __future__ import annotations

from django.db import models

from fazhi_web.reports.models import Obligation


class SearchDocument(models.Model):
    obligation = models.OneToOneField(Obligation, on_delete=models.CASCADE, related_name="search")
    tokens = models.TextField()

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


class Publication(models.Model):
    """What a 政务公开 专栏 shows above a published report (GB/T 政府信息公开目录 fields).

    Proposed when the reviewer publishes (portal.publication.propose) and
    editable in the same dialog; the publication date is Obligation.published_at.
    """

    obligation = models.OneToOneField(
        Obligation, on_delete=models.PROTECT, related_name="publication"
    )
    # 机构代码/年份-流水号, as government portals number what they publish.
    index_number = models.CharField("索引号", max_length=60, unique=True)
    issuer = models.CharField("发布机构", max_length=100)
    topic = models.CharField("主题分类", max_length=50)
    written_on = models.DateField("成文日期", null=True, blank=True)

    def __str__(self) -> str:
        return self.index_number

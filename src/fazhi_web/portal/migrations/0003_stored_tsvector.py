"""PostgreSQL: keep the parsed text search vector in a stored column.

Ranking with ts_rank(to_tsvector(tokens)) re-parsed every matching report on
each query (seconds for a province); a generated column is parsed once, on write.
"""

from django.db import migrations

POSTGRES = [
    "DROP INDEX IF EXISTS portal_search_tsv",
    """ALTER TABLE portal_searchdocument ADD COLUMN tsv tsvector
       GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED""",
    "CREATE INDEX portal_search_tsv ON portal_searchdocument USING GIN (tsv)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_fulltext")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Full-text index: an FTS5 table kept in step by triggers (SQLite) or a GIN index (PostgreSQL)."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE portal_search_fts USING fts5(
       tokens, content='portal_searchdocument', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchdocument BEGIN
       INSERT INTO portal_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END""",
    """CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchdocument BEGIN
       INSERT INTO portal_search_fts(portal_search_fts, rowid, tokens)
       VALUES ('delete', old.id, old.tokens); END""",
    """CREATE TRIGGER portal_search_au AFTER UPDATE ON portal_searchdocument BEGIN
       INSERT INTO portal_search_fts(portal_search_fts, rowid, tokens)
       VALUES ('delete', old.id, old.tokens);
       INSERT INTO portal_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END""",
]
POSTGRES = [
    """CREATE INDEX portal_search_tsv ON portal_searchdocument
       USING GIN (to_tsvector('simple', tokens))""",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The SQL that makes the audit table append-only, per database vendor."""

from __future__ import annotations

from typing import Any

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
        """DROP TRIGGER IF EXISTS audit_no_change ON audit_auditentry""",
        """CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
           FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
        # TRUNCATE skips row triggers; refuse it too.
        """DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry""",
        """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
    ],
}
REMOVE = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_no_change ON audit_auditentry",
        "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry",
    ],
}


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection: Any) -> None:
    _run(connection, INSTALL)


def remove(connection: Any) -> None:
    _run(connection, REMOVE)

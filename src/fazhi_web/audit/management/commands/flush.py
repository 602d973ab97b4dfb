"""`flush` empties every table, the audit log included.

Wiping the whole database is the one operation that takes the log with it
(test databases are flushed between tests); the append-only triggers are
lifted for that statement and put back right after.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from fazhi_web.audit import triggers


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        triggers.remove(connection)
        try:
            super().handle(**options)
        finally:
            triggers.install(connection)

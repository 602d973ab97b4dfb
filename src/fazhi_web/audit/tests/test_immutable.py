"""Audit entries cannot be changed or removed, through the ORM or around it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from fazhi_web.audit.log import record
from fazhi_web.audit.models import AuditEntry, ImmutableError


@pytest.fixture
def entry(world) -> AuditEntry:
    return record(world.admin, "unit.update", "原始说明", unit=world.town, after={"a": 1})


def assert_untouched(entry: AuditEntry) -> None:
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.summary == "原始说明" and fresh.after == {"a": 1}


def test_model_refuses_save_and_delete(entry):
    entry.summary = "改过"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    assert_untouched(entry)


def test_queryset_update_and_delete_hit_the_trigger(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改过")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert_untouched(entry)


def test_raw_sql_update_and_delete_fail(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ["改过", entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    if connection.vendor == "postgresql":
        # TRUNCATE skips row triggers; the statement trigger refuses it.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditentry CASCADE")
    assert_untouched(entry)


def test_inserting_still_works(entry, world):
    record(world.admin, "unit.update", "第二条", unit=world.town)
    assert AuditEntry.objects.count() == 2

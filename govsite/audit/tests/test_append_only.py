"""Append-only (DB-13): the model, its queryset and the database triggers all refuse to change or
delete an audit row."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from govsite.audit.log import record, verify_chain
from govsite.audit.models import AuditEvent, AuditLogImmutableError

IMMUTABLE = "审计日志只能追加，不能修改或删除"


@pytest.fixture
def event(db: None) -> AuditEvent:
    record(None, "test.before")
    return record(None, "test.event", object_type="test.thing", object_id="1", object_repr="原始内容")


def test_queryset_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="改")
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        AuditEvent.objects.update(object_repr="改")


def test_queryset_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        AuditEvent.objects.all().delete()


def test_bulk_operations_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        AuditEvent.objects.bulk_update([event], ["object_repr"])
    with pytest.raises(AuditLogImmutableError, match=r"只能通过 govsite\.audit\.record\(\) 逐条写入"):
        AuditEvent.objects.bulk_create([AuditEvent(action="forged")])


def test_saving_an_existing_row_is_refused(event: AuditEvent) -> None:
    loaded = AuditEvent.objects.get(pk=event.pk)
    loaded.object_repr = "改"
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        loaded.save()
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        loaded.save(update_fields=["object_repr"])


def test_deleting_an_instance_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditLogImmutableError, match=IMMUTABLE):
        AuditEvent.objects.get(pk=event.pk).delete()


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_is_refused_by_the_database(event: AuditEvent) -> None:
    # IntegrityError on SQLite (RAISE(ABORT)), InternalError on PostgreSQL (RAISE EXCEPTION).
    with pytest.raises(DatabaseError, match="audit log is append-only"):
        _raw("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["改", event.pk])


def test_raw_sql_delete_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="audit log is append-only"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="audit log is append-only"):
        _raw("DELETE FROM audit_auditevent", [])


def test_refused_changes_leave_the_log_untouched(event: AuditEvent) -> None:
    for attempt in (lambda: AuditEvent.objects.update(action="x"), lambda: AuditEvent.objects.all().delete()):
        with pytest.raises(AuditLogImmutableError):
            attempt()
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_auditevent SET action = %s", ["x"])

    assert AuditEvent.objects.get(pk=event.pk).object_repr == "原始内容"
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok

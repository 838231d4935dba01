"""The hash chain: record() links each row to the one before, and verify_chain() finds the first row
that was changed or removed behind the application's back (DB-13)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from govsite.audit.log import GENESIS_HASH, ChainReport, compute_hash, record, verify_chain
from govsite.audit.models import AuditEvent

Execute = Callable[[str, list[object]], None]


@pytest.mark.django_db
def test_record_links_each_row_to_the_previous_one() -> None:
    assert AuditEvent.objects.count() == 0
    first = record(None, "test.first", object_type="test.thing", object_id="7", object_repr="第一件")
    second = record(
        None,
        "test.second",
        detail={"b": 1, "a": [1, 2.5, "中文"], "c": {"z": None, "y": True}},
        at=datetime(2026, 3, 1, 16, 0, 0, 123456, tzinfo=UTC),
    )

    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    # The hash survives the round trip through the database (JSON key order, time zone, microseconds).
    for stored in AuditEvent.objects.order_by("seq"):
        assert compute_hash(stored.prev_hash, stored) == stored.hash
    assert verify_chain() == ChainReport(checked=2)


@pytest.mark.django_db
def test_chain_over_real_actions_verifies(personas: object) -> None:
    """The persona fixture runs real actions (units, sites, accounts, Wagtail pages): all chained."""
    assert verify_chain() == ChainReport(checked=AuditEvent.objects.count())


@pytest.mark.django_db
def test_empty_log_verifies() -> None:
    assert verify_chain() == ChainReport(checked=0)


def test_modified_row_is_reported_at_its_seq(
    make_events: Callable[[int], list[AuditEvent]], lifted_triggers: Execute
) -> None:
    make_events(5)
    lifted_triggers("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["篡改后的内容", 3])

    assert verify_chain() == ChainReport(checked=2, broken_seq=3, reason="本条内容与哈希不符：该记录被修改")


def test_modified_row_with_recomputed_hash_breaks_the_next_link(
    make_events: Callable[[int], list[AuditEvent]], lifted_triggers: Execute
) -> None:
    make_events(5)
    forged = AuditEvent.objects.get(seq=3)
    forged.outcome = AuditEvent.Outcome.FAILURE
    lifted_triggers(
        "UPDATE audit_auditevent SET outcome = %s, hash = %s WHERE seq = %s",
        [forged.outcome, compute_hash(forged.prev_hash, forged), 3],
    )

    assert verify_chain() == ChainReport(
        checked=3, broken_seq=4, reason="上一条哈希不匹配：前面的记录被修改、删除或插入"
    )


def test_deleted_row_is_reported_as_a_gap(
    make_events: Callable[[int], list[AuditEvent]], lifted_triggers: Execute
) -> None:
    make_events(5)
    lifted_triggers("DELETE FROM audit_auditevent WHERE seq = %s", [3])

    assert verify_chain() == ChainReport(checked=2, broken_seq=3, reason="缺少第 3 条记录（下一条为第 4 条）")


def test_deleted_first_row_is_reported(
    make_events: Callable[[int], list[AuditEvent]], lifted_triggers: Execute
) -> None:
    make_events(2)
    lifted_triggers("DELETE FROM audit_auditevent WHERE seq = %s", [1])

    assert verify_chain() == ChainReport(checked=0, broken_seq=1, reason="缺少第 1 条记录（下一条为第 2 条）")

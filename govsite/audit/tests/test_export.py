"""Exporting the audit log: exact CSV and XLSX contents, formula injection, the audit row every export
writes first, and its pinned row set."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, NoReturn

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from govsite.accounts.actions import set_superuser
from govsite.audit import context, export
from govsite.audit.export import HEADERS, AuditFilter, AuditRow, iter_csv, start_export, write_xlsx
from govsite.audit.log import record
from govsite.audit.models import AuditEvent

HOSTILE = {
    "username": "@SUM(1+1)*cmd|' /C calc'!A0",
    "object_type": "+cmd",
    "object_id": "-1",
    "object_repr": '=HYPERLINK("http://evil.example","点击")',
}


def _csv_rows(events: list[AuditEvent]) -> list[list[str]]:
    body = b"".join(iter_csv(events))
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel on Chinese Windows reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _xlsx_rows(events: list[AuditEvent]) -> list[tuple[Any, ...]]:
    out = io.BytesIO()
    write_xlsx(events, out)
    out.seek(0)
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.title == "审计日志"
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)  # no cell is a formula
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def profile_change(personas: Any) -> AuditEvent:
    token = context.bind(context.RequestContext(source_ip="10.1.2.3", user_agent="pytest", request_id="r1"))
    try:
        return record(
            personas.security_admin,
            "accounts.update_profile",
            personas.editor_a,
            detail={"before": {"phone": ""}, "after": {"phone": "0591-1234567"}},
            at=datetime(2026, 3, 1, 16, 0, 5, 999999, tzinfo=UTC),
        )
    finally:
        context.unbind(token)


def _expected_row(event: AuditEvent, personas: Any) -> list[Any]:
    return [
        event.seq,
        "2026-03-02 00:00:05",
        "secadmin",
        "安全管理员甲",
        "安全管理员",
        "10.1.2.3",
        "accounts.update_profile",
        "accounts.user",
        str(personas.editor_a.pk),
        "甲信息员（editor_a）",
        "成功",
        '{"after": {"phone": "0591-1234567"}, "before": {"phone": ""}}',
        event.hash,
    ]


def test_csv_header_and_row_are_exact(personas: Any, profile_change: AuditEvent) -> None:
    rows = _csv_rows([AuditEvent.objects.get(pk=profile_change.pk)])

    assert rows[0] == list(HEADERS)
    assert rows[1] == [str(value) for value in _expected_row(profile_change, personas)]
    assert len(rows) == 2


def test_xlsx_header_and_row_are_exact(personas: Any, profile_change: AuditEvent) -> None:
    rows = _xlsx_rows([AuditEvent.objects.get(pk=profile_change.pk)])

    assert rows == [HEADERS, tuple(_expected_row(profile_change, personas))]


@pytest.mark.django_db
def test_outcome_is_shown_in_chinese() -> None:
    events = [record(None, "test.outcome", outcome=outcome) for outcome in AuditEvent.Outcome.values]

    assert [row[10] for row in _csv_rows(events)[1:]] == ["成功", "失败", "拒绝"]


@pytest.mark.django_db
def test_formula_injection_is_neutralised_in_csv() -> None:
    event = record(None, "test.formula", **HOSTILE)

    row = _csv_rows([event])[1]

    assert (row[2], row[7], row[8], row[9]) == (
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'+cmd",
        "'-1",
        '\'=HYPERLINK("http://evil.example","点击")',
    )


@pytest.mark.django_db
def test_formula_injection_is_neutralised_in_xlsx() -> None:
    event = record(None, "test.formula", **HOSTILE)

    row = _xlsx_rows([event])[1]

    assert (row[2], row[7], row[8], row[9]) == (
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'+cmd",
        "'-1",
        '\'=HYPERLINK("http://evil.example","点击")',
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("普通文字", "普通文字"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise_formula(value: str, shown: str) -> None:
    assert export.neutralise_formula(value) == shown


def test_unsaved_control_characters_are_encoded_in_every_column() -> None:
    """Rows written before the encoding existed (or by raw SQL) still cannot break a line or a cell."""
    event = AuditEvent(
        seq=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        actor_roles="角色\n伪造",
        action="test\x1b[0m",
        object_type="a\rb",
        object_id="1\x00",
        outcome="success",
        detail={"k": "v\x7f"},
        hash="0" * 64,
    )

    row = AuditRow.of(event)

    assert (row.roles, row.action, row.object_type, row.object_id, row.detail) == (
        "角色\\x0a伪造",
        "test\\x1b[0m",
        "a\\x0db",
        "1\\x00",
        '{"k": "v\\x7f"}',
    )


def test_large_csv_is_streamed_in_chunks() -> None:
    events = [
        AuditEvent(
            seq=i,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            action="test.bulk",
            object_repr="长" * 300,
            outcome="success",
            detail={},
            hash=f"{i:064x}",
        )
        for i in range(1, 401)
    ]

    chunks = list(iter_csv(events))

    assert len(chunks) > 3
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))
    assert [int(row[0]) for row in rows[1:]] == list(range(1, 401))


# --- start_export: the audited export action ----------------------------------------------------------


@pytest.mark.django_db
def test_export_is_recorded_before_rows_are_written(make_events: Callable[..., list[AuditEvent]]) -> None:
    make_events(3)

    exported = start_export(None, "csv", AuditFilter(action="test.event"))

    event = AuditEvent.objects.order_by("-seq").first()
    assert event == exported.event
    assert (event.action, event.outcome, event.actor_id, event.user_agent, event.object_repr) == (
        "audit.export",
        "success",
        None,
        "命令行",
        "审计日志",
    )
    assert event.detail == {"format": "csv", "filters": {"action": "test.event"}, "rows": 3, "upto_seq": 3}
    assert (exported.total, exported.upto_seq) == (3, 3)


@pytest.mark.django_db
def test_export_holds_exactly_the_rows_it_announced(make_events: Callable[..., list[AuditEvent]]) -> None:
    make_events(3)
    exported = start_export(None, "csv")
    make_events(2)  # appended while the export runs

    out = io.BytesIO()
    exported.write(out)

    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]  # oldest first, up to the pinned head
    assert exported.total == 3


@pytest.mark.django_db
def test_export_filters_by_china_date() -> None:
    record(None, "test.day", at=datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC))  # 03-01 23:59:59 北京时间
    record(None, "test.day", at=datetime(2026, 3, 1, 16, 0, 0, tzinfo=UTC))  # 03-02 00:00:00
    record(None, "test.day", at=datetime(2026, 3, 2, 15, 59, 59, tzinfo=UTC))  # 03-02 23:59:59
    record(None, "test.day", at=datetime(2026, 3, 2, 16, 0, 0, tzinfo=UTC))  # 03-03 00:00:00

    exported = start_export(None, "xlsx", AuditFilter(since=date(2026, 3, 2), until=date(2026, 3, 2)))

    assert [event.seq for event in exported.events()] == [2, 3]
    assert exported.event.detail["filters"] == {"since": "2026-03-02", "until": "2026-03-02"}


@pytest.mark.django_db
def test_export_reports_progress(
    monkeypatch: pytest.MonkeyPatch, make_events: Callable[..., list[AuditEvent]]
) -> None:
    monkeypatch.setattr(export, "_PROGRESS_EVERY", 2)
    make_events(5)
    exported = start_export(None, "xlsx", AuditFilter(action="test.event"))
    calls: list[int] = []

    exported.write(io.BytesIO(), calls.append)

    assert calls == [2, 2, 1]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor_a", "system_admin", "security_admin"])
def test_export_by_other_roles_is_refused_and_logged(personas: Any, persona: str) -> None:
    before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied, match="只有审计管理员可以查询、校验和导出审计日志"):
        start_export(getattr(personas, persona), "csv", AuditFilter(outcome="denied"))

    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.outcome, event.actor_username) == (
        "audit.export",
        "denied",
        getattr(personas, persona).username,
    )
    assert event.detail == {
        "reason": "只有审计管理员可以查询、校验和导出审计日志",
        "format": "csv",
        "filters": {"outcome": "denied"},
    }


@pytest.mark.django_db
def test_export_by_a_superuser_is_refused(personas: Any) -> None:
    set_superuser(None, personas.audit_admin, True)

    with pytest.raises(PermissionDenied):
        start_export(personas.audit_admin, "csv")


@pytest.mark.django_db
def test_export_by_the_audit_admin_is_recorded_under_its_name(personas: Any) -> None:
    exported = start_export(personas.audit_admin, "xlsx")

    assert (exported.event.actor_username, exported.event.actor_roles) == ("auditadmin", "审计管理员")


@pytest.mark.django_db
def test_nothing_is_exported_when_the_audit_row_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch, make_events: Callable[..., object]
) -> None:
    make_events(2)

    def broken_save(self: AuditEvent, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("审计存储不可用")

    monkeypatch.setattr(AuditEvent, "save", broken_save)

    with pytest.raises(RuntimeError, match="审计存储不可用"):
        start_export(None, "csv")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="不支持的导出格式：pdf"):
        start_export(None, "pdf")

"""`govsite audit verify` and `govsite audit export`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from govsite.audit.export import HEADERS
from govsite.audit.log import record
from govsite.audit.models import AuditEvent

Execute = Callable[[str, list[object]], None]


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_verify_intact_chain_exits_0(make_events: Callable[..., list[AuditEvent]]) -> None:
    make_events(4)

    out, err = _run("verify")

    assert out == "已校验 4 条审计记录\n审计日志哈希链完整\n"
    assert err == ""
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.outcome, event.actor_id, event.user_agent, event.detail) == (
        "audit.verify",
        "success",
        None,
        "命令行",
        {"checked": 4, "broken_seq": None, "reason": ""},
    )


def test_verify_broken_chain_exits_1(
    make_events: Callable[..., list[AuditEvent]], lifted_triggers: Execute
) -> None:
    make_events(4)
    lifted_triggers("UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s", ["someone_else", 3])
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=out, stderr=err)

    assert exit_info.value.code == 1
    assert out.getvalue() == "已校验 2 条审计记录\n"
    assert err.getvalue() == "审计日志哈希链断裂：序号 3，本条内容与哈希不符：该记录被修改\n"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.outcome) == ("audit.verify", "failure")
    assert event.detail == {"checked": 2, "broken_seq": 3, "reason": "本条内容与哈希不符：该记录被修改"}


def test_verify_reports_a_deleted_row(
    make_events: Callable[..., list[AuditEvent]], lifted_triggers: Execute
) -> None:
    make_events(4)
    lifted_triggers("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)

    assert exit_info.value.code == 1
    assert err.getvalue() == "审计日志哈希链断裂：序号 2，缺少第 2 条记录（下一条为第 3 条）\n"


@pytest.mark.django_db
def test_export_csv(tmp_path: Path) -> None:
    record(None, "test.old", at=datetime(2026, 2, 28, 12, tzinfo=UTC))
    kept = record(None, "test.kept", object_repr="=cmd", at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    record(None, "test.new", at=datetime(2026, 3, 2, 12, tzinfo=UTC))
    output = tmp_path / "审计.csv"

    out, _ = _run(
        "export", "--format", "csv", "--output", str(output), "--since", "2026-03-01", "--until", "2026-03-01"
    )

    assert out == f"已导出 1 条审计记录到 {output}（截至序号 3）\n"
    rows = list(csv.reader(io.StringIO(output.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0] == list(HEADERS)
    assert rows[1][:2] == [str(kept.seq), "2026-03-01 20:00:00"]
    assert (rows[1][6], rows[1][9]) == ("test.kept", "'=cmd")
    assert len(rows) == 2
    assert not output.with_name(output.name + ".part").exists()
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_id, event.user_agent) == ("audit.export", None, "命令行")
    assert event.detail == {
        "format": "csv",
        "filters": {"since": "2026-03-01", "until": "2026-03-01"},
        "rows": 1,
        "upto_seq": 3,
    }


@pytest.mark.django_db
def test_export_xlsx(tmp_path: Path, make_events: Callable[..., list[AuditEvent]]) -> None:
    make_events(3)
    output = tmp_path / "audit.xlsx"

    out, _ = _run("export", "--format", "xlsx", "--output", str(output))

    assert out == f"已导出 3 条审计记录到 {output}（截至序号 3）\n"
    sheet = load_workbook(output, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == [1, 2, 3]


@pytest.mark.django_db
def test_export_refuses_until_before_since(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--until 不能早于 --since"):
        _run(
            "export",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "a.csv"),
            "--since",
            "2026-03-02",
            "--until",
            "2026-03-01",
        )
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_export_refuses_a_malformed_date(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD：2026-13-01"):
        _run("export", "--format", "csv", "--output", str(tmp_path / "a.csv"), "--since", "2026-13-01")


@pytest.mark.django_db
def test_export_refuses_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="输出目录不存在"):
        _run("export", "--format", "csv", "--output", str(tmp_path / "nowhere" / "a.csv"))
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_export_writes_no_file_when_it_cannot_be_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self: AuditEvent, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("审计存储不可用")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    output = tmp_path / "a.csv"

    with pytest.raises(RuntimeError, match="审计存储不可用"):
        _run("export", "--format", "csv", "--output", str(output))
    assert list(tmp_path.iterdir()) == []

"""`govsite audit`: verify the audit log's hash chain, or export it to CSV/XLSX for off-box archiving.

A thin shell over ``log.verify_chain`` and ``export.start_export``; both runs are themselves audited.
``verify`` exits with status 1 when the chain is broken, so cron or monitoring can alert on it.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from govsite.audit.export import FORMATS, AuditFilter, record_use, start_export
from govsite.audit.log import verify_chain
from govsite.audit.models import AuditEvent


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，export 导出为 CSV 或 XLSX"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("verify", help="逐条校验审计日志哈希链；发现断裂时退出码为 1")
        export = sub.add_parser("export", help="导出审计日志（CSV 带 BOM，可直接用 Excel 打开；或 XLSX）")
        export.add_argument("--format", required=True, choices=FORMATS, help="导出格式")
        export.add_argument("--output", required=True, type=Path, help="输出文件路径")
        export.add_argument("--since", type=iso_date, help="起始日期（含），YYYY-MM-DD，北京时间")
        export.add_argument("--until", type=iso_date, help="截止日期（含），YYYY-MM-DD，北京时间")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["op"] == "verify":
            self.verify()
        else:
            self.export(
                options["format"],
                options["output"],
                AuditFilter(since=options["since"], until=options["until"]),
            )

    def verify(self) -> None:
        report = verify_chain()
        record_use(
            None,
            "audit.verify",
            {"checked": report.checked, "broken_seq": report.broken_seq, "reason": report.reason},
            AuditEvent.Outcome.SUCCESS if report.ok else AuditEvent.Outcome.FAILURE,
        )
        self.stdout.write(f"已校验 {report.checked} 条审计记录")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("审计日志哈希链完整"))
            return
        self.stderr.write(f"审计日志哈希链断裂：序号 {report.broken_seq}，{report.reason}")
        # Exit status 1 without Django's English "CommandError:" prefix; call_command raises SystemExit.
        sys.exit(1)

    def export(self, fmt: str, output: Path, filters: AuditFilter) -> None:
        if filters.since and filters.until and filters.until < filters.since:
            raise CommandError("--until 不能早于 --since")
        if not output.parent.is_dir():
            raise CommandError(f"输出目录不存在：{output.parent}")
        exported = start_export(None, fmt, filters)
        # Written beside the target and renamed at the end, so an interrupted export leaves no
        # half-written file that could be mistaken for a complete archive.
        partial = output.with_name(output.name + ".part")
        console = Console(stderr=True)
        columns = (TextColumn("导出审计日志"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        try:
            with (
                partial.open("wb") as out,
                Progress(*columns, console=console, disable=not console.is_terminal) as progress,
            ):
                task = progress.add_task("export", total=exported.total)
                exported.write(out, lambda done: progress.advance(task, done))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"已导出 {exported.total} 条审计记录到 {output}（截至序号 {exported.upto_seq}）")

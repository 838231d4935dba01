"""`govsite check-file`: run the text engines over attachments (DOCX, XLSX, PDF, HTML, TXT) with locations.

A thin shell over ``govsite.checks.attachments.check_attachment`` and ``govsite.checks.report``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.checks.attachments import AttachmentReport, check_attachment
from govsite.checks.engine import CheckContext, engines
from govsite.checks.report import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_NOT_CHECKED,
    finding_json,
    finding_line,
    parse_date,
    summary,
)


def report_lines(report: AttachmentReport, output_format: str) -> list[str]:
    """The output lines for one file: its findings, then what was not checked, or its error."""
    if output_format == "json":
        lines = [finding_json(f, file=report.name) for f in report.findings]
        lines += [
            json.dumps({"file": report.name, "status": "unchecked", "reason": r}, ensure_ascii=False)
            for r in report.unchecked
        ]
        if report.error:
            lines.append(
                json.dumps(
                    {"file": report.name, "status": "error", "error": report.error}, ensure_ascii=False
                )
            )
        return lines
    lines = [f"{report.name} {f.location}｜{finding_line(f)}" for f in report.findings]
    lines += [f"{report.name}｜未检查：{reason}" for reason in report.unchecked]
    if report.error:
        lines.append(f"{report.name}｜无法检查：{report.error}")
    return lines


def overall_exit_code(reports: list[AttachmentReport]) -> int:
    """2 when a file could not be read, else 1 on any 严重/错误 finding, else 3 when something went unchecked."""
    if any(r.error for r in reports):
        return EXIT_BAD_INPUT
    if any(r.blocking for r in reports):
        return EXIT_FINDINGS
    if any(r.unchecked for r in reports):
        return EXIT_NOT_CHECKED
    return EXIT_CLEAN


class Command(BaseCommand):
    help = (
        "检查附件（DOCX、XLSX、PDF、HTML、TXT）中的个人信息、错敏字词等问题，每条问题输出一行，带文件名和位置"
        "（页码、工作表!单元格、表格行列）。没有文字层的 PDF 页面（扫描件）和不支持的格式报告为“未检查”，不算通过。"
        "退出码：0 全部检查且没有严重或错误问题；1 有严重或错误问题；2 参数有误或有文件不存在、无法读取；"
        "3 没有严重或错误问题，但有文件或页面未检查。多种情况同时出现时取 2、1、3 中靠前的。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="要检查的附件")
        parser.add_argument("--date", help="附件所述日期（发布日期），格式 YYYY-MM-DD，默认今天")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式，默认 text")
        parser.add_argument(
            "--engine",
            action="extend",
            nargs="+",
            dest="engines",
            metavar="NAME",
            help="只运行这些检查引擎，默认全部",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            context = CheckContext(on=parse_date(options["date"]))
            names: list[str] | None = options["engines"]
            engines(names)
        except (KeyError, ValueError) as exc:
            self.stderr.write(str(exc.args[0]) if isinstance(exc, KeyError) else str(exc))
            sys.exit(EXIT_BAD_INPUT)
        reports: list[AttachmentReport] = []
        for file in options["files"]:
            report = check_attachment(Path(file), context, engine_names=names)
            reports.append(report)
            for line in report_lines(report, options["format"]):
                self.stdout.write(line)
        status = {"checked": 0, "unchecked": 0, "error": 0}
        for report in reports:
            status[report.status] += 1
        self.stderr.write(
            f"{len(reports)} 个文件：已检查 {status['checked']}，未检查 {status['unchecked']}，无法读取 {status['error']}；"
            + summary(f for r in reports for f in r.findings)
        )
        code = overall_exit_code(reports)
        if code:
            sys.exit(code)

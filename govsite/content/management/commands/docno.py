"""`govsite docno`: tools for 发文字号 in legacy data; ``parse`` reads values and prints one JSON object each.

A thin shell over ``govsite.core.docno.parse_document_number``.  It is a cleaning tool, so a value
that cannot be read is reported in the output, not raised: the exit status stays 0 unless
``--strict`` is given.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.core.docno import DocumentNumberError, parse_document_number

STDIN = "-"


def parse_result(value: str) -> dict[str, Any]:
    """The JSON object printed for one input value."""
    try:
        doc = parse_document_number(value)
    except DocumentNumberError as exc:
        return {"input": value, "error": str(exc)}
    return {
        "input": value,
        "agency": doc.agency,
        "year": doc.year,
        "number": doc.number,
        "normalised": doc.normalised,
        "kind": doc.kind,
    }


def _stdin_lines() -> Iterator[str]:
    # Read lazily so that `... | govsite docno parse` streams; blank lines are gaps in exports, not data.
    for line in sys.stdin:
        value = line.rstrip("\r\n")
        if value.strip():
            yield value


def _inputs(values: Iterable[str]) -> Iterator[str]:
    for value in values:
        if value == STDIN:
            yield from _stdin_lines()
        else:
            yield value


class Command(BaseCommand):
    help = "发文字号工具：parse 解析发文字号（机关代字、年份、序号），用于清理历史数据"

    def add_arguments(self, parser: CommandParser) -> None:
        # The metavar names the subcommands in argparse's "required" error instead of the dest.
        sub = parser.add_subparsers(dest="op", required=True, metavar="{parse}", title="子命令")
        parse = sub.add_parser(
            "parse",
            help="逐条解析发文字号，每条输出一行 JSON",
            description=(
                "逐条解析发文字号，每条输出一行 JSON：input、agency（机关代字）、year（年份）、"
                "number（序号）、normalised（规范写法）、kind（bracketed 或 decree）；"
                "无法识别的条目输出 input 和 error，退出码仍为 0（除非指定 --strict）。"
            ),
        )
        parse.add_argument(
            "values",
            nargs="*",
            metavar="VALUE",
            help="要解析的发文字号；写“-”或不写时从标准输入逐行读取（跳过空行）",
        )
        parse.add_argument("--strict", action="store_true", help="有任何一条无法识别时，退出码为 1")

    def handle(self, *args: Any, **options: Any) -> None:
        values: list[str] = options["values"] or [STDIN]
        total = failed = 0
        for value in _inputs(values):
            result = parse_result(value)
            total += 1
            failed += "error" in result
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        # The summary goes to stderr so that stdout stays pure JSON lines for the next tool in a pipe.
        style = self.style.ERROR if failed else self.style.SUCCESS
        self.stderr.write(f"共 {total} 条，无法识别 {failed} 条", style_func=style)
        if options["strict"] and failed:
            # Exit status 1 without Django's English "CommandError:" prefix; call_command raises SystemExit.
            sys.exit(1)

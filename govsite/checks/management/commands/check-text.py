"""`govsite check-text`: run the text engines over plain text or HTML, one finding per output line.

A thin shell over ``govsite.checks.engine.scan`` and ``govsite.checks.report``.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from govsite.checks.attachments import decode_text
from govsite.checks.engine import CheckContext, Finding, engines, scan
from govsite.checks.report import EXIT_BAD_INPUT, exit_code, finding_json, finding_line, parse_date, summary
from govsite.checks.text import html_to_text

STDIN = "-"


def read_input(source: str) -> str:
    """The text of a file or of standard input ("-"); OSError for a file that cannot be read."""
    if source == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        return decode_text(stream.read()) if stream is not None else sys.stdin.read()
    with open(source, "rb") as handle:
        return decode_text(handle.read())


def text_of(document: str) -> str:
    """HTML (a document that starts with "<") as the engines see it; plain text unchanged."""
    return html_to_text(document) if document.lstrip("\ufeff \t\r\n").startswith("<") else document


def check_text(document: str, on: Any, engine_names: list[str] | None) -> list[Finding]:
    return scan(text_of(document), CheckContext(on=on), engine_names)


class Command(BaseCommand):
    help = (
        "检查一段纯文本或 HTML（以“<”开头即按 HTML 处理）中的个人信息、错敏字词等问题，每条问题输出一行："
        "规则编号、严重程度、字符位置、命中文字、建议修改（→ 之后）和说明；--format json 时每行一个 JSON 对象。"
        "退出码：0 没有严重或错误问题；1 有严重或错误问题；2 输入有误（文件不存在、日期格式或引擎名称不对）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=STDIN, metavar="FILE", help="要检查的文件；“-”或不写时读标准输入"
        )
        parser.add_argument("--date", help="文字所述日期（发布日期），格式 YYYY-MM-DD，默认今天")
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
            on = parse_date(options["date"])
            names: list[str] | None = options["engines"]
            engines(names)  # unknown names fail here, before any reading
            document = read_input(options["file"])
        except KeyError as exc:
            self._fail(str(exc.args[0]))
        except ValueError as exc:
            self._fail(str(exc))
        except OSError as exc:
            self._fail(f"无法读取文件 {options['file']}：{exc.strerror or exc}")
        findings = check_text(document, on, names)
        for finding in findings:
            self.stdout.write(finding_json(finding) if options["format"] == "json" else finding_line(finding))
        # The summary goes to stderr so that stdout stays one finding per line for the next tool in a pipe.
        self.stderr.write(summary(findings))
        code = exit_code(findings)
        if code:
            sys.exit(code)

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(EXIT_BAD_INPUT)

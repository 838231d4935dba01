"""`govsite validate id|uscc`: check 身份证号 or 统一社会信用代码 values, one verdict line per input.

A thin shell over ``govsite.core.idcard.validate_id_number`` and ``govsite.core.index_numbers.validate_uscc``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.checks.report import EXIT_BAD_INPUT, parse_date
from govsite.core.idcard import validate_id_number
from govsite.core.index_numbers import validate_uscc

STDIN = "-"
EXIT_INVALID = 1


def verdict(kind: str, value: str, today: date) -> str:
    """``valid`` or ``invalid: <reason>`` for one value."""
    try:
        if kind == "id":
            validate_id_number(value, today)
        else:
            validate_uscc(re.sub(r"\s", "", unicodedata.normalize("NFKC", value)).upper())
    except ValueError as exc:
        return f"invalid: {exc}"
    return "valid"


def _inputs(values: Iterable[str]) -> Iterator[str]:
    for value in values:
        if value == STDIN:
            for line in sys.stdin:
                if line.strip():  # blank lines are gaps in exports, not values
                    yield line.rstrip("\r\n")
        else:
            yield value


class Command(BaseCommand):
    help = (
        "校验身份证号（id：地区码、出生日期、GB 11643 校验码，也接受旧版 15 位）或统一社会信用代码"
        "（uscc：GB 32100，含组织机构代码校验）。每个输入输出一行“输入值<Tab>valid”或“输入值<Tab>invalid: 原因”。"
        "退出码：0 全部有效；1 有无效值；2 参数有误。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["id", "uscc"], help="id 身份证号；uscc 统一社会信用代码")
        parser.add_argument(
            "values", nargs="*", metavar="VALUE", help="要校验的值；“-”或不写时从标准输入逐行读取"
        )
        parser.add_argument("--date", help="判断出生日期是否晚于今天时所用的日期，格式 YYYY-MM-DD，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = parse_date(options["date"])
        except ValueError as exc:
            self.stderr.write(str(exc))
            sys.exit(EXIT_BAD_INPUT)
        invalid = 0
        for value in _inputs(options["values"] or [STDIN]):
            result = verdict(options["kind"], value, today)
            invalid += result != "valid"
            self.stdout.write(f"{value}\t{result}")
        if invalid:
            sys.exit(EXIT_INVALID)

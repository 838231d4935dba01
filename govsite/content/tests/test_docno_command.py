"""`govsite docno parse`: one JSON line per value, from arguments or standard input."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

GOOD = {
    "input": "国办发〔2017〕47号",
    "agency": "国办发",
    "year": 2017,
    "number": 47,
    "normalised": "国办发〔2017〕47号",
    "kind": "bracketed",
}
DECREE = {
    "input": "国令第719号",
    "agency": "国令",
    "year": None,
    "number": 719,
    "normalised": "国令第719号",
    "kind": "decree",
}


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("docno", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_values_from_arguments() -> None:
    out, err = _run("parse", "国办发〔2017〕47号", "国令第719号", "发文字号：筑府办发(2018)02")

    assert _lines(out) == [
        GOOD,
        DECREE,
        {
            "input": "发文字号：筑府办发(2018)02",
            "agency": "筑府办发",
            "year": 2018,
            "number": 2,
            "normalised": "筑府办发〔2018〕2号",
            "kind": "bracketed",
        },
    ]
    assert err == "共 3 条，无法识别 0 条\n"


def test_output_keeps_chinese_unescaped_and_in_field_order() -> None:
    out, _ = _run("parse", "国令第719号")

    assert out == (
        '{"input": "国令第719号", "agency": "国令", "year": null, "number": 719, '
        '"normalised": "国令第719号", "kind": "decree"}\n'
    )


def test_unreadable_values_are_reported_and_exit_status_stays_0() -> None:
    out, err = _run("parse", "国办发", "国办发〔2017〕47号", "国办发〔2017〕0号")

    assert _lines(out) == [
        {"input": "国办发", "error": "发文字号缺少序号"},
        GOOD,
        {"input": "国办发〔2017〕0号", "error": "发文字号序号不能为 0"},
    ]
    assert err == "共 3 条，无法识别 2 条\n"


def test_dash_reads_stdin_line_by_line_skipping_blank_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("国办发〔2017〕47号\r\n\n   \n国令第719号\n无\n"))

    out, err = _run("parse", "-")

    assert _lines(out) == [GOOD, DECREE, {"input": "无", "error": "“无”不是发文字号：没有发文字号时请留空"}]
    assert err == "共 3 条，无法识别 1 条\n"


def test_no_values_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(" 国办发 [2017] 47号 \n"))

    out, _ = _run("parse")

    assert _lines(out) == [{**GOOD, "input": " 国办发 [2017] 47号 "}]


def test_dash_among_values_reads_stdin_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("国令第719号\n"))

    out, _ = _run("parse", "国办发〔2017〕47号", "-", "国办发")

    assert _lines(out) == [GOOD, DECREE, {"input": "国办发", "error": "发文字号缺少序号"}]


def test_strict_exits_1_after_printing_every_line() -> None:
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "docno", "parse", "--strict", "国办发〔2017〕47号", "国办发〔17〕47号", stdout=out, stderr=err
        )

    assert exit_info.value.code == 1
    assert _lines(out.getvalue()) == [
        GOOD,
        {"input": "国办发〔17〕47号", "error": "发文字号年份“17”应为 4 位阿拉伯数字"},
    ]
    assert err.getvalue() == "共 2 条，无法识别 1 条\n"


def test_strict_exits_0_when_every_line_parses() -> None:
    out, err = _run("parse", "--strict", "国办发〔2017〕47号")

    assert _lines(out) == [GOOD]
    assert err == "共 1 条，无法识别 0 条\n"


def test_empty_stdin_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    out, err = _run("parse", "-")

    assert out == ""
    assert err == "共 0 条，无法识别 0 条\n"


def test_a_subcommand_is_required() -> None:
    with pytest.raises(CommandError) as info:
        call_command("docno")

    assert str(info.value) == "Error: the following arguments are required: {parse}"

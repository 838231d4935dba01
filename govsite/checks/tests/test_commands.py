"""`govsite check-text`, `check-file` and `validate`: exact output lines and exit codes (P1–P5, T6)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .files import ID_A, ID_B, PEOPLE_ROWS, docx_bytes, pdf_bytes, xlsx_bytes

ENGINE = ["--engine", "personal_data", "--date", "2025-06-01"]


def run(
    *args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a command, as the shell would see them."""
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


ID_LINE = (
    "P1 严重 8-26 350102199003071234 → 35*************234 "
    "完整的身份证号（地区码、出生日期、校验码均有效），发布前须脱敏：保留前 2 位和后 3 位"
)
MOBILE_MESSAGE = "手机号码：如非公开的办公联系电话，发布前应脱敏，保留前 3 位和后 4 位"


# --- check-text ----------------------------------------------------------------------------------------


def test_check_text_file_with_a_full_id_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "稿件.txt"
    path.write_text(f"申请人身份证号：{ID_A}，联系电话13800138000。", encoding="utf-8")
    code, out, err = run("check-text", str(path), *ENGINE)
    assert code == 1
    assert out.splitlines() == [ID_LINE, f"P2 待复核 31-42 13800138000 → 138****8000 {MOBILE_MESSAGE}"]
    assert err == "共 2 条：严重 1 条，待复核 1 条\n"


def test_check_text_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "稿件.txt"
    path.write_text(f"申请人身份证号：{ID_A}。", encoding="utf-8")
    code, out, _ = run("check-text", str(path), "--format", "json", *ENGINE)
    assert code == 1
    assert [json.loads(line) for line in out.splitlines()] == [
        {
            "rule": "P1",
            "severity": "critical",
            "start": 8,
            "end": 26,
            "matched": ID_A,
            "suggestion": "35*************234",
            "message": "完整的身份证号（地区码、出生日期、校验码均有效），发布前须脱敏：保留前 2 位和后 3 位",
            "engine": "personal_data",
            "location": "",
            "detail": {"kind": "id"},
        }
    ]


def test_check_text_html_from_stdin_review_only_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    html = "<div><p>联系人：张三</p><p>联系电话：<b>138 0013 8000</b></p></div>"
    code, out, err = run("check-text", "-", *ENGINE, stdin=html, monkeypatch=monkeypatch)
    assert code == 0
    # Offsets are into the text the engines saw: "联系人：张三\n联系电话：138 0013 8000".
    assert out.splitlines() == [f"P2 待复核 12-25 138 0013 8000 → 138****8000 {MOBILE_MESSAGE}"]
    assert err == "共 1 条：待复核 1 条\n"


def test_check_text_list_leak_line_is_flattened(tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_text("\n".join("\t".join(row) for row in PEOPLE_ROWS), encoding="utf-8")
    code, out, _ = run("check-text", str(path), *ENGINE)
    assert code == 1
    first = out.splitlines()[0]
    assert first == (
        "P5 严重 16-123 1 张三 350102199003071234 13800138000 2 李四 11010519491231002X… "
        "个人信息名单：3 行同时含有姓名和身份证号／手机号码，属批量公开个人信息，须删除或逐项脱敏后发布（国办《2018年政务公开工作要点》）"
    )


def test_check_text_masked_and_clean(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("身份证号35*************234。", encoding="utf-8")
    assert run("check-text", str(path), *ENGINE) == (
        0,
        "P4 合规 4-22 35*************234 身份证号已脱敏，合规\n",
        "共 1 条：合规 1 条\n",
    )
    path.write_text("本通知自印发之日起施行。", encoding="utf-8")
    assert run("check-text", str(path), *ENGINE) == (0, "", "未发现问题\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["缺失.txt", "--engine", "personal_data"], "无法读取文件 缺失.txt：No such file or directory\n"),
        (["-", "--date", "2025/06/01"], "日期“2025/06/01”格式不正确，应为 YYYY-MM-DD，如 2025-06-01\n"),
        (["-", "--engine", "nope"], "未知的检查引擎：nope\n"),
    ],
)
def test_check_text_bad_input_exits_2(args: list[str], message: str, tmp_path: Path) -> None:
    code, out, err = run("check-text", *args)
    assert (code, out, err) == (2, "", message)


def test_check_text_bad_format_is_an_argument_error() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        call_command("check-text", "-", "--format", "xml")


# --- check-file ----------------------------------------------------------------------------------------


def test_check_file_reports_locations_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "名单.xlsx").write_bytes(xlsx_bytes({"名单": PEOPLE_ROWS}))
    (tmp_path / "说明.docx").write_bytes(docx_bytes(["联系人：赵六，电话：13600136000"]))
    code, out, err = run("check-file", str(tmp_path / "名单.xlsx"), str(tmp_path / "说明.docx"), *ENGINE)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("名单.xlsx 名单!A2:D4｜P5 严重 16-")
    assert (
        lines[1]
        == f"名单.xlsx 名单!C2｜P1 严重 21-39 {ID_A} → 35*************234 "
        + ID_LINE.split(" 35*************234 ")[1]
    )
    assert (
        lines[3]
        == f"名单.xlsx 名单!C3｜P1 严重 57-75 {ID_B} → 11*************02X "
        + ID_LINE.split(" 35*************234 ")[1]
    )
    assert lines[7] == f"说明.docx 第 1 段｜P2 待复核 10-21 13600136000 → 136****6000 {MOBILE_MESSAGE}"
    assert err == "2 个文件：已检查 2，未检查 0，无法读取 0；共 8 条：严重 4 条，待复核 4 条\n"


def test_check_file_scanned_pdf_exits_3(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes([None]))
    code, out, err = run("check-file", str(tmp_path / "scan.pdf"), *ENGINE)
    assert (code, out) == (3, "scan.pdf｜未检查：第 1 页没有文字层（可能是扫描件），未检查\n")
    assert err == "1 个文件：已检查 0，未检查 1，无法读取 0；未发现问题\n"


def test_check_file_json_statuses(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes([None]))
    code, out, _ = run(
        "check-file", str(tmp_path / "scan.pdf"), str(tmp_path / "无.docx"), "--format", "json", *ENGINE
    )
    assert code == 2
    assert [json.loads(line) for line in out.splitlines()] == [
        {"file": "scan.pdf", "status": "unchecked", "reason": "第 1 页没有文字层（可能是扫描件），未检查"},
        {"file": "无.docx", "status": "error", "error": "文件不存在"},
    ]


def test_check_file_missing_file_wins_over_findings(tmp_path: Path) -> None:
    (tmp_path / "名单.xlsx").write_bytes(xlsx_bytes({"名单": PEOPLE_ROWS}))
    code, out, _ = run("check-file", str(tmp_path / "名单.xlsx"), str(tmp_path / "无.docx"), *ENGINE)
    assert code == 2
    assert out.splitlines()[-1] == "无.docx｜无法检查：文件不存在"


def test_check_file_clean_exits_0(tmp_path: Path) -> None:
    (tmp_path / "通知.docx").write_bytes(docx_bytes(["本通知自印发之日起施行。"]))
    assert run("check-file", str(tmp_path / "通知.docx"), *ENGINE) == (
        0,
        "",
        "1 个文件：已检查 1，未检查 0，无法读取 0；未发现问题\n",
    )


# --- validate ------------------------------------------------------------------------------------------


def test_validate_id_values() -> None:
    code, out, err = run(
        "validate",
        "id",
        ID_A,
        "350102199003071235",
        "350102 19900307 1234",
        "35010219900230123x",
        "--date",
        "2025-06-01",
    )
    assert code == 1
    assert out == (
        f"{ID_A}\tvalid\n"
        "350102199003071235\tinvalid: 第 18 位校验码应为“4”，实为“5”\n"
        "350102 19900307 1234\tvalid\n"
        "35010219900230123x\tinvalid: 出生日期“19900230”不是有效日期\n"
    )
    assert err == ""


def test_validate_id_from_stdin_all_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = f"{ID_A}\n\n{ID_B.lower()}\n350102900307123\n"
    assert run("validate", "id", stdin=stdin, monkeypatch=monkeypatch) == (
        0,
        f"{ID_A}\tvalid\n{ID_B.lower()}\tvalid\n350102900307123\tvalid\n",
        "",
    )


def test_validate_uscc() -> None:
    code, out, _ = run("validate", "uscc", "91350100M000100Y43", "91350100M000100Y44", "91350100M000100Y4")
    assert code == 1
    assert out == (
        "91350100M000100Y43\tvalid\n"
        "91350100M000100Y44\tinvalid: 统一社会信用代码第 18 位校验码应为“3”，实为“4”\n"
        "91350100M000100Y4\tinvalid: 统一社会信用代码应为 18 位，实为 17 位\n"
    )


def test_validate_bad_arguments() -> None:
    assert run("validate", "id", ID_A, "--date", "明天") == (
        2,
        "",
        "日期“明天”格式不正确，应为 YYYY-MM-DD，如 2025-06-01\n",
    )
    with pytest.raises(CommandError, match="invalid choice: 'passport'"):
        call_command("validate", "passport", "x")


def test_commands_are_listed_in_govsite_help(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import get_commands

    from govsite.cli import main

    main(["govsite", "--help"])
    out = capsys.readouterr().out
    section = out[out.index("内容检查：") :].split("\n\n")[0].splitlines()
    assert [line.split()[0][:10].strip() for line in section[1:]] == ["check-text", "check-file", "validate"]
    assert {"check-text", "check-file", "validate"} <= set(get_commands())

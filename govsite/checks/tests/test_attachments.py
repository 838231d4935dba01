"""T6 attachments: text with locations from DOCX, XLSX, PDF, HTML, TXT; P5 lists inside tables; scans are 未检查."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govsite.checks.attachments import (
    AttachmentError,
    Segment,
    check_attachment,
    extract,
    extract_segments,
)
from govsite.checks.engine import CheckContext, Finding, Severity

from .files import CJK_FONT, ID_A, ID_B, ID_C, PEOPLE_ROWS, docx_bytes, pdf_bytes, xlsx_bytes

ON = CheckContext(on=date(2025, 6, 1))
NAMES = ["personal_data"]


def located(findings: list[Finding]) -> list[tuple[str, Severity, str, str]]:
    return [(f.rule, f.severity, f.location, f.matched) for f in findings]


def test_docx_paragraphs_and_table_rows_keep_their_structure() -> None:
    data = docx_bytes(["关于低保对象的公示"], PEOPLE_ROWS, ["联系人：赵六，电话：13600136000"])
    (segment,) = extract(data, "公示.docx").segments
    assert segment.text == (
        "关于低保对象的公示\n"
        "序号\t姓名\t身份证号\t联系电话\n"
        f"1\t张三\t{ID_A}\t13800138000\n"
        f"2\t李四\t{ID_B}\t13900139000\n"
        f"3\t王五\t{ID_C}\t13700137000\n"
        "联系人：赵六，电话：13600136000"
    )
    assert segment.location == "正文"


def test_docx_table_list_leak_with_cell_locations() -> None:
    data = docx_bytes(["关于低保对象的公示"], PEOPLE_ROWS, ["联系人：赵六，电话：13600136000"])
    report = check_attachment(data, ON, name="公示.docx", engine_names=NAMES)
    assert report.status == "checked"
    assert report.blocking
    assert located(report.findings) == [
        (
            "P5",
            Severity.CRITICAL,
            "表格 1 第 2 行第 1 列至表格 1 第 4 行第 4 列",
            f"1\t张三\t{ID_A}\t13800138000\n2\t李四\t{ID_B}\t13900139000\n3\t王五\t{ID_C}\t13700137000",
        ),
        ("P1", Severity.CRITICAL, "表格 1 第 2 行第 3 列", ID_A),
        ("P2", Severity.REVIEW, "表格 1 第 2 行第 4 列", "13800138000"),
        ("P1", Severity.CRITICAL, "表格 1 第 3 行第 3 列", ID_B),
        ("P2", Severity.REVIEW, "表格 1 第 3 行第 4 列", "13900139000"),
        ("P1", Severity.CRITICAL, "表格 1 第 4 行第 3 列", ID_C),
        ("P2", Severity.REVIEW, "表格 1 第 4 行第 4 列", "13700137000"),
        ("P2", Severity.REVIEW, "第 2 段", "13600136000"),
    ]


def test_docx_merged_cells_count_once() -> None:
    from docx import Document

    document = Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "右"
    path_bytes = _save(document)
    (segment,) = extract(path_bytes, "m.docx").segments
    assert segment.text == "合并\t右"


def _save(document: object) -> bytes:
    import io

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_xlsx_every_sheet_with_cell_references() -> None:
    data = xlsx_bytes(
        {
            "名单": PEOPLE_ROWS,
            "说明": [["本表由民政局提供"], [], [None, None, f"补充：{ID_A}"]],
        }
    )
    report = check_attachment(data, ON, name="名单.xlsx", engine_names=NAMES)
    assert located(report.findings) == [
        (
            "P5",
            Severity.CRITICAL,
            "名单!A2:D4",
            f"1\t张三\t{ID_A}\t13800138000\n2\t李四\t{ID_B}\t13900139000\n3\t王五\t{ID_C}\t13700137000",
        ),
        ("P1", Severity.CRITICAL, "名单!C2", ID_A),
        ("P2", Severity.REVIEW, "名单!D2", "13800138000"),
        ("P1", Severity.CRITICAL, "名单!C3", ID_B),
        ("P2", Severity.REVIEW, "名单!D3", "13900139000"),
        ("P1", Severity.CRITICAL, "名单!C4", ID_C),
        ("P2", Severity.REVIEW, "名单!D4", "13700137000"),
        ("P1", Severity.CRITICAL, "说明!C3", ID_A),
    ]


def test_xlsx_values_become_text() -> None:
    data = xlsx_bytes({"Sheet1": [[13800138000, 12.5, True, date(2025, 6, 1), None, "多行\n文字"]]})
    (segment,) = extract(data, "v.xlsx").segments
    assert segment.text == "13800138000\t12.5\t是\t2025-06-01\t\t多行 文字"
    assert segment.locate(0) == "Sheet1!A1"
    assert segment.locate(segment.text.index("多行")) == "Sheet1!F1"


def test_text_pdf_pages_are_located() -> None:
    data = pdf_bytes(
        [["Notice of the county office", "No personal data here."], [f"ID: {ID_A}  Tel: 13800138000"]]
    )
    report = check_attachment(data, ON, name="notice.pdf", engine_names=NAMES)
    assert report.status == "checked"
    assert located(report.findings) == [
        ("P1", Severity.CRITICAL, "第 2 页", ID_A),
        ("P2", Severity.REVIEW, "第 2 页", "13800138000"),
    ]
    assert extract_segments(data, "notice.pdf") == [
        ("全文", f"Notice of the county office\nNo personal data here.\nID: {ID_A} Tel: 13800138000")
    ]


@pytest.mark.skipif(not CJK_FONT.exists(), reason="Noto CJK font not installed")
def test_chinese_pdf_table_is_a_list_leak() -> None:
    lines = [" ".join(row) for row in PEOPLE_ROWS]
    report = check_attachment(pdf_bytes([lines], cjk=True), ON, name="名单.pdf", engine_names=NAMES)
    assert [(f.rule, f.location) for f in report.findings if f.rule == "P5"] == [("P5", "第 1 页")]
    assert report.findings[0].detail["names"] == ["张三", "李四", "王五"]


def test_image_only_pdf_is_not_checked() -> None:
    report = check_attachment(pdf_bytes([None, None]), ON, name="scan.pdf", engine_names=NAMES)
    assert report.status == "unchecked"
    assert report.findings == []
    assert report.unchecked == [
        "第 1 页没有文字层（可能是扫描件），未检查",
        "第 2 页没有文字层（可能是扫描件），未检查",
    ]


def test_pdf_with_one_scanned_page_is_checked_elsewhere_but_not_clean() -> None:
    report = check_attachment(pdf_bytes([[f"ID {ID_A}"], None]), ON, name="mixed.pdf", engine_names=NAMES)
    assert report.status == "unchecked"
    assert located(report.findings) == [("P1", Severity.CRITICAL, "第 1 页", ID_A)]
    assert report.unchecked == ["第 2 页没有文字层（可能是扫描件），未检查"]


def test_blank_pdf_page_is_not_a_scan() -> None:
    report = check_attachment(pdf_bytes([["text"], []]), ON, name="blank.pdf", engine_names=NAMES)
    assert (report.status, report.unchecked) == ("checked", [])


def test_html_and_gb18030_text_attachments() -> None:
    html = "<table><tr><th>姓名</th><th>住址</th></tr>" + "".join(
        f"<tr><td>{name}</td><td>{place}</td></tr>"
        for name, place in [("张三", "东街口路12号"), ("李四", "林浦村3组"), ("王五", "岳峰小区5栋")]
    )
    report = check_attachment(html.encode(), ON, name="名单.html", engine_names=NAMES)
    assert [(f.rule, f.location, f.matched) for f in report.findings] == [
        ("P5", "正文", "张三\t东街口路12号\n李四\t林浦村3组\n王五\t岳峰小区5栋")
    ]
    text = f"通知\n申请人身份证号{ID_A}\n".encode("gb18030")
    report = check_attachment(text, ON, name="说明.txt", engine_names=NAMES)
    assert located(report.findings) == [("P1", Severity.CRITICAL, "第 2 行", ID_A)]


def test_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx_bytes({"名单": PEOPLE_ROWS}))
    report = check_attachment(path, ON, engine_names=NAMES)
    assert report.name == "名单.xlsx"
    assert len(report.findings) == 7


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (
            b"PK\x03\x04broken",
            "坏.docx",
            "无法按 Word 格式读取，文件可能已损坏或扩展名与内容不符（BadZipFile）",
        ),
        (
            b"not a workbook",
            "坏.xlsx",
            "无法按 Excel 格式读取，文件可能已损坏或扩展名与内容不符（BadZipFile）",
        ),
        (b"<html>", "坏.pdf", "不是 PDF 文件（文件头不是 %PDF）"),
        (
            b"%PDF-1.4 truncated",
            "坏.pdf",
            "无法按 PDF 格式读取，文件可能已损坏或扩展名与内容不符（PdfiumError）",
        ),
    ],
)
def test_corrupt_files_give_a_chinese_error(data: bytes, name: str, error: str) -> None:
    with pytest.raises(AttachmentError) as raised:
        extract(data, name)
    assert str(raised.value) == error
    report = check_attachment(data, ON, name=name, engine_names=NAMES)
    assert (report.status, report.error, report.findings) == ("error", error, [])


def test_missing_file(tmp_path: Path) -> None:
    report = check_attachment(tmp_path / "无.docx", ON, engine_names=NAMES)
    assert (report.name, report.status, report.error) == ("无.docx", "error", "文件不存在")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("旧.doc", "旧版 Word（.doc）格式暂不支持提取文字，未检查"),
        ("扫描.jpg", "图片暂不支持提取文字，未检查"),
        ("无扩展名", "“无扩展名”格式暂不支持提取文字，未检查"),
    ],
)
def test_unsupported_formats_are_not_checked(name: str, reason: str) -> None:
    report = check_attachment(b"\xd0\xcf\x11\xe0", ON, name=name, engine_names=NAMES)
    assert (report.status, report.unchecked) == ("unchecked", [reason])


def test_segment_locate_ranges() -> None:
    segment = Segment("正文", "甲\t乙\n丙", ((0, "第 1 段"), (2, "第 1 段"), (4, "第 2 段")))
    assert segment.locate(0, 1) == "第 1 段"
    assert segment.locate(0, 5) == "第 1 段至第 2 段"
    sheet = Segment("S", "a\tb", ((0, "S!A1"), (2, "S!B1")))
    assert sheet.locate(0, 3) == "S!A1:B1"
    assert Segment("全文", "x").locate(0, 1) == "全文"

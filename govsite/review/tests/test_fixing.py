"""One-click fixes written back into text, stored HTML and DOCX/XLSX files (pure functions, no database)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from govsite.checks.tests.files import ID_A, ID_B, PEOPLE_ROWS, docx_bytes, xlsx_bytes
from govsite.checks.text import html_to_text
from govsite.review import fixing

MASKED_A = "35*************234"
MASKED_B = "11*************02X"


def test_fix_plain_replaces_at_the_offsets() -> None:
    text = f"名单：{ID_A}"
    assert fixing.fix_plain(text, start=3, matched=ID_A, suggestion=MASKED_A) == f"名单：{MASKED_A}"
    with pytest.raises(fixing.FixError, match="已不在原位置"):
        fixing.fix_plain(text, start=2, matched=ID_A, suggestion=MASKED_A)


def test_fix_html_finds_the_same_occurrence_in_the_markup() -> None:
    html = f"<p>甲 <b>{ID_A}</b></p><p>乙 {ID_A}</p>"
    text = html_to_text(html)
    second = text.index(ID_A, text.index(ID_A) + 1)
    fixed = fixing.fix_html(html, text, start=second, matched=ID_A, suggestion=MASKED_A)
    assert fixed == f"<p>甲 <b>{ID_A}</b></p><p>乙 {MASKED_A}</p>"


def test_fix_html_refuses_when_the_markup_holds_the_text_differently() -> None:
    html = f'<p>{ID_A}</p><a href="/x?id={ID_A}">链接</a>'  # once more in an attribute than in the text
    text = html_to_text(html)
    with pytest.raises(fixing.FixError, match=f"无法在正文中准确定位“{ID_A}”，请在编辑页面手工修改"):
        fixing.fix_html(html, text, start=0, matched=ID_A, suggestion=MASKED_A)


def test_fix_xlsx_masks_one_cell_and_keeps_the_rest() -> None:
    data = xlsx_bytes({"名单": PEOPLE_ROWS})
    fixed = fixing.fix_file("名单.xlsx", data, "名单!C3", ID_B, MASKED_B)
    sheet = load_workbook(io.BytesIO(fixed))["名单"]
    assert [c.value for c in sheet[3]] == ["2", "李四", MASKED_B, "13900139000"]
    assert [c.value for c in sheet[2]] == ["1", "张三", ID_A, "13800138000"]


def test_fix_xlsx_masks_a_number_stored_as_a_number() -> None:
    data = xlsx_bytes({"表": [("电话",), (13800138000,)]})
    fixed = fixing.fix_xlsx(data, "表!A2", "13800138000", "138****8000")
    cell = load_workbook(io.BytesIO(fixed))["表"]["A2"]
    assert (cell.value, cell.data_type) == ("138****8000", "s")


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("名单!C2:D2", "位置“名单!C2:D2”不是单个单元格，无法自动脱敏，请手工修改"),
        ("其他!C2", "附件中没有工作表“其他”，请重新检查"),
        ("名单!B2", f"单元格 名单!B2 中未找到“{ID_A}”，请重新检查"),
        ("名单!H9", "单元格 名单!H9 为空，内容可能已被修改，请重新检查"),
    ],
)
def test_fix_xlsx_refuses_what_it_cannot_place(location: str, message: str) -> None:
    data = xlsx_bytes({"名单": PEOPLE_ROWS})
    with pytest.raises(fixing.FixError) as refused:
        fixing.fix_xlsx(data, location, ID_A, MASKED_A)
    assert str(refused.value) == message


def test_fix_docx_masks_a_table_cell() -> None:
    data = docx_bytes(before=["资助名单如下："], rows=PEOPLE_ROWS)
    fixed = fixing.fix_file("名单.docx", data, "表格 1 第 2 行第 3 列", ID_A, MASKED_A)
    table = Document(io.BytesIO(fixed)).tables[0]
    assert [cell.text for cell in table.rows[1].cells] == ["1", "张三", MASKED_A, "13800138000"]
    assert table.rows[2].cells[2].text == ID_B


def test_fix_docx_masks_a_number_split_across_formatted_runs() -> None:
    document = Document()
    document.add_paragraph("第一段。")
    paragraph = document.add_paragraph("联系人身份证：")
    paragraph.add_run(ID_A[:6]).bold = True
    paragraph.add_run(ID_A[6:] + "。")
    out = io.BytesIO()
    document.save(out)

    fixed = fixing.fix_docx(out.getvalue(), "第 2 段", ID_A, MASKED_A)

    runs = Document(io.BytesIO(fixed)).paragraphs[1].runs
    assert [run.text for run in runs] == ["联系人身份证：", MASKED_A, "。"]
    assert runs[1].bold is True  # the replacement takes the formatting of the run it starts in


def test_fix_docx_refuses_an_unknown_place() -> None:
    data = docx_bytes(before=["只有一段。"])
    with pytest.raises(fixing.FixError, match="附件中找不到“第 5 段”"):
        fixing.fix_docx(data, "第 5 段", ID_A, MASKED_A)


@pytest.mark.parametrize("name", ["名单.pdf", "名单.doc", "名单.wps"])
def test_other_formats_cannot_be_fixed_in_place(name: str) -> None:
    assert not fixing.can_fix_file(name)
    suffix = name[name.index(".") :]
    with pytest.raises(fixing.FixError) as refused:
        fixing.fix_file(name, b"%PDF-1.4", "第 1 页", ID_A, MASKED_A)
    assert str(refused.value) == f"{suffix} 格式的附件无法在原文件中直接脱敏，请信息员修改原文件后重新上传"

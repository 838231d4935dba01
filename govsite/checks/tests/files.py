"""Builders for the attachments the T6 tests and command tests check (DOCX, XLSX, PDF), made in memory."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook
from PIL import Image

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

ID_A = "350102199003071234"
ID_B = "11010519491231002X"
ID_C = "440103198512250453"
PEOPLE_ROWS: list[tuple[str, ...]] = [
    ("序号", "姓名", "身份证号", "联系电话"),
    ("1", "张三", ID_A, "13800138000"),
    ("2", "李四", ID_B, "13900139000"),
    ("3", "王五", ID_C, "13700137000"),
]


def docx_bytes(
    before: Sequence[str] = (), rows: Sequence[Sequence[str]] = (), after: Sequence[str] = ()
) -> bytes:
    document = Document()
    for text in before:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    for text in after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # a new workbook starts with one empty sheet
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_bytes(pages: Sequence[Sequence[str] | None], *, cjk: bool = False) -> bytes:
    """One page per item: lines of text, or None for a page holding only a (scanned) image."""
    pdf = FPDF()
    if cjk:
        pdf.add_font("noto", fname=str(CJK_FONT))
        pdf.set_font("noto", size=10)
    else:
        pdf.set_font("Helvetica", size=10)
    for lines in pages:
        pdf.add_page()
        if lines is None:
            pdf.image(Image.new("RGB", (60, 80), "white"), x=10, y=10, w=120)
            continue
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

"""One-click fixes written back where a finding was found: the page title or body (its stored HTML), or
the attachment file itself (DOCX paragraphs and table cells, XLSX cells).

A fix replaces the matched text with the finding's suggestion (the masked form in the local format,
``checks.masking``). When the place cannot be found unambiguously, or the format cannot be rewritten in
place (PDF and others), ``FixError`` says so in Chinese and nothing is changed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

FIXABLE_SUFFIXES = {".docx", ".xlsx", ".xlsm"}
_CELL_WHITESPACE_RE = re.compile(r"[\t\r\n]+")
_PARAGRAPH_RE = re.compile(r"^第 (\d+) 段$")
_TABLE_CELL_RE = re.compile(r"^表格 (\d+) 第 (\d+) 行第 (\d+) 列$")
_XLSX_CELL_RE = re.compile(r"^(?P<sheet>.+)!(?P<cell>[A-Z]{1,3}\d+)$")


class FixError(ValueError):
    """A fix that cannot be applied; the message is Chinese and tells the user what to do instead."""


def can_fix_file(name: str) -> bool:
    return Path(name).suffix.lower() in FIXABLE_SUFFIXES


def not_fixable_message(name: str) -> str:
    suffix = Path(name).suffix.lower() or "无扩展名"
    return f"{suffix} 格式的附件无法在原文件中直接脱敏，请信息员修改原文件后重新上传"


def replace_nth(text: str, matched: str, replacement: str, nth: int) -> str:
    """``text`` with the ``nth`` (0-based) occurrence of ``matched`` replaced."""
    index = -1
    for _ in range(nth + 1):
        index = text.find(matched, index + 1)
        if index < 0:
            raise FixError(f"未找到“{matched}”，内容可能已被修改，请重新检查")
    return text[:index] + replacement + text[index + len(matched) :]


def fix_plain(text: str, *, start: int, matched: str, suggestion: str) -> str:
    """A fix in plain text (the title) at the reported offsets."""
    if text[start : start + len(matched)] != matched:
        raise FixError(f"“{matched}”已不在原位置，内容可能已被修改，请重新检查")
    return text[:start] + suggestion + text[start + len(matched) :]


def fix_html(html: str, text: str, *, start: int, matched: str, suggestion: str) -> str:
    """A fix in stored rich text. ``text`` is ``html_to_text(html)``, in which the finding sits at
    ``start``; the same occurrence is found in the HTML by counting occurrences before it. If the HTML
    holds the text a different number of times (split by markup, written with entities), refuse."""
    if text[start : start + len(matched)] != matched:
        raise FixError(f"“{matched}”已不在原位置，内容可能已被修改，请重新检查")
    if text.count(matched) != html.count(matched):
        raise FixError(f"无法在正文中准确定位“{matched}”，请在编辑页面手工修改")
    nth = text.count(matched, 0, start)
    return replace_nth(html, matched, suggestion, nth)


def _xlsx_cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fix_xlsx(data: bytes, location: str, matched: str, suggestion: str, *, keep_vba: bool = False) -> bytes:
    """Replace ``matched`` in the cell named by ``location`` ("名单!B2") and return the new file."""
    from openpyxl import load_workbook

    found = _XLSX_CELL_RE.match(location)
    if not found:
        raise FixError(f"位置“{location}”不是单个单元格，无法自动脱敏，请手工修改")
    workbook = load_workbook(io.BytesIO(data), keep_vba=keep_vba)
    if found["sheet"] not in workbook.sheetnames:
        raise FixError(f"附件中没有工作表“{found['sheet']}”，请重新检查")
    cell = workbook[found["sheet"]][found["cell"]]
    if isinstance(cell, tuple):  # pragma: no cover - the pattern names one cell, never a range
        raise FixError(f"位置“{location}”不是单个单元格，无法自动脱敏，请手工修改")
    if cell.value is None:
        raise FixError(f"单元格 {location} 为空，内容可能已被修改，请重新检查")
    value = _xlsx_cell_text(cell.value)
    if matched not in value:
        value = _CELL_WHITESPACE_RE.sub(" ", value).strip()
        if matched not in value:
            raise FixError(f"单元格 {location} 中未找到“{matched}”，请重新检查")
    cell.value = value.replace(matched, suggestion)
    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _replace_in_runs(runs: list[Any], matched: str, suggestion: str) -> int:
    """Replace every ``matched`` across a paragraph's runs, keeping each run's formatting; the
    replacement goes into the run where the match starts."""
    count = 0
    while True:
        texts = [run.text for run in runs]
        full = "".join(texts)
        index = full.find(matched)
        if index < 0:
            return count
        end = index + len(matched)
        offset = 0
        placed = False
        for run, text in zip(runs, texts, strict=True):
            run_start, run_end = offset, offset + len(text)
            offset = run_end
            if run_end <= index or run_start >= end:
                continue
            head = text[: max(index - run_start, 0)]
            tail = text[max(end - run_start, 0) :] if end < run_end else ""
            run.text = head + (suggestion if not placed else "") + tail
            placed = True
        count += 1


def _fix_paragraphs(paragraphs: list[Any], matched: str, suggestion: str) -> int:
    return sum(_replace_in_runs(list(p.runs), matched, suggestion) for p in paragraphs)


def fix_docx(data: bytes, location: str, matched: str, suggestion: str) -> bytes:
    """Replace ``matched`` in the paragraph or table cell named by ``location`` (as ``checks.attachments``
    names them: "第 3 段", "表格 1 第 2 行第 3 列") and return the new file."""
    from docx import Document
    from docx.table import Table

    paragraph_match = _PARAGRAPH_RE.match(location)
    cell_match = _TABLE_CELL_RE.match(location)
    if not paragraph_match and not cell_match:
        raise FixError(f"位置“{location}”无法自动定位，请手工修改附件")
    document = Document(io.BytesIO(data))
    paragraph_no = table_no = 0
    target: list[Any] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            if cell_match and table_no == int(cell_match[1]):
                rows = block.rows
                row_no, col_no = int(cell_match[2]), int(cell_match[3])
                if row_no <= len(rows) and col_no <= len(rows[row_no - 1].cells):
                    target = list(rows[row_no - 1].cells[col_no - 1].paragraphs)
                break
            continue
        if not block.text.strip():
            continue
        paragraph_no += 1
        if paragraph_match and paragraph_no == int(paragraph_match[1]):
            target = [block]
            break
    if not target:
        raise FixError(f"附件中找不到“{location}”，内容可能已被修改，请重新检查")
    if not _fix_paragraphs(target, matched, suggestion):
        raise FixError(f"“{location}”中未找到“{matched}”（可能被格式分隔），请手工修改附件")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def fix_file(name: str, data: bytes, location: str, matched: str, suggestion: str) -> bytes:
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        return fix_docx(data, location, matched, suggestion)
    if suffix in (".xlsx", ".xlsm"):
        return fix_xlsx(data, location, matched, suggestion, keep_vba=suffix == ".xlsm")
    raise FixError(not_fixable_message(name))

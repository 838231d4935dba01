"""Reading and writing the XLSX workbooks of the 责任分解表 and the 信息员备案表: cells as text, rows
with their Excel row numbers, and ``RowError`` — the row, column and reason of one problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Source = str | Path | IO[bytes]
MAX_ROWS = 20000
_SHOWN_VALUE = 40  # an offending value is quoted in the message up to this many characters


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: the Excel row number, the column header and the reason."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row <= 0:
            return self.reason
        if not self.column:
            return f"第 {self.row} 行：{self.reason}"
        return f"第 {self.row} 行「{self.column}」：{self.reason}"


class ResponsibilityImportError(Exception):
    """A file with errors; nothing from it was imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def _text_cell(cell: Cell | MergedCell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        # openpyxl stores a string starting with "=" as a formula; keep it as the text it is, so a
        # column named "=..." neither runs in Excel nor comes back changed on import.
        cell.data_type = "s"


def _write_sheet(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: Sequence[int],
    widths: Sequence[int],
) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook always has one worksheet
    sheet.title = title
    sheet.append(list(headers))
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=index)
            _text_cell(cell, value)
            if index in text_columns:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    return str(value).strip()


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE] + "…"


@dataclass
class _Row:
    number: int
    values: dict[str, Any]

    def text(self, header: str) -> str:
        return _cell_text(self.values.get(header))


def _read_rows(source: Source, sheet_name: str, headers: Sequence[str]) -> list[_Row]:
    """The non-blank data rows of the sheet, or ResponsibilityImportError for an unusable file."""
    try:
        workbook = load_workbook(source, data_only=True)
    except Exception as exc:  # an uploaded file can fail inside openpyxl in many different ways
        raise ResponsibilityImportError(
            [RowError(0, "", f"无法读取文件：不是有效的 Excel（.xlsx）文件（{type(exc).__name__}）")]
        ) from exc
    if sheet_name not in workbook.sheetnames:
        raise ResponsibilityImportError([RowError(0, "", f"文件中没有名为「{sheet_name}」的工作表")])
    sheet = workbook[sheet_name]
    if sheet.max_row > MAX_ROWS + 1:
        raise ResponsibilityImportError([RowError(0, "", f"文件行数超过上限（{MAX_ROWS} 行），请分批导入")])
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    found = [_cell_text(value) for value in header_cells]
    while found and not found[-1]:
        found.pop()
    errors = []
    for index in range(max(len(found), len(headers))):
        expected = headers[index] if index < len(headers) else ""
        actual = found[index] if index < len(found) else ""
        if expected != actual:
            letter = get_column_letter(index + 1)
            if not expected:
                reason = f"第 {letter} 列是多余的列「{_shown(actual)}」，应删除"
            else:
                reason = f"第 {letter} 列表头应为「{expected}」，实际为「{_shown(actual)}」"
            errors.append(RowError(1, expected or actual, reason))
    if errors:
        raise ResponsibilityImportError(errors)
    rows: list[_Row] = []
    for cells in sheet.iter_rows(min_row=2, max_col=len(headers)):
        values = {header: cell.value for header, cell in zip(headers, cells, strict=False)}
        if any(_cell_text(value) for value in values.values()):
            rows.append(_Row(cells[0].row or 0, values))
    return rows

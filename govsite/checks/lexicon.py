"""Loaders for the term engines' data files (``checks/data/``) and the character tables they share:
the common-character set, same-pinyin and similar-shape confusion sets, and the real-word list that keeps
a near-miss that is itself a word from firing (inspection-rules.md §7 T1–T5)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    return DATA_DIR / name


def load_json(name: str) -> Any:
    """A JSON data file of ``checks/data/`` (UTF-8)."""
    with data_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def iter_tsv(name: str) -> Iterator[list[str]]:
    """Rows of a TSV data file; blank lines and lines starting with ``#`` are comments."""
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            yield [cell.strip() for cell in row]


def parse_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``, read as the first of the month) to a date; empty stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    return date.fromisoformat(text)


@cache
def common_chars() -> str:
    """GB 2312 level-1 characters (the 3,755 most used Hanzi): what a pinyin IME offers first, hence the
    pool that same-pinyin slips come from."""
    chars: list[str] = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the end of row 0xD7 is unassigned
    return "".join(chars)


@cache
def _pinyin_index() -> dict[str, str]:
    """Common character -> its main toneless reading (IME input ignores tones)."""
    from pypinyin import Style, pinyin

    chars = common_chars()
    readings = pinyin(list(chars), style=Style.NORMAL, heteronym=False, errors="ignore")
    return {ch: reading[0] for ch, reading in zip(chars, readings, strict=True) if reading}


@cache
def _chars_by_reading() -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    for ch, reading in _pinyin_index().items():
        groups.setdefault(reading, []).append(ch)
    return {reading: "".join(chars) for reading, chars in groups.items()}


def readings_of(text: str) -> list[str]:
    """Toneless readings of ``text`` character by character, chosen in context (多音字 by phrase)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))


def homophones(reading: str) -> str:
    """Common characters read ``reading`` (toneless)."""
    return _chars_by_reading().get(reading, "")


@cache
def shape_groups() -> dict[str, str]:
    """Character -> the characters that look like it (``shape_confusion.tsv``, groups of one line)."""
    table: dict[str, set[str]] = {}
    for row in iter_tsv("shape_confusion.tsv"):
        group = row[0]
        for ch in group:
            table.setdefault(ch, set()).update(c for c in group if c != ch)
    return {ch: "".join(sorted(others)) for ch, others in table.items()}


def similar_shapes(ch: str) -> str:
    return shape_groups().get(ch, "")


@cache
def real_words() -> frozenset[str]:
    """Words a near-miss may legitimately be: pypinyin's phrase dictionary (≈47k words) plus the
    hand-kept whitelist ``real_words.tsv`` (words found colliding with variants on the clean corpus)."""
    from pypinyin.phrases_dict import phrases_dict

    words = set(phrases_dict)
    words.update(row[0] for row in iter_tsv("real_words.tsv"))
    return frozenset(words)


def inside_book_title(text: str, start: int) -> bool:
    """Whether ``start`` lies inside an open 《…》 (a document or law title) on the same line."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("。", 0, start)) + 1
    before = text[line_start:start]
    return before.rfind("《") > before.rfind("》")

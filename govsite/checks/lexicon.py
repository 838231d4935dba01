"""Loaders for the term engines' data files (``checks/data/``) and the character tables they share:
the common-character set, same-pinyin and similar-shape confusion sets, and the real-word list that keeps
a near-miss that is itself a word from firing (inspection-rules.md §7 T1–T5)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
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

    # A callable may return a list (one item per non-Hanzi character, keeping positions aligned); the stub
    # only knows str.
    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]


def homophones(reading: str) -> str:
    """Common characters read ``reading`` (toneless)."""
    return _chars_by_reading().get(reading, "")


_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def fuzzy_readings(reading: str) -> list[str]:
    """Readings a pinyin IME's 模糊音 settings confuse with ``reading`` (z/zh, c/ch, s/sh, an/ang, en/eng,
    in/ing): 复兴→复心, 陈启明→陈启民."""
    found: list[str] = []
    for long, short in _FUZZY_INITIALS:
        if reading.startswith(long):
            found.append(short + reading[len(long) :])
        elif reading.startswith(short) and not reading.startswith(long[:1] + "h"):
            found.append(long + reading[len(short) :])
    for long, short in _FUZZY_FINALS:
        if reading.endswith(long):
            found.append(reading[: -len(long)] + short)
        elif reading.endswith(short):
            found.append(reading + "g")
    return [r for r in found if r in _chars_by_reading()]


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


class Matcher:
    """Aho-Corasick (ahocorasick-rs) over UTF-8 bytes with a DFA: measured about 1.5× the ``str`` API on
    Chinese text with 50,000 patterns (bench/checks_terms.py). Returns character offsets.

    ``longest``: leftmost-longest, non-overlapping matches (T2–T4); otherwise every overlapping match (T1)."""

    def __init__(self, patterns: Sequence[str], *, longest: bool) -> None:
        import ahocorasick_rs

        self.longest = longest
        kind = ahocorasick_rs.MatchKind.LeftmostLongest if longest else ahocorasick_rs.MatchKind.Standard
        self.automaton = ahocorasick_rs.BytesAhoCorasick(
            [p.encode() for p in patterns], matchkind=kind, implementation=ahocorasick_rs.Implementation.DFA
        )

    def find_bytes(self, data: bytes) -> list[tuple[int, int, int]]:
        return self.automaton.find_matches_as_indexes(data, overlapping=not self.longest)

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) in characters of ``text``."""
        data = text.encode()
        hits = self.find_bytes(data)
        if not hits or len(data) == len(text):
            return hits  # no match, or ASCII only: byte and character offsets agree
        spans = char_spans(data, [(start, end) for _, start, end in hits])
        return [(index, start, end) for (index, _, _), (start, end) in zip(hits, spans, strict=True)]


def char_spans(data: bytes, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Byte spans of UTF-8 ``data`` as character spans, decoding the gaps between sorted starts once."""
    starts: dict[int, int] = {}
    position = chars = 0
    for start in sorted({start for start, _ in spans}):
        chars += len(data[position:start].decode())
        position = start
        starts[start] = chars
    return [(starts[start], starts[start] + len(data[start:end].decode())) for start, end in spans]


def inside_book_title(text: str, start: int) -> bool:
    """Whether ``start`` lies inside an open 《…》 (a document or law title) on the same line."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("。", 0, start)) + 1
    before = text[line_start:start]
    return before.rfind("《") > before.rfind("》")

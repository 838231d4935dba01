"""发文字号 (document numbers) of the 统一信息资源库: parse what people typed into 机关代字、年份、序号.

Two shapes exist (national-specs §5.3): ``机关代字〔年份〕序号号`` such as ``国办发〔2017〕47号`` and the
decree shape ``国令第719号``.  Parsing is tolerant of the variants found in legacy data and always
yields one normalised spelling with 〔〕 and half-width digits.  Decisions on ambiguous input:

* Brackets 〔〕 [] ［］ () （） 【】 〈〉 〖〗 ﹝﹞ are all read as the year brackets, and an opening
  bracket of one kind may close with another (``〔2017]``): the four digits inside are unambiguous.
* ``〔2017年〕`` is accepted; the 年 is dropped in the normalised form.
* Whitespace anywhere (including full-width and zero-width spaces) is ignored: 文号 never contain
  meaningful spaces.  Full-width digits and letters are read as half-width (NFKC).
* A leading label (``发文字号：``, ``文号:``, ``文件编号`` …) and wrapping quotes or a trailing
  ``。``/``；``/``，`` are dropped.
* A missing trailing 号 is accepted and added back; ``国发〔2019〕第5号`` drops the 第; a decree
  without 第 (``国令719号``) gets it added; ``国务院令（第711号）`` is read as a decree, and a decree
  number in Chinese numerals (``主席令第二十四号``) is written with Arabic digits.
* Leading zeros in the 序号 are dropped (``〔2018〕02号`` → 2); 序号 0 is rejected.
* The 年份 must lie in 1949 … next year.
* The 机关代字 is kept as written (``中华人民共和国国务院令`` is not shortened to ``国令``); it is
  made of Chinese characters, optionally mixed with Latin letters, and has at most 20 characters.
* Placeholders such as ``无``, ``—`` or ``/`` get their own message, so that cleaning reports can
  tell "no 文号" apart from a mistyped one.
* ``国家税务总局公告2018年第31号`` (公告 numbered by year, no brackets) is rejected with its own
  message: it is a real numbering scheme but fits neither kind, so it goes to a person for now.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

DocumentNumberKind = Literal["bracketed", "decree"]

FIRST_YEAR = 1949

# After NFKC, ［］（）﹝﹞ have become [] () 〔〕; the rest survive NFKC and are listed as they are.
_OPEN = "〔[(【〈〖"
_CLOSE = "〕])】〉〗"
_O, _C = re.escape(_OPEN), re.escape(_CLOSE)
# Zero-width characters are not matched by \s but do turn up in text pasted from web pages and Word.
_INVISIBLE_RE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_LABEL_RE = re.compile(r"^(?:发文字号|发文文号|发文号|文件字号|文件文号|文件编号|文号):?")
_WRAPPING = "\"'“”‘’「」『』"
_TRAILING = "。.;,、"
_AGENCY_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]+$")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_AGENCY_MAX = 20
_BRACKETED_RE = re.compile(rf"^(?P<agency>[^{_O}{_C}]*)[{_O}](?P<year>[^{_O}{_C}]*)[{_C}](?P<rest>.*)$")
_YEAR_RE = re.compile(r"^(?P<year>\d+)年?$")
_NUMBER_RE = re.compile(r"^第?(?P<number>\d+)号?$")
# 主席令 and some 部门令 number in Chinese numerals (中华人民共和国主席令第二十四号).
_HAN_DIGITS = {char: value for value, char in enumerate("零一二三四五六七八九")} | {"〇": 0}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = rf"(?:\d+|[{''.join(_HAN_DIGITS)}{''.join(_HAN_UNITS)}]+)"
# Non-greedy agency so that 第 stays out of it; it must end in 令.
_DECREE_RE = re.compile(rf"^(?P<agency>\D+?令)第?(?P<number>{_NUM})号?$")
_DECREE_IN_BRACKETS_RE = re.compile(rf"^(?P<agency>[^{_O}{_C}\d]+?令)[{_O}]第?(?P<number>{_NUM})号?[{_C}]$")
_ANNOUNCEMENT_RE = re.compile(r"^\D+公告\d{4}年第?\d+号?$")
# What legacy exports put in the 文号 column when a document has none.
_NONE_MARKERS = frozenset({"无", "暂无", "空", "-", "--", "—", "——", "/", "null", "none", "n/a"})
_UNBRACKETED_YEAR_RE = re.compile(r"^\D+\d{4}年第?\d+号?$")

EXAMPLE = "应形如“国办发〔2017〕47号”或“国令第719号”"


class DocumentNumberError(ValueError):
    """A 发文字号 that cannot be read; the message says in Chinese what is wrong."""


@dataclass(frozen=True)
class DocumentNumber:
    """A parsed 发文字号; ``year`` is None for decrees (国令第719号 carries no year)."""

    agency: str
    year: int | None
    number: int
    normalised: str
    kind: DocumentNumberKind

    def __str__(self) -> str:
        return self.normalised


def parse_document_number(text: str, *, today: date | None = None) -> DocumentNumber:
    """Read a 发文字号 as typed; ``today`` fixes the upper bound of the 年份 (next year)."""
    cleaned = _clean(text)
    if not cleaned:
        raise DocumentNumberError("发文字号为空")
    if cleaned.lower() in _NONE_MARKERS:
        raise DocumentNumberError(f"“{cleaned}”不是发文字号：没有发文字号时请留空")
    max_year = (today or date.today()).year + 1

    decree = _DECREE_IN_BRACKETS_RE.match(cleaned)
    if decree:
        return _decree(decree["agency"], decree["number"])

    opens = sum(cleaned.count(c) for c in _OPEN)
    closes = sum(cleaned.count(c) for c in _CLOSE)
    if opens > 1 or closes > 1:
        raise DocumentNumberError("发文字号含有多对括号，一次只能填写一个发文字号")
    if opens or closes:
        bracketed = _BRACKETED_RE.match(cleaned)
        if not bracketed:
            raise DocumentNumberError("发文字号的年份括号不成对")
        return _bracketed(bracketed["agency"], bracketed["year"], bracketed["rest"], max_year)

    decree = _DECREE_RE.match(cleaned)
    if decree:
        return _decree(decree["agency"], decree["number"])
    if not any(c.isdigit() for c in cleaned):
        raise DocumentNumberError("发文字号缺少序号")
    if _ANNOUNCEMENT_RE.match(cleaned):
        raise DocumentNumberError("暂不支持“公告2018年第31号”式的公告编号，请人工核对")
    if _UNBRACKETED_YEAR_RE.match(cleaned):
        raise DocumentNumberError("发文字号的年份应写在六角括号内，如“国办发〔2017〕47号”")
    raise DocumentNumberError(f"无法识别的发文字号，{EXAMPLE}")


def validate_dates(doc: DocumentNumber | None, written: date | None, published: date | None) -> list[str]:
    """Consistency of 文号年份, 成文日期 and 发布日期; returns Chinese messages, empty when consistent.

    A document is written (signed) before it is numbered and published, so a 年份 later than the
    成文日期's year, or a 成文日期 later than the 发布日期, is a typo in one of them.  Missing values
    are not errors here: whether a field is required is the form's business.
    """
    errors: list[str] = []
    if doc is not None and doc.year is not None and written is not None and doc.year > written.year:
        errors.append(f"发文字号年份 {doc.year} 晚于成文日期（{written.isoformat()}）的年份")
    if written is not None and published is not None and written > published:
        errors.append(f"成文日期（{written.isoformat()}）晚于发布日期（{published.isoformat()}）")
    return errors


def _clean(text: str) -> str:
    value = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).strip(_WRAPPING)
    value = _LABEL_RE.sub("", value)
    return value.strip(_WRAPPING).rstrip(_TRAILING).strip(_WRAPPING)


def _check_agency(agency: str) -> None:
    if not agency:
        raise DocumentNumberError("发文字号缺少机关代字，如“国办发〔2017〕47号”中的“国办发”")
    if not _AGENCY_RE.match(agency):
        raise DocumentNumberError(f"机关代字“{agency}”只能由汉字（可带少量英文字母）组成")
    if not _HAN_RE.search(agency):
        raise DocumentNumberError(f"机关代字“{agency}”应含有汉字")
    if len(agency) > _AGENCY_MAX:
        raise DocumentNumberError(f"机关代字“{agency}”过长（超过 {_AGENCY_MAX} 个字）")


def _check_number(digits: str) -> int:
    if not digits:
        raise DocumentNumberError("发文字号缺少序号")
    number = int(digits)
    if number == 0:
        raise DocumentNumberError("发文字号序号不能为 0")
    return number


def _decree(agency: str, written: str) -> DocumentNumber:
    _check_agency(agency)
    number = _check_number(written if written.isdigit() else str(_han_number(written)))
    return DocumentNumber(agency, None, number, f"{agency}第{number}号", "decree")


def _han_number(text: str) -> int:
    """二十四 → 24, 一百零五 → 105, 一〇五 → 105 (digit by digit when no unit is written)."""
    if not any(c in _HAN_UNITS for c in text):
        return int("".join(str(_HAN_DIGITS[c]) for c in text))
    total = digit = 0
    for char in text:
        if char in _HAN_DIGITS:
            digit = _HAN_DIGITS[char]
        else:
            # A bare 十 at the start means 一十 (十二 = 12).
            total += (digit or 1) * _HAN_UNITS[char]
            digit = 0
    return total + digit


def _bracketed(agency: str, inside: str, rest: str, max_year: int) -> DocumentNumber:
    _check_agency(agency)
    year_match = _YEAR_RE.match(inside)
    if not year_match or len(year_match["year"]) != 4:
        raise DocumentNumberError(f"发文字号年份“{inside}”应为 4 位阿拉伯数字")
    year = int(year_match["year"])
    if not FIRST_YEAR <= year <= max_year:
        raise DocumentNumberError(f"发文字号年份 {year} 不在 {FIRST_YEAR} 至 {max_year} 之间")
    number_match = _NUMBER_RE.match(rest)
    if rest in {"", "第", "号", "第号"}:
        raise DocumentNumberError("发文字号缺少序号")
    if not number_match:
        raise DocumentNumberError(f"发文字号序号“{rest}”无法识别，应为数字后接“号”，如“47号”")
    number = _check_number(number_match["number"])
    return DocumentNumber(agency, year, number, f"{agency}〔{year}〕{number}号", "bracketed")

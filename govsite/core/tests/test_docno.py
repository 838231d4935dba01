"""发文字号 parsing: real numbers from gov.cn and local sites, the variants people type, and exact errors."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import time_machine

from govsite.core.docno import DocumentNumber, DocumentNumberError, parse_document_number, validate_dates

# Fixed so that the 年份 upper bound (next year) in messages does not move with the clock.
TODAY = date(2025, 6, 1)

VALID: list[tuple[str, str, int | None, int, str, str]] = [
    # input, agency, year, number, normalised, kind
    ("国办发〔2017〕47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("筑府办发〔2018〕2号", "筑府办发", 2018, 2, "筑府办发〔2018〕2号", "bracketed"),
    ("国发〔2016〕39号", "国发", 2016, 39, "国发〔2016〕39号", "bracketed"),
    ("国办函〔2018〕71号", "国办函", 2018, 71, "国办函〔2018〕71号", "bracketed"),
    ("国办秘函〔2019〕19号", "国办秘函", 2019, 19, "国办秘函〔2019〕19号", "bracketed"),
    ("国办公开办函〔2021〕30号", "国办公开办函", 2021, 30, "国办公开办函〔2021〕30号", "bracketed"),
    ("京政发〔2020〕5号", "京政发", 2020, 5, "京政发〔2020〕5号", "bracketed"),
    ("粤府办〔2019〕3号", "粤府办", 2019, 3, "粤府办〔2019〕3号", "bracketed"),
    ("国办秘函〔2009〕6号", "国办秘函", 2009, 6, "国办秘函〔2009〕6号", "bracketed"),
    ("国办函〔2018〕55号", "国办函", 2018, 55, "国办函〔2018〕55号", "bracketed"),
    ("国办函〔2020〕109号", "国办函", 2020, 109, "国办函〔2020〕109号", "bracketed"),
    ("国办发〔2018〕123号", "国办发", 2018, 123, "国办发〔2018〕123号", "bracketed"),
    ("财税〔2019〕13号", "财税", 2019, 13, "财税〔2019〕13号", "bracketed"),
    ("国令第719号", "国令", None, 719, "国令第719号", "decree"),
    ("国务院令第711号", "国务院令", None, 711, "国务院令第711号", "decree"),
    (
        "中华人民共和国国务院令第711号",
        "中华人民共和国国务院令",
        None,
        711,
        "中华人民共和国国务院令第711号",
        "decree",
    ),
    ("财政部令第87号", "财政部令", None, 87, "财政部令第87号", "decree"),
    ("省政府令第12号", "省政府令", None, 12, "省政府令第12号", "decree"),
    # Brackets people type instead of 〔〕.
    ("国办发[2017]47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发(2017)47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发［2017］47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发（2017）47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发【2017】47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发〈2017〉47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发〖2017〗47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发﹝2017﹞47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发〔2017]47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    # Spaces, full-width characters, invisible characters.
    ("国办发 〔2017〕 47 号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国办发\u3000〔２０１７〕\u3000４７号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("  京政发〔2020〕5号\n", "京政发", 2020, 5, "京政发〔2020〕5号", "bracketed"),
    ("\ufeff国办发\u200b〔2017〕47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国令第 719 号", "国令", None, 719, "国令第719号", "decree"),
    # Labels and punctuation copied along with the value.
    ("发文字号：国办发〔2017〕47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("文号:国办发〔2017〕47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("发文字号 国办发〔2017〕47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("文件编号：粤府办〔2019〕3号", "粤府办", 2019, 3, "粤府办〔2019〕3号", "bracketed"),
    ("“国办发〔2017〕47号”。", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国发〔2016〕39号；", "国发", 2016, 39, "国发〔2016〕39号", "bracketed"),
    # Missing 号, 第 inside bracketed forms, leading zeros, 〔2017年〕.
    ("国办发〔2017〕47", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    ("国发〔2019〕第5号", "国发", 2019, 5, "国发〔2019〕5号", "bracketed"),
    ("筑府办发〔2018〕02号", "筑府办发", 2018, 2, "筑府办发〔2018〕2号", "bracketed"),
    ("国办发〔2017年〕47号", "国办发", 2017, 47, "国办发〔2017〕47号", "bracketed"),
    # Decree variants: no 第, no 号, the number in brackets as on gov.cn headers, Chinese numerals.
    ("国令719号", "国令", None, 719, "国令第719号", "decree"),
    ("国令第719", "国令", None, 719, "国令第719号", "decree"),
    (
        "中华人民共和国国务院令（第711号）",
        "中华人民共和国国务院令",
        None,
        711,
        "中华人民共和国国务院令第711号",
        "decree",
    ),
    (
        "中华人民共和国主席令第二十四号",
        "中华人民共和国主席令",
        None,
        24,
        "中华人民共和国主席令第24号",
        "decree",
    ),
    (
        "中华人民共和国主席令（第十号）",
        "中华人民共和国主席令",
        None,
        10,
        "中华人民共和国主席令第10号",
        "decree",
    ),
    ("国务院令第一百零五号", "国务院令", None, 105, "国务院令第105号", "decree"),
    # Year bounds: 1949 and next year are allowed.
    ("政发〔1949〕1号", "政发", 1949, 1, "政发〔1949〕1号", "bracketed"),
    ("国办发〔2026〕1号", "国办发", 2026, 1, "国办发〔2026〕1号", "bracketed"),
]

INVALID: list[tuple[str, str]] = [
    ("", "发文字号为空"),
    (" \u3000\t", "发文字号为空"),
    ("发文字号：", "发文字号为空"),
    ("无", "“无”不是发文字号：没有发文字号时请留空"),
    ("—", "“—”不是发文字号：没有发文字号时请留空"),
    ("国办发", "发文字号缺少序号"),
    ("国办发〔2017〕", "发文字号缺少序号"),
    ("国办发〔2017〕号", "发文字号缺少序号"),
    ("国令第号", "发文字号缺少序号"),
    ("〔2017〕47号", "发文字号缺少机关代字，如“国办发〔2017〕47号”中的“国办发”"),
    ("国办发〔2017〕0号", "发文字号序号不能为 0"),
    ("国办发〔2017〕000号", "发文字号序号不能为 0"),
    ("国令第0号", "发文字号序号不能为 0"),
    ("国办发〔1948〕1号", "发文字号年份 1948 不在 1949 至 2026 之间"),
    ("国办发〔2027〕1号", "发文字号年份 2027 不在 1949 至 2026 之间"),
    ("国办发〔17〕47号", "发文字号年份“17”应为 4 位阿拉伯数字"),
    ("国办发〔二〇一七〕47号", "发文字号年份“二〇一七”应为 4 位阿拉伯数字"),
    ("国办发2017年47号", "发文字号的年份应写在六角括号内，如“国办发〔2017〕47号”"),
    ("国家税务总局公告2018年第31号", "暂不支持“公告2018年第31号”式的公告编号，请人工核对"),
    ("国办发〔2017〕47号、国发〔2016〕39号", "发文字号含有多对括号，一次只能填写一个发文字号"),
    ("国办发〔2017 47号", "发文字号的年份括号不成对"),
    ("国办发2017-47", "无法识别的发文字号，应形如“国办发〔2017〕47号”或“国令第719号”"),
    ("国办发〔2017〕47号文", "发文字号序号“47号文”无法识别，应为数字后接“号”，如“47号”"),
    ("国办发12〔2017〕1号", "机关代字“国办发12”只能由汉字（可带少量英文字母）组成"),
    ("ABC〔2017〕1号", "机关代字“ABC”应含有汉字"),
    (
        "一二三四五六七八九十一二三四五六七八九十一〔2017〕1号",
        "机关代字“一二三四五六七八九十一二三四五六七八九十一”过长（超过 20 个字）",
    ),
]


@pytest.mark.parametrize(("text", "agency", "year", "number", "normalised", "kind"), VALID)
def test_parses_real_numbers_and_typed_variants(
    text: str, agency: str, year: int | None, number: int, normalised: str, kind: str
) -> None:
    assert parse_document_number(text, today=TODAY) == DocumentNumber(agency, year, number, normalised, kind)


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_rejects_with_a_message_naming_the_fault(text: str, message: str) -> None:
    with pytest.raises(DocumentNumberError) as info:
        parse_document_number(text, today=TODAY)

    assert str(info.value) == message


def test_normalised_form_parses_to_itself() -> None:
    for text, *_ in VALID:
        doc = parse_document_number(text, today=TODAY)
        assert parse_document_number(doc.normalised, today=TODAY) == doc


def test_error_is_a_value_error_so_form_code_can_catch_either() -> None:
    assert issubclass(DocumentNumberError, ValueError)


def test_document_number_is_frozen_and_prints_normalised() -> None:
    doc = parse_document_number("国办发[2017]47号", today=TODAY)

    assert str(doc) == "国办发〔2017〕47号"
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.number = 48  # type: ignore[misc]


@time_machine.travel(date(2030, 1, 1), tick=False)
def test_year_bound_defaults_to_next_year_on_the_clock() -> None:
    assert parse_document_number("国办发〔2031〕1号").year == 2031
    with pytest.raises(DocumentNumberError) as info:
        parse_document_number("国办发〔2032〕1号")

    assert str(info.value) == "发文字号年份 2032 不在 1949 至 2031 之间"


def _doc(text: str) -> DocumentNumber:
    return parse_document_number(text, today=TODAY)


def test_consistent_dates_give_no_errors() -> None:
    assert validate_dates(_doc("国办发〔2017〕47号"), date(2017, 5, 31), date(2017, 6, 8)) == []


def test_same_day_written_and_published_is_consistent() -> None:
    assert validate_dates(_doc("国办发〔2017〕47号"), date(2017, 6, 8), date(2017, 6, 8)) == []


def test_year_after_written_year_is_an_error() -> None:
    assert validate_dates(_doc("国办发〔2018〕1号"), date(2017, 12, 30), date(2018, 1, 4)) == [
        "发文字号年份 2018 晚于成文日期（2017-12-30）的年份"
    ]


def test_year_before_written_year_is_not_flagged() -> None:
    assert validate_dates(_doc("国办发〔2017〕90号"), date(2018, 1, 2), date(2018, 1, 5)) == []


def test_written_after_published_is_an_error() -> None:
    assert validate_dates(_doc("国办发〔2017〕47号"), date(2017, 6, 8), date(2017, 6, 1)) == [
        "成文日期（2017-06-08）晚于发布日期（2017-06-01）"
    ]


def test_both_errors_are_reported_in_order() -> None:
    assert validate_dates(_doc("国办发〔2019〕1号"), date(2018, 3, 1), date(2018, 2, 1)) == [
        "发文字号年份 2019 晚于成文日期（2018-03-01）的年份",
        "成文日期（2018-03-01）晚于发布日期（2018-02-01）",
    ]


def test_decrees_have_no_year_so_only_the_dates_are_compared() -> None:
    assert validate_dates(_doc("国令第719号"), date(2019, 8, 1), date(2019, 7, 1)) == [
        "成文日期（2019-08-01）晚于发布日期（2019-07-01）"
    ]


def test_missing_values_are_not_errors_here() -> None:
    doc = _doc("国办发〔2018〕1号")

    assert validate_dates(doc, None, None) == []
    assert validate_dates(doc, None, date(2017, 1, 1)) == []
    assert validate_dates(None, date(2018, 3, 1), date(2018, 2, 1)) == [
        "成文日期（2018-03-01）晚于发布日期（2018-02-01）"
    ]

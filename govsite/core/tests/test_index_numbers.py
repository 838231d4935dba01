"""索引号 rules, formatting and parsing, and the 统一社会信用代码 / 组织机构代码 checks."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.core.index_numbers import (
    IndexNumberError,
    OrganisationCodeError,
    format_index_number,
    normalise_org_code,
    parse_index_number,
    uscc_check_char,
    validate_org_code,
    validate_rule,
    validate_uscc,
)

TODAY = date(2025, 6, 1)
RULE_2009 = "{机构代码}/{年}-{五位序号}"

# Published codes: the two government ones are the 前段码 of live 索引号 (national-specs §5.2, 阳江 and
# 衢州); the others are printed on well-known companies' business licences and used as test data by
# several open-source validators.
REAL_USCC = [
    "91350100M000100Y43",
    "11441700007280420Y",
    "11330800MB0R57773W",
    "112302070019030687",
    "91440300708461136T",
    "914403001922038216",
    "91330100799655058B",
    "91110000802100433B",
    "91110108551385082Q",
]


# ---- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        RULE_2009,
        "{机构代码}/{年}-{六位序号}",
        "{机构代码}/{年}-{序号:5}",
        "sggzyjyzx/{年}-{五位序号}",
        "{年}{序号:8}",
    ],
)
def test_valid_rules(rule: str) -> None:
    validate_rule(rule)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "索引号规则不能为空"),
        (
            "{机构代码}/{年}-{序号}",
            "索引号规则含有未知占位符“{序号}”；可用的占位符：{机构代码}、{年}、{五位序号}、{六位序号}、{序号:N}",
        ),
        (
            "{机构代码}/{年份}-{五位序号}",
            "索引号规则含有未知占位符“{年份}”；可用的占位符：{机构代码}、{年}、{五位序号}、{六位序号}、{序号:N}",
        ),
        ("{机构代码}/{年}", "索引号规则缺少序号占位符：{五位序号}、{六位序号} 或 {序号:N}"),
        ("{机构代码}/{五位序号}", "索引号规则缺少年份占位符 {年}：后段码为“年份-序号”，序号按年编排"),
        ("{机构代码}/{年}-{五位序号}{六位序号}", "索引号规则中序号占位符只能出现一次"),
        ("{机构代码}/{年}-{年}{五位序号}", "索引号规则中占位符“{年}”只能出现一次"),
        ("{机构代码}/{年}-{序号:3}", "序号位数 3 应在 4 到 8 之间"),
        ("{机构代码}/{年}-{序号:9}", "序号位数 9 应在 4 到 8 之间"),
        ("{机构代码/{年}-{五位序号}", "索引号规则的花括号不成对"),
        ("{机构代码}/{年}-{五位序号}}", "索引号规则的花括号不成对"),
        ("{机构代码} / {年}-{五位序号}", "索引号规则不能含空白字符"),
    ],
)
def test_invalid_rules(rule: str, message: str) -> None:
    with pytest.raises(IndexNumberError) as info:
        validate_rule(rule)

    assert str(info.value) == message


# ---- formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "org_code", "year", "serial", "expected"),
    [
        (RULE_2009, "000014349", 2017, 110, "000014349/2017-00110"),
        (RULE_2009, "00001434-9", 2018, 222, "000014349/2018-00222"),
        (RULE_2009, "11441700007280420Y", 2021, 50, "11441700007280420Y/2021-00050"),
        (RULE_2009, " 11441700007280420y ", 2021, 50, "11441700007280420Y/2021-00050"),
        ("{机构代码}/{年}-{六位序号}", "11330800MB0R57773W", 2021, 130444, "11330800MB0R57773W/2021-130444"),
        ("{机构代码}/{年}-{序号:5}", "000014349", 2017, 99999, "000014349/2017-99999"),
        ("sggzyjyzx/{年}-{五位序号}", "", 2024, 2, "sggzyjyzx/2024-00002"),
    ],
)
def test_format(rule: str, org_code: str, year: int, serial: int, expected: str) -> None:
    assert format_index_number(rule, org_code, year, serial) == expected


@pytest.mark.parametrize(
    ("rule", "year", "serial", "message"),
    [
        (RULE_2009, 2017, 100000, "序号 100000 超出规则的 5 位序号（最大 99999）"),
        (RULE_2009, 2017, 0, "序号 0 无效：序号从 1 开始"),
        (RULE_2009, 999, 1, "年份 999 应为 4 位数"),
        (
            "{机构代码}/{五位序号}",
            2017,
            1,
            "索引号规则缺少年份占位符 {年}：后段码为“年份-序号”，序号按年编排",
        ),
    ],
)
def test_format_rejects_rule_year_and_serial(rule: str, year: int, serial: int, message: str) -> None:
    with pytest.raises(IndexNumberError) as info:
        format_index_number(rule, "000014349", year, serial)

    assert str(info.value) == message


@pytest.mark.parametrize(
    ("org_code", "message"),
    [
        ("000014348", "组织机构代码校验位应为“9”，实为“8”"),
        ("11441700007280420X", "统一社会信用代码第 18 位校验码应为“Y”，实为“X”"),
        ("12345", "机构代码应为 18 位统一社会信用代码或 9 位组织机构代码，实为 5 位"),
        ("", "机构代码应为 18 位统一社会信用代码或 9 位组织机构代码，实为 0 位"),
    ],
)
def test_format_checks_the_publisher_code(org_code: str, message: str) -> None:
    with pytest.raises(OrganisationCodeError) as info:
        format_index_number(RULE_2009, org_code, 2017, 1)

    assert str(info.value) == message


def test_format_never_checks_an_unused_code() -> None:
    assert format_index_number("sggzyjyzx/{年}-{五位序号}", "not a code", 2024, 2) == "sggzyjyzx/2024-00002"


def test_both_error_types_are_value_errors() -> None:
    assert issubclass(IndexNumberError, ValueError)
    assert issubclass(OrganisationCodeError, ValueError)


def test_formatted_numbers_parse_back() -> None:
    value = format_index_number(RULE_2009, "11441700007280420Y", 2021, 50)

    assert parse_index_number(value, today=TODAY) == ("11441700007280420Y", 2021, 50)


def test_normalise_org_code_drops_hyphen_and_spaces_and_upper_cases() -> None:
    assert normalise_org_code("\u3000mb0r5777-3 ") == "MB0R57773"


# ---- parsing legacy values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("000014349/2017-00110", ("000014349", 2017, 110)),
        ("000014349/2018-00222", ("000014349", 2018, 222)),
        ("11441700007280420Y/2021-00050", ("11441700007280420Y", 2021, 50)),
        ("0142768-8/2022-00185", ("0142768-8", 2022, 185)),
        ("11330800MB0R57773W/2021-130444", ("11330800MB0R57773W", 2021, 130444)),
        ("sggzyjyzx/2024-00002", ("sggzyjyzx", 2024, 2)),
        (" ０００014349／2017－00110\n", ("000014349", 2017, 110)),
    ],
)
def test_parse_observed_formats(value: str, expected: tuple[str, int, int]) -> None:
    assert parse_index_number(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "索引号为空"),
        ("  ", "索引号为空"),
        ("000014349-2017-00110", "索引号应为“前段码/年份-序号”，如“000014349/2017-00110”"),
        ("000014349/2017/00110", "索引号应为“前段码/年份-序号”，如“000014349/2017-00110”"),
        ("/2017-00110", "索引号缺少前段码（“/”前的机构代码）"),
        ("-000014349/2017-00110", "索引号前段码“-000014349”只能由字母、数字和连字符组成"),
        ("0000 14349/2017-00110", "索引号前段码“0000 14349”只能由字母、数字和连字符组成"),
        ("000014349/17-00110", "索引号后段码“17-00110”应为“年份-序号”，如“2017-00110”"),
        ("000014349/2017", "索引号后段码“2017”应为“年份-序号”，如“2017-00110”"),
        ("000014349/2017-0011", "索引号序号“0011”应为 5 或 6 位数字"),
        ("000014349/2017-1234567", "索引号序号“1234567”应为 5 或 6 位数字"),
        ("000014349/2017-00000", "索引号序号不能为 0"),
        ("000014349/1900-00001", "索引号年份 1900 不在 1949 至 2026 之间"),
        ("000014349/2027-00001", "索引号年份 2027 不在 1949 至 2026 之间"),
    ],
)
def test_parse_rejects(value: str, message: str) -> None:
    with pytest.raises(IndexNumberError) as info:
        parse_index_number(value, today=TODAY)

    assert str(info.value) == message


# ---- 统一社会信用代码 (GB 32100-2015) --------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_codes_validate(code: str) -> None:
    validate_uscc(code)


def test_check_char_of_91350100M000100Y43_by_hand() -> None:
    # Character values (A=10 … Y=30 in the 31-character set without I O S V Z): M=21, Y=30.
    values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]  # 3^i mod 31
    total = sum(v * w for v, w in zip(values, weights, strict=True))

    assert total == 1640
    assert 31 - total % 31 == 3
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_embedded_org_code_of_91350100M000100Y43_by_hand() -> None:
    # GB 11714: M=22, Y=34 (A=10 … Z=35), weights 3 7 9 10 5 8 4 2 over "M000100Y".
    total = 22 * 3 + 0 * 7 + 0 * 9 + 0 * 10 + 1 * 5 + 0 * 8 + 0 * 4 + 34 * 2

    assert total == 139
    assert 11 - total % 11 == 4
    validate_org_code("M000100Y4")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码第 18 位校验码应为“3”，实为“4”"),
        ("81350100M000100Y43", "统一社会信用代码第 18 位校验码应为“4”，实为“3”"),
        (
            "91350100M000200Y43",
            "统一社会信用代码第 9–17 位的组织机构代码“M000200Y4”校验位应为“X”，实为“4”",
        ),
        ("91350100M000100Y4", "统一社会信用代码应为 18 位，实为 17 位"),
        ("91350100M000100Y433", "统一社会信用代码应为 18 位，实为 19 位"),
        (
            "91350100M000100I43",
            "统一社会信用代码第 16 位“I”不是允许的字符（数字或除 I、O、Z、S、V 外的大写字母）",
        ),
        (
            "91350100MO00100Y43",
            "统一社会信用代码第 10 位“O”不是允许的字符（数字或除 I、O、Z、S、V 外的大写字母）",
        ),
        (
            "91350100m000100Y43",
            "统一社会信用代码第 9 位“m”不是允许的字符（数字或除 I、O、Z、S、V 外的大写字母）",
        ),
        ("91A50100M000100Y43", "统一社会信用代码第 3–8 位应为 6 位数字的行政区划码，实为“A50100”"),
    ],
)
def test_invalid_uscc(code: str, message: str) -> None:
    with pytest.raises(OrganisationCodeError) as info:
        validate_uscc(code)

    assert str(info.value) == message


# ---- 组织机构代码 (GB 11714) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "000014349",  # 国务院办公厅, the 前段码 of gov.cn 索引号
        "00001434-9",
        "708461136",
        "70846113-6",
        "MB0R57773",
        "007280420",
        "M000200YX",  # constructed: remainder 10 gives the check character X
        "000000000",  # constructed: remainder 0 gives 11, written 0
    ],
)
def test_valid_org_codes(code: str) -> None:
    validate_org_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("000014348", "组织机构代码校验位应为“9”，实为“8”"),
        ("00001434-8", "组织机构代码校验位应为“9”，实为“8”"),
        ("00001434", "组织机构代码应为 9 位（可写作“XXXXXXXX-X”），实为 8 位"),
        ("0000143490", "组织机构代码应为 9 位（可写作“XXXXXXXX-X”），实为 10 位"),
        # The legacy 前段码 seen in §5.2 is not a GB 11714 code, which is why parsing keeps it as written.
        ("0142768-8", "组织机构代码第 8 位“-”应为数字或大写字母"),
        ("mb0r57773", "组织机构代码第 1 位“m”应为数字或大写字母"),
        ("M000200Yx", "组织机构代码校验位应为“X”，实为“x”"),
    ],
)
def test_invalid_org_codes(code: str, message: str) -> None:
    with pytest.raises(OrganisationCodeError) as info:
        validate_org_code(code)

    assert str(info.value) == message

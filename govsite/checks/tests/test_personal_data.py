"""The personal-data engine (inspection-rules.md §7 P1–P5): exact findings on real-looking text."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.engine import CheckContext, Finding, Severity, engines, scan
from govsite.checks.engines.personal_data import luhn_valid
from govsite.checks.masking import apply_fixes
from govsite.core.index_numbers import uscc_check_char

ON = CheckContext(on=date(2025, 6, 1))
NAMES = ["personal_data"]

ID_A = "350102199003071234"  # 福州 鼓楼区, 1990-03-07, check digit 4
ID_B = "11010519491231002X"  # the GB 11643 example
ID_C = "440103198512250453"  # 广州, 1985-12-25; passes the Luhn check as well
ID_WRONG = "350102199003071235"  # ID_A with a wrong check digit
USCC_17 = "91350100M000100Y4"
USCC = USCC_17 + uscc_check_char(USCC_17)  # "91350100M000100Y43"
# A string that passes every P1 check and is also a valid 统一社会信用代码 (found by search): public.
ID_AND_USCC = "110101199003071049"


def reference_check_char(first17: str) -> str:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def with_check(first17: str) -> str:
    return first17 + reference_check_char(first17)


def pii(text: str, on: CheckContext = ON) -> list[Finding]:
    return scan(text, on, NAMES)


def brief(findings: list[Finding]) -> list[tuple[str, Severity, int, int, str, str]]:
    return [(f.rule, f.severity, f.start, f.end, f.matched, f.suggestion) for f in findings]


def test_reference_ids_are_valid() -> None:
    # The constants above are what the other tests rely on; checked independently of the code.
    for number in (ID_A, ID_B, ID_C):
        assert reference_check_char(number[:17]) == number[17]
    assert reference_check_char(ID_WRONG[:17]) != ID_WRONG[17]
    assert USCC == "91350100M000100Y43"


def test_engine_is_registered_with_its_rules() -> None:
    (engine,) = engines(NAMES)
    assert (engine.name, engine.label, engine.rules) == (
        "personal_data",
        "个人信息",
        ("P1", "P2", "P3", "P4", "P5"),
    )


def test_p1_full_id_is_critical_with_the_local_mask() -> None:
    text = f"申请人身份证号：{ID_A}。"
    (finding,) = pii(text)
    assert brief([finding]) == [("P1", Severity.CRITICAL, 8, 26, ID_A, "35*************234")]
    assert text[finding.start : finding.end] == finding.matched
    assert (
        finding.message
        == "完整的身份证号（地区码、出生日期、校验码均有效），发布前须脱敏：保留前 2 位和后 3 位"
    )
    assert finding.engine == "personal_data"


@pytest.mark.parametrize(
    ("text", "matched", "suggestion"),
    [
        ("号码11010519491231002x止", "11010519491231002x", "11*************02X"),  # lower-case x
        ("号码350102 19900307 1234止", "350102 19900307 1234", "35*************234"),  # 6-8-4 groups
        ("号码350102 1990 0307 1234止", "350102 1990 0307 1234", "35*************234"),  # 6-4-4-4
    ],
)
def test_p1_tolerated_writings(text: str, matched: str, suggestion: str) -> None:
    assert brief(pii(text)) == [("P1", Severity.CRITICAL, 2, 2 + len(matched), matched, suggestion)]


def test_p1_wrong_check_digit_is_only_suspicious() -> None:
    (finding,) = pii(f"身份证号{ID_WRONG}")
    assert brief([finding]) == [("P1", Severity.REVIEW, 4, 22, ID_WRONG, "35*************235")]
    assert finding.message == (
        "疑似身份证号：地区码和出生日期有效，但第 18 位校验码应为“4”，实为“5”；请核实，如属个人信息须脱敏"
    )


@pytest.mark.parametrize(
    "number",
    [
        with_check("35010219900230123"),  # 1990-02-30 does not exist
        with_check("35010219901301123"),  # month 13 (the regex already refuses it)
        with_check("35010220250602123"),  # born after context.on
        with_check("96010219900307123"),  # 96 is no province
        with_check("00010219900307123"),
    ],
)
def test_p1_impossible_numbers_are_not_ids(number: str) -> None:
    assert pii(f"编号{number}") == []


def test_p1_birth_date_is_compared_with_context_date() -> None:
    number = with_check("35010220250602123")
    assert pii(number, CheckContext(on=date(2025, 6, 1))) == []
    assert [f.severity for f in pii(number, CheckContext(on=date(2025, 6, 2)))] == [Severity.CRITICAL]


def test_p1_ids_inside_longer_runs_are_ignored() -> None:
    assert pii(f"流水号A{ID_A}") == []
    assert pii(f"流水号{ID_A}9") == []
    assert pii(f"流水号9{ID_A}") == []


def test_p1_legacy_15_digit_number_is_suspicious() -> None:
    (finding,) = pii("老证号350102900307123。")
    assert brief([finding]) == [("P1", Severity.REVIEW, 3, 18, "350102900307123", "35**********123")]
    assert finding.detail["kind"] == "id15"


def test_p3_uscc_is_never_personal_data() -> None:
    text = f"统一社会信用代码：{USCC}，法定代表人：王五。"
    assert pii(text) == []
    # The 18 digits below pass all three P1 checks, but they are a valid 统一社会信用代码 too.
    assert pii(f"统一社会信用代码{ID_AND_USCC}") == []


def test_p3_invalid_uscc_does_not_hide_an_id() -> None:
    # Same digits as a valid ID; not a valid USCC, so the ID is reported.
    assert [f.rule for f in pii(f"代码{ID_A}")] == ["P1"]


def test_p4_masked_forms_are_reported_as_compliant() -> None:
    text = "身份证号35*************123，手机138****1234，卡号350102********123X。"
    assert brief(pii(text)) == [
        ("P4", Severity.OK, 4, 22, "35*************123", ""),
        ("P4", Severity.OK, 25, 36, "138****1234", ""),
        ("P4", Severity.OK, 39, 57, "350102********123X", ""),
    ]
    assert [f.message for f in pii(text)][:2] == [
        "身份证号已脱敏，合规",
        "手机号码已脱敏（保留前 3 位和后 4 位），合规",
    ]


def test_p2_mobile_alone_is_review() -> None:
    text = "联系人：张三，联系电话：13800138000。"
    (finding,) = pii(text)
    assert brief([finding]) == [("P2", Severity.REVIEW, 12, 23, "13800138000", "138****8000")]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("电话+8613800138000", "13800138000"),
        ("电话 +86 13800138000", "13800138000"),
        ("电话138 0013 8000。", "138 0013 8000"),
        ("电话138-0013-8000。", "138-0013-8000"),
    ],
)
def test_p2_written_forms(text: str, matched: str) -> None:
    (finding,) = pii(text)
    assert (finding.rule, finding.matched, finding.suggestion) == ("P2", matched, "138****8000")


@pytest.mark.parametrize(
    "text",
    [
        "订单号2013800138000123",  # inside a longer digit run
        "编号13800138000123",
        "编号913800138000",
        "电话12800138000",  # 12x is no mobile prefix
        "办公电话0591-87654321",  # landlines are P5 context only
        "138 0013 80001",
    ],
)
def test_p2_not_a_mobile(text: str) -> None:
    assert pii(text) == []


def test_p3_bank_card_needs_luhn() -> None:
    (finding,) = pii("卡号6222020200001234562。")
    assert brief([finding]) == [("P3", Severity.ERROR, 2, 21, "6222020200001234562", "6222***********4562")]
    assert pii("卡号6222020200001234567。") == []  # Luhn fails
    (spaced,) = pii("卡号 4111 1111 1111 1111")
    assert (spaced.matched, spaced.suggestion) == ("4111 1111 1111 1111", "4111********1111")


def test_p3_an_id_is_not_also_a_bank_card() -> None:
    # ID_C starts with 44 (a Visa prefix) and passes Luhn; it must come out once, as an ID.
    assert luhn_valid(ID_C)
    assert [f.rule for f in pii(f"证号{ID_C}")] == ["P1"]


LIST_TEXT = (
    "2025年低保对象名单公示\n"
    "序号\t姓名\t身份证号\t联系电话\n"
    f"1\t张三\t{ID_A}\t13800138000\n"
    f"2\t李四\t{ID_B}\t13900139000\n"
    f"3\t欧阳娜娜\t{ID_C}\t13700137000\n"
    "监督电话：0591-87654321"
)


def test_p5_three_row_table_is_a_list_leak() -> None:
    findings = pii(LIST_TEXT)
    start = LIST_TEXT.index("1\t张三")
    end = LIST_TEXT.index("\n监督")
    assert brief(findings) == [
        ("P5", Severity.CRITICAL, start, end, LIST_TEXT[start:end], ""),
        ("P1", Severity.CRITICAL, start + 5, start + 23, ID_A, "35*************234"),
        ("P2", Severity.REVIEW, start + 24, start + 35, "13800138000", "138****8000"),
        ("P1", Severity.CRITICAL, start + 41, start + 59, ID_B, "11*************02X"),
        ("P2", Severity.REVIEW, start + 60, start + 71, "13900139000", "139****9000"),
        ("P1", Severity.CRITICAL, start + 79, start + 97, ID_C, "44*************453"),
        ("P2", Severity.REVIEW, start + 98, start + 109, "13700137000", "137****7000"),
    ]
    assert findings[0].message == (
        "个人信息名单：3 行同时含有姓名和身份证号／手机号码，属批量公开个人信息，"
        "须删除或逐项脱敏后发布（国办《2018年政务公开工作要点》）"
    )
    assert findings[0].detail == {"kind": "list", "rows": 3, "names": ["张三", "李四", "欧阳娜娜"]}


def test_p5_two_rows_are_not_a_list() -> None:
    text = "\n".join(LIST_TEXT.split("\n")[:4])
    assert [f.rule for f in pii(text)] == ["P1", "P2", "P1", "P2"]


def test_p5_masked_list_is_compliant() -> None:
    text = (
        "姓名\t身份证号\t联系电话\n"
        "张三\t35*************234\t138****8000\n"
        "李四\t11*************02X\t139****9000\n"
        "王五\t44*************453\t137****7000"
    )
    assert {f.rule for f in pii(text)} == {"P4"}


def test_p5_lines_with_names_and_street_addresses() -> None:
    text = (
        "一、张三，男，家庭住址：鼓楼区东街口路12号3栋\n"
        "二、李四，女，家庭住址：仓山区城门镇林浦村3组\n"
        "三、王五，男，家庭住址：晋安区岳峰小区5栋2单元501室"
    )
    (finding,) = pii(text)
    assert brief([finding]) == [("P5", Severity.CRITICAL, 0, len(text), text, "")]
    assert "姓名和详细住址" in finding.message


def test_p5_staff_contact_table_is_not_a_leak() -> None:
    # Office rooms and landlines of officials are public contact data, not a list of homes.
    text = (
        "姓名\t职务\t办公地点\t办公电话\n"
        "张三\t局长\t市政府2号楼301室\t0591-87654321\n"
        "李四\t副局长\t市政府2号楼302室\t0591-87654322\n"
        "王五\t副局长\t市政府2号楼303室\t0591-87654323"
    )
    assert pii(text) == []


def test_p5_a_contact_line_after_a_table_is_not_part_of_it() -> None:
    text = LIST_TEXT.replace("监督电话：0591-87654321", "联系人：赵六，电话：13600136000")
    list_finding = pii(text)[0]
    assert list_finding.rule == "P5"
    assert list_finding.matched.endswith("13700137000")
    assert list_finding.detail["rows"] == 3


def test_p5_rows_far_apart_are_separate_mentions() -> None:
    filler = "\n".join(["工作要求如下。"] * 4)
    text = f"联系人：张三，电话：13800138000\n{filler}\n联系人：李四，电话：13900139000\n{filler}\n联系人：王五，电话：13700137000"
    assert [f.rule for f in pii(text)] == ["P2", "P2", "P2"]


def test_one_click_fix_masks_everything_and_a_rescan_is_clean() -> None:
    fixed = apply_fixes(LIST_TEXT, pii(LIST_TEXT))
    assert fixed == (
        "2025年低保对象名单公示\n"
        "序号\t姓名\t身份证号\t联系电话\n"
        "1\t张三\t35*************234\t138****8000\n"
        "2\t李四\t11*************02X\t139****9000\n"
        "3\t欧阳娜娜\t44*************453\t137****7000\n"
        "监督电话：0591-87654321"
    )
    assert {f.severity for f in pii(fixed)} == {Severity.OK}


def test_clean_official_text_has_no_findings() -> None:
    text = (
        "国务院办公厅关于印发《2018年政务公开工作要点》的通知（国办发〔2018〕23号）。"
        "索引号：000014349/2018-00052，成文日期：2018年04月13日，发布日期：2018年04月24日。"
        "统一社会信用代码11100000000013127D，邮编100017，咨询电话：010-12345678。"
        "全年完成投资1234567890元，同比增长12.5%，项目编号2018350100000123。"
    )
    assert pii(text) == []


@pytest.mark.parametrize(
    ("value", "visible", "suggestion"),
    [
        ("3501021990****1234", 14, "35*************234"),  # year of birth and more still readable
        ("35010219900307****", 14, "35****************"),
        ("350102199003071***", 15, "35****************"),
    ],
)
def test_p4_partly_masked_id_is_review(value: str, visible: int, suggestion: str) -> None:
    (finding,) = pii(f"号码{value}。")
    assert brief([finding]) == [("P4", Severity.REVIEW, 2, 20, value, suggestion)]
    assert (
        finding.message == f"身份证号脱敏不充分：仍可见 {visible} 位（含出生日期），应只保留前 2 位和后 3 位"
    )


def test_p4_six_plus_four_is_enough_and_no_region_is_no_id() -> None:
    assert [f.severity for f in pii("号码350102********1234")] == [Severity.OK]
    assert pii("编号990102199003****34") == []


def test_p4_short_placeholders_are_not_masked_numbers() -> None:
    assert pii("文号写作〔2020〕XXXX号，日期20XXXX，编码1234****。") == []

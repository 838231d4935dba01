"""身份证号 validation (GB 11643, inspection-rules.md §7 P1): the standard's own examples, each fault."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.core.idcard import (
    IdFault,
    IdNumberError,
    birth_date,
    id_check_char,
    normalise_id_number,
    validate_id_number,
)

TODAY = date(2025, 6, 1)


def reference_check_char(first17: str) -> str:
    """GB 11643 written out independently of the code under test: weights 2^(17-i) mod 11."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # GB 11643-1999 example
        ("44052418800101001", "4"),  # GB 11643-1999 example
        ("35010219900307123", "4"),
        ("11010119900307104", "9"),
    ],
)
def test_check_char_matches_the_standard(first17: str, check: str) -> None:
    assert id_check_char(first17) == check
    assert reference_check_char(first17) == check


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("350102199003071234", "350102199003071234"),
        ("11010519491231002x", "11010519491231002X"),  # lower-case x tolerated
        ("350102 19900307 1234", "350102199003071234"),  # the 6-8-4 grouping people type
        ("350102\u00a01990\u30000307 1234", "350102199003071234"),
        ("３５０１０２１９９００３０７１２３４", "350102199003071234"),  # full-width digits
        ("350102900307123", "350102900307123"),  # 15-digit legacy number
    ],
)
def test_valid_numbers_return_the_normalised_form(value: str, normalised: str) -> None:
    assert validate_id_number(value, TODAY) == normalised
    assert normalise_id_number(value) == normalised


@pytest.mark.parametrize(
    ("value", "fault", "message"),
    [
        ("35010219900307123", IdFault.FORMAT, "身份证号应为 18 位（旧版为 15 位），实为 17 位"),
        ("3501021990030712A4", IdFault.FORMAT, "18 位身份证号前 17 位应为数字，第 18 位应为数字或 X"),
        ("35010290030712X", IdFault.FORMAT, "15 位身份证号应全部为数字"),
        ("960102199003071238", IdFault.REGION, "前两位“96”不是省级行政区划代码"),
        ("350102199002301237", IdFault.DATE, "出生日期“19900230”不是有效日期"),
        ("350102900230123", IdFault.DATE, "出生日期“900230”不是有效日期"),
        ("350102202506021233", IdFault.FUTURE, "出生日期 2025-06-02 晚于 2025-06-01"),
        ("350102199003071235", IdFault.CHECKSUM, "第 18 位校验码应为“4”，实为“5”"),
        ("11010519491231002 1", IdFault.CHECKSUM, "第 18 位校验码应为“X”，实为“1”"),
    ],
)
def test_each_fault_has_its_reason(value: str, fault: IdFault, message: str) -> None:
    with pytest.raises(IdNumberError) as raised:
        validate_id_number(value, TODAY)
    assert raised.value.fault is fault
    assert str(raised.value) == message


def test_birth_date_on_the_day_itself_is_allowed() -> None:
    # 2025-06-01 born, checked on 2025-06-01: real and not in the future.
    number = "35010220250601123" + reference_check_char("35010220250601123")
    assert validate_id_number(number, TODAY) == number
    assert birth_date(number) == date(2025, 6, 1)
    assert birth_date("350102900307123") == date(1990, 3, 7)

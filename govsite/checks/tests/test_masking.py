"""One-click masking in the local format (inspection-rules.md §3.5; P1 2 + 3, P2 3 + 4)."""

from __future__ import annotations

import pytest

from govsite.checks.engine import Finding, Severity
from govsite.checks.masking import apply_fixes, fixable, mask_bank_card, mask_id, mask_mobile


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("350102199003071234", "35*************234"),
        ("11010519491231002x", "11*************02X"),
        ("350102 19900307 1234", "35*************234"),
        ("350102900307123", "35**********123"),
    ],
)
def test_mask_id(value: str, masked: str) -> None:
    assert mask_id(value) == masked


def test_mask_mobile_and_card() -> None:
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_mobile("138 0013 8000") == "138****8000"
    assert mask_bank_card("6222 0202 0000 1234 562") == "6222***********4562"
    assert mask_id("1234") == "****"  # too short to keep anything


def _finding(
    start: int, end: int, text: str, suggestion: str, severity: Severity = Severity.CRITICAL
) -> Finding:
    return Finding("P1", severity, start, end, text[start:end], "说明", suggestion)


def test_apply_fixes_replaces_from_the_end() -> None:
    text = "甲13800138000乙350102199003071234丙"
    findings = [
        _finding(1, 12, text, "138****8000", Severity.REVIEW),
        _finding(13, 31, text, "35*************234"),
    ]
    assert apply_fixes(text, findings) == "甲138****8000乙35*************234丙"


def test_apply_fixes_skips_compliant_unsuggested_and_overlapping() -> None:
    text = "名单：A 350102199003071234 B"
    whole = _finding(0, len(text), text, "")  # a P5 list: no one-click fix of its own
    inner = _finding(5, 23, text, "35*************234")
    overlapping = _finding(10, 23, text, "######")
    ok = _finding(5, 23, text, "x", Severity.OK)
    assert fixable([whole, overlapping, ok, inner]) == [inner]
    assert apply_fixes(text, [whole, overlapping, ok, inner]) == "名单：A 35*************234 B"


def test_apply_fixes_refuses_a_changed_text() -> None:
    text = "号码350102199003071234"
    finding = _finding(2, 20, text, "35*************234")
    with pytest.raises(ValueError, match="文本已变化：第 2–20 个字符不再是“350102199003071234”，请重新检查"):
        apply_fixes("号码：350102199003071234", [finding])

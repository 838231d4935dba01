"""居民身份证号码 (GB 11643-1999) checks: region prefix, birth date, check digit; the 15-digit legacy form.

Pure functions shared by the personal-data engine (inspection-rules.md §7 P1) and ``govsite validate id``.
``validate_id_number`` raises ``IdNumberError`` whose ``code`` says which check failed, so the engine can
treat a number with a real region and date but a wrong check digit as "suspicious" rather than noise.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum

# P1: first two digits of the 行政区划代码 (provinces; 71 台湾, 81 香港, 82 澳门 as issued on 居住证).
REGION_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
    | {"71", "81", "82"}
)
# GB 11643-1999: weights 2^(17-i) mod 11 of the 17 body digits; sum mod 11 indexes the check characters.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Spaces people put between the 6-8-4 groups (and NBSP / ideographic space from pasted text).
_SPACES_RE = re.compile(r"[ \u00a0\u3000]")
_BODY18_RE = re.compile(r"^\d{17}[\dX]$")
_BODY15_RE = re.compile(r"^\d{15}$")


class IdFault(StrEnum):
    """Which GB 11643 check an ID number failed, in the order they are checked."""

    FORMAT = "format"
    REGION = "region"
    DATE = "date"
    FUTURE = "future"
    CHECKSUM = "checksum"


class IdNumberError(ValueError):
    """An ID number that fails a check; the message is in Chinese, ``fault`` names the check."""

    def __init__(self, message: str, fault: IdFault) -> None:
        super().__init__(message)
        self.fault = fault


def normalise_id_number(value: str) -> str:
    """Half-width digits, upper-case X, without the spaces people put between groups."""
    return _SPACES_RE.sub("", unicodedata.normalize("NFKC", value).strip()).upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of 17 body digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("计算校验码需要 17 位数字")
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def birth_date(number: str) -> date | None:
    """The birth date written in a normalised 18- or 15-digit number, or None when it is not a real date."""
    digits = number[6:14] if len(number) == 18 else "19" + number[6:12]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_id_number(value: str, today: date) -> str:
    """Check a 身份证号 (18 digits, or the 15-digit form issued before 1999) as of ``today``.

    Returns the normalised number; raises ``IdNumberError`` naming the first check that fails.
    """
    number = normalise_id_number(value)
    if len(number) == 18:
        if not _BODY18_RE.match(number):
            raise IdNumberError("18 位身份证号前 17 位应为数字，第 18 位应为数字或 X", IdFault.FORMAT)
    elif len(number) == 15:
        if not _BODY15_RE.match(number):
            raise IdNumberError("15 位身份证号应全部为数字", IdFault.FORMAT)
    else:
        raise IdNumberError(f"身份证号应为 18 位（旧版为 15 位），实为 {len(number)} 位", IdFault.FORMAT)
    if number[:2] not in REGION_PREFIXES:
        raise IdNumberError(f"前两位“{number[:2]}”不是省级行政区划代码", IdFault.REGION)
    born = birth_date(number)
    written = number[6:14] if len(number) == 18 else number[6:12]
    if born is None:
        raise IdNumberError(f"出生日期“{written}”不是有效日期", IdFault.DATE)
    if born > today:
        raise IdNumberError(f"出生日期 {born.isoformat()} 晚于 {today.isoformat()}", IdFault.FUTURE)
    if len(number) == 18:
        expected = id_check_char(number[:17])
        if number[17] != expected:
            raise IdNumberError(f"第 18 位校验码应为“{expected}”，实为“{number[17]}”", IdFault.CHECKSUM)
    return number

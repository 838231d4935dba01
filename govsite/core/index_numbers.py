"""索引号 (index numbers) of the 政府信息公开目录: per-site rules, formatting, parsing legacy values, and
the 统一社会信用代码 / 组织机构代码 checks behind the 前段码.

The 2009 format (国办秘函〔2009〕6号, national-specs §5.1) is ``前段码/后段码``: the publisher's
organisation code without its hyphen, then ``年份-五位序号``.  Sites state their rule as a template,
e.g. ``{机构代码}/{年}-{五位序号}``.  These are pure functions: allocating serials (unique per site,
never reused) belongs to a database counter elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

FIRST_YEAR = 1949

# A rule must contain {年} (checked in _compile_rule): the 后段码 is 年份-序号 in the 2009 format, and a
# serial that restarts each year is only unique together with its year.  Widths: the 2009 format has
# 5 digits and 6 are seen in the wild; 4–8 leaves room either way without allowing absurd rules.
SERIAL_WIDTHS = range(4, 9)
_NAMED_SERIALS = {"五位序号": 5, "六位序号": 6}
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_SERIAL_RE = re.compile(r"^序号:(\d+)$")
PLACEHOLDERS_HELP = "{机构代码}、{年}、{五位序号}、{六位序号}、{序号:N}"

# Observed prefixes (national-specs §5.2) are org codes, 统一社会信用代码, org codes with their hyphen
# kept, and pinyin abbreviations; serials have 5 or 6 digits.
_PREFIX_RE = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?$")
_SUFFIX_RE = re.compile(r"^(?P<year>\d{4})-(?P<serial>\d+)$")
INDEX_EXAMPLE = "000014349/2017-00110"

# GB 32100-2015: the 31 characters of the code (no I, O, Z, S, V) and weights 3^i mod 31.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714-1997: weights of the eight body characters; letters count as 10 (A) … 35 (Z).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class IndexNumberError(ValueError):
    """A 索引号 rule, value or formatting request that is not usable; the message is in Chinese."""


class OrganisationCodeError(ValueError):
    """A 统一社会信用代码 or 组织机构代码 that fails its standard's checks; the message is in Chinese."""


@dataclass(frozen=True)
class _Placeholder:
    name: str
    width: int = 0


_Part: TypeAlias = str | _Placeholder


def validate_rule(rule: str) -> None:
    """Raise IndexNumberError (a ValueError, message in Chinese) unless ``rule`` is a usable template."""
    _compile_rule(rule)


def format_index_number(rule: str, org_code: str, year: int, serial: int) -> str:
    """The 索引号 for ``serial`` in ``year``; ``org_code`` is checked only when the rule uses it.

    Raises IndexNumberError for the rule, year or serial, OrganisationCodeError for the code.
    """
    parts = _compile_rule(rule)
    if not 1000 <= year <= 9999:
        raise IndexNumberError(f"年份 {year} 应为 4 位数")
    if serial < 1:
        raise IndexNumberError(f"序号 {serial} 无效：序号从 1 开始")
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part.name == "机构代码":
            code = normalise_org_code(org_code)
            validate_publisher_code(code)
            out.append(code)
        elif part.name == "年":
            out.append(f"{year:04d}")
        else:
            if serial >= 10**part.width:
                largest = 10**part.width - 1
                raise IndexNumberError(f"序号 {serial} 超出规则的 {part.width} 位序号（最大 {largest}）")
            out.append(f"{serial:0{part.width}d}")
    return "".join(out)


def parse_index_number(value: str, *, today: date | None = None) -> tuple[str, int, int]:
    """Split a legacy 索引号 into (前段码, 年份, 序号).

    The 前段码 is returned exactly as written (a hyphen or lower-case pinyin kept), because an
    索引号 never changes once published: importers store it verbatim and use the parts for search.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise IndexNumberError("索引号为空")
    pieces = text.split("/")
    if len(pieces) != 2:
        raise IndexNumberError(f"索引号应为“前段码/年份-序号”，如“{INDEX_EXAMPLE}”")
    prefix, suffix = pieces
    if not prefix:
        raise IndexNumberError("索引号缺少前段码（“/”前的机构代码）")
    if not _PREFIX_RE.match(prefix):
        raise IndexNumberError(f"索引号前段码“{prefix}”只能由字母、数字和连字符组成")
    match = _SUFFIX_RE.match(suffix)
    if not match:
        raise IndexNumberError(f"索引号后段码“{suffix}”应为“年份-序号”，如“2017-00110”")
    year, digits = int(match["year"]), match["serial"]
    max_year = (today or date.today()).year + 1
    if not FIRST_YEAR <= year <= max_year:
        raise IndexNumberError(f"索引号年份 {year} 不在 {FIRST_YEAR} 至 {max_year} 之间")
    if len(digits) not in (5, 6):
        raise IndexNumberError(f"索引号序号“{digits}”应为 5 或 6 位数字")
    serial = int(digits)
    if serial == 0:
        raise IndexNumberError("索引号序号不能为 0")
    return prefix, year, serial


def normalise_org_code(value: str) -> str:
    """A publisher code as the 前段码 uses it: half-width, upper case, without hyphen or spaces."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value)).upper()


def validate_publisher_code(code: str) -> None:
    """Either an 18-char 统一社会信用代码 or a 9-char 组织机构代码, as normalised."""
    if len(code) == 18:
        validate_uscc(code)
    elif len(code) == 9:
        validate_org_code(code)
    else:
        raise OrganisationCodeError(
            f"机构代码应为 18 位统一社会信用代码或 9 位组织机构代码，实为 {len(code)} 位"
        )


def validate_uscc(value: str) -> None:
    """Check a 统一社会信用代码 (GB 32100-2015); the OrganisationCodeError names the first fault."""
    if len(value) != 18:
        raise OrganisationCodeError(f"统一社会信用代码应为 18 位，实为 {len(value)} 位")
    for position, char in enumerate(value, start=1):
        if char not in USCC_CHARSET:
            raise OrganisationCodeError(
                f"统一社会信用代码第 {position} 位“{char}”不是允许的字符"
                "（数字或除 I、O、Z、S、V 外的大写字母）"
            )
    region = value[2:8]
    if not region.isdigit():
        raise OrganisationCodeError(f"统一社会信用代码第 3–8 位应为 6 位数字的行政区划码，实为“{region}”")
    # The embedded code is checked first: a typo in positions 9–17 breaks both check characters,
    # and pointing at the 组织机构代码 is nearer the mistake than blaming position 18.
    org_code = value[8:17]
    expected_org = _org_check_char(org_code[:8])
    if org_code[8] != expected_org:
        raise OrganisationCodeError(
            f"统一社会信用代码第 9–17 位的组织机构代码“{org_code}”"
            f"校验位应为“{expected_org}”，实为“{org_code[8]}”"
        )
    expected = _uscc_check_char(value[:17])
    if value[17] != expected:
        raise OrganisationCodeError(f"统一社会信用代码第 18 位校验码应为“{expected}”，实为“{value[17]}”")


def validate_org_code(value: str) -> None:
    """Check a 9-char 组织机构代码 (GB 11714), written ``XXXXXXXX-X`` or without the hyphen."""
    code = value[:8] + value[9:] if len(value) == 10 and value[8] == "-" else value
    if len(code) != 9:
        raise OrganisationCodeError(f"组织机构代码应为 9 位（可写作“XXXXXXXX-X”），实为 {len(code)} 位")
    for position, char in enumerate(code[:8], start=1):
        if char not in _ORG_BODY_CHARS:
            raise OrganisationCodeError(f"组织机构代码第 {position} 位“{char}”应为数字或大写字母")
    expected = _org_check_char(code[:8])
    if code[8] != expected:
        raise OrganisationCodeError(f"组织机构代码校验位应为“{expected}”，实为“{code[8]}”")


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (exposed for test data and imports)."""
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise OrganisationCodeError("计算校验码需要 17 位合法字符")
    return _uscc_check_char(first17)


def _uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_check_char(body: str) -> str:
    total = sum(_ORG_BODY_CHARS.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _compile_rule(rule: str) -> list[_Part]:
    if not rule:
        raise IndexNumberError("索引号规则不能为空")
    if any(c.isspace() for c in rule):
        raise IndexNumberError("索引号规则不能含空白字符")
    parts: list[_Part] = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER_RE.finditer(rule):
        parts.extend(_literal(rule[position : match.start()]))
        placeholder = _placeholder(match[1])
        key = "序号" if placeholder.width else placeholder.name
        if key in seen:
            what = "序号占位符" if placeholder.width else f"占位符“{{{placeholder.name}}}”"
            raise IndexNumberError(f"索引号规则中{what}只能出现一次")
        seen.add(key)
        parts.append(placeholder)
        position = match.end()
    parts.extend(_literal(rule[position:]))
    if "序号" not in seen:
        raise IndexNumberError("索引号规则缺少序号占位符：{五位序号}、{六位序号} 或 {序号:N}")
    if "年" not in seen:
        raise IndexNumberError("索引号规则缺少年份占位符 {年}：后段码为“年份-序号”，序号按年编排")
    return parts


def _literal(text: str) -> list[_Part]:
    if "{" in text or "}" in text:
        raise IndexNumberError("索引号规则的花括号不成对")
    return [text] if text else []


def _placeholder(name: str) -> _Placeholder:
    if name in ("机构代码", "年"):
        return _Placeholder(name)
    if name in _NAMED_SERIALS:
        return _Placeholder(name, _NAMED_SERIALS[name])
    serial = _SERIAL_RE.match(name)
    if serial:
        width = int(serial[1])
        if width not in SERIAL_WIDTHS:
            low, high = SERIAL_WIDTHS[0], SERIAL_WIDTHS[-1]
            raise IndexNumberError(f"序号位数 {width} 应在 {low} 到 {high} 之间")
        return _Placeholder(name, width)
    raise IndexNumberError(f"索引号规则含有未知占位符“{{{name}}}”；可用的占位符：{PLACEHOLDERS_HELP}")

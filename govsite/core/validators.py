"""Validators for identifiers that appear on every government site (网站标识码, ICP, 公安备案, domains)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# national-specs §2.3: 6-digit 行政区划代码 + 4-digit serial; bm + 8 digits for 国务院部门;
# one letter + 9 digits seen for non-government bodies.
SITE_ID_CODE_RE = re.compile(r"^(\d{10}|bm\d{8}|[A-Z]\d{9})$")
ICP_RE = re.compile(r"^[\u4e00-\u9fa5]ICP备\d{6,10}号(-\d{1,3})?$")
POLICE_RE = re.compile(r"^[\u4e00-\u9fa5]公网安备\s?(\d{14})号$")
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
GOV_SUFFIXES = (".gov.cn", ".政务", ".xn--zfr164b")


def validate_site_id_code(value: str) -> None:
    if not SITE_ID_CODE_RE.match(value):
        raise ValidationError(
            "网站标识码格式不正确：应为 10 位数字（6 位行政区划代码 + 4 位序号），国务院部门为 bm 加 8 位数字",
            code="invalid_site_id_code",
        )


def validate_icp_number(value: str) -> None:
    if not ICP_RE.match(value):
        raise ValidationError(
            "ICP备案号格式不正确，应形如“京ICP备05070218号”或“京ICP备05070218号-1”", code="invalid_icp"
        )


def validate_police_number(value: str) -> None:
    if not POLICE_RE.match(value):
        raise ValidationError(
            "公安机关备案号格式不正确，应形如“京公网安备11010202000001号”（14 位数字）", code="invalid_police"
        )


def police_record_code(value: str) -> str:
    """The 14-digit record code used in the beian.gov.cn link."""
    match = POLICE_RE.match(value)
    return match.group(1) if match else ""


def normalise_domain(value: str) -> str:
    return value.strip().rstrip(".").lower()


def validate_gov_domain(value: str) -> None:
    """A site's primary domain must be a host name under .gov.cn or .政务 (国办函〔2018〕55号)."""
    domain = normalise_domain(value)
    if "://" in domain or "/" in domain or ":" in domain:
        raise ValidationError(
            "主域名只填写主机名，不含 http://、端口或路径，如 www.example.gov.cn", code="invalid_domain"
        )
    if not domain.endswith(GOV_SUFFIXES):
        raise ValidationError(
            "政府网站主域名须以 .gov.cn 或 .政务 结尾（国办函〔2018〕55号）", code="invalid_domain"
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError("主域名包含无效字符", code="invalid_domain") from exc
    labels = ascii_domain.split(".")
    if len(labels) < 3 or not all(_LABEL_RE.match(label) for label in labels):
        raise ValidationError("主域名格式不正确，如 www.example.gov.cn", code="invalid_domain")

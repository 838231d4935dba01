"""How findings are written for operators: one line per finding (text or JSON), counts, exit codes.

Shared by ``govsite check-text`` and ``govsite check-file`` so both speak the same format:
``P1 严重 12-30 350102199003071234 → 35*************234 完整的身份证号…``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

from govsite.checks.engine import Finding, Severity

# Exit codes of the check commands (stated in their --help).
EXIT_CLEAN = 0
EXIT_FINDINGS = 1  # at least one 严重 or 错误 finding
EXIT_BAD_INPUT = 2  # bad arguments, a missing or unreadable file
EXIT_NOT_CHECKED = 3  # check-file: some file or page could not be checked (scan, unsupported format)

BLOCKING = frozenset({Severity.CRITICAL, Severity.ERROR})
MATCH_DISPLAY_LIMIT = 60
_WHITESPACE_RE = re.compile(r"\s+")


def display(value: str, limit: int = MATCH_DISPLAY_LIMIT) -> str:
    """A matched text on one line: whitespace (row and cell breaks) as single spaces, long runs cut."""
    flat = _WHITESPACE_RE.sub(" ", value).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def finding_line(finding: Finding) -> str:
    """``P1 严重 12-30 <matched> → <suggestion> <message>`` (no arrow when there is no suggestion)."""
    fix = f" → {finding.suggestion}" if finding.suggestion else ""
    return (
        f"{finding.rule} {finding.severity.label} {finding.start}-{finding.end} "
        f"{display(finding.matched)}{fix} {finding.message}"
    )


def finding_json(finding: Finding, **extra: str) -> str:
    return json.dumps({**extra, **finding.as_dict()}, ensure_ascii=False)


def summary(findings: Iterable[Finding]) -> str:
    """``共 5 条：严重 2 条，待复核 3 条`` — only the severities that occur, in severity order."""
    counts = Counter(f.severity for f in findings)
    total = sum(counts.values())
    if not total:
        return "未发现问题"
    parts = [f"{severity.label} {counts[severity]} 条" for severity in Severity if counts[severity]]
    return f"共 {total} 条：{'，'.join(parts)}"


def exit_code(findings: Iterable[Finding]) -> int:
    return EXIT_FINDINGS if any(f.severity in BLOCKING for f in findings) else EXIT_CLEAN


def parse_date(value: str | None) -> date:
    """``--date YYYY-MM-DD`` (today when absent); ValueError with a Chinese message otherwise."""
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"日期“{value}”格式不正确，应为 YYYY-MM-DD，如 2025-06-01") from exc

"""One-click masking in the local format (永安 2023 通报, inspection-rules.md §3.5): ID keeps the first 2
and last 3 characters (``35*************123``), mobile keeps 3 + 4 (``138****1234``).

``apply_fixes`` writes the ``suggestion`` of each finding back into the text it was found in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from govsite.checks.engine import Finding, Severity

MASK = "*"
# Separators people write inside numbers; masked forms are written without them.
_SEPARATORS_RE = re.compile(r"[\s\u00a0\u3000-]")


def _compact(value: str) -> str:
    return _SEPARATORS_RE.sub("", value).upper()


def _mask(value: str, keep_head: int, keep_tail: int) -> str:
    compact = _compact(value)
    if len(compact) <= keep_head + keep_tail:
        return MASK * len(compact)
    hidden = len(compact) - keep_head - keep_tail
    return compact[:keep_head] + MASK * hidden + compact[len(compact) - keep_tail :]


def mask_id(value: str) -> str:
    """``350102199003071234`` → ``35*************234`` (P1; 15-digit numbers keep the same 2 + 3)."""
    return _mask(value, 2, 3)


def mask_mobile(value: str) -> str:
    """``13800138000`` → ``138****8000`` (P2)."""
    return _mask(value, 3, 4)


def mask_bank_card(value: str) -> str:
    """``6222020200001234567`` → ``6222***********4567`` (P3: first and last four, as banks print them)."""
    return _mask(value, 4, 4)


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a one-click fix applies: with a suggestion, not already compliant, not overlapping an
    earlier one (the first in text order wins)."""
    chosen: list[Finding] = []
    last_end = -1
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if not finding.suggestion or finding.severity is Severity.OK:
            continue
        if finding.start < last_end:
            continue
        chosen.append(finding)
        last_end = finding.end
    return chosen


def apply_fixes(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every fixable finding replaced by its suggestion.

    Replacement runs from the end so earlier offsets stay valid.  A finding whose ``matched`` no longer
    sits at its offsets (the text changed since the scan) raises ValueError rather than corrupting text.
    """
    result = text
    for finding in reversed(fixable(findings)):
        if result[finding.start : finding.end] != finding.matched:
            raise ValueError(
                f"文本已变化：第 {finding.start}–{finding.end} 个字符不再是“{finding.matched}”，请重新检查"
            )
        result = result[: finding.start] + finding.suggestion + result[finding.end :]
    return result

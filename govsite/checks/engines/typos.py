"""T2 公文 typos (inspection-rules.md §7 T2): a compiled confusion-pair list (``data/typos.tsv``, each
entry with its source) matched with one Aho-Corasick automaton, then filtered by each entry's context
rules (截止/截至, 渡过/度过, 的/地/得 …).

Two tiers: ``error`` — a certain misspelling (布署→部署); ``review`` — a confusable pair where a person
decides (其它/其他, 截止/截至): the suggestion is offered, never applied silently.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

from govsite.checks import lexicon
from govsite.checks.engine import CheckContext, Finding, Severity, register

CONTEXT_WINDOW = 12
_GROUP = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Confusion:
    """One pair; the regexes say in which context it fires."""

    wrong: str
    right: str
    tier: Severity
    source: str
    require_after: re.Pattern[str] | None = None
    except_after: re.Pattern[str] | None = None
    except_before: re.Pattern[str] | None = None
    note: str = ""

    def applies(self, text: str, start: int, end: int) -> bool:
        after = text[end : end + CONTEXT_WINDOW]
        before = text[max(0, start - CONTEXT_WINDOW) : start]
        if self.require_after is not None and not self.require_after.match(after):
            return False
        if self.except_after is not None and self.except_after.match(after):
            return False
        return not (self.except_before is not None and self.except_before.search(before))

    @property
    def message(self) -> str:
        if self.tier == Severity.ERROR:
            return f"错别字：“{self.wrong}”应为“{self.right}”。" + (f"{self.note}。" if self.note else "")
        why = f"{self.note}。" if self.note else ""
        return f"请复核：“{self.wrong}”与“{self.right}”易混淆，此处宜用“{self.right}”。{why}"


def expand(wrong: str, right: str) -> list[tuple[str, str]]:
    """Expand ``{a|b}`` groups: the n-th group of ``right`` takes the same choice as the n-th of ``wrong``."""
    wrong_groups = [g.split("|") for g in _GROUP.findall(wrong)]
    right_groups = [g.split("|") for g in _GROUP.findall(right)]
    if not wrong_groups:
        return [(wrong, right)]
    if [len(g) for g in wrong_groups] != [len(g) for g in right_groups]:
        raise ValueError(f"typos.tsv: {wrong!r} 与 {right!r} 的可选组不一致")
    pairs: list[tuple[str, str]] = []
    for choice in itertools.product(*(range(len(g)) for g in wrong_groups)):
        pairs.append((_fill(wrong, wrong_groups, choice), _fill(right, right_groups, choice)))
    return pairs


def _fill(template: str, groups: list[list[str]], choice: tuple[int, ...]) -> str:
    picks = iter(group[i] for group, i in zip(groups, choice, strict=True))
    return _GROUP.sub(lambda _match: next(picks), template)


def _regex(value: str) -> re.Pattern[str] | None:
    return re.compile(value) if value else None


@cache
def confusions() -> tuple[Confusion, ...]:
    found: list[Confusion] = []
    for row in lexicon.iter_tsv("typos.tsv"):
        row = row + [""] * (8 - len(row))
        wrong, right, tier, source, require_after, except_after, except_before, note = row[:8]
        for w, r in expand(wrong, right):
            found.append(
                Confusion(
                    wrong=w,
                    right=r,
                    tier=Severity.ERROR if tier == "error" else Severity.REVIEW,
                    source=source,
                    require_after=_regex(require_after),
                    except_after=_regex(except_after),
                    except_before=_regex(except_before),
                    note=note,
                )
            )
    return tuple(found)


@register
class TyposEngine:
    """T2: confusion-pair typos, error or review tier."""

    name = "typos"
    label = "错别字"
    rules: tuple[str, ...] = ("T2",)

    def __init__(self) -> None:
        by_wrong: dict[str, list[Confusion]] = {}
        for entry in confusions():
            by_wrong.setdefault(entry.wrong, []).append(entry)
        self.patterns = list(by_wrong)
        self.entries = [by_wrong[p] for p in self.patterns]
        self.matcher = lexicon.Matcher(self.patterns, longest=True)

    def scan(self, text: str, context: CheckContext) -> list[Finding]:
        found: list[Finding] = []
        for index, start, end in self.matcher.find(text):
            entry = next((e for e in self.entries[index] if e.applies(text, start, end)), None)
            if entry is None:
                continue
            found.append(
                Finding(
                    rule="T2",
                    severity=entry.tier,
                    start=start,
                    end=end,
                    matched=text[start:end],
                    suggestion=entry.right,
                    message=entry.message,
                    engine=self.name,
                    detail={"source": entry.source},
                )
            )
        return found

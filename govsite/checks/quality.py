"""Quality measurement of the term engines (issue 6 goals): findings per 20,000 characters of clean official
text, and recall / false positives on the misspelling list. Shared by the tests and ``bench/checks_terms.py``.

The clean corpus is ``data/corpus/clean_*.txt`` (written for this project) plus articles of the demo text
generator; the misspelling list is ``data/corpus/misspellings.tsv``.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from govsite.checks import lexicon
from govsite.checks.engine import CheckContext, Engine, Finding, Severity, engines

TERM_ENGINES = ("terms", "typos", "outdated", "spam", "dated")
CORPUS_DATE = date(2025, 6, 30)  # the clean corpus speaks from mid-2025
# The demo site's leaders and institutions, as a deployment would configure them (CheckContext.extra).
DEMO_EXTRA: dict[str, Any] = {
    "terms": [
        {"name": "陈启明", "title": "市长"},
        {"name": "林志宏", "title": "常务副市长"},
        {"name": "吴静", "title": "副市长"},
        {"name": "郑国梁", "title": "副市长"},
        {"name": "黄晓峰", "title": "副市长"},
        {"name": "杜家毫", "title": "省委书记"},
        "青山市人民政府",
        "青山市教育局",
    ]
}


def all_engines() -> list[Engine]:
    """The term engines plus every other registered engine (personal data when it exists)."""
    found = engines(TERM_ENGINES)
    with contextlib.suppress(KeyError):  # not registered yet in this checkout
        found += engines(["personal_data"])
    return found


def clean_texts() -> list[tuple[str, str]]:
    """(name, text) of the hand-written clean corpus."""
    return [
        (path.name, path.read_text(encoding="utf-8"))
        for path in sorted((lexicon.DATA_DIR / "corpus").glob("clean_*.txt"))
    ]


def demo_articles(count: int, seed: int = 6) -> list[tuple[str, str, date]]:
    """(title, text, date) of ``count`` demo articles across every voice and genre (needs Django set up:
    the voices live in ``govsite.demo.build``)."""
    from govsite.demo import textgen
    from govsite.demo.build import VOICES

    voices = list(VOICES.values())
    genres = list(textgen.Genre)
    rng = random.Random(seed)  # noqa: S311 - reproducible sample text, not security
    start = datetime(2024, 1, 5, 9, 30)
    articles: list[tuple[str, str, date]] = []
    for i in range(count):
        when = start + timedelta(days=(i * 7) % 540, hours=i % 8)
        article = textgen.generate(rng, genres[i % len(genres)], voices[i % len(voices)], when)
        articles.append((article.title, article.title + "\n" + "\n".join(article.paragraphs), when.date()))
    return articles


@dataclass
class CleanScore:
    characters: int = 0
    findings: list[tuple[str, Finding]] = field(default_factory=list)

    @property
    def per_20k(self) -> float:
        return len(self.findings) * 20_000 / max(1, self.characters)


def score_clean(texts: Sequence[tuple[str, str, date]], extra: dict[str, Any] | None = None) -> CleanScore:
    """All engines over clean texts; OK-severity findings (compliant masked forms) are not problems."""
    score = CleanScore()
    scanners = all_engines()
    for name, text, on in texts:
        context = CheckContext(on=on, extra=extra if extra is not None else DEMO_EXTRA)
        score.characters += len(text)
        for engine in scanners:
            score.findings += [(name, f) for f in engine.scan(text, context) if f.severity != Severity.OK]
    return score


@dataclass(frozen=True)
class Misspelling:
    wrong: str
    right: str
    rule: str
    suggestion: str


def misspellings() -> list[Misspelling]:
    return [Misspelling(*row[:4]) for row in lexicon.iter_tsv("corpus/misspellings.tsv")]


@dataclass
class MisspellingScore:
    total: int = 0
    flagged: int = 0  # a finding with the expected rule and suggestion
    missed: list[Misspelling] = field(default_factory=list)
    false_positives: list[tuple[Misspelling, Finding]] = field(default_factory=list)  # on corrected text

    @property
    def recall(self) -> float:
        return self.flagged / max(1, self.total)


def score_misspellings(on: date = CORPUS_DATE) -> MisspellingScore:
    score = MisspellingScore()
    context = CheckContext(on=on, extra=DEMO_EXTRA)
    scanners = all_engines()
    for case in misspellings():
        score.total += 1
        found = [f for e in scanners for f in e.scan(case.wrong, context)]
        if any(f.rule == case.rule and f.suggestion == case.suggestion for f in found):
            score.flagged += 1
        else:
            score.missed.append(case)
        score.false_positives += [
            (case, f) for e in scanners for f in e.scan(case.right, context) if f.severity != Severity.OK
        ]
    return score

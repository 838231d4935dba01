"""Quality goals of issue 6 for the term engines (T1–T5, with personal data when registered): at most one
finding per 20,000 characters of clean official text, ≥ 95 % of the misspelling list flagged with the right
suggestion and no finding on the corrected sentences."""

from __future__ import annotations

from collections import Counter

import pytest

from govsite.checks import quality

MAX_PER_20K = 1.0
MIN_RECALL = 0.95


@pytest.fixture(scope="module")
def clean_corpus() -> list[tuple[str, str, quality.date]]:
    return [(name, text, quality.CORPUS_DATE) for name, text in quality.clean_texts()]


def test_hand_written_corpus_is_large_enough(clean_corpus: list) -> None:
    assert sum(len(text) for _, text, _ in clean_corpus) >= 60_000


def test_clean_corpus_raises_at_most_one_finding_per_20k(clean_corpus: list) -> None:
    score = quality.score_clean(clean_corpus)
    assert score.per_20k <= MAX_PER_20K, [(n, f.rule, f.matched) for n, f in score.findings]


def test_demo_articles_raise_at_most_one_finding_per_20k() -> None:
    articles = quality.demo_articles(300)
    score = quality.score_clean(articles)
    assert score.characters >= 90_000
    assert score.per_20k <= MAX_PER_20K, [(n, f.rule, f.matched) for n, f in score.findings]


def test_misspelling_list_recall_and_no_false_positives_on_corrections() -> None:
    score = quality.score_misspellings()
    assert score.total >= 100
    assert score.recall >= MIN_RECALL, [m.wrong for m in score.missed]
    assert score.false_positives == []


def test_misspelling_list_covers_t1_t2_t3() -> None:
    rules = Counter(m.rule for m in quality.misspellings())
    assert rules["T1"] >= 25
    assert rules["T2"] >= 60
    assert rules["T3"] >= 10

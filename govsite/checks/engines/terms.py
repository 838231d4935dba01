"""T1 protected terms (inspection-rules.md §3.3, §7 T1): near-misses of the country and party names,
state organs, fixed political expressions, the site's own institutions and its leaders' names with titles.

Every protected term is expanded once into its near-misses — one character replaced by a same-pinyin or
similar-shape character (for long terms also by any character of another protected term: 中共人民共和国,
中华人民大和国), one character missing or doubled inside a long term — and all of them go into one
Aho-Corasick automaton together with the correct terms, so a scan is a single pass. A near-miss that
overlaps a correct term, or that is itself a word (pypinyin's phrase list plus ``real_words.tsv``), is
dropped when the automaton is built.

Short terms are the precision risk: 政府 has near-misses that are ordinary text (政服 in 行政服务, 正府 at a
word boundary). So 政府 is protected inside compounds — 人民政府 varies freely, 市政府/县政府/… vary only
their 政 — and two slips that are never words (攻府, 正府) are listed explicitly. A leader's name is
protected next to the title (市长陈启明, 陈启明市长), never alone: a one-character variant of a name is
usually another person's name.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from govsite.checks import lexicon
from govsite.checks.engine import CheckContext, Finding, Severity, register

DELETE_MIN_LEN = 5  # a missing/doubled character is only unambiguous in long terms
FREE_SUBSTITUTION_MIN_LEN = 7  # from this length, any character of the term pool may be the slip
FUZZY_MIN_LEN = 6  # from this length (and in leaders' names), 模糊音 slips too: 复兴→复心
LEADER = "领导姓名职务"
SITE_CACHE_SIZE = 32
SITE_SOURCE = "本站配置"


@dataclass(frozen=True, slots=True)
class ProtectedTerm:
    """One term; ``vary`` is the half-open range of positions a near-miss may differ in."""

    text: str
    kind: str
    source: str
    vary: tuple[int, int]
    valid_from: date | None = None
    valid_to: date | None = None

    def active(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


@dataclass(frozen=True, slots=True)
class _Pattern:
    term: ProtectedTerm
    edit: str  # "" for the correct term, else 同音字 / 形近字 / 错字 / 缺字 / 多字 / 常见错写


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


SHIFTING_EDITS = frozenset({"缺字", "多字"})


def _edge_word(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    return (start > 0 and text[start - 1 : start + 1] in words) or (
        end < len(text) and text[end - 1 : end + 1] in words
    )


def near_misses(term: ProtectedTerm, pool: str) -> dict[str, str]:
    """Variant -> kind of edit, for one term (correct forms and real words are filtered later)."""
    text = term.text
    n = len(text)
    lo, hi = term.vary
    readings = lexicon.readings_of(text)
    variants: dict[str, str] = {}
    for i in range(lo, hi):
        ch = text[i]
        if not _is_hanzi(ch):
            continue
        reading = readings[i] if i < len(readings) else ""
        shapes = lexicon.similar_shapes(ch)
        candidates: list[tuple[str, str]] = [(c, "形近字") for c in shapes]
        candidates += [(c, "同音字") for c in lexicon.homophones(reading)]
        if n >= FUZZY_MIN_LEN or term.kind == LEADER:
            candidates += [
                (c, "近音字") for r in lexicon.fuzzy_readings(reading) for c in lexicon.homophones(r)
            ]
        # A site's own names are place names too (东林县/东山县): no free substitution there.
        if n >= FREE_SUBSTITUTION_MIN_LEN and 0 < i < n - 1 and term.source != SITE_SOURCE:
            candidates += [(c, "错字") for c in pool]
        for replacement, edit in candidates:
            if replacement != ch:
                variants.setdefault(text[:i] + replacement + text[i + 1 :], edit)
    if n >= DELETE_MIN_LEN and hi - lo >= 3:
        # A missing character only where the variant keeps the term's first two and last two
        # characters: without them it is a plain substring, or it lines up with a neighbouring word
        # (财政信息公开 holds 政信息公开, 政府信息公开 less 府).
        for i in range(max(lo, 2), min(hi, n - 2)):
            if _is_hanzi(text[i]):
                variants.setdefault(text[:i] + text[i + 1 :], "缺字")
        # A doubled character keeps both ends of the term: any inner position.
        for i in range(max(lo, 1), min(hi, n - 1)):
            if _is_hanzi(text[i]):
                variants.setdefault(text[: i + 1] + text[i:], "多字")
    return variants


class TermIndex:
    """The automaton over a set of protected terms and all their near-misses."""

    def __init__(
        self, terms: Sequence[ProtectedTerm], slips: Iterable[tuple[str, ProtectedTerm]] = ()
    ) -> None:
        correct = {t.text: t for t in terms}
        pool = "".join(sorted({ch for t in terms for ch in t.text if _is_hanzi(ch)}))
        words = lexicon.real_words()
        patterns: dict[str, _Pattern] = {text: _Pattern(term, "") for text, term in correct.items()}
        for term in terms:
            for variant, edit in near_misses(term, pool).items():
                if variant in patterns or variant in words or any(variant in c for c in correct):
                    continue
                patterns[variant] = _Pattern(term, edit)
        for wrong, term in slips:
            patterns.setdefault(wrong, _Pattern(term, "常见错写"))
        self.patterns: list[str] = list(patterns)
        self.meta: list[_Pattern] = [patterns[p] for p in self.patterns]
        self.matcher = lexicon.Matcher(self.patterns, longest=False)

    def __len__(self) -> int:
        return len(self.patterns)

    def find(self, text: str, on: date) -> list[tuple[int, int, _Pattern]]:
        """Near-miss hits (start, end, pattern) not overlapping a correct term, longest first on ties.

        Works in byte offsets (order and overlap are the same as in characters) and converts only the hits
        it reports: clean text, full of correct terms, never pays for the conversion."""
        data = text.encode()
        hits = self.matcher.find_bytes(data)
        good: list[tuple[int, int]] = []
        bad: list[tuple[int, int, _Pattern]] = []
        for index, start, end in hits:
            meta = self.meta[index]
            if not meta.term.active(on):
                continue
            if meta.edit:
                bad.append((start, end, meta))
            else:
                good.append((start, end))
        if not bad:
            return []
        kept: list[tuple[int, int, _Pattern]] = []
        for start, end, meta in sorted(bad, key=lambda h: (h[0], -(h[1] - h[0]))):
            # A correct term overlapping the near-miss wins, unless it lies inside it (中国特色社会主义 inside
            # …社会主义思相): then the near-miss is of the longer term.
            if any(s < end and start < e and not (start <= s and e <= end) for s, e in good):
                continue
            if kept and start < kept[-1][1]:
                continue  # a shorter or later near-miss inside one already reported
            kept.append((start, end, meta))
        spans = lexicon.char_spans(data, [(start, end) for start, end, _ in kept])
        return [(start, end, meta) for (start, end), (_, _, meta) in zip(spans, kept, strict=True)]


def _span(value: Sequence[int]) -> tuple[int, int]:
    start, end = value
    return int(start), int(end)


@cache
def national_terms() -> tuple[tuple[ProtectedTerm, ...], tuple[tuple[str, ProtectedTerm], ...]]:
    data = lexicon.load_json("protected_terms.json")
    terms = tuple(
        ProtectedTerm(
            text=row["term"],
            kind=row["kind"],
            source=row["source"],
            vary=_span(row.get("vary", (0, len(row["term"])))),
        )
        for row in data["terms"]
    )
    slips = tuple(
        (row["wrong"], ProtectedTerm(row["right"], "常见错写", row["source"], (0, len(row["right"]))))
        for row in data["known_slips"]
    )
    return terms, slips


def site_terms(rows: Iterable[Any]) -> list[ProtectedTerm]:
    """The deployment's own terms from ``CheckContext.extra["terms"]``: a string (an institution name), or
    a mapping ``{"term": …}`` / ``{"name": …, "title": …, "valid_from": …, "valid_to": …}`` (a leader;
    the name is protected next to each title in ``title``, which may list several split by 、)."""
    found: list[ProtectedTerm] = []
    for row in rows:
        if isinstance(row, str):
            found.append(ProtectedTerm(row, "本单位", SITE_SOURCE, (0, len(row))))
            continue
        valid_from = lexicon.parse_date(row.get("valid_from"))
        valid_to = lexicon.parse_date(row.get("valid_to"))
        source = SITE_SOURCE
        if "term" in row:
            text = row["term"]
            found.append(
                ProtectedTerm(text, row.get("kind", "本单位"), source, (0, len(text)), valid_from, valid_to)
            )
            continue
        name = row["name"]
        for title in str(row.get("title", "")).replace("，", "、").split("、"):
            title = title.strip()
            if not title:
                continue
            # 市长陈启明 … and 陈启明市长: only the name's characters may differ.
            found.append(
                ProtectedTerm(
                    title + name,
                    LEADER,
                    source,
                    (len(title), len(title) + len(name)),
                    valid_from,
                    valid_to,
                )
            )
            found.append(ProtectedTerm(name + title, LEADER, source, (0, len(name)), valid_from, valid_to))
    return found


def _site_key(rows: Any) -> tuple[str, ...]:
    return tuple(repr(sorted(r.items())) if isinstance(r, Mapping) else repr(r) for r in rows)


@register
class ProtectedTermsEngine:
    """T1: near-misses of protected terms are critical (严重表述错误)."""

    name = "terms"
    label = "规范表述"
    rules: tuple[str, ...] = ("T1",)

    def __init__(self) -> None:
        terms, slips = national_terms()
        self.national = TermIndex(terms, slips)
        self._national_terms = terms
        self._site_indexes: OrderedDict[tuple[str, ...], TermIndex] = OrderedDict()

    def _site_index(self, rows: Any) -> TermIndex | None:
        if not rows:
            return None
        key = _site_key(rows)
        index = self._site_indexes.get(key)
        if index is None:
            # The site's terms are indexed together with the national ones, so a site variant equal to a
            # national term (or overlapping one) is dropped like any other.
            index = TermIndex([*self._national_terms, *site_terms(rows)])
            self._site_indexes[key] = index
            if len(self._site_indexes) > SITE_CACHE_SIZE:
                self._site_indexes.popitem(last=False)
        else:
            self._site_indexes.move_to_end(key)
        return index

    def scan(self, text: str, context: CheckContext) -> list[Finding]:
        # A site index holds the national terms too, so one pass covers both.
        index = self._site_index(context.extra.get("terms")) or self.national
        return [self._finding(text, start, end, meta) for start, end, meta in index.find(text, context.on)]

    def _finding(self, text: str, start: int, end: int, meta: _Pattern) -> Finding:
        term = meta.term
        matched = text[start:end]
        return Finding(
            rule="T1",
            severity=Severity.CRITICAL,
            start=start,
            end=end,
            matched=matched,
            suggestion=term.text,
            message=f"“{matched}”疑为“{term.text}”的错写（{meta.edit}），{term.kind}属严重表述错误，请更正。",
            engine=self.name,
            detail={"term": term.text, "edit": meta.edit, "kind": term.kind, "source": term.source},
        )

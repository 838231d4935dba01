"""What every genre writes with: Chinese numerals and dates, invented names, template filling and
``Writer``, one article in progress (its random stream, voice, date and topic)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from govsite.demo.textgen.domains import DOMAINS, GENERIC_MEASURES
from govsite.demo.textgen.model import Article, Leader, PolicyTitle, Voice
from govsite.demo.textgen.phrases import DEPARTMENTS, DOC_TYPES, GIVEN, SURNAMES

CN_NUMERALS = "零一二三四五六七八九十"
T = TypeVar("T")


def cn_number(n: int) -> str:
    """Chinese numeral for section headings (一 … 九十九)."""
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens]) + "十" + (CN_NUMERALS[ones] if ones else "")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def stable_person(key: str) -> str:
    """A fixed fictional name for a role that recurs (a town's mayor), independent of the article's draw."""
    return person_name(random.Random(key))  # noqa: S311 - invented names, not security


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(rng: random.Random, template: str, **context: str) -> str:
    """Fill named slots from ``context``; {n} {m} {k} {p} {x} draw plausible numbers."""

    def number(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in context:
            return context[key]
        draws: dict[str, Callable[[], str]] = {
            "n": lambda: str(rng.randint(3, 60)),
            "m": lambda: str(rng.randint(120, 9800)),
            "k": lambda: str(rng.randint(2, 9)),
            "p": lambda: f"{rng.uniform(86, 99.6):.1f}",
            "x": lambda: f"{rng.uniform(1.2, 58.6):.1f}",
        }
        if key not in draws:
            raise KeyError(f"textgen template slot {{{key}}} has no value")
        return draws[key]()

    return _PLACEHOLDER.sub(number, template)


def numbered(sections: Sequence[tuple[str, str]]) -> list[str]:
    paragraphs: list[str] = []
    for i, (heading, body) in enumerate(sections, start=1):
        paragraphs += [f"{cn_number(i)}、{heading}", body]
    return paragraphs


class Writer:
    """One article being written: the random stream, who speaks and when."""

    def __init__(self, rng: random.Random, voice: Voice, when: datetime, topic: str | None = None) -> None:
        self.rng = rng
        self.voice = voice
        self.when = when
        self.domain = DOMAINS[voice.domain]
        self.topic = topic if topic is not None else rng.choice(self.domain.topics)

    # -- small helpers -------------------------------------------------------------------------------
    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(options), min(k, len(options)))

    def fill(self, template: str, **context: str) -> str:
        return fill(self.rng, template, **{"topic": self.topic, **context})

    def day_before(self, max_days: int) -> date:
        return self.when.date() - timedelta(days=self.rng.randint(0, max_days))

    def month_day(self, day: date) -> str:
        return f"{day.month}月{day.day}日"

    def head(self) -> Leader:
        return self.voice.leaders[0]

    def any_leader(self) -> Leader:
        return self.pick(self.voice.leaders)

    def place(self) -> str:
        return self.pick(self.voice.places)

    def area_word(self) -> str:
        return self.voice.area

    def attendees(self) -> str:
        """Who attended a government meeting besides the chair."""
        level = self.voice.level
        if level in ("镇", "乡"):
            return f"{level}领导班子成员，各村（社区）主要负责同志参加会议。"
        picked = self.sample(DEPARTMENTS, self.rng.randint(3, 5))
        names = [f"{level}{city if level == '市' else county}" for city, county in picked]
        return "、".join(names) + "等单位负责同志参加会议。"

    def phone(self) -> str:
        return self.voice.phone[:-3] + f"{self.rng.randint(100, 999)}"

    def measures(self, k: int) -> list[str]:
        own = self.sample(self.domain.measures, k)
        if self.rng.random() < 0.5:
            own[-1] = self.pick(GENERIC_MEASURES)
        return [self.fill(m) for m in own]

    def source(self, news: bool) -> str:
        # A news item may come from the paper or the media centre; a document always from its issuer.
        if news and self.voice.sources and self.rng.random() < 0.3:
            return self.pick(self.voice.sources)
        return self.voice.short

    def article(
        self,
        title: str,
        paragraphs: Sequence[str],
        *,
        news: bool = False,
        publisher: str = "",
        document_number: str = "",
        written: date | None = None,
    ) -> Article:
        return Article(
            title=title,
            paragraphs=tuple(paragraphs),
            source=self.source(news),
            publisher=publisher or self.voice.org,
            document_number=document_number,
            written=written,
        )

    def signature(self, signed: date) -> list[str]:
        return [self.voice.org, cn_date(signed)]

    def document_number(self) -> tuple[str, str]:
        """(issuer, 文号) numbered plausibly for the time of year."""
        issuer, prefix = self.pick(self.voice.doc_prefixes)
        serial = max(1, self.when.timetuple().tm_yday // 7 + self.rng.randint(-2, 3))
        return issuer, f"{prefix}〔{self.when.year}〕{serial}号"

    def council(self) -> str:
        k = (self.when.month - 1) * 2 + (1 if self.when.day <= 15 else 2)
        return self.voice.council.format(k=cn_number(k), year=self.when.year)

    def policy_title(self) -> PolicyTitle:
        """A policy document's name, e.g. 青山市推进……实施方案, with its short type and purpose."""
        year = self.when.year
        region = self.voice.region
        match self.rng.randrange(4):
            case 0:
                regulated = self.pick(self.domain.regulated)
                return PolicyTitle(f"{region}{regulated}管理办法", "办法", f"规范{regulated}管理")
            case 1:
                work = f"{year}年{self.topic}工作"
                return PolicyTitle(f"{region}{work}要点", "要点", f"做好{work}")
            case 2:
                subject = self.pick(self.domain.subjects)
                return PolicyTitle(f"{region}{subject}三年行动计划（{year}—{year + 2}年）", "计划", subject)
            case _:
                subject = self.pick(self.domain.subjects)
                doc_type = self.pick(DOC_TYPES[:4])
                return PolicyTitle(f"{region}{subject}{doc_type}", doc_type[-2:], subject)

"""The article plan (pure: no database): which column gets which generated article, when, with which
公开目录 metadata, deterministically for a seed and anchor date."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from govsite.content.models import ColumnClass
from govsite.demo import textgen
from govsite.demo.build.columns import COLUMNS, ColumnSpec
from govsite.demo.build.voices import VOICES
from govsite.demo.textgen import Genre

WINDOW_DAYS = 730  # articles are spread over the two years before the anchor date
C = ColumnClass


@dataclass(frozen=True)
class PlannedArticle:
    index: int
    column: ColumnSpec
    slug: str
    title: str
    source: str
    body: str
    publish_date: datetime
    # 公开目录 metadata (national-specs §5.1)
    publisher: str = ""
    topic_category: str = ""
    genre: str = ""
    document_number: str = ""
    written_date: date | None = None


def article_slug(index: int) -> str:
    # Identity of a demo article across runs: independent of the anchor date, so a later run on
    # another day recognises what an earlier run created.
    return f"art{index + 1:05d}"


def _publish_time(rng: random.Random, anchor: date, min_days: int, max_days: int) -> datetime:
    """A working-hours time ``min_days``..``max_days`` before the anchor, mostly on weekdays."""
    day = anchor - timedelta(days=rng.randint(min_days, max_days))
    if day.weekday() >= 5 and rng.random() < 0.9:
        # Government sites publish on working days; move to the Friday before (or Monday after, at the
        # window's far edge) but never out of the window.
        friday = day - timedelta(days=day.weekday() - 4)
        monday = day + timedelta(days=7 - day.weekday())
        if (anchor - friday).days <= WINDOW_DAYS:
            day = friday
        elif monday < anchor:
            day = monday
    moment = time(rng.randint(8, 17), rng.randint(0, 59))
    return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


# How old the first article of a column may be, so the demo passes the inspector's freshness checks
# (national-specs §1.3: 动态 2 weeks, 通知公告/政策文件 6 months).
FIRST_ARTICLE_MAX_AGE: dict[str, int] = {C.DYNAMIC: 7, C.NOTICE: 150, C.POLICY: 150}


def plan_articles(
    count: int, seed: int, anchor: date, columns: Sequence[ColumnSpec] = COLUMNS
) -> list[PlannedArticle]:
    """The articles of the demo, article ``i`` depending only on (seed, anchor, articles before it).

    The first article of every column is recent enough that no column looks stale or blank to the
    inspector (动态 within a week, 通知公告/政策 within five months); the rest are spread over two years.
    """
    weighted = [c for c in columns if c.weight > 0]
    weights = [c.weight for c in weighted]
    seen: set[tuple[str, str, str]] = set()
    planned: list[PlannedArticle] = []
    for index in range(count):
        rng = random.Random(f"govsite-demo:{seed}:{index}")  # noqa: S311 - demo content, not security
        if index < len(columns):
            column = columns[index]
            newest = FIRST_ARTICLE_MAX_AGE.get(column.column_class, WINDOW_DAYS)
        else:
            column = rng.choices(weighted, weights)[0]
            newest = WINDOW_DAYS
        for _attempt in range(8):
            # Redraw (date included: monthly reports are titled by their month) when the column
            # already has this title, so column lists look like a real site's.
            when = _publish_time(rng, anchor, 1, newest)
            voice = VOICES[rng.choice(column.voices)]
            genre = rng.choice(column.genres)
            article = textgen.generate(rng, genre, voice, when)
            key = (column.site, column.slug, article.title)
            if key not in seen:
                break
        seen.add(key)
        planned.append(
            PlannedArticle(
                index,
                column,
                article_slug(index),
                article.title,
                article.source,
                article.html(),
                when,
                publisher=article.publisher,
                topic_category=TOPIC_OF_DOMAIN[voice.domain],
                genre=document_genre(Genre(genre), article.title),
                document_number=article.document_number,
                written_date=article.written,
            )
        )
    return planned


# 主题分类 (national-specs §5.3) of a voice's field of work.
TOPIC_OF_DOMAIN: dict[str, str] = {
    "government": "综合政务",
    "township": "综合政务",
    "education": "科技、教育",
    "health": "卫生、体育",
    "environment": "城乡建设、环境保护",
    "development": "国民经济管理、国有资产监管",
    "finance": "财政、金融、审计",
    "emergency": "市场监管、安全生产监管",
}


def document_genre(genre: Genre, title: str) -> str:
    """The 体裁 (one of ``GENRES``) of a generated article, from its kind and, for 公文, its title."""
    if genre in (Genre.NEWS, Genre.CAMPAIGN):
        return "工作动态"
    if genre == Genre.INTERPRETATION:
        return "解读"
    if genre == Genre.ENV_QUALITY:
        return "公报"
    if genre == Genre.PLAN:
        return "规划" if "规划" in title else "计划"
    if genre == Genre.REPORT:
        return "报告" if title.endswith("报告") else "总结"
    for suffix in ("公告", "意见", "通知"):
        if title.endswith(suffix):
            return suffix
    return "工作动态" if genre == Genre.EMERGENCY else "其他"

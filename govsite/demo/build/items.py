"""The portal's other named items: 办事指南, 通知公告 with a deadline and the 专题's own articles, loaded
with the 政策文件 and 解读 by ``ensure_lifecycle_items``."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from wagtail.models import Page

from govsite.accounts.models import User
from govsite.content.models import (
    ArticlePage,
    ColumnPage,
    DisclosureCatalogPage,
    InterpretationPage,
    NoticePage,
    PolicyDocumentPage,
    ServiceGuidePage,
    TopicPage,
)
from govsite.demo import textgen
from govsite.demo.build.lifecycle import (
    GUIDE_AGES,
    IMPORTANT_ITEMS,
    NOTICES,
    ONLINE_SERVICE_URL,
    TOPIC_ARTICLE_AGES,
    TOPIC_TITLE,
)
from govsite.demo.build.pages import add_items, item_rng, mark_live, missing_slugs, on_working_day
from govsite.demo.build.plan import TOPIC_OF_DOMAIN, document_genre
from govsite.demo.build.policies import ensure_interpretations, ensure_policies
from govsite.demo.build.voices import VOICES
from govsite.demo.textgen import Genre
from govsite.sites.models import GovSite

LIFECYCLE_MODELS: tuple[type[Page], ...] = (
    PolicyDocumentPage,
    InterpretationPage,
    ServiceGuidePage,
    NoticePage,
    TopicPage,
    DisclosureCatalogPage,
)


def _ensure_guides(anchor: date, column: ColumnPage, owner: User, items: dict[str, int]) -> None:
    slugs = [f"bszn{i:02d}" for i in range(1, len(textgen.SERVICE_GUIDES) + 1)]
    missing = missing_slugs(column, slugs)
    topics = {voice.org: TOPIC_OF_DOMAIN[voice.domain] for voice in VOICES.values()}
    shorts = {voice.org: voice.short for voice in VOICES.values()}
    pages: list[ServiceGuidePage] = []
    for slug, guide, age in zip(slugs, textgen.SERVICE_GUIDES, GUIDE_AGES, strict=True):
        if slug not in missing:
            continue
        page = ServiceGuidePage(
            title=f"{guide.item_name}办事指南",
            slug=slug,
            item_name=guide.item_name,
            legal_basis=guide.legal_basis,
            conditions=guide.conditions,
            materials=guide.materials,
            process=guide.process,
            time_limit=guide.time_limit,
            fees=guide.fees,
            location=guide.location,
            consult_phone=guide.consult_phone,
            complaint_phone=guide.complaint_phone,
            online_url=f"{ONLINE_SERVICE_URL}bs/{guide.online_path}",
            body=f"<p>{escape(guide.notes)}</p>",
            source=shorts[guide.publisher],
            publisher=guide.publisher,
            topic_category=topics[guide.publisher],
            genre="其他",
            keywords=guide.item_name,
        )
        pages.append(mark_live(page, on_working_day(anchor, age, 9, 30), owner))
    add_items(column, pages, ServiceGuidePage, "guides", items)


def _ensure_notices(seed: int, anchor: date, column: ColumnPage, owner: User, items: dict[str, int]) -> None:
    missing = missing_slugs(column, [slug for slug, *_ in NOTICES])
    voice = VOICES["city_office"]
    topics = {textgen.NoticeKind.RECRUITMENT: "劳动、人事、监察"}
    pages: list[NoticePage] = []
    for slug, kind, age, open_days in NOTICES:
        if slug not in missing:
            continue
        when = on_working_day(anchor, age, 15)
        deadline = when.date() + timedelta(days=open_days)
        article = textgen.notice_with_deadline(item_rng(seed, slug), voice, when, kind, deadline)
        page = NoticePage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=article.publisher,
            written_date=article.written,
            topic_category=topics.get(kind, TOPIC_OF_DOMAIN[voice.domain]),
            genre=document_genre(Genre.NOTICE, article.title),
            deadline=deadline,
            is_important_policy=slug in IMPORTANT_ITEMS,
        )
        pages.append(mark_live(page, when, owner))
    add_items(column, pages, NoticePage, "notices", items)


def _ensure_topic_articles(
    seed: int, anchor: date, column: ColumnPage, owner: User, created: dict[str, int]
) -> None:
    slugs = [f"yh{i:02d}" for i in range(1, len(TOPIC_ARTICLE_AGES) + 1)]
    missing = missing_slugs(column, slugs)
    voice = VOICES["city"]
    pages: list[ArticlePage] = []
    titles: set[str] = set()
    for slug, age in zip(slugs, TOPIC_ARTICLE_AGES, strict=True):
        when = on_working_day(anchor, age, 16)
        for attempt in range(8):  # a column does not repeat a title
            article = textgen.generate(
                item_rng(seed, f"{slug}:{attempt}"), Genre.NEWS, voice, when, topic=TOPIC_TITLE
            )
            if article.title not in titles:
                break
        titles.add(article.title)
        if slug not in missing:
            continue
        page = ArticlePage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=article.publisher,
            topic_category=TOPIC_OF_DOMAIN[voice.domain],
            genre="工作动态",
        )
        pages.append(mark_live(page, when, owner))
    counts = {"articles": 0}
    add_items(column, pages, ArticlePage, "articles", counts)
    created["articles"] += counts["articles"]


def ensure_lifecycle_items(
    seed: int,
    anchor: date,
    columns: dict[tuple[str, str], ColumnPage],
    topic_columns: dict[str, ColumnPage],
    sites: dict[str, GovSite],
    accounts: dict[str, User],
    dry_run: bool,
    created: dict[str, int],
    items: dict[str, int],
) -> None:
    """The portal's named 政策文件 (with their 解读), 办事指南, 通知公告 and the 专题's articles."""
    editor = accounts["editor"]
    policies = ensure_policies(seed, anchor, columns[("portal", "zcwj")], editor, items)
    ensure_interpretations(
        seed, anchor, columns[("portal", "zcjd")], policies, sites["portal"], editor, dry_run, items
    )
    _ensure_guides(anchor, columns[("portal", "bsfw")], editor, items)
    _ensure_notices(seed, anchor, columns[("portal", "tzgg")], editor, items)
    _ensure_topic_articles(seed, anchor, topic_columns["gzdt"], editor, created)

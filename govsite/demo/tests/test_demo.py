"""The demo 站群: exact structure, deterministic content, idempotent re-runs and working logins."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from govsite.accounts.models import Role, Unit, User
from govsite.audit.log import verify_chain
from govsite.audit.models import AuditEvent
from govsite.content.library import overdue_reposts
from govsite.content.models import (
    GENRES,
    TOPIC_CATEGORIES,
    ArticlePage,
    ColumnClass,
    ColumnPage,
    DisclosureCatalogPage,
    IndexNumberAllocation,
    InterpretationPage,
    LibraryItemPage,
    NoticePage,
    Placement,
    PolicyDocumentPage,
    PushRequest,
    ServiceGuidePage,
    TopicPage,
    Validity,
)
from govsite.content.permissions import unit_editor_group
from govsite.demo import textgen
from govsite.demo.build import (
    ACCOUNTS,
    COLUMNS,
    DEMO_PASSWORD,
    ITEM_LABELS,
    VOICES,
    WINDOW_DAYS,
    DemoResult,
    build_demo,
    plan_articles,
)
from govsite.sites.models import GovSite

ANCHOR = date(2026, 3, 2)
SEED = 7
ARTICLES = 60  # more than the 42 columns, so every column gets one and some get more
TOPIC_ARTICLES = 3  # the 专题's own column, besides the planned articles
COLUMN_COUNT = 44  # 42 with planned articles, 办事服务 and the 专题's column
ITEMS = {
    "policies": 8,
    "interpretations": 4,
    "guides": 4,
    "notices": 3,
    "topics": 1,
    "catalogs": 6,
    "pushes": 4,
    "shared": 2,
}
ALLOWED_ASCII_WORDS: set[str] = set()  # the demo text is all Chinese: not even "PM2.5" or "GDP"
TAG_RE = re.compile(r"<[^>]+>")
COMMAND_ARGS = ("--seed", str(SEED), "--anchor", ANCHOR.isoformat())

Snapshot = list[tuple[str, str, str, datetime, str]]


def _window() -> tuple[datetime, datetime]:
    end = datetime.combine(ANCHOR, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    return end - timedelta(days=WINDOW_DAYS), end


def _build(**options: Any) -> DemoResult:
    return build_demo(**{"articles": ARTICLES, "seed": SEED, "anchor": ANCHOR, **options})


def _snapshot() -> Snapshot:
    fields = ("url_path", "title", "source", "publish_date", "body")
    return list(ArticlePage.objects.filter(slug__startswith="art").order_by("slug").values_list(*fields))


def _items_snapshot() -> list[tuple[Any, ...]]:
    """Every library item with its 公开目录 metadata, and the demo's pictures."""
    fields = (
        "url_path",
        "title",
        "source",
        "publish_date",
        "body",
        "publisher",
        "written_date",
        "document_number",
        "topic_category",
        "genre",
        "keywords",
    )
    items = list(LibraryItemPage.objects.order_by("url_path").values_list(*fields))
    image_fields = ("title", "description", "width", "height", "file_hash")
    images = list(get_image_model().objects.order_by("title").values_list(*image_fields))
    return [*items, *images]


def _counts() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        User.objects.count(),
        Unit.objects.count(),
        GovSite.objects.count(),
        AuditEvent.objects.count(),
    )


# -- text generator (no database) ----------------------------------------------------------------------


def test_textgen_is_deterministic_and_chinese_for_every_genre_and_voice() -> None:
    when = datetime(2025, 6, 18, 10, 30, tzinfo=timezone.get_default_timezone())
    for genre in textgen.Genre:
        for key, voice in VOICES.items():
            for sample in range(3):
                seed = f"{genre}:{key}:{sample}"
                first = textgen.generate(random.Random(seed), genre, voice, when)
                assert first == textgen.generate(random.Random(seed), genre, voice, when)
                text = first.title + TAG_RE.sub("", first.html())
                assert set(re.findall(r"[A-Za-z]+", text)) <= ALLOWED_ASCII_WORDS, (genre, key, text)
                assert not re.search(r"[{}]", text), text
                assert re.search(r"[\u4e00-\u9fff]", first.title)
                assert 0 < len(first.title) <= 120
                assert len(first.paragraphs) >= 2
                assert first.source


def test_textgen_named_items_are_deterministic_and_chinese() -> None:
    when = datetime(2025, 6, 18, 10, 30, tzinfo=timezone.get_default_timezone())
    voice = VOICES["city_office"]
    document = textgen.PolicyTitle("青山市政府投资项目管理办法", "办法", "规范政府投资项目管理")
    closes = date(2025, 7, 1)

    def notice(kind: textgen.NoticeKind) -> Callable[[random.Random], textgen.Article]:
        return lambda rng: textgen.notice_with_deadline(rng, voice, when, kind, closes)

    writers: dict[str, Callable[[random.Random], textgen.Article]] = {
        "policy": lambda rng: textgen.policy_document(
            rng,
            voice,
            when,
            issuer=voice.org,
            number="青政办规〔2025〕5号",
            document=document,
            signed=date(2025, 6, 16),
            replaces="《青山市政府投资项目管理办法》（青政办规〔2024〕3号）",
        ),
        "text": lambda rng: textgen.interpretation_text(rng, voice, when, document=document.name),
        "graphic": lambda rng: textgen.graphic_summary(
            rng, voice, when, document=document.name, topic="重点项目建设"
        ),
        **{kind.value: notice(kind) for kind in textgen.NoticeKind},
    }
    for name, write in writers.items():
        first = write(random.Random(name))
        assert first == write(random.Random(name))
        text = first.title + TAG_RE.sub("", first.html())
        assert set(re.findall(r"[A-Za-z]+", text)) <= ALLOWED_ASCII_WORDS, (name, text)
        assert not re.search(r"[{}]", text), text
        assert first.publisher == voice.org
    policy = writers["policy"](random.Random("policy"))
    assert policy.title == "青山市人民政府办公室关于印发《青山市政府投资项目管理办法》的通知"
    assert (policy.document_number, policy.written) == ("青政办规〔2025〕5号", date(2025, 6, 16))
    assert policy.paragraphs[-1] == "《青山市政府投资项目管理办法》（青政办规〔2024〕3号）同时废止。"
    assert "2025年7月1日" in writers["recruitment"](random.Random("r")).html()
    for guide in textgen.SERVICE_GUIDES:
        values = [v for k, v in vars(guide).items() if k != "online_path"]
        assert all(values), guide
        assert set(re.findall(r"[A-Za-z]+", "".join(values))) <= ALLOWED_ASCII_WORDS, guide


def test_textgen_escapes_paragraphs_as_html() -> None:
    article = textgen.Article(title="标题", paragraphs=("甲<乙", "丙&丁"), source="市政府")
    assert article.html() == "<p>甲&lt;乙</p><p>丙&amp;丁</p>"


def test_cn_number() -> None:
    assert [textgen.cn_number(n) for n in (1, 10, 11, 20, 24)] == ["一", "十", "十一", "二十", "二十四"]


# -- article plan (no database) ------------------------------------------------------------------------


def test_plan_is_deterministic_prefix_stable_and_seed_dependent() -> None:
    plan = plan_articles(120, SEED, ANCHOR)
    assert plan == plan_articles(120, SEED, ANCHOR)
    assert plan[:ARTICLES] == plan_articles(ARTICLES, SEED, ANCHOR)
    assert [p.title for p in plan] != [p.title for p in plan_articles(120, SEED + 1, ANCHOR)]
    assert [p.slug for p in plan] == [f"art{i:05d}" for i in range(1, 121)]


def test_plan_dates_lie_in_the_two_years_before_the_anchor_and_columns_are_fresh() -> None:
    start, end = _window()
    plan = plan_articles(300, SEED, ANCHOR)
    assert all(start <= p.publish_date < end for p in plan)
    firsts = plan[: len(COLUMNS)]
    assert [(p.column.site, p.column.slug) for p in firsts] == [(c.site, c.slug) for c in COLUMNS]
    for item in firsts:
        age = (end - item.publish_date).days
        if item.column.column_class == ColumnClass.DYNAMIC:
            assert age <= 7, item
        elif item.column.column_class in (ColumnClass.NOTICE, ColumnClass.POLICY):
            assert age <= 150, item
    titles = [(p.column.site, p.column.slug, p.title) for p in plan]
    assert len(titles) == len(set(titles))


# -- building ------------------------------------------------------------------------------------------

EXPECTED_SITES = {
    "portal": (GovSite.Kind.PORTAL, None, "www.qingshan.gov.cn"),
    "donglin": (GovSite.Kind.COUNTY, "portal", "www.donglin.gov.cn"),
    "xixi": (GovSite.Kind.COUNTY, "portal", "www.xixi.gov.cn"),
    "jyj": (GovSite.Kind.DEPARTMENT, "portal", "jyj.qingshan.gov.cn"),
    "wsjkw": (GovSite.Kind.DEPARTMENT, "portal", "wsjkw.qingshan.gov.cn"),
    "sthjj": (GovSite.Kind.DEPARTMENT, "portal", "sthjj.qingshan.gov.cn"),
}


def _assert_sites(result: DemoResult) -> None:
    sites = {s.code: s for s in GovSite.objects.select_related("parent", "wagtail_site")}
    shape = {
        code: (s.kind, s.parent.code if s.parent else None, s.primary_domain) for code, s in sites.items()
    }
    assert shape == EXPECTED_SITES
    portal = sites["portal"]
    assert re.fullmatch(r"\d{10}", portal.site_id_code)
    assert re.fullmatch(r"闽ICP备\d{8}号", portal.icp_number)
    assert re.fullmatch(r"闽公网安备\d{14}号", portal.police_number)
    assert (portal.phone, portal.postcode, portal.sponsor, portal.organizer) == (
        "0590-8823001",
        "359000",
        "青山市人民政府办公室",
        "青山市信息中心",
    )
    assert Site.objects.get(is_default_site=True) == portal.wagtail_site
    assert [(s.code, s.url, s.is_default) for s in result.sites[:2]] == [
        ("portal", "http://127.0.0.1:8000/s/portal/", True),
        ("donglin", "http://127.0.0.1:8000/s/donglin/", False),
    ]
    units = {u.name: u for u in Unit.objects.select_related("parent")}
    assert len(units) == 20
    assert units["青山市人民政府"].parent is None
    assert units["青山市信息中心"].parent == units["青山市人民政府办公室"]
    assert units["东林县城关镇人民政府"].parent == units["东林县人民政府"]


def _assert_columns() -> None:
    sites = list(GovSite.objects.select_related("wagtail_site__root_page"))
    columns = list(ColumnPage.objects.select_related("responsible_unit").prefetch_related("info_officers"))
    assert len(columns) == COLUMN_COUNT
    for column in columns:
        site = next(s for s in sites if column.path.startswith(s.root_page.path))
        assert column.responsible_unit is not None
        officers = list(column.info_officers.all())
        assert len(officers) == 1, column
        assert officers[0].unit_id == column.responsible_unit_id, column
        assert officers[0].groups.filter(pk=unit_editor_group(column.responsible_unit).pk).exists(), column
        assert column.permissions_for_user(officers[0]).can_add_subpage(), column
        assert site.root_page.permissions_for_user(officers[0]).can_add_subpage() is False
        assert column.live
        assert column.show_in_menus
        assert column.numchild == LibraryItemPage.objects.child_of(column).count() > 0
    classes = {(c.get_parent().slug, c.title): c.column_class for c in columns}
    assert classes[("portal", "政务要闻")] == ColumnClass.DYNAMIC
    assert classes[("portal", "通知公告")] == ColumnClass.NOTICE
    assert classes[("jyj", "政策文件")] == ColumnClass.POLICY
    assert classes[("sthjj", "机构职能")] == ColumnClass.OTHER
    assert classes[("portal", "专题专栏")] == ColumnClass.EVENT


def _assert_articles() -> None:
    start, end = _window()
    articles = list(ArticlePage.objects.all())
    assert len(articles) == ARTICLES + TOPIC_ARTICLES
    for article in articles:
        assert article.live
        assert not article.has_unpublished_changes
        assert start <= article.publish_date < end
        assert article.first_published_at == article.last_published_at == article.publish_date
        assert article.source
        assert article.body.startswith("<p>")
        # 公开目录 metadata (national-specs §5.3) comes with every article.
        assert article.publisher in {v.org for v in VOICES.values()}, article
        assert article.topic_category in TOPIC_CATEGORIES, article
        assert article.genre in GENRES, article
        if article.document_number:
            assert re.fullmatch(r"\w+〔\d{4}〕\d+号", article.document_number), article
            assert article.written_date is not None
            assert article.written_date <= timezone.localdate(article.publish_date)
    assert all(problems == [] for problems in Page.find_problems())
    oldest = min(articles, key=lambda a: a.publish_date)
    assert list(ArticlePage.objects.search(oldest.title)[:1]) == [oldest]


@pytest.mark.django_db
def test_build_creates_the_site_group_exactly_and_its_logins_work() -> None:
    result = _build()

    assert result.created == {
        "units": 20,
        "sites": 6,
        "accounts": 16,
        "columns": COLUMN_COUNT,
        "articles": ARTICLES + TOPIC_ARTICLES,
    }
    assert result.created_items == ITEMS
    assert list(ITEMS) == list(ITEM_LABELS)
    _assert_sites(result)
    _assert_columns()
    _assert_articles()
    # One summary row for the pages, next to the rows the actions wrote.
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    assert AuditEvent.objects.filter(action="sites.create_site").count() == 6
    assert AuditEvent.objects.filter(action="accounts.create_account").count() == 16
    assert verify_chain().ok

    assert [login.username for login in result.logins] == [a.username for a in ACCOUNTS]
    assert {login.password for login in result.logins} == {DEMO_PASSWORD}
    editor = authenticate(username="editor", password=DEMO_PASSWORD)
    assert isinstance(editor, User)
    assert list(editor.groups.all()) == [unit_editor_group(editor.unit)]
    assert authenticate(username="editor", password="Wrong#2026") is None
    roles = {
        u.username: set(Role.objects.filter(group__user=u).values_list("kind", flat=True))
        for u in User.objects.all()
    }
    assert roles["sysadmin"] == {Role.Kind.SYSTEM_ADMIN}
    assert roles["secadmin"] == {Role.Kind.SECURITY_ADMIN}
    assert roles["auditadmin"] == {Role.Kind.AUDIT_ADMIN}
    assert roles["siteadmin"] == {Role.Kind.SITE_ADMIN}
    assert roles["reviewer"] == {Role.Kind.REVIEWER}
    assert roles["jyj_editor"] == {Role.Kind.EDITOR}


@pytest.mark.django_db
def test_reruns_add_only_missing_articles_and_then_change_nothing() -> None:
    _build(articles=45)
    smaller = _snapshot()

    grown = _build()
    assert grown.created == {"units": 0, "sites": 0, "accounts": 0, "columns": 0, "articles": ARTICLES - 45}
    assert grown.created_items == dict.fromkeys(ITEMS, 0)
    assert set(smaller) < set(_snapshot())
    counts, snapshot, items = _counts(), _snapshot(), _items_snapshot()

    again = _build()
    assert again.created == dict.fromkeys(grown.created, 0)
    assert again.created_items == dict.fromkeys(ITEMS, 0)
    assert not again.created_anything
    assert _counts() == counts  # no audit row either: nothing happened
    assert _snapshot() == snapshot
    assert _items_snapshot() == items
    assert again.logins == grown.logins
    assert AuditEvent.objects.filter(action="demo.load").count() == 2
    assert verify_chain().ok


@pytest.mark.django_db
def test_two_fresh_builds_with_the_same_seed_are_identical() -> None:
    with transaction.atomic():
        _build()
        first, first_items = _snapshot(), _items_snapshot()
        transaction.set_rollback(True)  # back to an empty database for the second build
    assert not GovSite.objects.exists()

    _build()
    assert _snapshot() == first
    assert _items_snapshot() == first_items
    planned = sorted((p.title, p.publish_date) for p in plan_articles(ARTICLES, SEED, ANCHOR))
    assert sorted((row[1], row[3]) for row in first) == planned


@pytest.mark.django_db
def test_command_prints_sites_and_logins_and_is_idempotent() -> None:
    out = StringIO()
    call_command("demo", "--articles", "45", *COMMAND_ARGS, stdout=out)
    text = out.getvalue()
    assert "演示站群已生成" in text
    assert (
        "新建 单位 20、网站 6、账号 16、栏目 44、文章 48、政策文件 8、政策解读 4、办事指南 4、通知公告 3、"
        "专题 1、公开目录 6、信息推送 4、跨站引用 2。"
    ) in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "http://127.0.0.1:8000/s/jyj/" in text
    assert re.search(r"青山市人民政府（默认站点）.*http://127\.0\.0\.1:8000/ ", text)
    assert re.search(rf"editor +│ 黄雅琴 │ 信息员 +│ 青山市人民政府 +│ {DEMO_PASSWORD} │", text)

    again = StringIO()
    call_command("demo", "--articles", "45", *COMMAND_ARGS, stdout=again)
    assert "演示站群已存在，本次未做任何修改。" in again.getvalue()
    assert DEMO_PASSWORD in again.getvalue()
    assert ArticlePage.objects.count() == 45 + TOPIC_ARTICLES


@pytest.mark.django_db
def test_command_dry_run_writes_nothing() -> None:
    out = StringIO()
    call_command("demo", "--articles", "45", "--dry-run", *COMMAND_ARGS, stdout=out)
    assert "演练模式，未写入数据库。将创建：单位 20、网站 6、账号 16、栏目 44、文章 48" in out.getvalue()
    assert _counts() == (1, 0, 0, 0, 0)  # only Wagtail's tree root


@pytest.mark.django_db
def test_command_rejects_a_bad_anchor_without_writing() -> None:
    with pytest.raises(CommandError, match="--anchor 应为日期，如 2026-03-01，收到：2026-13-40"):
        call_command("demo", "--anchor", "2026-13-40", stdout=StringIO())
    assert not GovSite.objects.exists()


# -- the policy lifecycle ----------------------------------------------------------------------------------


CITY, OFFICE = "青山市人民政府", "青山市人民政府办公室"


@pytest.mark.django_db
def test_the_demo_shows_every_state_of_the_policy_lifecycle() -> None:
    _build()
    docs = {d.slug: d for d in PolicyDocumentPage.objects.select_related("successor")}
    assert len(docs) == ITEMS["policies"]
    for doc in docs.values():
        assert doc.live
        assert doc.written_date <= timezone.localdate(doc.publish_date), doc
        number = re.fullmatch(r"青\w+〔(\d{4})〕\d+号", doc.document_number)
        assert number is not None, doc
        assert int(number.group(1)) == doc.written_date.year, doc
        assert doc.topic_category in TOPIC_CATEGORIES, doc
        assert (doc.genre, bool(doc.publisher)) == ("通知", True), doc
        doc.full_clean()  # every state is consistent: dated, revised ones name their successor

    # One document with a 文字 and a 图解 解读, the 图解 with a picture and its alt text.
    [pair] = PolicyDocumentPage.objects.annotate(n=Count("interpretations")).filter(n=2)
    forms = {i.form: i for i in InterpretationPage.objects.filter(policy=pair).select_related("image")}
    assert set(forms) == {InterpretationPage.Form.TEXT, InterpretationPage.Form.GRAPHIC}
    graphic = forms[InterpretationPage.Form.GRAPHIC]
    assert graphic.title == "一图读懂《青山市优化营商环境十条措施》"
    assert graphic.image.description.startswith("图解：《青山市优化营商环境十条措施》")
    assert (graphic.image.width, graphic.image.height) == (640, 900)
    assert graphic.body.startswith("<p>本图解以图表形式介绍")

    states = {doc.validity: doc for doc in docs.values() if doc.validity != Validity.VALID}
    assert {v: (d.title, d.validity_changed_on) for v, d in states.items()} == {
        Validity.REVISED: (f"{OFFICE}关于印发《青山市公共资源交易管理办法》的通知", date(2025, 11, 30)),
        Validity.REPEALED: (f"{CITY}关于印发《青山市城市户外广告设置管理暂行办法》的通知", date(2026, 1, 21)),
        Validity.EXPIRED: (f"{OFFICE}关于印发《青山市2025年为民办实事项目实施方案》的通知", date(2026, 1, 1)),
    }
    successor = states[Validity.REVISED].successor
    assert (successor.validity, successor.effective_from) == (Validity.VALID, date(2025, 11, 30))
    assert successor.body.endswith("<p>《青山市公共资源交易管理办法》（青政办规〔2024〕3号）同时废止。</p>")

    guides = list(ServiceGuidePage.objects.all())
    assert len(guides) == ITEMS["guides"]
    assert [g.missing_elements() for g in guides] == [[]] * len(guides)
    deadlines = sorted((n.deadline > ANCHOR) for n in NoticePage.objects.filter(alias_of__isnull=True))
    assert deadlines == [False, False, True]  # two closed, one still open on the anchor date

    [topic] = TopicPage.objects.all()
    assert (topic.title, topic.banner.title) == ("优化营商环境", "优化营商环境专题题图")
    assert ArticlePage.objects.descendant_of(topic).count() == TOPIC_ARTICLES
    catalogs = DisclosureCatalogPage.objects.all()
    assert sorted(c.get_parent().slug for c in catalogs) == sorted(EXPECTED_SITES)
    assert {(c.title, c.live, c.show_in_menus) for c in catalogs} == {("政府信息公开目录", True, True)}


@pytest.mark.django_db
def test_the_demo_pages_render_for_a_citizen() -> None:
    _build()
    client = Client()
    repealed = PolicyDocumentPage.objects.get(validity=Validity.REPEALED)
    html = client.get(f"/s/portal/zcwj/{repealed.slug}/").content.decode()
    assert "本文件已于 2026-01-21 废止" in html
    pair = PolicyDocumentPage.objects.annotate(n=Count("interpretations")).get(n=2)
    html = client.get(f"/s/portal/zcwj/{pair.slug}/").content.decode()
    assert '<span class="tag">文字解读</span>' in html
    assert '<span class="tag">图解</span>' in html
    for site in GovSite.objects.all():
        response = client.get(f"/s/{site.code}/gkml/?year=2025")
        assert response.status_code == 200
        assert '<h3 id="facet-topic_category">主题分类</h3>' in response.content.decode()
    home = client.get("/s/portal/").content.decode()
    assert "<h2>专题专栏</h2>" in home


@pytest.mark.django_db
def test_the_demo_uses_the_library_numbers_placements_pushes_and_reposts() -> None:
    """Issue 4 "done means": every item numbered and placed, some items on several sites, a push
    accepted, one declined, two pending and flagged by the 12-hour 转载提醒 (seed 004)."""
    _build()
    originals = LibraryItemPage.objects.filter(live=True, alias_of__isnull=True)
    assert originals.count() == ARTICLES + TOPIC_ARTICLES + 8 + 4 + 4 + 3
    assert not originals.filter(index_number="").exists()
    owners = Placement.objects.filter(kind=Placement.Kind.OWNER)
    assert set(owners.values_list("page_id", flat=True)) == set(originals.values_list("pk", flat=True))
    # 索引号 unique per site and serial by 发布日期 within a site and year (national-specs §5.2).
    numbers = list(IndexNumberAllocation.objects.values_list("site_id", "index_number"))
    assert len(numbers) == len(set(numbers)) == originals.count()
    portal = GovSite.objects.get(code="portal")
    first = originals.filter(placements__site=portal).order_by("publish_date", "pk").first()
    assert first is not None
    assert first.index_number.endswith("-00001")

    xixi = GovSite.objects.get(code="xixi")
    statuses = {
        (push.item.slug, push.to_site.code): push.status
        for push in PushRequest.objects.select_related("item", "to_site")
    }
    assert statuses == {
        ("zc01", "donglin"): PushRequest.Status.ACCEPTED,
        ("tz01", "donglin"): PushRequest.Status.DECLINED,
        ("zc01", "xixi"): PushRequest.Status.PENDING,
        ("tz01", "xixi"): PushRequest.Status.PENDING,
    }
    shared = Placement.objects.exclude(kind=Placement.Kind.OWNER).select_related("site", "page")
    assert sorted((p.kind, p.site.code, p.page.slug) for p in shared) == [
        (Placement.Kind.PUSH, "donglin", "zc01"),
        (Placement.Kind.REPOST, "donglin", "tz02"),
    ]
    measures = PolicyDocumentPage.objects.get(slug="zc01", alias_of__isnull=True)
    alias = Page.objects.get(alias_of=measures)
    assert alias.specific.index_number == measures.index_number  # a reference, not a copy
    assert Client().get(f"/s/donglin/zcwj/{alias.slug}/").status_code == 200
    # 西溪 has not carried the call for comments (5 days old on the anchor): flagged.
    now = datetime.combine(ANCHOR, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    flagged = {(row.item.slug, row.site.id) for row in overdue_reposts(now)}
    assert ("tz01", xixi.pk) in flagged
    assert ("zc01", xixi.pk) not in flagged  # 75 days old: past the reminder window, a report matter
    for action in ("content.push_item", "content.accept_push", "content.decline_push", "content.repost_item"):
        assert AuditEvent.objects.filter(action=action).exists(), action
    assert verify_chain().ok

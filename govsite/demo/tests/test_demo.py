"""The demo 站群: exact structure, deterministic content, idempotent re-runs and working logins."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from govsite.accounts.models import Role, Unit, User
from govsite.audit.log import verify_chain
from govsite.audit.models import AuditEvent
from govsite.content.models import ArticlePage, ColumnClass, ColumnPage
from govsite.content.permissions import unit_editor_group
from govsite.demo import textgen
from govsite.demo.build import (
    ACCOUNTS,
    COLUMNS,
    DEMO_PASSWORD,
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
    return list(ArticlePage.objects.order_by("slug").values_list(*fields))


def _counts() -> tuple[int, ...]:
    return (Page.objects.count(), User.objects.count(), Unit.objects.count(), GovSite.objects.count(),
            AuditEvent.objects.count())


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
    shape = {code: (s.kind, s.parent.code if s.parent else None, s.primary_domain)
             for code, s in sites.items()}
    assert shape == EXPECTED_SITES
    portal = sites["portal"]
    assert re.fullmatch(r"\d{10}", portal.site_id_code)
    assert re.fullmatch(r"闽ICP备\d{8}号", portal.icp_number)
    assert re.fullmatch(r"闽公网安备\d{14}号", portal.police_number)
    assert (portal.phone, portal.postcode, portal.sponsor, portal.organizer) == (
        "0590-8823001", "359000", "青山市人民政府办公室", "青山市信息中心")
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
    assert len(columns) == 42
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
        assert column.numchild == ArticlePage.objects.child_of(column).count() > 0
    classes = {(c.get_parent().slug, c.title): c.column_class for c in columns}
    assert classes[("portal", "政务要闻")] == ColumnClass.DYNAMIC
    assert classes[("portal", "通知公告")] == ColumnClass.NOTICE
    assert classes[("jyj", "政策文件")] == ColumnClass.POLICY
    assert classes[("sthjj", "机构职能")] == ColumnClass.OTHER
    assert classes[("portal", "专题专栏")] == ColumnClass.EVENT


def _assert_articles() -> None:
    start, end = _window()
    articles = list(ArticlePage.objects.all())
    assert len(articles) == ARTICLES
    for article in articles:
        assert article.live
        assert not article.has_unpublished_changes
        assert start <= article.publish_date < end
        assert article.first_published_at == article.last_published_at == article.publish_date
        assert article.source
        assert article.body.startswith("<p>")
    assert all(problems == [] for problems in Page.find_problems())
    oldest = min(articles, key=lambda a: a.publish_date)
    assert list(ArticlePage.objects.search(oldest.title)[:1]) == [oldest]


@pytest.mark.django_db
def test_build_creates_the_site_group_exactly_and_its_logins_work() -> None:
    result = _build()

    assert result.created == {"units": 20, "sites": 6, "accounts": 14, "columns": 42, "articles": ARTICLES}
    _assert_sites(result)
    _assert_columns()
    _assert_articles()
    # One summary row for the pages, next to the rows the actions wrote.
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    assert AuditEvent.objects.filter(action="sites.create_site").count() == 6
    assert AuditEvent.objects.filter(action="accounts.create_account").count() == 14
    assert verify_chain().ok

    assert [login.username for login in result.logins] == [a.username for a in ACCOUNTS]
    assert {login.password for login in result.logins} == {DEMO_PASSWORD}
    editor = authenticate(username="editor", password=DEMO_PASSWORD)
    assert isinstance(editor, User)
    assert list(editor.groups.all()) == [unit_editor_group(editor.unit)]
    assert authenticate(username="editor", password="Wrong#2026") is None
    roles = {u.username: set(Role.objects.filter(group__user=u).values_list("kind", flat=True))
             for u in User.objects.all()}
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
    assert set(smaller) < set(_snapshot())
    counts, snapshot = _counts(), _snapshot()

    again = _build()
    assert again.created == dict.fromkeys(grown.created, 0)
    assert not again.created_anything
    assert _counts() == counts  # no audit row either: nothing happened
    assert _snapshot() == snapshot
    assert again.logins == grown.logins
    assert AuditEvent.objects.filter(action="demo.load").count() == 2
    assert verify_chain().ok


@pytest.mark.django_db
def test_two_fresh_builds_with_the_same_seed_are_identical() -> None:
    with transaction.atomic():
        _build()
        first = _snapshot()
        transaction.set_rollback(True)  # back to an empty database for the second build
    assert not GovSite.objects.exists()

    _build()
    assert _snapshot() == first
    planned = sorted((p.title, p.publish_date) for p in plan_articles(ARTICLES, SEED, ANCHOR))
    assert sorted((row[1], row[3]) for row in first) == planned


@pytest.mark.django_db
def test_command_prints_sites_and_logins_and_is_idempotent() -> None:
    out = StringIO()
    call_command("demo", "--articles", "45", *COMMAND_ARGS, stdout=out)
    text = out.getvalue()
    assert "演示站群已生成" in text
    assert "新建 单位 20、网站 6、账号 14、栏目 42、文章 45。" in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "http://127.0.0.1:8000/s/jyj/" in text
    assert re.search(r"青山市人民政府（默认站点）.*http://127\.0\.0\.1:8000/ ", text)
    assert re.search(rf"editor +│ 黄雅琴 │ 信息员 +│ 青山市人民政府 +│ {DEMO_PASSWORD} │", text)

    again = StringIO()
    call_command("demo", "--articles", "45", *COMMAND_ARGS, stdout=again)
    assert "演示站群已存在，本次未做任何修改。" in again.getvalue()
    assert DEMO_PASSWORD in again.getvalue()
    assert ArticlePage.objects.count() == 45


@pytest.mark.django_db
def test_command_dry_run_writes_nothing() -> None:
    out = StringIO()
    call_command("demo", "--articles", "45", "--dry-run", *COMMAND_ARGS, stdout=out)
    assert "演练模式，未写入数据库。将创建：单位 20、网站 6、账号 14、栏目 42、文章 45" in out.getvalue()
    assert _counts() == (1, 0, 0, 0, 0)  # only Wagtail's tree root


@pytest.mark.django_db
def test_command_rejects_a_bad_anchor_without_writing() -> None:
    with pytest.raises(CommandError, match="--anchor 应为日期，如 2026-03-01，收到：2026-13-40"):
        call_command("demo", "--anchor", "2026-13-40", stdout=StringIO())
    assert not GovSite.objects.exists()

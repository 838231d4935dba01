"""Builds the demo 站群 (青山市: a portal, two county portals, three department sites, their units, columns,
accounts and ~2,000 published articles), deterministically for a seed and anchor date and idempotently.

Sites, units and accounts go through their actions. Pages are inserted in bulk (see
``pages.append_children``) and indexed once at the end; one ``demo.load`` audit row records what the run
created.

The package: the demo world as data (``world``, ``voices``, ``columns``, ``lifecycle``), the pure article
``plan``, and the loaders that create what is missing (``structure``, ``policies``, ``items``, ``pushes``,
with ``pages`` and ``pictures``); ``build_demo`` below runs them in one transaction. The names other code
uses are importable from here.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govsite.audit.log import record
from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.permissions import sync_unit_editor_permissions
from govsite.demo.build.columns import COLUMNS, PORTAL_COLUMNS, SERVICE_COLUMNS, SITE_COLUMNS, ColumnSpec
from govsite.demo.build.items import LIFECYCLE_MODELS, ensure_lifecycle_items
from govsite.demo.build.lifecycle import (
    CATALOG_SLUG,
    CATALOG_TITLE,
    GUIDE_AGES,
    IMPORTANT_ITEMS,
    INTERPRETATIONS,
    ITEM_LABELS,
    NOTICES,
    ONLINE_SERVICE_URL,
    POLICIES,
    TOPIC_ARTICLE_AGES,
    TOPIC_COLUMNS,
    TOPIC_INTRO,
    TOPIC_SLUG,
    TOPIC_TITLE,
    PolicySpec,
)
from govsite.demo.build.pages import deferred_indexing
from govsite.demo.build.plan import (
    FIRST_ARTICLE_MAX_AGE,
    TOPIC_OF_DOMAIN,
    WINDOW_DAYS,
    PlannedArticle,
    article_slug,
    document_genre,
    plan_articles,
)
from govsite.demo.build.pushes import ensure_library_links
from govsite.demo.build.result import (
    DemoResult,
    Login,
    Reporter,
    SilentReporter,
    SiteLink,
    logins,
    site_url,
)
from govsite.demo.build.structure import (
    ensure_accounts,
    ensure_articles,
    ensure_columns,
    ensure_sections,
    ensure_sites,
    ensure_units,
)
from govsite.demo.build.voices import DEPARTMENT_VOICES, VOICES
from govsite.demo.build.world import (
    ACCOUNTS,
    DEMO_PASSWORD,
    ORGANIZER,
    SITES,
    UNITS,
    AccountSpec,
    SiteSpec,
    UnitSpec,
)
from govsite.sites.models import GovSite

DEFAULT_SEED = 2026
DEFAULT_ARTICLES = 2000


def build_demo(
    *,
    articles: int = DEFAULT_ARTICLES,
    seed: int = DEFAULT_SEED,
    anchor: date | None = None,
    base_url: str | None = None,
    dry_run: bool = False,
    reporter: Reporter | None = None,
) -> DemoResult:
    """Create whatever part of the demo 站群 is missing and return its sites and logins.

    Everything happens in one transaction: a failure leaves the database as it was, and ``dry_run``
    rolls back after counting what would have been created.
    """
    reporter = reporter or SilentReporter()
    anchor = anchor or timezone.localdate()
    base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    result = DemoResult(seed=seed, anchor=anchor, base_url=base, admin_url=f"{base}/{settings.ADMIN_URL}")
    created = dict.fromkeys(("units", "sites", "accounts", "columns", "articles"), 0)
    items = dict.fromkeys(ITEM_LABELS, 0)
    reporter.stage("生成文章内容")
    plan = plan_articles(articles, seed, anchor)
    with transaction.atomic():
        reporter.stage("单位")
        units = ensure_units(created)
        reporter.stage("网站")
        sites = ensure_sites(units, created)
        reporter.stage("账号")
        accounts = ensure_accounts(units, sites, created)
        with deferred_indexing([ColumnPage, ArticlePage, *LIFECYCLE_MODELS]):
            reporter.stage("栏目")
            columns = ensure_columns(sites, units, accounts, anchor, created)
            reporter.stage("专题和政府信息公开目录")
            topic_columns = ensure_sections(sites, units, accounts, anchor, dry_run, created, items)
            sync_unit_editor_permissions()
            reporter.stage("文章")
            ensure_articles(plan, columns, accounts, reporter, created)
            reporter.stage("政策文件、解读、办事指南和通知公告")
            ensure_lifecycle_items(
                seed, anchor, columns, topic_columns, sites, accounts, dry_run, created, items
            )
        reporter.stage("资源库：索引号、推送和转载")
        ensure_library_links(columns, sites, accounts, items)
        result.created, result.created_items = created, items
        if result.created_anything:
            detail = {
                "seed": seed,
                "anchor": anchor.isoformat(),
                "articles": articles,
                "created": created,
                "items": items,
            }
            record(None, "demo.load", sites["portal"], detail=detail)
        result.sites = [
            SiteLink(
                s.code,
                s.name,
                str(GovSite.Kind(s.kind).label),
                site_url(base, s),
                s.wagtail_site.is_default_site,
            )
            for s in (sites[spec.code] for spec in SITES)
        ]
        result.logins = logins()
        if dry_run:
            transaction.set_rollback(True)
    return result


__all__ = [
    "ACCOUNTS",
    "CATALOG_SLUG",
    "CATALOG_TITLE",
    "COLUMNS",
    "DEFAULT_ARTICLES",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DEPARTMENT_VOICES",
    "FIRST_ARTICLE_MAX_AGE",
    "GUIDE_AGES",
    "IMPORTANT_ITEMS",
    "INTERPRETATIONS",
    "ITEM_LABELS",
    "LIFECYCLE_MODELS",
    "NOTICES",
    "ONLINE_SERVICE_URL",
    "ORGANIZER",
    "POLICIES",
    "PORTAL_COLUMNS",
    "SERVICE_COLUMNS",
    "SITES",
    "SITE_COLUMNS",
    "TOPIC_ARTICLE_AGES",
    "TOPIC_COLUMNS",
    "TOPIC_INTRO",
    "TOPIC_OF_DOMAIN",
    "TOPIC_SLUG",
    "TOPIC_TITLE",
    "UNITS",
    "VOICES",
    "WINDOW_DAYS",
    "AccountSpec",
    "ColumnSpec",
    "DemoResult",
    "Login",
    "PlannedArticle",
    "PolicySpec",
    "Reporter",
    "SilentReporter",
    "SiteLink",
    "SiteSpec",
    "UnitSpec",
    "article_slug",
    "build_demo",
    "document_genre",
    "logins",
    "plan_articles",
    "site_url",
]

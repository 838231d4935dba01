"""Creates what is missing of the demo's structure: units, sites and accounts (through their actions),
columns, the 公开目录 and 专题 sections, and the planned articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from govsite.accounts.actions import create_account, create_unit
from govsite.accounts.models import Unit, User
from govsite.accounts.setup import ensure_platform_roles
from govsite.content.models import ArticlePage, ColumnPage, DisclosureCatalogPage, TopicPage
from govsite.content.permissions import unit_editor_group, unit_head_group
from govsite.demo.build.columns import SITE_COLUMNS, ColumnSpec
from govsite.demo.build.lifecycle import (
    CATALOG_SLUG,
    CATALOG_TITLE,
    TOPIC_COLUMNS,
    TOPIC_INTRO,
    TOPIC_SLUG,
    TOPIC_TITLE,
)
from govsite.demo.build.pages import append_children, index_pages
from govsite.demo.build.pictures import demo_image, png_picture
from govsite.demo.build.plan import WINDOW_DAYS, PlannedArticle
from govsite.demo.build.result import Reporter
from govsite.demo.build.world import ACCOUNTS, DEMO_PASSWORD, ORGANIZER, SITES, UNITS, R
from govsite.sites.actions import create_site, site_group
from govsite.sites.models import GovSite


def ensure_units(created: dict[str, int]) -> dict[str, Unit]:
    existing = {u.name: u for u in Unit.objects.filter(name__in=[s.name for s in UNITS])}
    units: dict[str, Unit] = {}
    for order, spec in enumerate(UNITS, start=1):
        unit = existing.get(spec.name)
        if unit is None:
            unit = create_unit(
                None,
                name=spec.name,
                kind=spec.kind,
                short_name=spec.short,
                parent=units[spec.parent] if spec.parent else None,
                sort_order=order * 10,
            )
            created["units"] += 1
        units[spec.key] = unit
    return units


def ensure_sites(units: dict[str, Unit], created: dict[str, int]) -> dict[str, GovSite]:
    existing = {s.code: s for s in GovSite.objects.filter(code__in=[s.code for s in SITES])}
    sites: dict[str, GovSite] = {}
    for order, spec in enumerate(SITES, start=1):
        site = existing.get(spec.code)
        if site is None:
            sponsor = units[spec.sponsor_unit]
            site = create_site(
                None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                site_id_code=spec.site_id_code,
                sponsor=sponsor.name,
                sponsor_unit=sponsor,
                organizer=units[ORGANIZER].name,
                icp_number=spec.icp_number,
                police_number=spec.police_number,
                primary_domain=spec.primary_domain,
                parent=sites[spec.parent] if spec.parent else None,
                phone=spec.phone,
                address=spec.address,
                postcode=spec.postcode,
                sort_order=order * 10,
            )
            created["sites"] += 1
        sites[spec.code] = site
    return sites


def ensure_accounts(
    units: dict[str, Unit], sites: dict[str, GovSite], created: dict[str, int]
) -> dict[str, User]:
    platform = ensure_platform_roles()
    names = [a.username for a in ACCOUNTS]
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=names)}
    accounts: dict[str, User] = {}
    for spec in ACCOUNTS:
        user = existing.get(spec.username.lower())
        if user is None:
            if spec.role == R.EDITOR:  # 信息员 rights are per unit, on the columns the unit answers for
                group = unit_editor_group(units[spec.unit])
            elif spec.role == R.UNIT_HEAD:  # approves the last review step of the unit's columns
                group = unit_head_group(units[spec.unit])
            elif spec.site is None:
                group = platform[spec.role]
            else:
                group = site_group(sites[spec.site], spec.role)
            user = create_account(
                None,
                username=spec.username,
                full_name=spec.full_name,
                unit=units[spec.unit],
                password=DEMO_PASSWORD,
                post=spec.post,
                groups=[group],
            )
            created["accounts"] += 1
        accounts[spec.username] = user
    return accounts


def ensure_columns(
    sites: dict[str, GovSite],
    units: dict[str, Unit],
    accounts: dict[str, User],
    anchor: date,
    created: dict[str, int],
) -> dict[tuple[str, str], ColumnPage]:
    columns: dict[tuple[str, str], ColumnPage] = {}
    new_columns: list[ColumnPage] = []
    opened = _columns_opened(anchor)
    for code, site in sites.items():
        specs = [c for c in SITE_COLUMNS if c.site == code]
        found, missing = _add_columns(site.root_page, specs, site.name, units, accounts, opened)
        columns |= {(code, slug): column for slug, column in found.items()}
        new_columns += missing
    _finish_columns(new_columns, created)
    return columns


def _columns_opened(anchor: date) -> datetime:
    """When the demo's columns went live: a month before their oldest article."""
    return datetime.combine(
        anchor - timedelta(days=WINDOW_DAYS + 30), time(9, 0), tzinfo=timezone.get_default_timezone()
    )


def _add_columns(
    parent: Page,
    specs: Sequence[ColumnSpec],
    site_name: str,
    units: dict[str, Unit],
    accounts: dict[str, User],
    opened: datetime,
) -> tuple[dict[str, ColumnPage], list[ColumnPage]]:
    """The columns ``specs`` under ``parent`` by slug, creating the missing ones (returned second)."""
    existing = {c.slug: c for c in ColumnPage.objects.child_of(parent)}
    found: dict[str, ColumnPage] = {}
    missing: list[ColumnPage] = []
    for spec in specs:
        column = existing.get(spec.slug)
        if column is None:
            column = ColumnPage(
                title=spec.title,
                slug=spec.slug,
                column_class=spec.column_class,
                description=spec.description or f"{site_name}{spec.title}",
                keywords=spec.title,
                responsible_unit=units[spec.unit],
                owner=accounts[spec.officer],
                show_in_menus=True,
                live=True,
                has_unpublished_changes=False,
                first_published_at=opened,
                last_published_at=opened,
            )
            missing.append(column)
        found[spec.slug] = column
    append_children(parent, missing)
    officers = {spec.slug: accounts[spec.officer] for spec in specs}
    ColumnPage.info_officers.through.objects.bulk_create(
        [ColumnPage.info_officers.through(columnpage=c, user=officers[c.slug]) for c in missing]
    )
    return found, missing


def _finish_columns(new_columns: Sequence[ColumnPage], created: dict[str, int]) -> None:
    for column in new_columns:
        ReferenceIndex.create_or_update_for_object(column)  # responsible unit and 信息员 show as usages
    index_pages(ColumnPage, new_columns)
    created["columns"] += len(new_columns)


def ensure_articles(
    plan: Sequence[PlannedArticle],
    columns: dict[tuple[str, str], ColumnPage],
    accounts: dict[str, User],
    reporter: Reporter,
    created: dict[str, int],
) -> None:
    by_column: dict[tuple[str, str], list[PlannedArticle]] = {}
    for item in plan:
        by_column.setdefault((item.column.site, item.column.slug), []).append(item)
    todo: list[tuple[ColumnPage, list[PlannedArticle]]] = []
    for key, items in by_column.items():
        column = columns[key]
        have = set(ArticlePage.objects.child_of(column).values_list("slug", flat=True))
        missing = sorted((i for i in items if i.slug not in have), key=lambda i: (i.publish_date, i.index))
        if missing:
            todo.append((column, missing))
    reporter.start_articles(sum(len(items) for _, items in todo))
    new_pages: list[ArticlePage] = []
    for column, items in todo:
        owner = accounts[items[0].column.officer]
        pages = [
            ArticlePage(
                title=i.title,
                slug=i.slug,
                body=i.body,
                source=i.source,
                publish_date=i.publish_date,
                owner=owner,
                live=True,
                has_unpublished_changes=False,
                first_published_at=i.publish_date,
                last_published_at=i.publish_date,
                publisher=i.publisher,
                topic_category=i.topic_category,
                genre=i.genre,
                document_number=i.document_number,
                written_date=i.written_date,
            )
            for i in items
        ]
        append_children(column, pages)
        new_pages += pages
        reporter.advance(len(pages))
    reporter.stage("建立搜索索引")
    # Article bodies carry no links or foreign keys, so their reference-index rows would be empty.
    index_pages(ArticlePage, new_pages)
    created["articles"] += len(new_pages)


def ensure_sections(
    sites: dict[str, GovSite],
    units: dict[str, Unit],
    accounts: dict[str, User],
    anchor: date,
    dry_run: bool,
    created: dict[str, int],
    items: dict[str, int],
) -> dict[str, ColumnPage]:
    """Every site's 政府信息公开目录 page, and the portal's 专题 with its columns (returned by slug)."""
    opened = _columns_opened(anchor)
    for site in sites.values():
        home = site.root_page
        if not DisclosureCatalogPage.objects.child_of(home).exists():
            catalog = DisclosureCatalogPage(
                title=CATALOG_TITLE,
                slug=CATALOG_SLUG,
                show_in_menus=True,
                live=True,
                has_unpublished_changes=False,
                first_published_at=opened,
                last_published_at=opened,
                intro=f"本目录收录{site.name}主动公开的政府信息，可按主题分类、体裁、发布机构和年份浏览。",
            )
            append_children(home, [catalog])
            index_pages(DisclosureCatalogPage, [catalog])
            items["catalogs"] += 1
    portal = sites["portal"]
    topic = TopicPage.objects.child_of(portal.root_page).filter(slug=TOPIC_SLUG).first()
    if topic is None:
        banner = (
            None
            if dry_run
            else demo_image(
                portal,
                f"{TOPIC_TITLE}专题题图",
                f"{TOPIC_TITLE}专题",
                png_picture(TOPIC_SLUG, 1100, 220, 0),
                f"{TOPIC_SLUG}.png",
            )
        )
        topic = TopicPage(
            title=TOPIC_TITLE,
            slug=TOPIC_SLUG,
            intro=TOPIC_INTRO,
            banner=banner,
            responsible_unit=units["office"],
            owner=accounts["editor"],
            show_in_menus=False,
            live=True,
            has_unpublished_changes=False,
            first_published_at=opened,
            last_published_at=opened,
        )
        append_children(portal.root_page, [topic])
        ReferenceIndex.create_or_update_for_object(topic)
        index_pages(TopicPage, [topic])
        items["topics"] += 1
    found, missing = _add_columns(topic, TOPIC_COLUMNS, portal.name, units, accounts, opened)
    _finish_columns(missing, created)
    return found

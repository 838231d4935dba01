"""The public-site renderer: one site's pages as files, from a few bulk queries, through Jinja2.

A site is a set of *targets* — the home page, each column (all its list pages), each item, each 专题,
the 公开目录, the search shell, 404, sitemap, robots.txt and one RSS feed per column. Rendering a
target yields ``Output`` files (a path inside the site's tree and the bytes) together with the ids of
the pages the output *showed*: that record, written by the publisher when the files are written, is
the dependency graph incremental publishing follows (DESIGN §3 "Publishing reads in bulk").

Links between pages of one site are relative (``../zcwj/``), so the same tree works at a site's own
domain, under ``/s/<code>/`` in embedded mode and in the 繁體 copy under ``zh-hant/``. Output is a pure
function of the database (and the date used for "已截止" marks): no timestamps, no random ids.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

import jinja2
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import CharField, Max, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from markupsafe import Markup, escape
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from govsite.content.models import (
    ColumnClass,
    ColumnPage,
    DisclosureCatalogPage,
    HomePage,
    InterpretationPage,
    LibraryItemPage,
    NoticePage,
    PolicyDocumentPage,
    ServiceGuidePage,
    TopicPage,
    Validity,
)
from govsite.publishing import variants
from govsite.sites.models import GovSite

if TYPE_CHECKING:
    from govsite.publishing.fingerprints import Fingerprints

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "publishing"
LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
PAGE_SIZE = 20  # items per column list page
HOME_LATEST = 12  # items in the home page's 最新信息
TOPIC_LATEST = 8  # items per column on a 专题 page
RSS_ITEMS = 30
SITEMAP_CHUNK = 45_000  # URLs per sitemap file (the protocol allows 50,000)

# Targets, as (kind, page id); the site-wide ones carry 0.
HOME, COLUMN, ITEM, TOPIC, CATALOG, SEARCH, NOT_FOUND, SITEMAP, ROBOTS, RSS, ASSETS = (
    "home",
    "column",
    "item",
    "topic",
    "catalog",
    "search",
    "404",
    "sitemap",
    "robots",
    "rss",
    "assets",
)
Target = tuple[str, int]
SITE_TARGETS: tuple[Target, ...] = ((ASSETS, 0), (SEARCH, 0), (NOT_FOUND, 0), (SITEMAP, 0), (ROBOTS, 0))
# Served at /static/ both from the site tree (nginx) and by the app (embedded mode, admin preview).
ASSET_DIR = Path(__file__).resolve().parent / "static"
ASSETS_FILES = ("govsite.css", "govsite.js", "dzjg.svg")


@dataclass(frozen=True, slots=True)
class Output:
    """One file of a site's tree: ``path`` relative to the site root, e.g. ``zcwj/index_2.html``."""

    path: str
    data: bytes
    target: Target
    shows: frozenset[int] = frozenset()  # ids of the pages whose data the file shows
    # A list page's own fingerprint (what it shows, see ``SiteRenderer.list_fingerprint``), "" for the
    # rest; ``keep``: the file of the live release already has this content and is not rendered again
    # (``data`` is empty).
    fingerprint: str = ""
    keep: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A page as a list shows it."""

    id: int
    title: str
    url: str  # the page's directory inside the site, "zcwj/abc/" ("" for the home page)
    publish_date: datetime | None = None
    extra: str = ""


@dataclass(slots=True)
class ColumnNode:
    id: int
    path: str
    depth: int
    url: str
    title: str
    description: str
    keywords: str
    column_class: str
    in_menu: bool
    parent_id: int | None
    children: list[ColumnNode] = field(default_factory=list)

    @property
    def column_type(self) -> str:
        return str(ColumnClass(self.column_class).label) if self.column_class else "专题"


# What makes an item's version (``fingerprints``): its title, address, publish time and revisions, and
# for an alias its original's. Revisions move with every edit that is published; a move changes the
# address without one.
VERSION_FIELDS = (
    "title",
    "url_path",
    "last_published_at",
    "latest_revision_id",
    "live_revision_id",
    "alias_of_id",
    "alias_of__last_published_at",
    "alias_of__live_revision_id",
)


def version_expression() -> Concat:
    """An item's version as one string, built by the database: fetching 10,000 of them is one column of
    text instead of eight values per row to convert and format in Python."""
    parts: list[Any] = []
    for name in VERSION_FIELDS:
        parts += [Cast(name, output_field=TextField()), Value("|")]
    return Concat(*parts[:-1], output_field=TextField())


def raw_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database driver returns them, without Django's
    per-value converters (on SQLite a datetime stays text): for values that are only hashed, compared
    or used as ids, this makes loading 10,000 rows ~3× cheaper."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def in_tree(root_path: str) -> dict[str, str]:
    """Filter arguments for the pages below ``root_path``, as a range on the indexed ``path`` column:
    SQLite cannot use an index for Django's ``path__startswith`` (``LIKE 'x%'``), and every such query
    scanned the whole page table (~15 ms at 100,000 pages). Paths are made of 0-9 and A-Z only."""
    limit = Page._meta.get_field("path").max_length or 255
    return {"path__gt": root_path, "path__lte": root_path + "Z" * (limit - len(root_path))}


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(LOCAL_TZ) if value.tzinfo is not None else value


def format_date(value: date | datetime | None, fmt: str = "%Y-%m-%d") -> str:
    """Dates as the 网页设计规范 wants them (YYYY-MM-DD; PubDate with HH:mm), in China time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime(fmt) if value else ""


def relative_url(current: str, target: str) -> str:
    """The link from the page at directory ``current`` to the directory or file ``target`` (both
    relative to the site root; directories end in "/"). String work only: it runs for every link."""
    here = current.split("/")[:-1] if current else []
    there = target.split("/")
    name = there.pop()  # "" for a directory
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "../" * (len(here) - common) + "".join(part + "/" for part in there[common:]) + name
    return rel or "./"


def _richtext(html: str | None) -> Markup:
    # Rich text is stored by Wagtail's editor, which keeps only whitelisted elements and attributes;
    # expanding it turns its page/document/image references into HTML.
    return Markup(expand_db_html(html or ""))  # noqa: S704 - sanitised at input by the rich-text editor


def _linebreaksbr(text: str | None) -> Markup:
    return Markup("<br>").join(escape(line) for line in (text or "").split("\n"))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=settings.DEBUG,
    )
    env.filters["date"] = format_date
    env.filters["richtext"] = _richtext
    env.filters["linebreaksbr"] = _linebreaksbr
    return env


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """The one Jinja2 environment (templates are compiled once per process)."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


class ItemRow:
    """An item page as a row of its columns (``values()``), read by the templates like the page."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.pk = values["id"]


# Page columns the item templates and the renderer read, besides the item type's own fields.
_PAGE_FIELDS = ("id", "title", "path", "url_path", "alias_of_id", "search_description", "live")


_ROW_FIELDS: dict[type[LibraryItemPage], tuple[str, ...]] = {}


def _row_fields(model: type[LibraryItemPage]) -> tuple[str, ...]:
    fields = _ROW_FIELDS.get(model)
    if fields is None:
        own = [
            field.attname
            for parent in (LibraryItemPage, model)
            for field in parent._meta.local_concrete_fields
            if not field.primary_key
        ]
        fields = _ROW_FIELDS[model] = tuple(dict.fromkeys([*_PAGE_FIELDS, *own]))
    return fields


class SiteRenderer:
    """Renders the targets of one site. Build one per publish: it caches what it loaded."""

    def __init__(self, site: GovSite, *, today: date | None = None) -> None:
        self.site = site
        self.today = today or timezone.localdate()
        self.env = environment()
        root = site.wagtail_site.root_page
        self.root_id: int = root.pk
        self.root_path: str = root.path
        self.root_url_path: str = root.url_path
        self.root_title: str = root.title
        self.tree = in_tree(root.path)  # filter arguments: the pages of this site
        self.home_intro: str = (
            HomePage.objects.filter(pk=root.pk).values_list("intro", flat=True).first() or ""
        )
        self._nav_cache: dict[tuple[str, int], Markup] = {}
        # Set by the publisher: the fingerprints of the targets (``fingerprints.Fingerprints``) and those
        # of the live release's list pages (path → fingerprint). A list page whose fingerprint did not
        # move is not rendered again: editing one item re-renders only the pagination page showing it.
        self.prints: Fingerprints | None = None
        # Filled by ``item_index``: id → ``version_expression``, id → content type id.
        self.item_versions: dict[int, str] = {}
        self.item_types: dict[int, int] = {}
        self.previous_lists: dict[str, str] = {}
        self._column_items: dict[int, list[Link]] = {}
        # Theme, logo and mourning mode: the same for every page of one publish (computed once).
        self.variant_context = variants.template_context(site, self.today)

    # --- what the site holds ---------------------------------------------------------------------

    def url_of(self, url_path: str) -> str:
        """A page's directory inside the site tree from its Wagtail ``url_path``."""
        return url_path[len(self.root_url_path) :] if url_path.startswith(self.root_url_path) else ""

    @cached_property
    def columns(self) -> dict[int, ColumnNode]:
        """Every live column of the site (top level and inside 专题), in tree order."""
        rows = (
            ColumnPage.objects.filter(**self.tree, live=True)
            .order_by("path")
            .values_list(
                "id",
                "path",
                "depth",
                "url_path",
                "title",
                "description",
                "keywords",
                "column_class",
                "show_in_menus",
            )
        )
        nodes: dict[int, ColumnNode] = {}
        by_path: dict[str, ColumnNode] = {}
        for pk, path, depth, url_path, title, description, keywords, column_class, in_menu in rows:
            parent = by_path.get(path[: -Page.steplen])
            node = ColumnNode(
                pk,
                path,
                depth,
                self.url_of(url_path),
                title,
                description,
                keywords,
                column_class,
                in_menu,
                parent.id if parent else None,
            )
            nodes[pk] = node
            by_path[path] = node
            if parent:
                parent.children.append(node)
        return nodes

    @cached_property
    def column_by_path(self) -> dict[str, ColumnNode]:
        return {c.path: c for c in self.columns.values()}

    @cached_property
    def menu(self) -> list[ColumnNode]:
        """The top-level columns in the menu: the navigation bar of every page."""
        return [c for c in self.columns.values() if c.depth == self.root_depth + 1 and c.in_menu]

    @cached_property
    def root_depth(self) -> int:
        return len(self.root_path) // Page.steplen

    @cached_property
    def _topic_rows(self) -> list[tuple[int, str, str, str]]:
        """(id, title, url_path, path) of the site's 专题, children of the home page."""
        return list(
            TopicPage.objects.filter(**self.tree, depth=self.root_depth + 1, live=True)
            .order_by("path")
            .values_list("id", "title", "url_path", "path")
        )

    @cached_property
    def topics(self) -> list[Link]:
        return [Link(pk, title, self.url_of(url_path)) for pk, title, url_path, _ in self._topic_rows]

    @cached_property
    def catalogs(self) -> list[Link]:
        return [
            Link(pk, title, self.url_of(url_path))
            for pk, title, url_path in DisclosureCatalogPage.objects.filter(**self.tree, live=True)
            .order_by("path")
            .values_list("id", "title", "url_path")
        ]

    def items_in(self, column_ids: Iterable[int]) -> dict[int, list[Link]]:
        """The live items directly in these columns, newest first (one query)."""
        wanted = {self.columns[c].path: c for c in column_ids if c in self.columns}
        found: dict[int, list[Link]] = {c: [] for c in wanted.values()}
        if not wanted:
            return found
        paths = list(wanted)
        query = LibraryItemPage.objects.filter(
            live=True, depth__in={len(p) // Page.steplen + 1 for p in paths}
        )
        if len(paths) == len(self.columns):
            query = query.filter(**self.tree)
        else:
            from django.db.models import Q

            # A range on the indexed path column (SQLite cannot use an index for LIKE 'x%').
            condition = Q()
            for path in paths:
                condition |= Q(path__gt=path, path__lte=path + "Z" * Page.steplen)
            query = query.filter(condition)
        rows = query.order_by("-publish_date", "-id").values_list(
            "id", "path", "title", "url_path", "publish_date"
        )
        for pk, path, title, url_path, published in rows:
            column = wanted.get(path[: -Page.steplen])
            if column is not None:
                found[column].append(Link(pk, title, self.url_of(url_path), published))
        return found

    @cached_property
    def all_items(self) -> dict[int, list[Link]]:
        return self.items_in(self.columns)

    def items_of(self, column_id: int) -> list[Link]:
        """One column's items: from the whole-site load when it was made, else one query (cached)."""
        if "all_items" in self.__dict__:
            return self.all_items.get(column_id, [])
        if column_id not in self._column_items:
            self._column_items.update(self.items_in([column_id]))
        return self._column_items.get(column_id, [])

    def latest_items(self, count: int) -> list[Link]:
        """The newest items of the site (one query with a limit, unless everything is loaded)."""
        if "all_items" in self.__dict__:
            return sorted(
                (link for links in self.all_items.values() for link in links),
                key=lambda link: (link.publish_date or datetime.min.replace(tzinfo=UTC), link.id),
                reverse=True,
            )[:count]
        found: list[Link] = []
        query = LibraryItemPage.objects.filter(live=True)
        if self._holds_many_items:
            # Walk the 发布日期 index from the newest and keep this site's rows: the path range is
            # wrapped in an expression so the planner cannot pick the path index, which would read and
            # sort every item of the site (SQLite: 9 ms instead of 0.4 ms at 10,000 items).
            bounds = in_tree(self.root_path)
            query = query.annotate(tree_path=Concat("path", Value(""), output_field=CharField())).filter(
                tree_path__gt=bounds["path__gt"], tree_path__lte=bounds["path__lte"]
            )
        else:
            query = query.filter(**self.tree)
        rows = query.order_by("-publish_date", "-id").values_list(
            "id", "path", "title", "url_path", "publish_date"
        )[: count * 4]
        for pk, path, title, url_path, published in rows:
            if path[: -Page.steplen] in self.column_by_path:
                found.append(Link(pk, title, self.url_of(url_path), published))
        return found[:count]

    @cached_property
    def _holds_many_items(self) -> bool:
        """Whether this site holds a twentieth or more of all pages: then its newest items are found
        quickly by reading the 发布日期 index from the newest (about 20 rows per row wanted); a small
        site's few pages are quicker to read and sort through the path index."""
        mine = Page.objects.filter(**self.tree).count()  # the path index alone
        everyone = Page.objects.aggregate(top=Max("id"))["top"] or 0  # the primary key's end: O(1)
        return mine * 20 >= everyone

    @cached_property
    def item_index(self) -> dict[int, list[int]]:
        """Column id → the ids of its live items, newest first; and under key 0, every item of the
        site in that order. One query, rows as the driver returns them and no ``Link`` objects:
        enough to list the targets and compute fingerprints, which is all a republish that finds
        nothing changed has to do (its cost was mostly building 10,000 ``Link`` objects)."""
        by_path = {c.path: c.id for c in self.columns.values()}
        depths = {len(path) // Page.steplen + 1 for path in by_path}
        index: dict[int, list[int]] = {pk: [] for pk in self.columns}
        index[0] = []
        if not by_path:
            return index
        query = (
            LibraryItemPage.objects.filter(**self.tree, live=True, depth__in=depths)
            .annotate(version=version_expression())
            .order_by("-publish_date", "-id")
        )
        versions, types = self.item_versions, self.item_types
        for pk, path, version, content_type_id in raw_rows(
            query.values_list("id", "path", "version", "content_type_id")
        ):
            column = by_path.get(path[: -Page.steplen])
            if column is not None:
                index[column].append(pk)
                index[0].append(pk)
                versions[pk] = version
                types[pk] = content_type_id
        return index

    def ids_of_type(self, ids: Iterable[int], model: type[Page]) -> set[int]:
        """Which of these item ids are pages of ``model`` (or a subclass): from ``item_index`` for many
        ids (no query), by id for a few."""
        ids = set(ids)
        if len(ids) > 500:
            from django.contrib.contenttypes.models import ContentType

            self.item_index  # noqa: B018 - loads the types with the index
            wanted = {
                ct.pk
                for ct in ContentType.objects.get_for_models(
                    *(m for m in apps.get_models() if issubclass(m, model)), for_concrete_models=False
                ).values()
            }
            return {pk for pk in ids if self.item_types.get(pk) in wanted}
        return set(model.objects.filter(pk__in=ids).values_list("id", flat=True))

    def item_ids(self) -> list[int]:
        return self.item_index[0]

    def targets(self) -> list[Target]:
        """Every target of the site, in a stable order."""
        found: list[Target] = [(HOME, self.root_id)]
        found += [(COLUMN, pk) for pk in self.columns]
        found += [(RSS, pk) for pk in self.columns]
        found += [(TOPIC, link.id) for link in self.topics]
        found += [(CATALOG, link.id) for link in self.catalogs]
        found += [(ITEM, pk) for pk in sorted(self.item_ids())]
        found += list(SITE_TARGETS)
        return found

    # --- rendering -------------------------------------------------------------------------------

    def render(self, targets: Iterable[Target]) -> Iterator[Output]:
        """The files of these targets; item targets are rendered in bulk chunks."""
        targets = list(targets)
        if sum(1 for kind, _ in targets if kind in (COLUMN, RSS)) > 5:
            self.all_items  # noqa: B018 - many lists: load every column's items in one query
        items: list[int] = []
        for kind, pk in targets:
            if kind == ITEM:
                items.append(pk)
                continue
            yield from self._render_one(kind, pk)
        for start in range(0, len(items), 1000):
            yield from self._render_items(items[start : start + 1000])

    def _render_one(self, kind: str, pk: int) -> Iterator[Output]:
        if kind == HOME:
            yield self._home()
        elif kind == COLUMN and pk in self.columns:
            yield from self._column(self.columns[pk])
        elif kind == RSS and pk in self.columns:
            yield self._rss(self.columns[pk])
        elif kind == TOPIC:
            yield from self._topic(pk)
        elif kind == CATALOG:
            yield from self._catalog(pk)
        elif kind == SEARCH:
            yield self._page("search/index.html", (SEARCH, 0), "search.html", title="全站搜索", crumbs=[])
        elif kind == NOT_FOUND:
            page = self._page("404.html", (NOT_FOUND, 0), "404.html", title="页面不存在", crumbs=[])
            # Served at any missing URL: its relative links must resolve from the site root.
            data = page.data.replace(b"<head>\n", b'<head>\n<base href="/">\n', 1)
            yield Output(page.path, data, page.target, page.shows)
        elif kind == SITEMAP:
            yield from self._sitemap()
        elif kind == ROBOTS:
            yield self._robots()
        elif kind == ASSETS:
            for name in ASSETS_FILES:
                yield Output(f"static/{name}", (ASSET_DIR / name).read_bytes(), (ASSETS, 0))

    def _nav_html(self, current: str) -> Markup:
        """The 栏目导航 bar of a page at ``current``. Every page in one directory level under one top
        column has the same bar, so it is built once per (top column, depth) and reused."""
        parts = current.split("/")[:-1] if current else []
        key = (parts[0] if parts else "", len(parts))
        cached = self._nav_cache.get(key)
        if cached is None:
            items = [f'<a href="{escape(relative_url(current, ""))}">首页</a>']
            for col in self.menu:
                active = ' aria-current="page"' if current.startswith(col.url) else ""
                items.append(
                    f'<a href="{escape(relative_url(current, col.url))}"{active}>{escape(col.title)}</a>'
                )
            items.append(f'<a href="{escape(relative_url(current, "search/"))}">搜索</a>')
            # Every value in it went through escape() above.
            cached = Markup(  # noqa: S704
                '<nav class="site-nav" aria-label="栏目导航"><div class="wrap">'
                + "".join(items)
                + "</div></nav>"
            )
            self._nav_cache[key] = cached
        return cached

    @cached_property
    def _footer_html(self) -> Markup:
        """The footer's fixed part (党政机关标识, 主办单位, 联系方式, 网站标识码, ICP, 公安备案)."""
        # Rendered by an autoescaping template.
        return Markup(  # noqa: S704
            self.env.get_template("_footer.html").render(
                site=self.site, police_record_code=self.site.police_record_code
            )
        )

    def _base_context(self, current: str) -> dict[str, Any]:
        site = self.site

        def link(target: str) -> str:
            return relative_url(current, target)

        return {
            "site": site,
            "police_record_code": site.police_record_code,
            "menu": self.menu,
            "link": link,
            "home_url": link(""),
            "current": current,
            "today": self.today,
            "nav_html": self._nav_html(current),
            "footer_html": self._footer_html,
            **self.variant_context,
        }

    def _page(
        self,
        path: str,
        target: Target,
        template: str,
        shows: Iterable[int] = (),
        fingerprint: str = "",
        **context: Any,
    ) -> Output:
        current = path[: -len("index.html")] if path.endswith("index.html") else posixpath.dirname(path) + "/"
        if current == "/":
            current = ""
        html = self.env.get_template(template).render(**self._base_context(current), **context)
        return Output(path, html.encode(), target, frozenset(shows), fingerprint)

    def list_fingerprint(self, path: str, links: Sequence[Link], *context: Any) -> str:
        """A list page's fingerprint: the target's look and the versions of the items it lists, with
        the page's other inputs (number, page count, total, facets) in ``context``; "" when the
        publisher gave no fingerprints (every page is rendered)."""
        if self.prints is None:
            return ""
        return self.prints.list_page(path, [link.id for link in links], context)

    def unchanged_list(self, path: str, target: Target, links: Sequence[Link], *context: Any) -> Output:
        """The page at ``path`` as an ``Output``: ``keep`` (not rendered) when its fingerprint is the
        live release's; otherwise empty, for the caller to render with the fingerprint it carries."""
        fingerprint = self.list_fingerprint(path, links, *context)
        keep = bool(fingerprint) and self.previous_lists.get(path) == fingerprint
        return Output(path, b"", target, frozenset(link.id for link in links), fingerprint, keep)

    def _crumbs(self, column: ColumnNode | None) -> list[Link]:
        trail: list[Link] = []
        node = column
        while node is not None:
            trail.append(Link(node.id, node.title, node.url))
            node = self.columns.get(node.parent_id) if node.parent_id else None
        if column is not None:
            topic = self._topic_of(column)
            if topic is not None:
                trail.append(topic)
        return list(reversed(trail))

    def _topic_of(self, column: ColumnNode) -> Link | None:
        """The 专题 a column belongs to, if any (its top column's parent)."""
        top = column
        while top.parent_id is not None and top.parent_id in self.columns:
            top = self.columns[top.parent_id]
        parent_path = top.path[: -Page.steplen]
        for pk, title, url_path, path in self._topic_rows:
            if path == parent_path:
                return Link(pk, title, self.url_of(url_path))
        return None

    @cached_property
    def home_lists(self) -> tuple[list[Link], list[tuple[ColumnNode, list[Link]]]]:
        """What the home page lists: the newest items of the site, and the newest of up to six menu
        columns of news, notices and policies."""
        latest = self.latest_items(HOME_LATEST)
        columns = self._home_columns()
        missing = [c.id for c in columns if c.id not in self._column_items]
        if missing and "all_items" not in self.__dict__:
            self._column_items.update(self.items_in(missing))  # one query for all of them
        return latest, [(column, self.items_of(column.id)[:8]) for column in columns]

    def _home_columns(self) -> list[ColumnNode]:
        return [
            column
            for column in self.menu
            if column.column_class in (ColumnClass.DYNAMIC, ColumnClass.NOTICE, ColumnClass.POLICY)
        ][:6]

    def home_item_ids(self) -> list[int]:
        """The ids ``home_lists`` shows: from ``item_index`` when a whole-site publish loaded it (no
        further query), else from ``home_lists`` (two small queries, cheaper than loading the index)."""
        if "item_index" in self.__dict__:
            index = self.item_index
            return index[0][:HOME_LATEST] + [
                pk for column in self._home_columns() for pk in index[column.id][:8]
            ]
        latest, sections = self.home_lists
        return [link.id for link in latest] + [link.id for _, links in sections for link in links]

    def _home(self) -> Output:
        latest, sections = self.home_lists
        shown = set(self.home_item_ids())
        return self._page(
            "index.html",
            (HOME, self.root_id),
            "home.html",
            shows=shown,
            title=self.site.name,
            intro=self.home_intro,
            latest=latest,
            sections=sections,
            topics=self.topics,
            catalogs=self.catalogs,
        )

    def _column(self, column: ColumnNode) -> Iterator[Output]:
        links = self.items_of(column.id)
        pages = max(1, -(-len(links) // PAGE_SIZE))
        for number in range(1, pages + 1):
            chunk = links[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
            name = "index.html" if number == 1 else f"index_{number}.html"
            known = self.unchanged_list(
                column.url + name, (COLUMN, column.id), chunk, number, pages, len(links)
            )
            if known.keep:
                yield known
                continue
            yield self._page(
                column.url + name,
                (COLUMN, column.id),
                "column.html",
                shows=known.shows,
                fingerprint=known.fingerprint,
                title=column.title,
                column=column,
                crumbs=self._crumbs(column)[:-1],
                items=chunk,
                number=number,
                pages=pages,
                total=len(links),
                page_url=lambda n, c=column: c.url + ("index.html" if n == 1 else f"index_{n}.html"),
            )

    def _rss(self, column: ColumnNode) -> Output:
        base = f"https://{self.site.primary_domain}/"
        entries = self.items_of(column.id)[:RSS_ITEMS]
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<rss version="2.0"><channel>',
            f"<title>{xml_escape(column.title)}_{xml_escape(self.site.name)}</title>",
            f"<link>{xml_escape(base + column.url)}</link>",
            f"<description>{xml_escape(column.description or column.title)}</description>",
            "<language>zh-cn</language>",
        ]
        for link in entries:
            published = _local(link.publish_date)
            lines.append(
                "<item>"
                f"<title>{xml_escape(link.title)}</title>"
                f"<link>{xml_escape(base + link.url)}</link>"
                f"<guid>{xml_escape(base + link.url)}</guid>"
                f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S %z') if published else ''}</pubDate>"
                "</item>"
            )
        lines.append("</channel></rss>\n")
        return Output(
            column.url + "rss.xml",
            "\n".join(lines).encode(),
            (RSS, column.id),
            frozenset(e.id for e in entries),
        )

    def _topic(self, pk: int) -> Iterator[Output]:
        topic = TopicPage.objects.filter(pk=pk, live=True).select_related("banner").first()
        if topic is None:
            return
        url = self.url_of(topic.url_path)
        columns = [c for c in self.columns.values() if c.path[: -Page.steplen] == topic.path]
        items = self.items_in([c.id for c in columns])
        sections = [(c, items.get(c.id, [])[:TOPIC_LATEST]) for c in columns]
        banner = topic.banner.get_rendition("max-1100x300") if topic.banner else None
        yield self._page(
            url + "index.html",
            (TOPIC, pk),
            "topic.html",
            shows={link.id for _, links in sections for link in links},
            title=topic.title,
            topic=topic,
            banner=banner,
            sections=sections,
            crumbs=[],
        )

    def _catalog(self, pk: int) -> Iterator[Output]:
        from govsite.publishing import catalog

        page = DisclosureCatalogPage.objects.filter(pk=pk, live=True).first()
        if page is None:
            return
        yield from catalog.render_catalog(self, page)

    def _robots(self) -> Output:
        text = f"User-agent: *\nAllow: /\nSitemap: https://{self.site.primary_domain}/sitemap.xml\n"
        return Output("robots.txt", text.encode(), (ROBOTS, 0))

    def _sitemap(self) -> Iterator[Output]:
        base = f"https://{self.site.primary_domain}/"
        urls = [""] + [c.url for c in self.columns.values()] + [t.url for t in self.topics]
        urls += [c.url for c in self.catalogs]
        dated = sorted(
            (link for links in self.all_items.values() for link in links), key=lambda link: link.url
        )
        entries = [(u, None) for u in urls] + [(link.url, link.publish_date) for link in dated]

        def urlset(chunk: Sequence[tuple[str, datetime | None]]) -> bytes:
            body = "".join(
                f"<url><loc>{xml_escape(base + u)}</loc>"
                + (f"<lastmod>{format_date(d)}</lastmod>" if d else "")
                + "</url>\n"
                for u, d in chunk
            )
            return (
                '<?xml version="1.0" encoding="utf-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n"
            ).encode()

        if len(entries) <= SITEMAP_CHUNK:
            yield Output("sitemap.xml", urlset(entries), (SITEMAP, 0))
            return
        names = []
        for n, start in enumerate(range(0, len(entries), SITEMAP_CHUNK), start=1):
            name = f"sitemap-{n}.xml"
            names.append(name)
            yield Output(name, urlset(entries[start : start + SITEMAP_CHUNK]), (SITEMAP, 0))
        index = "".join(f"<sitemap><loc>{xml_escape(base + name)}</loc></sitemap>\n" for name in names)
        yield Output(
            "sitemap.xml",
            (
                '<?xml version="1.0" encoding="utf-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + index
                + "</sitemapindex>\n"
            ).encode(),
            (SITEMAP, 0),
        )

    # --- item pages ------------------------------------------------------------------------------

    def _render_items(self, ids: Sequence[int]) -> Iterator[Output]:
        pages = self._load_items(ids)
        attachments = self._attachments([pk for _, page in pages for pk in [page.pk]])
        for model, page in pages:
            column = self.column_by_path.get(page.path[: -Page.steplen])
            if column is None:
                continue
            yield from self._item(page, column, model, attachments.get(page.pk, []))

    def _load_items(self, ids: Sequence[int]) -> list[tuple[type[LibraryItemPage], Any]]:
        """(page type, page) of these ids in id order, one query per page type. Types whose templates
        read only their own columns come as plain rows (``ItemRow``): building a Wagtail page instance
        costs ~100 µs, a row ~5 µs; 政策文件 and 解读, which follow relations, as model instances."""
        type_of = dict(
            LibraryItemPage.objects.filter(pk__in=ids, live=True).values_list("id", "content_type_id")
        )
        by_type: dict[int, list[int]] = defaultdict(list)
        for pk, content_type_id in type_of.items():
            by_type[content_type_id].append(pk)
        pages: list[tuple[type[LibraryItemPage], Any]] = []
        from django.contrib.contenttypes.models import ContentType

        for content_type_id, pks in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None or not issubclass(model, LibraryItemPage):
                continue
            if model is InterpretationPage:
                pages += [
                    (model, p)
                    for p in model.objects.filter(pk__in=pks).select_related("policy", "image", "video")
                ]
            elif model is PolicyDocumentPage:
                pages += [(model, p) for p in model.objects.filter(pk__in=pks).select_related("successor")]
            else:
                fields = _row_fields(model)
                pages += [(model, ItemRow(row)) for row in model.objects.filter(pk__in=pks).values(*fields)]
        pages.sort(key=lambda pair: pair[1].pk)
        return pages

    @staticmethod
    def _attachments(ids: list[int]) -> dict[int, list[Any]]:
        """The attachments of these pages with their documents, in their order (one query)."""
        from govsite.content.models import ItemAttachment

        found: dict[int, list[Any]] = defaultdict(list)
        for attachment in (
            ItemAttachment.objects.filter(page_id__in=ids, document__isnull=False)
            .select_related("document")
            .order_by("page_id", "sort_order", "pk")
        ):
            found[attachment.page_id].append(attachment)
        return found

    @cached_property
    def _url_by_original(self) -> dict[int, str]:
        """Where each item (original or the original of an alias) is shown on this site."""
        found: dict[int, str] = {}
        for pk, alias_of, url_path in (
            LibraryItemPage.objects.filter(**self.tree, live=True)
            .order_by("path")
            .values_list("id", "alias_of_id", "url_path")
        ):
            found.setdefault(pk, self.url_of(url_path))
            if alias_of is not None:
                found.setdefault(alias_of, self.url_of(url_path))
        return found

    def _link_to(self, page: Page | None) -> Link | None:
        """A link to ``page`` on this site if it is shown here (directly or as an alias), else None."""
        if page is None:
            return None
        url = self._url_by_original.get(page.pk)
        if url is None and page.alias_of_id is not None:
            url = self._url_by_original.get(page.alias_of_id)
        return Link(page.pk, page.title, url) if url is not None else None

    def _item(
        self,
        page: Any,
        column: ColumnNode,
        model: type[LibraryItemPage] | None = None,
        attachments: list[Any] | None = None,
    ) -> Iterator[Output]:
        """The page of an item: a model instance (the admin preview passes an unsaved one, with its
        attachments in memory) or an ``ItemRow`` of type ``model`` with its ``attachments``."""
        model = model or type(page)
        if attachments is None:
            attachments = [a for a in page.attachments.all() if a.document_id]
        url = self.url_of(page.url_path)
        shows = {page.pk}
        context: dict[str, Any] = {
            "title": page.title,
            "page": page,
            "column": column,
            "crumbs": self._crumbs(column),
            "attachments": attachments,
        }
        template = "article.html"
        if issubclass(model, PolicyDocumentPage):
            template = "policy.html"
            original_id = page.alias_of_id or page.pk
            interpretations = list(
                InterpretationPage.objects.filter(policy_id=original_id, live=True, alias_of__isnull=True)
                .order_by("publish_date", "pk")
                .only("id", "title", "form", "url_path", "path")
            )
            predecessors = list(
                PolicyDocumentPage.objects.filter(successor_id=original_id, live=True, alias_of__isnull=True)
                .order_by("publish_date", "pk")
                .only("id", "title", "document_number", "url_path", "path")
            )
            context["interpretations"] = [(i, self._link_to(i)) for i in interpretations]
            context["predecessors"] = [(p, self._link_to(p)) for p in predecessors]
            successor = page.successor if page.successor and page.successor.live else None
            context["successor"] = (successor, self._link_to(successor)) if successor else None
            context["validity_label"] = (
                "修订" if page.validity == Validity.REVISED else str(Validity(page.validity).label)
            )
            shows |= {i.pk for i in interpretations} | {p.pk for p in predecessors}
            if successor:
                shows.add(successor.pk)
        elif issubclass(model, InterpretationPage):
            template = "interpretation.html"
            policy = page.policy
            context["policy"] = policy
            context["policy_link"] = self._link_to(policy) if policy and policy.live else None
            context["image"] = (
                page.image.get_rendition("max-960x4000") if page.form == "graphic" and page.image else None
            )
            if policy:
                shows.add(policy.pk)
        elif issubclass(model, ServiceGuidePage):
            template = "guide.html"
        elif issubclass(model, NoticePage):
            template = "notice.html"
            context["closed"] = bool(page.deadline and page.deadline < self.today)
        yield self._page(url + "index.html", (ITEM, page.pk), template, shows=shows, **context)


def render_site(site: GovSite, targets: Iterable[Target] | None = None) -> Iterator[Output]:
    """Every file of ``site`` (or of the given targets)."""
    renderer = SiteRenderer(site)
    yield from renderer.render(renderer.targets() if targets is None else targets)

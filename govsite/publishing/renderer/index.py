"""What a site holds, read in bulk: its columns, 专题, 公开目录 and items, the index of items with
their versions, and the list of its targets."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection
from django.db.models import Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from markupsafe import Markup
from wagtail.models import Page

from govsite.content.models import (
    ColumnPage,
    DisclosureCatalogPage,
    HomePage,
    LibraryItemPage,
    TopicPage,
    item_address,
)
from govsite.publishing import variants
from govsite.sites.models import GovSite

if TYPE_CHECKING:
    from govsite.publishing.fingerprints import Fingerprints
from govsite.publishing.renderer.queries import in_tree, sql_rows, versioned_items_sql
from govsite.publishing.renderer.targets import (
    CATALOG,
    COLUMN,
    HOME,
    ITEM,
    RSS,
    SITE_TARGETS,
    TOPIC,
    ColumnNode,
    Link,
    Target,
)
from govsite.publishing.renderer.templating import environment


def content_types_of(model: type[Page]) -> set[int]:
    """The content type ids of ``model`` and its subclasses (from Django's content-type cache: no query
    after the first). A filter on them lets a query over a few pages of one type start from the
    ``content_type_id`` index instead of reading the site's whole path range (SQLite, a site of 10,000
    pages: its columns in 1 ms instead of 4, its 专题 in 0.1 ms instead of 3)."""
    from django.contrib.contenttypes.models import ContentType

    models = [m for m in apps.get_models() if issubclass(m, model)]
    return {ct.pk for ct in ContentType.objects.get_for_models(*models, for_concrete_models=False).values()}


# The conditions of ``_newest_sql``: a column's items; a site's, through the path index (a small site)
# or with the path range wrapped in an expression, so that the planner walks the 发布日期 index from
# the newest and keeps the site's rows instead (a large site; see ``SiteIndex._holds_many_items``).
IN_COLUMN = "p.path > %s AND p.path <= %s AND p.depth = %s"
IN_SITE = "p.path > %s AND p.path <= %s"
IN_LARGE_SITE = "(p.path || '') > %s AND (p.path || '') <= %s"


@cache
def _newest_sql(condition: str) -> str:
    """SQL for the ids of the newest live items that meet ``condition`` (over ``p``, the page row),
    newest first: the condition's values, then how many, as parameters. Written out rather than
    compiled by the ORM, which cost more than running these small queries."""
    quote = connection.ops.quote_name
    item, page = quote(LibraryItemPage._meta.db_table), quote(Page._meta.db_table)
    return (
        f"SELECT i.page_ptr_id FROM {item} i INNER JOIN {page} p ON i.page_ptr_id = p.id "  # noqa: S608 - names from model metadata, values bound
        f"WHERE p.live AND {condition} ORDER BY i.publish_date DESC, i.page_ptr_id DESC LIMIT %s"
    )


# Above this many ids, ``SiteIndex.ids_of_type`` answers from ``item_index`` rather than by a query.
MANY_IDS = 500

# (database alias, site root path) → (when, whether the site holds many items): see
# ``SiteIndex._holds_many_items``.
_SITE_SIZES: dict[tuple[str, str], tuple[float, bool]] = {}
SITE_SIZE_SECONDS = 600.0


class SiteIndex:
    """What one site holds (columns, 专题, 公开目录, items) from a few bulk queries; the base of
    ``SiteRenderer``. Build one per publish: it caches what it loaded."""

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
        # Filled by ``item_index``: id → version (``versioned_items_sql``), id → content type id.
        self.item_versions: dict[int, str] = {}
        self.item_types: dict[int, int] = {}
        self.item_ids_by_type: defaultdict[int, set[int]] = defaultdict(set)  # ``item_types`` reversed
        self.previous_lists: dict[str, str] = {}
        self._column_items: dict[int, list[Link]] = {}
        # Theme, logo and mourning mode: the same for every page of one publish (computed once).
        self.variant_context = variants.template_context(site, self.today)

    # --- what the site holds ---------------------------------------------------------------------

    def url_of(self, url_path: str) -> str:
        """A page's directory inside the site tree from its Wagtail ``url_path``."""
        return url_path[len(self.root_url_path) :] if url_path.startswith(self.root_url_path) else ""

    def item_url(self, url_path: str, published: datetime | None, pk: int) -> str:
        """An item's file inside the site tree (``item_address``: ``<column>/<yyyymm>/t<date>_<id>.html``)."""
        return self.url_of(item_address(url_path, published, pk))

    @cached_property
    def columns(self) -> dict[int, ColumnNode]:
        """Every live column of the site (top level and inside 专题), in tree order."""
        rows = (
            ColumnPage.objects.filter(
                **self.tree, content_type_id__in=content_types_of(ColumnPage), live=True
            )
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
            TopicPage.objects.filter(
                **self.tree,
                content_type_id__in=content_types_of(TopicPage),
                depth=self.root_depth + 1,
                live=True,
            )
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
            for pk, title, url_path in DisclosureCatalogPage.objects.filter(
                **self.tree, content_type_id__in=content_types_of(DisclosureCatalogPage), live=True
            )
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
                found[column].append(Link(pk, title, self.item_url(url_path, published, pk), published))
        return found

    def newest_items(
        self, count: int, column_ids: Iterable[int] = (), per_column: int = 0
    ) -> tuple[list[Link], dict[int, list[Link]]]:
        """The site's ``count`` newest live items (those in its columns) and the ``per_column`` newest
        of each of these columns, in one query: each list is a subquery with a limit (the site's reads
        the 发布日期 index from the newest, a column's its own path range), and the rows of all of
        them come back sorted newest first.

        The site's list is a subquery of its ``count * 4`` newest items, a prefix of the site's
        order; every other row a column adds is older than all of them, so the first ``count * 4``
        rows returned are that prefix. A column's newest come first among its rows likewise."""
        columns = [self.columns[c] for c in column_ids if c in self.columns]
        found: dict[int, list[Link]] = {c.id: [] for c in columns}
        if "all_items" in self.__dict__:
            for column in columns:
                found[column.id] = self.all_items.get(column.id, [])[:per_column]
            return self.latest_items(count), found
        order = ("-publish_date", "-id")
        # One subquery per list, their ids joined by UNION ALL (SQLite evaluates the IN list once; an
        # OR of seven IN lists ran each subquery twice). Django cannot build a UNION of sliced
        # queries on SQLite, and compiling seven ORM queries cost more than running them.
        tree = (self.tree["path__gt"], self.tree["path__lte"])
        site = IN_LARGE_SITE if self._holds_many_items else IN_SITE
        parts = [f"SELECT * FROM ({_newest_sql(site)}) AS newest0"]  # noqa: S608 - our SQL, values bound
        params: list[Any] = [*tree, max(count, 1) * 4]
        for n, column in enumerate(columns if per_column > 0 else [], start=1):
            parts.append(f"SELECT * FROM ({_newest_sql(IN_COLUMN)}) AS newest{n}")  # noqa: S608 - our SQL, values bound
            range_ = in_tree(column.path)
            params += [range_["path__gt"], range_["path__lte"], column.depth + 1, per_column]
        union = RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611 - the SQL above, values bound
        rows = (
            LibraryItemPage.objects.filter(pk__in=union)
            .order_by(*order)
            .values_list("id", "path", "title", "url_path", "publish_date")
        )
        by_path = {c.path: c.id for c in columns}
        latest: list[Link] = []
        for n, (pk, path, title, url_path, published) in enumerate(rows):
            parent = path[: -Page.steplen]
            if parent not in self.column_by_path:
                continue
            link = Link(pk, title, self.item_url(url_path, published, pk), published)
            if n < count * 4:
                latest.append(link)
            column_id = by_path.get(parent)
            if column_id is not None and len(found[column_id]) < per_column:
                found[column_id].append(link)
        return latest[:count], found

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
        return self.newest_items(count)[0]

    @property
    def _holds_many_items(self) -> bool:
        """Whether this site holds a twentieth or more of all pages: then its newest items are found
        quickly by reading the 发布日期 index from the newest (about 20 rows per row wanted); a small
        site's few pages are quicker to read and sort through the path index.

        Kept per process for a few minutes (``_SITE_SIZES``): it only chooses how a query reads, never
        what it returns, so an answer that has gone stale costs time, not correctness."""
        key = (LibraryItemPage.objects.db, self.root_path)
        now = time.monotonic()
        known = _SITE_SIZES.get(key)
        if known is None or now - known[0] > SITE_SIZE_SECONDS:
            mine = Page.objects.filter(**self.tree).count()  # the path index alone
            everyone = Page.objects.aggregate(top=Max("id"))["top"] or 0  # the primary key's end: O(1)
            known = _SITE_SIZES[key] = (now, mine * 20 >= everyone)
        return known[1]

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
        sql = versioned_items_sql(f"p.depth IN ({', '.join(['%s'] * len(depths))})")
        sql += " ORDER BY i.publish_date DESC, i.page_ptr_id DESC"
        versions, types, by_type = self.item_versions, self.item_types, self.item_ids_by_type
        every, steplen = index[0], Page.steplen
        for pk, path, version, content_type_id in sql_rows(
            sql, [self.tree["path__gt"], self.tree["path__lte"], *sorted(depths)]
        ):
            column = by_path.get(path[:-steplen])
            if column is not None:
                index[column].append(pk)
                every.append(pk)
                versions[pk] = version
                types[pk] = content_type_id
                by_type[content_type_id].add(pk)
        return index

    def ids_of_type(self, ids: Iterable[int], model: type[Page]) -> set[int]:
        """Which of these item ids are pages of ``model`` (or a subclass): from ``item_index`` for many
        ids (no query), by id for a few."""
        ids = set(ids)
        wanted = content_types_of(model)
        if len(ids) > MANY_IDS:
            self.item_index  # noqa: B018 - loads the types with the index
            found: set[int] = set()
            for content_type_id in wanted:  # each type's ids: no pass over all 10,000 per type
                found |= ids.intersection(self.item_ids_by_type.get(content_type_id, ()))
            return found
        if ids <= self.item_types.keys():
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

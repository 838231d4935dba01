"""Rendering a site's targets into files: home, column lists, feeds, 专题, 公开目录, sitemap, robots.txt,
search and 404 pages, and item pages."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup, escape
from wagtail.models import Page

from govsite.content.models import (
    ColumnClass,
    DisclosureCatalogPage,
    InterpretationPage,
    LibraryItemPage,
    NoticePage,
    PolicyDocumentPage,
    ServiceGuidePage,
    TopicPage,
    Validity,
)
from govsite.sites.models import GovSite

if TYPE_CHECKING:
    pass
from govsite.publishing.renderer.index import SiteIndex
from govsite.publishing.renderer.queries import ItemRow, row_fields
from govsite.publishing.renderer.targets import (
    ASSET_DIR,
    ASSETS,
    ASSETS_FILES,
    CATALOG,
    COLUMN,
    HOME,
    HOME_COLUMN_ITEMS,
    HOME_LATEST,
    ITEM,
    NOT_FOUND,
    PAGE_SIZE,
    ROBOTS,
    RSS,
    RSS_ITEMS,
    SEARCH,
    SITEMAP,
    SITEMAP_CHUNK,
    TOPIC,
    TOPIC_LATEST,
    ColumnNode,
    Link,
    Output,
    Target,
)
from govsite.publishing.renderer.templating import format_date, local_time, relative_url

# Bounds ``SiteRenderer._fragments`` whatever the shape of the site's addresses.
MAX_FRAGMENTS = 10_000


class SiteRenderer(SiteIndex):
    """Renders the targets of one site. Build one per publish: it caches what it loaded."""

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
        if "crumbs" in context:
            context["crumb_links"] = self._crumb_links(context["crumbs"], current)
        html = self.env.get_template(template).render(**self._base_context(current), **context)
        return Output(path, html.encode(), target, frozenset(shows), fingerprint, text=html)

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

    @cached_property
    def _fragments(self) -> dict[tuple[Any, ...], Markup]:
        """Rendered pieces many pages share (a column's meta tags, the links of a breadcrumb), by what
        they depend on: a few per column, however many items it holds."""
        return {}

    def _column_meta(self, column: ColumnNode) -> Markup:
        """The column meta tags (ColumnName … ColumnType): the same on the column's lists and items."""
        key = ("column_meta", column.id)
        html = self._fragments.get(key)
        if html is None:
            # Rendered by an autoescaping template.
            html = self._fragments[key] = Markup(  # noqa: S704
                self.env.get_template("_column_meta.html").render(column=column)
            )
        return html

    def _crumb_links(self, crumbs: Sequence[Link], current: str) -> Markup:
        """The links of the breadcrumb (首页 > 栏目 …) of the page at ``current``. From two directories
        side by side (the items of a column) every link is the same, unless it leads into one of
        them: the links are rendered once per parent directory and trail."""
        parent = current[: current.rstrip("/").rfind("/") + 1]
        key = ("crumbs", parent, current.count("/"), *((c.url, c.title) for c in crumbs))
        html = self._fragments.get(key)
        if html is None:
            # Rendered by an autoescaping template.
            html = Markup(  # noqa: S704
                self.env.get_template("_crumbs.html").render(
                    home_url=relative_url(current, ""),
                    crumbs=crumbs,
                    link=lambda target: relative_url(current, target),
                )
            )
            shared = current and not any(c.url.startswith(current) for c in crumbs)
            if shared and len(self._fragments) < MAX_FRAGMENTS:
                self._fragments[key] = html
        return html

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
        columns = self._home_columns()
        # Unless every item is loaded: the newest few of each column, not the columns' whole lists (an
        # edit's publish asks this for the home page's fingerprint, and its columns may hold
        # thousands), in one query with the site's newest.
        missing = [c.id for c in columns if c.id not in self._column_items]
        latest, newest = self.newest_items(HOME_LATEST, missing, HOME_COLUMN_ITEMS)
        return latest, [
            (
                column,
                newest[column.id] if column.id in newest else self.items_of(column.id)[:HOME_COLUMN_ITEMS],
            )
            for column in columns
        ]

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
                pk for column in self._home_columns() for pk in index[column.id][:HOME_COLUMN_ITEMS]
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
                column_meta=self._column_meta(column),
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
            published = local_time(link.publish_date)
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
        costs ~100 µs, a row ~5 µs; 政策文件 and 解读, which follow relations, as model instances.

        The types come from what the fingerprints or ``item_index`` read when they know every id
        (no query); each type's query checks again that its pages are live."""
        known = self.item_types
        if all(pk in known for pk in ids):
            type_of = {pk: known[pk] for pk in ids}
        else:
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
                    for p in model.objects.filter(pk__in=pks, live=True).select_related(
                        "policy", "image", "video"
                    )
                ]
            elif model is PolicyDocumentPage:
                pages += [
                    (model, p)
                    for p in model.objects.filter(pk__in=pks, live=True).select_related("successor")
                ]
            else:
                fields = row_fields(model)
                rows = model.objects.filter(pk__in=pks, live=True).values(*fields)
                pages += [(model, ItemRow(row)) for row in rows]
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
        for pk, alias_of, url_path, published in (
            LibraryItemPage.objects.filter(**self.tree, live=True)
            .order_by("path")
            .values_list("id", "alias_of_id", "url_path", "publish_date")
        ):
            url = self.item_url(url_path, published, pk)
            found.setdefault(pk, url)
            if alias_of is not None:
                found.setdefault(alias_of, url)
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
        url = self.item_url(page.url_path, page.publish_date, page.pk)
        shows = {page.pk}
        context: dict[str, Any] = {
            "title": page.title,
            "page": page,
            "column": column,
            "column_meta": self._column_meta(column),
            "crumbs": self._crumbs(column),
            "attachments": attachments,
            "self_path_override": url,
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
        yield self._page(url, (ITEM, page.pk), template, shows=shows, **context)


def render_site(site: GovSite, targets: Iterable[Target] | None = None) -> Iterator[Output]:
    """Every file of ``site`` (or of the given targets)."""
    renderer = SiteRenderer(site)
    yield from renderer.render(renderer.targets() if targets is None else targets)

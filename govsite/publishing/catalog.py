"""The static 政府信息公开目录 of a site (national-specs §5.1–5.3): every library item shown on the
site, once, browsable by 主题分类, 体裁, 发布机构 and year, 20 to a page.

A static tree cannot hold every combination of filters, so each facet value gets its own paginated
list (``gkml/topic/<key>/``, ``gkml/genre/<key>/``, ``gkml/publisher/<key>/``, ``gkml/year/2025/``);
combined filters are the search endpoint's job. Keys are short hashes of the value, so a value keeps
its URL when other values come and go.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from govsite.content.models import GENRES, TOPIC_CATEGORIES, DisclosureCatalogPage, LibraryItemPage

if TYPE_CHECKING:
    from govsite.publishing.renderer import Link, Output, SiteRenderer

FACETS: tuple[tuple[str, str], ...] = (
    ("topic", "主题分类"),
    ("genre", "体裁"),
    ("publisher", "发布机构"),
    ("year", "年份"),
)


@dataclass(frozen=True, slots=True)
class FacetValue:
    facet: str
    value: str
    key: str
    count: int

    @property
    def url(self) -> str:
        return f"{self.facet}/{self.key}/"


def value_key(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()[:10]  # noqa: S324 - a URL key, not security


def render_catalog(renderer: SiteRenderer, page: DisclosureCatalogPage) -> Iterator[Output]:
    from govsite.publishing.renderer import CATALOG, PAGE_SIZE, Link

    base = renderer.url_of(page.url_path)
    links: dict[int, Link] = {}
    for column_links in renderer.all_items.values():
        for link in column_links:
            links[link.id] = link
    rows = (
        LibraryItemPage.objects.filter(pk__in=list(links))
        .order_by("-publish_date", "-id")
        .values_list("id", "alias_of_id", "topic_category", "genre", "publisher", "publish_date")
    )
    seen: set[int] = set()
    entries: list[tuple[Link, dict[str, str]]] = []
    for pk, alias_of, topic, genre, publisher, published in rows:
        original = alias_of or pk
        if original in seen:
            continue
        seen.add(original)
        year = str(timezone.localtime(published).year) if published else ""
        values = {"topic": topic.split("\\")[0], "genre": genre, "publisher": publisher, "year": year}
        entries.append((links[pk], values))

    orders = {"topic": TOPIC_CATEGORIES, "genre": GENRES}
    facets: list[tuple[str, str, list[FacetValue]]] = []
    for facet, label in FACETS:
        counts = Counter(values[facet] for _, values in entries if values[facet])
        order = orders.get(facet)
        if order is not None:
            keys = [v for v in order if v in counts] + sorted(v for v in counts if v not in order)
        elif facet == "year":
            keys = sorted(counts, reverse=True)
        else:
            keys = sorted(counts, key=lambda v: (-counts[v], v))
        facets.append(
            (
                facet,
                label,
                [FacetValue(facet, v, v if facet == "year" else value_key(v), counts[v]) for v in keys],
            )
        )

    # Every catalog page shows the facets with their counts: a change of any count changes every page.
    facet_key = repr([(facet, [(v.value, v.count) for v in values]) for facet, _, values in facets])

    def lists(url: str, heading: str, chosen: list[Link]) -> Iterator[Output]:
        pages = max(1, -(-len(chosen) // PAGE_SIZE))
        for number in range(1, pages + 1):
            chunk = chosen[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
            name = "index.html" if number == 1 else f"index_{number}.html"
            known = renderer.unchanged_list(
                base + url + name,
                (CATALOG, page.pk),
                chunk,
                number,
                pages,
                len(chosen),
                facet_key,
                page.title,
            )
            if known.keep:
                yield known
                continue
            yield renderer._page(
                base + url + name,
                (CATALOG, page.pk),
                "catalog.html",
                shows=known.shows,
                fingerprint=known.fingerprint,
                title=page.title if not heading else f"{heading}_{page.title}",
                catalog=page,
                catalog_url=base,
                heading=heading,
                facets=facets,
                items=chunk,
                number=number,
                pages=pages,
                total=len(chosen),
                page_url=lambda n, u=url: base + u + ("index.html" if n == 1 else f"index_{n}.html"),
                crumbs=[] if not heading else [Link(page.pk, page.title, base)],
            )

    yield from lists("", "", [link for link, _ in entries])
    for facet, label, facet_values in facets:
        for value in facet_values:
            chosen = [link for link, row in entries if row[facet] == value.value]
            yield from lists(value.url, f"{label}：{value.value}", chosen)

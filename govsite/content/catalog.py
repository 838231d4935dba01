"""The 政府信息公开目录 of a site: its live library items, filtered by 主题分类, 体裁, 发布机构 and year,
20 to a page, with the number of items behind every value of every filter (national-specs §5.1–5.3).

An item shown on a site more than once (its own page and an alias in another column, or two aliases)
is listed once. Filters come from the query string and are validated here: a value that is not
acceptable is ignored, never an error. The public 公开目录 page gets ``catalog_context`` through the
``on_serve_page`` hook in ``content/hooks/policy.py``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page as ListPage
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from wagtail.models import Page

from govsite.content.models import GENRES, TOPIC_CATEGORIES, LibraryItemPage, Validity
from govsite.sites.models import GovSite

PAGE_SIZE = 20
MIN_YEAR, MAX_YEAR = 1949, 2100
MAX_PUBLISHER_LENGTH = 100  # LibraryItemPage.publisher.max_length

FILTER_LABELS: dict[str, str] = {
    "topic_category": "主题分类",
    "genre": "体裁",
    "publisher": "发布机构",
    "year": "年份",
}


@dataclass(frozen=True)
class CatalogFilters:
    """The accepted filters of one request; an empty string (or ``None`` year) means "all"."""

    topic_category: str = ""
    genre: str = ""
    publisher: str = ""
    year: int | None = None

    def params(self) -> dict[str, str]:
        """The active filters as query-string parameters, in a stable order."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: str(value) for name, value in values.items() if value not in ("", None)}

    def toggled(self, name: str, value: str) -> CatalogFilters:
        """These filters with ``name`` set to ``value``, or cleared if it already has that value."""
        current = self.params().get(name)
        if name == "year":
            return replace(self, year=None if current == value else int(value))
        changes: dict[str, Any] = {name: "" if current == value else value}
        return replace(self, **changes)

    def query(self, **extra: str | int) -> str:
        """``?…`` for a link to the catalogue with these filters (and ``extra``, e.g. a page number)."""
        params: dict[str, str | int] = {**self.params(), **extra}
        return "?" + urlencode(params) if params else "?"


def _text_param(params: Mapping[str, str], name: str, max_length: int) -> str:
    value = (params.get(name) or "").strip()
    if not value or len(value) > max_length:
        return ""
    # Control characters (NUL above all: PostgreSQL rejects it in a query) never occur in a real value.
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        return ""
    return value


def parse_filters(params: Mapping[str, str]) -> CatalogFilters:
    """Read the filters from a query string; values that are not acceptable are dropped."""
    topic = _text_param(params, "topic_category", 60)
    genre = _text_param(params, "genre", 20)
    year_text = _text_param(params, "year", 4)
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    return CatalogFilters(
        topic_category=topic if topic in TOPIC_CATEGORIES else "",
        genre=genre if genre in GENRES else "",
        publisher=_text_param(params, "publisher", MAX_PUBLISHER_LENGTH),
        year=year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None,
    )


def parse_page_number(params: Mapping[str, str]) -> int:
    """The requested page, 1 unless it is a positive whole number (past the end shows the last page)."""
    text = _text_param(params, "page", 6)
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else 1


def site_items(site: GovSite) -> QuerySet[LibraryItemPage]:
    """Every live, public library item shown on ``site``, each once.

    Items reposted or pushed to the site are alias pages under its root, so ``descendant_of`` finds
    them. Where an item is shown more than once on the site, the earliest page (the original if it is
    here) stands for it: an alias is dropped when the original, or an earlier alias of the same item,
    is also on the site.
    """
    placed = LibraryItemPage.objects.live().public().descendant_of(site.root_page)
    twin = placed.filter(
        Q(pk=OuterRef("alias_of_id")) | Q(alias_of_id=OuterRef("alias_of_id"), pk__lt=OuterRef("pk"))
    )
    return placed.filter(Q(alias_of__isnull=True) | ~Exists(twin))


def _filtered(
    items: QuerySet[LibraryItemPage], filters: CatalogFilters, *, skip: str = ""
) -> QuerySet[LibraryItemPage]:
    conditions: dict[str, Any] = {}
    if filters.topic_category and skip != "topic_category":
        conditions["topic_category"] = filters.topic_category
    if filters.genre and skip != "genre":
        conditions["genre"] = filters.genre
    if filters.publisher and skip != "publisher":
        conditions["publisher"] = filters.publisher
    if filters.year is not None and skip != "year":
        conditions["publish_date__year"] = filters.year
    return items.filter(**conditions)


def catalog_items(
    site: GovSite,
    filters: CatalogFilters,
    *,
    base: QuerySet[LibraryItemPage] | None = None,
) -> QuerySet[LibraryItemPage]:
    """The items of ``site``'s catalogue matching ``filters``, newest first, each annotated with
    ``validity_label`` (有效/失效/废止/已修订 for a 政策文件, empty otherwise)."""
    items = _filtered(site_items(site) if base is None else base, filters)
    validity = Case(
        *[
            When(policydocumentpage__validity=value, then=Value(str(label)))
            for value, label in Validity.choices
        ],
        default=Value(""),
        output_field=CharField(),
    )
    return items.annotate(validity_label=validity).order_by("-publish_date", "-pk")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query: str  # link that selects this value (or clears it when selected), back on page 1


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


def _facet(name: str, counts: dict[str, int], order: list[str], filters: CatalogFilters) -> Facet:
    selected = filters.params().get(name, "")
    if selected and selected not in counts:
        counts = {**counts, selected: 0}  # keep the chosen value visible, so it can be cleared
    ordered = [v for v in order if v in counts] + sorted(v for v in counts if v not in order)
    values = [
        FacetValue(
            value=v,
            label=f"{v}年" if name == "year" else v,
            count=counts[v],
            selected=v == selected,
            query=filters.toggled(name, v).query(),
        )
        for v in ordered
    ]
    return Facet(name=name, label=FILTER_LABELS[name], values=values)


def catalog_facets(base: QuerySet[LibraryItemPage], filters: CatalogFilters) -> list[Facet]:
    """For each filter, how many items each of its values would give together with the other active
    filters (one aggregate query per filter, four in all). Items without a value are not counted."""

    def counts(name: str, expression: str) -> dict[str, int]:
        rows = _filtered(base, filters, skip=name).order_by().values(expression).annotate(n=Count("pk"))
        return {str(row[expression]): row["n"] for row in rows if row[expression] not in ("", None)}

    topics = counts("topic_category", "topic_category")
    genres = counts("genre", "genre")
    publishers = counts("publisher", "publisher")
    by_year = _filtered(base, filters, skip="year").order_by().annotate(item_year=ExtractYear("publish_date"))
    years = {str(row["item_year"]): row["n"] for row in by_year.values("item_year").annotate(n=Count("pk"))}
    return [
        _facet("topic_category", topics, TOPIC_CATEGORIES, filters),
        _facet("genre", genres, GENRES, filters),
        _facet("publisher", publishers, sorted(publishers, key=lambda p: (-publishers[p], p)), filters),
        _facet("year", years, sorted(years, reverse=True), filters),
    ]


@dataclass(frozen=True)
class ActiveFilter:
    label: str  # 主题分类
    value: str  # 综合政务
    remove_query: str


@dataclass(frozen=True)
class Catalog:
    """Everything the 公开目录 template shows."""

    filters: CatalogFilters
    page: ListPage  # the items of the current page (Django's paginator page)
    facets: list[Facet]
    active: list[ActiveFilter]
    previous_query: str
    next_query: str

    @property
    def total(self) -> int:
        return self.page.paginator.count


def build_catalog(site: GovSite, params: Mapping[str, str]) -> Catalog:
    """The catalogue of ``site`` for a request's query string ``params``; a constant number of queries
    whatever the number of items (the view-restriction lookup, the count, the page and four facets)."""
    filters = parse_filters(params)
    base = site_items(site)
    page = Paginator(catalog_items(site, filters, base=base), PAGE_SIZE).get_page(parse_page_number(params))
    active = [
        ActiveFilter(
            FILTER_LABELS[name],
            f"{value}年" if name == "year" else value,
            filters.toggled(name, value).query(),
        )
        for name, value in filters.params().items()
    ]
    previous_query = filters.query(page=page.previous_page_number()) if page.has_previous() else ""
    next_query = filters.query(page=page.next_page_number()) if page.has_next() else ""
    return Catalog(
        filters=filters,
        page=page,
        facets=catalog_facets(base, filters),
        active=active,
        previous_query=previous_query,
        next_query=next_query,
    )


def site_of_page(page: Page) -> GovSite | None:
    """The GovSite whose root page is ``page`` or one of its ancestors (one query)."""
    step = Page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    return (
        GovSite.objects.select_related("wagtail_site__root_page")
        .filter(wagtail_site__root_page__path__in=paths)
        .order_by("-wagtail_site__root_page__depth")
        .first()
    )


def catalog_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    """Template context of a 公开目录 page: ``catalog`` (None if the page belongs to no site)."""
    site = site_of_page(page)
    return {"catalog": build_catalog(site, request.GET) if site is not None else None}

"""Read-side queries of the resource library: overdue 重要政策 reposts, repost delays, push lists,
upper sites' items and a site's columns (each a fixed number of queries)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from govsite.content.library import (
    OVERDUE_WINDOW,
    PLACED_KINDS,
    SITE_KINDS_WITHOUT_REPOST_DUTY,
    SiteNode,
    SiteTree,
)
from govsite.content.models import ColumnPage, LibraryItemPage, Placement, PushRequest
from govsite.content.models.library import REPOST_DEADLINE
from govsite.sites.models import GovSite


@dataclass(frozen=True)
class OverdueRepost:
    """An important item of an upper site that a lower site has not carried 12 hours after publication."""

    item: LibraryItemPage
    owner_site: SiteNode
    site: SiteNode
    published_at: datetime
    overdue_by: timedelta

    @property
    def deadline(self) -> datetime:
        return self.published_at + REPOST_DEADLINE

    @property
    def hours_overdue(self) -> float:
        """Hours past the 12-hour deadline, one decimal."""
        return round(self.overdue_by.total_seconds() / 3600, 1)


def overdue_reposts(
    now: datetime | None = None, *, site_ids: Iterable[int] | None = None, tree: SiteTree | None = None
) -> list[OverdueRepost]:
    """Live 重要政策 items whose direct child sites have not carried them more than 12 hours on.

    The duty is one level down (seed 004: 上级网站的重要政策，下级网站 12 小时内转载): a county portal
    answers for its city portal's policies, and its own departments answer for what the county portal
    publishes, not for the city's. 专题网站 have no such duty. Any placement on the child site counts
    (accepted push or repost, in any column). Only originals count as published on a site — an alias of
    an item on a middle site does not start a new clock — and only items first published within
    ``OVERDUE_WINDOW``. ``site_ids`` limits the rows to those obligated sites. Three queries.
    """
    now = now or timezone.now()
    tree = tree or SiteTree.load()
    wanted = set(site_ids) if site_ids is not None else None
    items = list(
        LibraryItemPage.objects.live()
        .filter(
            alias_of__isnull=True,
            is_important_policy=True,
            first_published_at__lt=now - REPOST_DEADLINE,
            first_published_at__gte=now - OVERDUE_WINDOW,
        )
        .only("title", "path", "depth", "url_path", "first_published_at", "publish_date", "index_number")
        .order_by("first_published_at", "pk")
    )
    if not items:
        return []
    carried = set(
        Placement.objects.filter(item_id__in=[item.pk for item in items]).values_list("item_id", "site_id")
    )
    rows: list[OverdueRepost] = []
    for item in items:
        owner = tree.site_of_path(item.path)
        if owner is None:
            continue
        for child in tree.children(owner.id):
            if child.kind in SITE_KINDS_WITHOUT_REPOST_DUTY or (item.pk, child.id) in carried:
                continue
            if wanted is not None and child.id not in wanted:
                continue
            rows.append(
                OverdueRepost(
                    item=item,
                    owner_site=owner,
                    site=child,
                    published_at=item.first_published_at,
                    overdue_by=now - item.first_published_at - REPOST_DEADLINE,
                )
            )
    rows.sort(key=lambda row: (-row.overdue_by, row.site.id))
    return rows


@dataclass(frozen=True)
class RepostDelay:
    """How long after the upper publication an item went live on a site (for reports)."""

    placement_id: int
    item_id: int
    title: str
    kind: str
    kind_label: str
    column: str
    source_published_at: datetime | None
    placed_at: datetime
    is_important: bool

    @property
    def delay(self) -> timedelta | None:
        return None if self.source_published_at is None else self.placed_at - self.source_published_at

    @property
    def delay_hours(self) -> float | None:
        delay = self.delay
        return None if delay is None else round(delay.total_seconds() / 3600, 1)

    @property
    def late(self) -> bool:
        """An important item carried more than 12 hours after its publication."""
        delay = self.delay
        return self.is_important and delay is not None and delay > REPOST_DEADLINE


def repost_delays(site: GovSite) -> list[RepostDelay]:
    """Every pushed or reposted item on ``site`` with its delay, newest first (one query)."""
    labels = dict(Placement.Kind.choices)
    rows = (
        Placement.objects.filter(site=site, kind__in=PLACED_KINDS)
        .order_by("-placed_at", "-pk")
        .values_list(
            "pk",
            "item_id",
            "item__title",
            "kind",
            "column__title",
            "source_published_at",
            "placed_at",
            "item__libraryitempage__is_important_policy",
        )
    )
    return [
        RepostDelay(
            placement_id=pk,
            item_id=item_id,
            title=title,
            kind=kind,
            kind_label=str(labels[kind]),
            column=column,
            source_published_at=source,
            placed_at=placed,
            is_important=bool(important),
        )
        for pk, item_id, title, kind, column, source, placed, important in rows
    ]


def pending_pushes_to(site_ids: Iterable[int]) -> QuerySet[PushRequest]:
    """Pending pushes to these sites, oldest first, with what a list shows (one query)."""
    return (
        PushRequest.objects.filter(to_site_id__in=list(site_ids), status=PushRequest.Status.PENDING)
        .select_related("item", "from_site", "to_site", "suggested_column", "requested_by")
        .order_by("requested_at", "pk")
    )


def pushes_from(
    site_ids: Iterable[int], *, status: str = PushRequest.Status.PENDING
) -> QuerySet[PushRequest]:
    """Pushes sent from these sites in a status, newest first (one query)."""
    return (
        PushRequest.objects.filter(from_site_id__in=list(site_ids), status=status)
        .select_related("item", "from_site", "to_site", "requested_by")
        .order_by("-requested_at", "-pk")
    )


def upper_items(site_id: int, tree: SiteTree, *, since: datetime | None = None) -> Any:
    """Live originals published on the upper sites of ``site_id`` (at any height), newest first."""
    uppers = tree.ancestors(site_id)
    if not uppers:
        return LibraryItemPage.objects.none()
    in_uppers = Q()
    for node in uppers:
        in_uppers |= Q(path__startswith=node.root_path)
    # Sites nested inside an upper site's page tree are other sites, not the upper site.
    nested = [
        n
        for n in tree.nodes.values()
        if n not in uppers and any(n.root_path.startswith(u.root_path) for u in uppers)
    ]
    queryset = LibraryItemPage.objects.live().filter(in_uppers, alias_of__isnull=True)
    for node in nested:
        queryset = queryset.exclude(path__startswith=node.root_path)
    if since is not None:
        queryset = queryset.filter(first_published_at__gte=since)
    return queryset.order_by("-first_published_at", "-pk")


def site_columns(site_id: int, tree: SiteTree) -> list[ColumnPage]:
    """The site's columns in tree order (one query)."""
    node = tree.nodes.get(site_id)
    if node is None:
        return []
    return list(
        ColumnPage.objects.filter(path__startswith=node.root_path)
        .order_by("path")
        .only("title", "path", "depth")
    )

"""How the demo stores pages: bulk insertion under a parent with search indexing deferred to the end, and
the small helpers every loader of published items shares."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler  # re-exported from modelsearch
from wagtail.signal_handlers import disable_reference_index_auto_update

from govsite.accounts.models import User
from govsite.content.models import LibraryItemPage

INDEX_BATCH = 500
TZ = timezone.get_default_timezone()


@contextmanager
def deferred_indexing(models: Sequence[type[Page]]) -> Iterator[None]:
    """Skip the per-save search and reference-index tasks for ``models``; the caller indexes in bulk.

    Wagtail enqueues one search-index task and one reference-index task per saved page (a task row
    each with the database queue, inline indexing with the immediate backend). The demo is a one-off
    command, so pausing the process-wide search signal for its duration is safe.
    """
    paused = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


def append_children(parent: Page, children: Sequence[Page]) -> None:
    """Insert unsaved, fully populated pages as the last children of ``parent``.

    Equivalent to ``parent.add_child(instance=page)`` for each page, but with one parent lookup and one
    ``numchild`` update for the batch, no full_clean (the demo data are valid by construction) and no
    per-page ``wagtail.create`` log entry (the run's ``demo.load`` audit row covers them).
    """
    if not children:
        return
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    position = last._get_lastpos_in_path() + 1 if last is not None else 1
    depth = parent.depth + 1
    for offset, page in enumerate(children):
        page.depth = depth
        page.path = Page._get_path(parent.path, depth, position + offset)
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page._cached_parent_obj = parent  # lets save() compute url_path without a query
        page._is_site_root = False  # a column or article is never a site root: saves a query per page
        page.save(clean=False, log_action=None)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))


def index_pages(model: type[Page], pages: Sequence[Page]) -> None:
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(pages), INDEX_BATCH):
            backend.add_bulk(model, pages[start : start + INDEX_BATCH])


def item_rng(seed: int, slug: str) -> random.Random:
    """The random stream of one named item: independent of every other item and of the article plan."""
    return random.Random(f"govsite-demo:{seed}:{slug}")  # noqa: S311 - demo content, not security


def on_working_day(anchor: date, age_days: int, hour: int, minute: int = 0) -> datetime:
    """``age_days`` before the anchor at ``hour``; a weekend day moves to the Friday before."""
    day = anchor - timedelta(days=age_days)
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def mark_live(page: LibraryItemPage, when: datetime, owner: User) -> LibraryItemPage:
    """Mark an unsaved item as published at ``when`` (how the demo's articles are stored too)."""
    page.publish_date = page.first_published_at = page.last_published_at = when
    page.owner = owner
    page.live, page.has_unpublished_changes = True, False
    return page


def missing_slugs(parent: Page, slugs: Sequence[str]) -> set[str]:
    have = Page.objects.child_of(parent).filter(slug__in=slugs).values_list("slug", flat=True)
    return set(slugs) - set(have)


def add_items(
    parent: Page, pages: Sequence[LibraryItemPage], model: type[Page], kind: str, items: dict[str, int]
) -> None:
    """Insert new items oldest first (as a column's own articles are), then index them."""
    ordered = sorted(pages, key=lambda p: p.publish_date)
    append_children(parent, ordered)
    for page in ordered:
        ReferenceIndex.create_or_update_for_object(page)  # 解读 → 政策文件, 图解 → image, 修订 → successor
    index_pages(model, ordered)
    items[kind] += len(ordered)

"""Publishing a site: render, write a release, keep the dependency record — the named actions.

``publish_site(site)`` renders every target of a site into a new release (a full publish);
``publish_site(site, page_ids=[…])`` re-renders only the targets those pages touch: the targets the
dependency record says showed them (where they were), and the targets where they are now (their own
page, their column's lists and feed, the home page, the 公开目录, the sitemap, the 政策文件 a 解读
interprets). A change to the site's structure (a column, 专题 or home page) re-renders the whole site:
the navigation is on every page. Files whose bytes did not change are not rewritten (the release store
links them), so "re-rendered" and "written" are reported apart.

The dependency record and the release are committed together: the records are written inside a
transaction whose last step is the release swap, so a failed publish leaves both as they were and the
previous release live.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from govsite.audit.log import record
from govsite.content.models import (
    ColumnPage,
    DisclosureCatalogPage,
    HomePage,
    LibraryItemPage,
    TopicPage,
)
from govsite.publishing import variants
from govsite.publishing.fingerprints import Fingerprints
from govsite.publishing.models import Dependency, PublishRun, RenderedPath, RenderedTarget
from govsite.publishing.releases import Release, ReleaseStore
from govsite.publishing.renderer import (
    CATALOG,
    COLUMN,
    HOME,
    ITEM,
    RSS,
    SITEMAP,
    TOPIC,
    Output,
    SiteRenderer,
    Target,
    raw_rows,
)
from govsite.sites.models import GovSite

STRUCTURAL_MODELS: tuple[type[Page], ...] = (ColumnPage, TopicPage, HomePage, DisclosureCatalogPage)


def release_store(site: GovSite) -> ReleaseStore:
    return ReleaseStore(settings.PUBLISH_ROOT, site.code, keep=settings.PUBLISH_KEEP)


@dataclass(frozen=True)
class PublishResult:
    run: PublishRun
    seconds: float
    # From the start to the switch of ``current`` (what a reader waits for); None when nothing changed.
    # ``seconds`` adds what follows the switch: pruning old releases, the run's row and audit, the commit.
    to_swap: float | None = None


def affected_targets(renderer: SiteRenderer, page_ids: Iterable[int]) -> set[Target] | None:
    """The targets of the renderer's site that the change of these pages touches; None = all of them."""
    ids = set(page_ids)
    site = renderer.site
    targets: set[Target] = {
        (kind, target)
        for kind, target in Dependency.objects.filter(site=site, page_id__in=ids).values_list(
            "target_kind", "target_id"
        )
    }
    # The pages as they are now: the changed pages themselves and their aliases, with what an item's
    # address is made of and what a 解读 interprets (one query; this site's are picked below, by the
    # same path range the site's queries use).
    found = list(
        Page.objects.filter(Q(pk__in=ids) | Q(alias_of_id__in=ids)).values_list(
            "id",
            "path",
            "live",
            "content_type_id",
            "url_path",
            "libraryitempage__publish_date",
            "libraryitempage__interpretationpage__policy_id",
        )
    )
    low, high = renderer.tree["path__gt"], renderer.tree["path__lte"]
    rows = [row for row in found if low < row[1] <= high]
    structural = _content_type_ids(STRUCTURAL_MODELS)
    item_types = _content_type_ids(tuple(m for m in apps.get_models() if issubclass(m, LibraryItemPage)))
    # Where each page's file was last written: a page still live at that place was edited in place,
    # which leaves the sitemap (addresses) as it is.
    recorded = dict(
        RenderedPath.objects.filter(
            site=renderer.site, target_kind=ITEM, target_id__in=[row[0] for row in rows] + list(ids)
        )
        .exclude(path__startswith=variants.TRADITIONAL_DIR)
        .values_list("target_id", "path")
    )
    addresses_changed = any(pk not in {row[0] for row in rows} for pk in recorded)
    for pk, path, live, content_type_id, url_path, published, _ in rows:
        if content_type_id in structural:
            return None
        if content_type_id not in item_types:
            continue
        column = renderer.column_by_path.get(path[: -Page.steplen])
        if not live or column is None:
            addresses_changed = addresses_changed or pk in recorded
            continue
        # Where the item's file belongs now: its address follows its column and 发布日期.
        if recorded.get(pk) != renderer.item_url(url_path, published, pk):
            addresses_changed = True
        targets |= {(ITEM, pk), (COLUMN, column.id), (RSS, column.id)}
        topic = renderer._topic_of(column)
        if topic is not None:
            targets.add((TOPIC, topic.id))
    # A 解读 is listed on the 政策文件 it interprets (and on that document's aliases on this site).
    policies = {row[6] for row in found if row[0] in ids and row[6] is not None}
    if policies:
        targets |= {
            (ITEM, pk)
            for pk in Page.objects.filter(**renderer.tree, live=True)
            .filter(Q(pk__in=policies) | Q(alias_of_id__in=policies))
            .values_list("id", flat=True)
        }
    if targets or rows:
        targets.add((HOME, renderer.root_id))
        targets |= {(CATALOG, link.id) for link in renderer.catalogs}
        if addresses_changed:
            targets.add((SITEMAP, 0))
    return targets


def _content_type_ids(models: tuple[type[Any], ...]) -> set[int]:
    return {ct.pk for ct in ContentType.objects.get_for_models(*models, for_concrete_models=False).values()}


def sites_showing(page_ids: Iterable[int]) -> list[GovSite]:
    """Sites whose tree holds these pages or their aliases, or whose release showed them."""
    ids = set(page_ids)
    paths = set(Page.objects.filter(Q(pk__in=ids) | Q(alias_of_id__in=ids)).values_list("path", flat=True))
    recorded = set(Dependency.objects.filter(page_id__in=ids).values_list("site_id", flat=True))
    found = []
    for site in GovSite.objects.select_related("wagtail_site__root_page").order_by("sort_order", "pk"):
        root = site.wagtail_site.root_page.path
        if site.pk in recorded or any(path.startswith(root) for path in paths):
            found.append(site)
    return found


def publish_site(
    site: GovSite,
    *,
    page_ids: Iterable[int] | None = None,
    actor: Any = None,
    reason: str = "",
    force: bool = False,
) -> PublishResult:
    """Publish ``site``: what the change of ``page_ids`` touches, or (without them) the whole site.

    A whole-site publish renders only the targets whose fingerprint moved since their files were
    written (``fingerprints``) and carries the rest over; ``force`` renders everything. A site's first
    publish is always a complete render.

    The site's release lock is held from the first look at the record to the switch: two publishes of
    one site (two tasks, a task and the command) run one after the other, so neither decides from a
    record the other is about to replace.
    """
    store = release_store(site)
    with store.locked():
        return _publish(site, store, page_ids, actor, reason, force)


def _publish(
    site: GovSite,
    store: ReleaseStore,
    page_ids: Iterable[int] | None,
    actor: Any,
    reason: str,
    force: bool,
) -> PublishResult:
    started = time.perf_counter()
    ids = sorted(set(page_ids)) if page_ids is not None else None
    renderer = SiteRenderer(site)
    # No live release, or no record of it (a rollback forgets the record): render everything.
    first = store.current() is None or not RenderedTarget.objects.filter(site=site).exists()
    targets = None if ids is None or first else affected_targets(renderer, ids)
    everything = renderer.targets() if targets is None else None
    complete = first or (targets is None and force)
    prints = Fingerprints(renderer)
    if complete:
        assert everything is not None
        chosen, gone = everything, set()
        fingerprints = prints.of(chosen)
    elif everything is not None:
        fingerprints = prints.of(everything)
        stored = _stored_fingerprints(site)
        chosen = [t for t in everything if stored.get(t) != fingerprints[t]]
        gone = set(stored) - set(everything)
    else:
        # The targets the change may touch, less those whose fingerprint shows they did not change (an
        # old item's edit leaves the home page and the feed as they were).
        assert targets is not None
        candidates = sorted(targets)
        fingerprints = prints.of(candidates, site_wide=False)
        stored = _stored_fingerprints(site, targets)
        chosen = [t for t in candidates if not fingerprints[t] or stored.get(t) != fingerprints[t]]
        gone = set()
    renderer.prints = prints
    if not complete:
        lists = {target for target in chosen if target[0] in (COLUMN, CATALOG)}
        if lists:
            renderer.previous_lists = dict(
                RenderedPath.objects.filter(_target_filter(site, lists))
                .exclude(fingerprint="")
                .values_list("path", "fingerprint")
            )
    run = PublishRun.objects.create(
        site=site,
        kind=PublishRun.Kind.FULL if everything is not None else PublishRun.Kind.INCREMENTAL,
        pages=ids or [],
    )
    try:
        switched_at = _write(
            site, store, renderer, run, chosen, gone, fingerprints, complete, ids, actor, reason
        )
    except Exception as exc:
        PublishRun.objects.filter(pk=run.pk).update(
            status=PublishRun.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"
        )
        run.refresh_from_db()
        raise
    to_swap = switched_at - started if switched_at else None
    return PublishResult(run, time.perf_counter() - started, to_swap)


def _stored_fingerprints(site: GovSite, targets: set[Target] | None = None) -> dict[Target, str]:
    """The fingerprints recorded with the live release: of these targets, or all of the site's."""
    query = RenderedTarget.objects.filter(Q(site=site) if targets is None else _target_filter(site, targets))
    rows = raw_rows(query.values_list("target_kind", "target_id", "fingerprint"))
    return {(kind, pk): fp for kind, pk, fp in rows}


def _write(
    site: GovSite,
    store: ReleaseStore,
    renderer: SiteRenderer,
    run: PublishRun,
    chosen: list[Target],
    gone: set[Target],
    fingerprints: dict[Target, str],
    complete: bool,
    ids: list[int] | None,
    actor: Any,
    reason: str,
) -> float:
    """Render ``chosen``, drop the files of ``gone`` targets, and commit release and records together.
    Returns when ``current`` was switched (``time.perf_counter()``), 0.0 if no release was made."""
    touched = set(chosen) | gone
    if not touched:
        # Nothing moved: no new release, the live one stays.
        current = store.current_id() or ""
        _finish(run, current, 0, 0, 0, ids, actor, reason, site)
        return 0.0
    # Rendering and writing the staging tree only read the database; the records, the release switch,
    # the run and the audit row are then committed together in one short transaction (other sites'
    # publishes write in between: SQLite has one writer at a time).
    with store.begin() as builder:
        paths: dict[str, Target] = {}
        list_prints: dict[str, str] = {}
        shows: set[tuple[int, str, int]] = set()
        rendered = written = 0
        for output in with_traditional(renderer.render(chosen)):
            if output.path in paths:
                continue  # two targets claiming one path: the first wins (stable order)
            paths[output.path] = output.target
            if output.fingerprint:
                list_prints[output.path] = output.fingerprint
            if not output.keep:  # a kept list page is the live release's file: carried over
                rendered += 1
                written += int(builder.put(output.path, output.data))
            kind, target_id = output.target
            shows.update((page, kind, target_id) for page in output.shows)
        old = RenderedPath.objects.filter(Q(site=site) if complete else _target_filter(site, touched))
        stale = [p for p in old.values_list("path", flat=True) if p not in paths]
        if not complete:
            for path in stale:
                builder.remove(path)
        # The files are flushed to disk before the transaction, which then holds the database's
        # write lock only for the records and the switch (SQLite has one writer at a time).
        builder.prepare(full=complete)
        with transaction.atomic():
            _rewrite_records(
                site,
                None if complete else touched,
                paths,
                list_prints,
                shows,
                {t: fingerprints[t] for t in chosen},
            )
            release = builder.commit(full=complete)
            _finish(run, release.id, rendered, written, len(stale), ids, actor, reason, site)
    return release.switched_at


def _finish(
    run: PublishRun,
    release: str,
    rendered: int,
    written: int,
    removed: int,
    ids: list[int] | None,
    actor: Any,
    reason: str,
    site: GovSite,
) -> None:
    run.status = PublishRun.Status.DONE
    run.finished_at = timezone.now()
    run.release = release
    run.rendered, run.written, run.removed = rendered, written, removed
    run.save(update_fields=["status", "finished_at", "release", "rendered", "written", "removed"])
    record(
        actor,
        "publishing.publish_site",
        site,
        detail={
            "kind": run.kind,
            "release": release,
            "pages": ids or [],
            "rendered": rendered,
            "written": written,
            "removed": removed,
            "reason": reason,
        },
    )


def with_traditional(outputs: Iterable[Output]) -> Iterator[Output]:
    """Each file, then its 繁體 copy under zh-hant/ (HTML pages only; same target and record, so the
    copy is re-rendered and removed with its original)."""
    for output in outputs:
        yield output
        yield from variants.traditional_outputs([output])


def _target_filter(site: GovSite, targets: set[Target]) -> Q:
    """The record rows of these targets of ``site``. The site is repeated in each alternative so that
    each one is a lookup on the (site, kind, target) index: with the site outside the OR, SQLite read
    every row of the site (~20,000 paths, 2–4 ms a query) instead of a few."""
    condition = Q(pk__in=[])
    by_kind: dict[str, list[int]] = {}
    for kind, pk in targets:
        by_kind.setdefault(kind, []).append(pk)
    for kind, pks in sorted(by_kind.items()):
        condition |= Q(site=site, target_kind=kind, target_id__in=sorted(pks))
    return condition


def _rewrite_records(
    site: GovSite,
    targets: set[Target] | None,
    paths: dict[str, Target],
    list_prints: dict[str, str],
    shows: set[tuple[int, str, int]],
    fingerprints: dict[Target, str],
) -> None:
    """Replace the records of the given targets (all of the site's on a complete publish)."""
    condition = Q(site=site) if targets is None else _target_filter(site, targets)
    old_paths = RenderedPath.objects.filter(condition)
    old_prints = RenderedTarget.objects.filter(condition)
    # Plain DELETEs: nothing refers to these rows, and Django's delete() would first load them all.
    for query in (old_paths, old_prints):
        query._raw_delete(query.db)
    pk = site.pk
    _insert_rows(
        RenderedPath,
        ("site", "path", "target_kind", "target_id", "fingerprint"),
        ((pk, p, k, t, list_prints.get(p, "")) for p, (k, t) in paths.items()),
    )
    new_shows = shows
    if targets is None:
        Dependency.objects.filter(condition)._raw_delete(Dependency.objects.db)
    else:
        # An edit re-renders a column and its feed, whose hundreds of rows mostly stay as they were:
        # only the difference is deleted and inserted (rewriting them all cost ~3 ms an edit). The
        # rows are found by id through the targets' index: asked for their columns directly, SQLite
        # (without statistics) read every row of the site through the unique index, which covers them.
        rows = Dependency.objects.filter(pk__in=Dependency.objects.filter(condition).values("pk"))
        old_shows = {
            (page, kind, target): row_id
            for row_id, page, kind, target in raw_rows(
                rows.values_list("id", "page_id", "target_kind", "target_id")
            )
        }
        gone = [row_id for row, row_id in old_shows.items() if row not in shows]
        for start in range(0, len(gone), 1000):
            stale = Dependency.objects.filter(pk__in=gone[start : start + 1000])
            stale._raw_delete(stale.db)
        new_shows = {row for row in shows if row not in old_shows}
    _insert_rows(
        Dependency, ("site", "page_id", "target_kind", "target_id"), ((pk, *row) for row in new_shows)
    )
    _insert_rows(
        RenderedTarget,
        ("site", "target_kind", "target_id", "fingerprint"),
        ((pk, k, t, fp) for (k, t), fp in fingerprints.items()),
    )


def _insert_rows(model: type[Any], fields: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT plain rows (ints and strings) in batches: a full publish writes ~5 rows per page, and
    ``bulk_create`` spent ~5 s building instances and SQL for a 10,000-page site (this: ~0.2 s)."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from model metadata, values bound
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def rollback_site(site: GovSite, *, actor: Any = None, store: ReleaseStore | None = None) -> Release:
    """Put the site's previous release back live (``govsite publish rollback``).

    The dependency record and fingerprints described the release being left, so they are dropped in
    the same step: the next publish renders the site completely and brings back whatever the database
    says now, instead of trusting files the rolled-back release does not have.
    """
    store = store or release_store(site)
    with store.locked(), transaction.atomic():
        for model in (RenderedPath, Dependency, RenderedTarget):
            query = model.objects.filter(site=site)
            query._raw_delete(query.db)
        left = store.current_id()
        release = store.rollback()
        record(actor, "publishing.rollback_site", site, detail={"from": left, "to": release.id})
    return release


def publish_sites(
    sites: Iterable[GovSite] | None = None,
    *,
    workers: int = 1,
    actor: Any = None,
    reason: str = "",
    force: bool = False,
) -> list[dict[str, Any]]:
    """Full publish of several sites (all when None), in ``workers`` processes (one site per process
    at a time; the machine's cores render in parallel). Returns one summary per site, in order."""
    chosen = list(sites) if sites is not None else list(GovSite.objects.order_by("sort_order", "pk"))
    if workers <= 1 or len(chosen) <= 1:
        return [summary(publish_site(site, actor=actor, reason=reason, force=force)) for site in chosen]
    import multiprocessing

    from django.db import connections

    connections.close_all()  # children must not share the parent's database connections
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(chosen))) as pool:
        return pool.starmap(_publish_in_child, [(site.pk, reason, force) for site in chosen], chunksize=1)


def _publish_in_child(site_id: int, reason: str, force: bool) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()
    try:
        return summary(publish_site(GovSite.objects.get(pk=site_id), reason=reason, force=force))
    finally:
        connections.close_all()


def summary(result: PublishResult) -> dict[str, Any]:
    run = result.run
    return {
        "site": run.site.code,
        "kind": run.kind,
        "release": run.release,
        "rendered": run.rendered,
        "written": run.written,
        "removed": run.removed,
        "seconds": round(result.seconds, 3),
    }


def publish_pages(page_ids: Iterable[int], *, reason: str = "") -> list[PublishResult]:
    """Incrementally publish every site that shows (or showed) these pages."""
    ids = sorted(set(page_ids))
    return [publish_site(site, page_ids=ids, reason=reason) for site in sites_showing(ids)]

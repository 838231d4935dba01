"""What a target's files are made of, as one hash: a republish renders only targets whose hash moved.

A target's fingerprint covers everything its files show: the site's look and navigation (identity,
theme and mourning state, menu, 专题 and 公开目录 links, the templates and assets themselves), and the
*versions* of the pages it lists or displays — a page's version being its title, address, publish
times and revision (and, for an alias, its original's). Computing them takes a few bulk queries and
hashing, so deciding that 100,000 pages are unchanged is far cheaper than rendering them; the hashes
are stored with the dependency record (``RenderedTarget``) when the files are written.

When in doubt a fingerprint includes more, never less: a spurious re-render costs time, a missed one
would leave a stale page online. ``publish_site(..., force=True)`` ignores them altogether.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import F

from govsite.content.models import (
    InterpretationPage,
    NoticePage,
    PolicyDocumentPage,
)
from govsite.publishing import renderer as r
from govsite.sites.models import GovSite

PACKAGE = Path(__file__).resolve().parent


@cache
def code_version() -> str:
    """A hash of the templates, assets and renderer code: a deployment that changes them re-renders."""
    digest = hashlib.sha256()
    for folder in ("templates", "static"):
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(PACKAGE)).encode())
                digest.update(path.read_bytes())
    code = [*sorted((PACKAGE / "renderer").glob("*.py")), PACKAGE / "catalog.py", PACKAGE / "variants.py"]
    for path in code:
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _hash(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _entry(pk: int, version: str | None) -> str:
    """An item's line in a list's hash: its version after its length, so no two lists make one text."""
    return f"{pk}:-\n" if version is None else f"{pk}:{len(version)}:{version}\n"


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Fingerprints:
    """The fingerprints of a renderer's targets, from bulk queries over the site."""

    def __init__(self, renderer: r.SiteRenderer) -> None:
        self.renderer = renderer
        site: GovSite = renderer.site
        identity = tuple(
            (field.attname, getattr(site, field.attname)) for field in GovSite._meta.concrete_fields
        )
        menu = tuple(
            (c.id, c.title, c.url, c.in_menu, c.column_class, c.description, c.keywords, c.parent_id)
            for c in renderer.columns.values()
        )
        self.site_part = _hash(
            code_version(),
            identity,
            sorted((k, repr(v)) for k, v in renderer.variant_context.items()),
            renderer.root_title,
            renderer.home_intro,
            menu,
            tuple(renderer.topics),
            tuple(renderer.catalogs),
        )
        self._versions: dict[int, str] = {}
        self._lines: dict[int, str] = {}  # id → ``_entry``, for ``_list_hash``
        self._all_loaded = False

    def _load_versions(self, ids: Iterable[int] | None) -> None:
        """Versions of these items (all of the site's when None); aliases include their original's."""
        if self._all_loaded:
            return
        if ids is None:
            self.renderer.item_index  # noqa: B018 - loads every item's version with the index
            self._versions.update(self.renderer.item_versions)
            self._all_loaded = True
            return
        versions = self._versions
        wanted = {pk for pk in ids if pk not in versions}
        if "item_index" in self.renderer.__dict__:  # loaded with the index already
            known = self.renderer.item_versions
            versions.update((pk, known[pk]) for pk in wanted if pk in known)
            wanted = {pk for pk in wanted if pk not in versions}
        if not wanted:
            return
        tree = self.renderer.tree
        sql = r.versioned_items_sql(f"p.id IN ({', '.join(['%s'] * len(wanted))})")
        rows = r.sql_rows(sql, [tree["path__gt"], tree["path__lte"], *sorted(wanted)])
        # The types come along: ``ids_of_type`` then tells an edited item's kind without a query.
        types, by_type = self.renderer.item_types, self.renderer.item_ids_by_type
        for pk, _, version, content_type_id in rows:
            versions[pk] = version
            types[pk] = content_type_id
            by_type[content_type_id].add(pk)

    def of(self, targets: Iterable[r.Target], *, site_wide: bool = True) -> dict[r.Target, str]:
        """Fingerprints of ``targets``. With ``site_wide=False`` (an incremental publish) the targets
        listing the whole site (sitemap, 公开目录, 专题) get an empty fingerprint instead of a hash
        over every item: the next whole-site publish re-renders them once."""
        whole = (r.CATALOG, r.SITEMAP, r.TOPIC)
        items: list[int] = []
        rest: list[r.Target] = []  # the few targets that are not items
        for target in targets:
            if target[0] == r.ITEM:
                items.append(target[1])
            else:
                rest.append(target)
        # The 公开目录 lists every item: its pages' own fingerprints need every version.
        if any(kind == r.CATALOG or (site_wide and kind in whole) for kind, _ in rest):
            self._load_versions(None)
        found: dict[r.Target, str] = {}
        renderer = self.renderer
        list_ids = [pk for kind, pk in rest if kind in (r.COLUMN, r.RSS)]
        if len(list_ids) > 5 or "item_index" in renderer.__dict__:  # a whole-site publish: one query
            lists = {pk: renderer.item_index.get(pk, []) for pk in list_ids}
        else:  # a change in a column or two: their own lists
            lists = {pk: [link.id for link in renderer.items_of(pk)] for pk in list_ids}
        # The home page lists a few dozen items: its fingerprint is theirs, as exact as a list's.
        home = self.renderer.home_item_ids() if any(kind == r.HOME for kind, _ in rest) else []
        self._load_versions([*items, *home, *(pk for ids in lists.values() for pk in ids)])
        versions = self._versions
        related = self._related(items)
        today = self.renderer.today.isoformat()
        notices = self.renderer.ids_of_type(items, NoticePage) if items else set()
        # One string per item, hashed once (the repr of a nested tuple cost more than the hash).
        sha256, prefix = hashlib.sha256, f"{self.site_part}|item|"
        for pk in items:
            shown = related.get(pk)
            text = (
                f"{prefix}{pk}|{versions.get(pk)}|{'()' if shown is None else repr(shown)}|"
                f"{today if pk in notices else ''}"
            )
            found[(r.ITEM, pk)] = sha256(text.encode()).hexdigest()[:32]
        for target in rest:
            kind, pk = target
            if kind == r.HOME:
                found[target] = _hash(self.site_part, target, [(pk, versions.get(pk)) for pk in home])
            elif kind == r.COLUMN:
                found[target] = _hash(self.site_part, target, self._list_hash(lists[pk]))
            elif kind == r.RSS:
                # The feed shows the column's newest ``RSS_ITEMS`` (``SiteRenderer._rss``).
                found[target] = _hash(self.site_part, target, self._list_hash(lists[pk][: r.RSS_ITEMS]))
            elif kind in whole:
                found[target] = _hash(self.site_part, target, self._site_items_hash) if site_wide else ""
            else:
                found[target] = _hash(self.site_part, target)
        return found

    def list_page(self, path: str, ids: list[int], context: tuple[Any, ...]) -> str:
        """The fingerprint of one list page (a column's or the 公开目录's pagination page): the site's
        look, the page's own inputs and the versions of the items it lists."""
        self._load_versions(ids)
        versions = self._versions
        return _hash(self.site_part, path, context, [(pk, versions.get(pk)) for pk in ids])

    def _list_hash(self, ids: list[int]) -> str:
        """A hash of the versions of these items, in this order (~3× cheaper than hashing the ``repr``
        of a list of pairs). Each item's line is made once, however many lists hash it: a whole-site
        publish hashes every item in its column's list and in the site's, and many in a feed."""
        lines = self._lines
        if len(lines) < len(self._versions):  # versions loaded since the lines were made
            lines.update({pk: _entry(pk, v) for pk, v in self._versions.items() if pk not in lines})
        try:
            return _text_hash("".join(map(lines.__getitem__, ids)))
        except KeyError:  # an item without a version (not live): its own line
            return _text_hash("".join(lines.get(pk) or _entry(pk, None) for pk in ids))

    @property
    def _site_items_hash(self) -> str:
        cached: str | None = getattr(self, "_site_items_cached", None)
        if cached is None:
            self._load_versions(None)
            cached = self._list_hash(sorted(self._versions))
            self._site_items_cached = cached
        return cached

    def _related(self, items: list[int]) -> dict[int, tuple[Any, ...]]:
        """What an item page shows besides itself: a policy's 解读 and revisions, a 解读's policy.

        The 政策文件 and 解读 among many items are told by the types ``item_index`` loaded, not by a
        query with every id (10,000: the IN list alone cost 0.4 s)."""
        if not items:
            return {}
        renderer = self.renderer
        related: dict[int, list[Any]] = {}
        policy_ids = renderer.ids_of_type(items, PolicyDocumentPage)
        policies = (
            dict(PolicyDocumentPage.objects.filter(pk__in=policy_ids).values_list("id", F("alias_of_id")))
            if policy_ids
            else {}
        )
        if policies:
            originals = {pk: alias or pk for pk, alias in policies.items()}
            readings: dict[int, list[Any]] = {}
            for row in (
                InterpretationPage.objects.filter(policy_id__in=set(originals.values()), live=True)
                .order_by("pk")
                .values_list("policy_id", "id", "title", "url_path", "last_published_at", "form")
            ):
                readings.setdefault(row[0], []).append(row[1:])
            revised: dict[int, list[Any]] = {}
            for row in (
                PolicyDocumentPage.objects.filter(successor_id__in=set(originals.values()), live=True)
                .order_by("pk")
                .values_list("successor_id", "id", "title", "url_path", "document_number")
            ):
                revised.setdefault(row[0], []).append(row[1:])
            successors = dict(
                PolicyDocumentPage.objects.filter(pk__in=list(policies)).values_list("id", "successor__title")
            )
            for pk, original in originals.items():
                related[pk] = [readings.get(original, []), revised.get(original, []), successors.get(pk)]
        readings_ids = renderer.ids_of_type(items, InterpretationPage)
        if readings_ids:
            for pk, *policy in InterpretationPage.objects.filter(pk__in=readings_ids).values_list(
                "id",
                "policy__title",
                "policy__url_path",
                "policy__live",
                "policy__validity",
                "policy__document_number",
            ):
                related[pk] = policy  # title, address, live, validity, 文号
        return {pk: tuple(repr(v) for v in values) for pk, values in related.items()}

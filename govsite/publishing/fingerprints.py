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
    LibraryItemPage,
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
        if not wanted:
            return
        query = LibraryItemPage.objects.filter(**self.renderer.tree, live=True, pk__in=wanted)
        versions.update(
            r.raw_rows(query.annotate(version=r.version_expression()).values_list("id", "version"))
        )

    def of(self, targets: Iterable[r.Target], *, site_wide: bool = True) -> dict[r.Target, str]:
        """Fingerprints of ``targets``. With ``site_wide=False`` (an incremental publish) the targets
        listing the whole site (sitemap, 公开目录, 专题) get an empty fingerprint instead of a hash
        over every item: the next whole-site publish re-renders them once."""
        targets = list(targets)
        whole = (r.CATALOG, r.SITEMAP, r.TOPIC)
        # The 公开目录 lists every item: its pages' own fingerprints need every version.
        if any(kind == r.CATALOG or (site_wide and kind in whole) for kind, _ in targets):
            self._load_versions(None)
        found: dict[r.Target, str] = {}
        items = [pk for kind, pk in targets if kind == r.ITEM]
        renderer = self.renderer
        list_ids = [pk for kind, pk in targets if kind in (r.COLUMN, r.RSS)]
        if len(list_ids) > 5 or "item_index" in renderer.__dict__:  # a whole-site publish: one query
            lists = {pk: renderer.item_index.get(pk, []) for pk in list_ids}
        else:  # a change in a column or two: their own lists
            lists = {pk: [link.id for link in renderer.items_of(pk)] for pk in list_ids}
        # The home page lists a few dozen items: its fingerprint is theirs, as exact as a list's.
        home = self.renderer.home_item_ids() if any(kind == r.HOME for kind, _ in targets) else []
        self._load_versions([*items, *home, *(pk for ids in lists.values() for pk in ids)])
        versions = self._versions
        related = self._related(items)
        today = self.renderer.today
        notices = self.renderer.ids_of_type(items, NoticePage) if items else set()
        for target in targets:
            kind, pk = target
            if kind == r.ITEM:
                # One string per item, hashed once (the repr of a nested tuple cost more than the hash).
                extra = today.isoformat() if pk in notices else ""
                text = f"{self.site_part}|item|{pk}|{versions.get(pk)}|{related.get(pk, ())!r}|{extra}"
                found[target] = hashlib.sha256(text.encode()).hexdigest()[:32]
            elif kind == r.HOME:
                found[target] = _hash(self.site_part, target, [(pk, versions.get(pk)) for pk in home])
            elif kind in (r.COLUMN, r.RSS):
                found[target] = _hash(self.site_part, target, [(i, versions.get(i)) for i in lists[pk]])
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

    @property
    def _site_items_hash(self) -> str:
        cached: str | None = getattr(self, "_site_items_cached", None)
        if cached is None:
            self._load_versions(None)
            cached = _hash(sorted(self._versions.items()))
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
        policies = dict(
            PolicyDocumentPage.objects.filter(
                pk__in=renderer.ids_of_type(items, PolicyDocumentPage)
            ).values_list("id", F("alias_of_id"))
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
        for (
            pk,
            policy_title,
            policy_url,
            policy_live,
            policy_validity,
            doc_no,
        ) in InterpretationPage.objects.filter(
            pk__in=renderer.ids_of_type(items, InterpretationPage)
        ).values_list(
            "id",
            "policy__title",
            "policy__url_path",
            "policy__live",
            "policy__validity",
            "policy__document_number",
        ):
            related[pk] = [policy_title, policy_url, policy_live, policy_validity, doc_no]
        return {pk: tuple(repr(v) for v in values) for pk, values in related.items()}

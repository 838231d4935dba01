"""The recycle bin (回收站): deleting a page or library item moves it into its site's bin; a site
administrator restores it — back to the same place, live again, with its placements — or purges it.

Each action checks permission, changes state in one transaction and writes its audit row there
(HOUSE_RULES §2); a refusal writes one ``denied`` row and raises ``PermissionDenied``, a state
conflict (the original place is gone, a slug clash) raises ``ValidationError`` and changes nothing.

How a deletion is kept so that it can be undone (``RecycleBinEntry.placements``, one dict a page):

- ``role="item"``: the deleted page itself — ``parent``, ``slug``, ``site``, ``alias_of``,
  ``revision`` (the revision that was live) and ``live``;
- ``role="alias"``: each alias (转载 / 推送) of the page or of a page below it, which goes into the
  bin of *its own* site and comes back with the item — same keys as the item;
- ``role="descendant"``: each page below a moved page that was live or is an alias — ``alias_of``,
  ``revision`` and ``live`` (descendants move with their parent, so no place is needed).

Pages in a bin are never live, are renamed ``<id>-<slug>`` so two deletions of the same slug can sit
side by side, and are detached from their alias source (``alias_of`` cleared): Wagtail republishes
every alias of a page when the page is published, which would otherwise put a deleted 转载 back on
the public site. ``Placement`` rows are kept untouched throughout; purging deletes them with the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, Revision, Site

from govsite.accounts import roles as role_policy
from govsite.accounts.models import Role
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.content.models import RecycleBinEntry, RecycleBinPage
from govsite.sites.models import GovSite

BIN_SLUG = "recycle-bin"
BIN_TITLE = "回收站"
STEPLEN = Page.steplen  # treebeard path segment length: ancestors' paths are prefixes of this length

MOVE_ACTION = "content.move_to_bin"
RESTORE_ACTION = "content.restore_from_bin"
PURGE_ACTION = "content.purge"

ROLE_ITEM = "item"
ROLE_ALIAS = "alias"
ROLE_DESCENDANT = "descendant"

DENIED_DELETE = "没有删除该页面的权限"
DENIED_RESTORE = "只有该网站的站点管理员或系统管理员可以恢复回收站中的页面"
DENIED_PURGE = "只有该网站的站点管理员或系统管理员可以彻底删除回收站中的页面"


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """Paths of a page and all its ancestors (treebeard paths are fixed-length prefixes)."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def site_of(page: Page) -> GovSite | None:
    """The government site whose home page is ``page`` or one of its ancestors."""
    return (
        GovSite.objects.select_related("wagtail_site")
        .filter(wagtail_site__root_page__path__in=_ancestor_paths(page.path))
        .order_by("-wagtail_site__root_page__depth")
        .first()
    )


def is_in_bin(page: Page) -> bool:
    """Whether ``page`` is a recycle bin or lies inside one."""
    return RecycleBinPage.objects.filter(path__in=_ancestor_paths(page.path)).exists()


def bin_paths() -> list[str]:
    """Tree paths of every site's recycle bin (one a site, so a short list)."""
    return list(RecycleBinPage.objects.values_list("path", flat=True))


def recycle_bin_for(site: GovSite) -> RecycleBinPage:
    """The site's 回收站 under its home page, created on demand: never live, never in menus."""
    with transaction.atomic():
        # Serialise creation per site: two deletions racing must not create two bins.
        list(GovSite.objects.select_for_update().filter(pk=site.pk).values_list("pk", flat=True))
        home = Page.objects.get(pk=site.wagtail_site.root_page_id)
        existing: RecycleBinPage | None = RecycleBinPage.objects.child_of(home).first()
        if existing is not None:
            if existing.live or existing.show_in_menus:
                existing.live = False
                existing.show_in_menus = False
                existing.save(clean=False, update_fields=["live", "show_in_menus"])
            return existing
        taken = set(home.get_children().values_list("slug", flat=True))
        slug = BIN_SLUG
        n = 1
        while slug in taken:
            n += 1
            slug = f"{BIN_SLUG}-{n}"
        bin_page = RecycleBinPage(title=BIN_TITLE, slug=slug, live=False, show_in_menus=False)
        home.add_child(instance=bin_page)
        return bin_page


def can_manage_bin(user: Any, site: GovSite) -> bool:
    """站点管理员 of ``site`` or 系统管理员 (``None`` is the server command line)."""
    if user is None:
        return True
    ids = administered_site_ids(user)
    return ids is None or site.pk in ids


def administered_site_ids(user: Any) -> set[int] | None:
    """Sites whose bin ``user`` manages: ``None`` means every site (系统管理员), empty means none.

    Asked through the shared role helpers, so that a per-request cache there serves the menu item too.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    kinds = role_policy.role_kinds(user)
    if Role.Kind.SYSTEM_ADMIN in kinds:
        return None
    if Role.Kind.SITE_ADMIN not in kinds:
        return set()
    return role_policy.site_ids_with_role(user, Role.Kind.SITE_ADMIN)


def may_use_bin(user: Any) -> bool:
    """Whether ``user`` sees the 回收站 menu item at all."""
    ids = administered_site_ids(user)
    return ids is None or bool(ids)


def entries_for(user: Any) -> QuerySet[RecycleBinEntry]:
    """Bin entries of the sites ``user`` administers, newest first, with what a list row shows."""
    entries = RecycleBinEntry.objects.select_related(
        "site", "original_parent", "deleted_by", "page__content_type"
    ).order_by("-deleted_at", "-pk")
    ids = administered_site_ids(user)
    return entries if ids is None else entries.filter(site_id__in=ids)


def alias_records(entry: RecycleBinEntry) -> list[dict[str, Any]]:
    """The entry's aliases on other columns and sites, as recorded when it was deleted."""
    return [r for r in entry.placements if r.get("role") == ROLE_ALIAS]


# ---------------------------------------------------------------------------------------------
# Helpers shared by the actions
# ---------------------------------------------------------------------------------------------


def _deny(actor: Any, action: str, obj: Any, reason: str, **detail: Any) -> NoReturn:
    with transaction.atomic():
        record(actor, action, obj, outcome=AuditEvent.Outcome.DENIED, detail={"reason": reason, **detail})
    raise PermissionDenied(reason)


def _fresh(page_id: int) -> Page:
    # Tree moves rewrite paths in SQL, so every step works on a freshly loaded row.
    return Page.objects.get(pk=page_id)


def _set_slug(page_id: int, slug: str) -> None:
    page = _fresh(page_id)
    if page.slug != slug:
        page.slug = slug
        # clean=False: the caller has checked the slug is free; url_path (and the descendants')
        # follows the slug in Page.save.
        page.save(clean=False, update_fields=["slug", "url_path"])


def _move(page_id: int, target_id: int, actor: Any) -> None:
    # Our own checks replace Wagtail's can_move_to: a bin accepts no page type through the UI.
    MovePageAction(_fresh(page_id), _fresh(target_id), pos="last-child", user=actor).execute(
        skip_permission_checks=True
    )


def _bin_slug(page: Page) -> str:
    return f"{page.pk}-{page.slug}"[:255]


def _page_ids_in_bins(page_ids: Iterable[int]) -> set[int]:
    paths = bin_paths()
    if not paths:
        return set()
    in_bin = set()
    for pk, path in Page.objects.filter(pk__in=list(page_ids)).values_list("pk", "path"):
        if any(path.startswith(p) for p in paths):
            in_bin.add(pk)
    return in_bin


def _publish_live_revision(page_id: int, revision_id: int | None, actor: Any) -> None:
    """Publish the revision that was live when the page was deleted (not a newer, unreviewed draft)."""
    page = _fresh(page_id).specific
    revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
    if revision is None:
        revision = page.get_latest_revision() or page.save_revision(user=actor, log_action=False)
    revision.publish(user=actor, skip_permission_checks=True)


def _resync_alias(page_id: int) -> None:
    """A restored alias shows its source again, live when the source is live (as Wagtail does)."""
    alias = _fresh(page_id)
    source = Page.objects.filter(pk=alias.alias_of_id).first()
    if source is not None and source.live:
        source.specific.update_aliases()


# ---------------------------------------------------------------------------------------------
# Move to bin
# ---------------------------------------------------------------------------------------------


def move_to_bin_problem(page: Page) -> str | None:
    """Why ``page`` cannot go into a bin whoever asks, or ``None``."""
    if page.depth <= 1:
        return "根节点不能删除"
    if page.specific_class is RecycleBinPage:
        return "回收站不能删除"
    if is_in_bin(page):
        return "该页面已在回收站中；回收站中的页面请在“回收站”中恢复或彻底删除"
    if Site.objects.filter(root_page_id=page.pk).exists():
        return "网站首页不能删除"
    if site_of(page) is None:
        return "该页面不属于任何网站，不能移入回收站"
    return None


def move_to_bin_refusal(actor: Any, page: Page) -> str | None:
    """Why ``actor`` may not delete ``page`` in Wagtail, or ``None``.

    Wagtail's ``can_delete`` already answers for the pages below: without ``bulk_delete`` only a
    leaf may be deleted, and with it every descendant must be deletable too (not live unless the
    user may publish, owned by the user if they hold only ``add``). Page rights are inherited down
    the tree, so no descendant can be less deletable than the page itself.
    """
    if actor is None:
        return None
    if not page.permissions_for_user(actor).can_delete():
        return DENIED_DELETE
    return None


def check_move_to_bin(actor: Any, page: Page) -> None:
    """Raise ``ValidationError`` if ``page`` can never go into a bin, or log a refusal and raise
    ``PermissionDenied`` if ``actor`` may not delete it; return quietly if ``move_to_bin`` may go ahead."""
    problem = move_to_bin_problem(page)
    if problem:
        raise ValidationError(problem)
    refusal = move_to_bin_refusal(actor, page)
    if refusal:
        _deny(actor, MOVE_ACTION, page.specific, refusal)


def _top_aliases(subtree_path: str, subtree_ids: list[int]) -> list[Page]:
    """Aliases of the subtree's pages that live elsewhere, without those nested in another one."""
    aliases = list(
        Page.objects.filter(alias_of_id__in=subtree_ids)
        .exclude(path__startswith=subtree_path)
        .order_by("path")
    )
    tops: list[Page] = []
    for alias in aliases:
        if not any(alias.path.startswith(top.path) for top in tops):
            tops.append(alias)
    return tops


def _place_record(page: Page, role: str, site: GovSite | None) -> dict[str, Any]:
    return {
        "role": role,
        "page": page.pk,
        "title": page.title,
        "parent": page.get_parent().pk,
        "site": site.pk if site else None,
        "slug": page.slug,
        "alias_of": page.alias_of_id,
        "revision": page.live_revision_id,
        "live": page.live,
    }


def move_to_bin(actor: Any, page: Page) -> RecycleBinEntry:
    """Unpublish ``page``, everything below it and its aliases, and move them into the bins.

    Allowed for whoever may delete the page in Wagtail; each alias goes into the bin of its own
    site and is restored (or purged) together with the page.
    """
    page = _fresh(page.pk)
    check_move_to_bin(actor, page)
    site = site_of(page)
    assert site is not None  # move_to_bin_problem refuses pages outside every site
    parent = page.get_parent()

    with transaction.atomic():
        target_bin = recycle_bin_for(site)
        subtree = list(Page.objects.descendant_of(page, inclusive=True).order_by("path"))
        tops = _top_aliases(page.path, [p.pk for p in subtree])
        nested = [p for top in tops for p in Page.objects.descendant_of(top).order_by("path")]
        alias_sites = {top.pk: site_of(top) or site for top in tops}

        records = [_place_record(page, ROLE_ITEM, site)]
        records += [_place_record(top, ROLE_ALIAS, alias_sites[top.pk]) for top in tops]
        records += [
            {
                "role": ROLE_DESCENDANT,
                "page": p.pk,
                "alias_of": p.alias_of_id,
                "revision": p.live_revision_id,
                "live": p.live,
            }
            for p in [*subtree[1:], *nested]
            if p.live or p.alias_of_id
        ]
        all_ids = [p.pk for p in [*subtree, *tops, *nested]]

        _take_offline(all_ids, actor)
        # Detach before moving: publishing a source republishes every page with alias_of pointing
        # at it, wherever that page is.
        Page.objects.filter(pk__in=all_ids, alias_of__isnull=False).update(alias_of=None)
        for moved in [page, *tops]:
            _set_slug(moved.pk, _bin_slug(moved))
            bin_page = target_bin if moved.pk == page.pk else recycle_bin_for(alias_sites[moved.pk])
            _move(moved.pk, bin_page.pk, actor)

        entry = RecycleBinEntry.objects.create(
            page_id=page.pk,
            site=site,
            title=page.title,
            original_parent=parent,
            was_live=page.live,
            placements=records,
            deleted_by=actor if getattr(actor, "is_authenticated", False) else None,
            deleted_at=timezone.now(),
        )
        record(
            actor,
            MOVE_ACTION,
            page.specific,
            detail={
                "entry": entry.pk,
                "title": page.title,
                "site": site.code,
                "original_parent": {"id": parent.pk, "title": parent.title},
                "was_live": page.live,
                "pages": len(subtree),
                "aliases": [{"id": top.pk, "site": alias_sites[top.pk].code} for top in tops],
            },
        )
    return entry


def _take_offline(page_ids: list[int], actor: Any) -> None:
    """Unpublish, cancel running workflows and drop scheduled publishing of the given pages."""
    for page_id in page_ids:
        page = _fresh(page_id).specific
        state = page.current_workflow_state
        if state is not None:
            state.cancel(user=actor)
        if page.live:  # an earlier page's unpublish may already have taken this alias offline
            UnpublishPageAction(page, user=actor).execute(skip_permission_checks=True)
    Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=[str(i) for i in page_ids]
    ).update(approved_go_live_at=None)


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


def _slug_clash(parent: Page, slug: str, page_id: int) -> Page | None:
    return parent.get_children().filter(slug=slug).exclude(pk=page_id).first()


def _clash_message(place: str, parent: Page, slug: str, clash: Page) -> str:
    return (
        f"{place}“{parent.title}”下已有网址名称（slug）为“{slug}”的页面“{clash.title}”（ID {clash.pk}），"
        "请先修改或移走该页面后再恢复"
    )


def _check_restorable(
    entry: RecycleBinEntry,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Split the entry's records into (item, aliases to restore, aliases whose column is in a bin,
    aliases whose column is gone); raise ValidationError naming the first thing in the way."""
    records = list(entry.placements)
    item = next((r for r in records if r.get("role") == ROLE_ITEM), None) or {
        "role": ROLE_ITEM,
        "page": entry.page_id,
        "slug": entry.page.slug,
        "alias_of": None,
        "revision": None,
        "live": entry.was_live,
    }
    parent = entry.original_parent
    if parent is None:
        raise ValidationError("原位置已被彻底删除，无法恢复；如不再需要，请彻底删除")
    if is_in_bin(parent):
        raise ValidationError(f"原位置“{parent.title}”已在回收站中，请先恢复“{parent.title}”")
    if item.get("alias_of") and not Page.objects.filter(pk=item["alias_of"]).exists():
        raise ValidationError("该页面转载或推送的原信息已被彻底删除，无法恢复；如不再需要，请彻底删除")
    clash = _slug_clash(parent, item["slug"], entry.page_id)
    if clash is not None:
        raise ValidationError(_clash_message("原位置", parent, item["slug"], clash))

    aliases = alias_records(entry)
    parents = Page.objects.in_bulk([r["parent"] for r in aliases])
    parked_parents = _page_ids_in_bins(parents)
    keep, parked, gone = [], [], []
    sites = GovSite.objects.in_bulk([r["site"] for r in aliases if r.get("site")])
    for rec in aliases:
        alias_parent = parents.get(rec["parent"])
        if not Page.objects.filter(pk=rec["page"]).exists():
            continue
        if alias_parent is None:
            gone.append(rec)
        elif alias_parent.pk in parked_parents:
            parked.append(rec)
        else:
            clash = _slug_clash(alias_parent, rec["slug"], rec["page"])
            if clash is not None:
                site = sites.get(rec.get("site"))
                place = f"转载位置（{site.name}）" if site else "转载位置"
                raise ValidationError(_clash_message(place, alias_parent, rec["slug"], clash))
            keep.append(rec)
    return item, keep, parked, gone


def restore(actor: Any, entry: RecycleBinEntry) -> Page:
    """Put the entry's page back where it was — live again if it was live — with its aliases.

    An alias whose own column has since gone into a bin becomes an entry of that site's bin (to be
    restored after its column); one whose column was purged is deleted with a note in the audit row.
    """
    entry = RecycleBinEntry.objects.select_related("site", "original_parent", "page").get(pk=entry.pk)
    if not can_manage_bin(actor, entry.site):
        _deny(actor, RESTORE_ACTION, entry.page.specific, DENIED_RESTORE, entry=entry.pk)
    item, keep, parked, gone = _check_restorable(entry)
    parent = entry.original_parent
    assert parent is not None  # _check_restorable refuses otherwise

    with transaction.atomic():
        _move(entry.page_id, parent.pk, actor)
        _set_slug(entry.page_id, item["slug"])
        for rec in keep:
            _move(rec["page"], rec["parent"], actor)
            _set_slug(rec["page"], rec["slug"])
        for rec in parked:
            _park_alias(rec, entry)
        for rec in gone:
            DeletePageAction(_fresh(rec["page"]), user=actor).execute(skip_permission_checks=True)

        descendants = [r for r in entry.placements if r.get("role") == ROLE_DESCENDANT]
        restored = [item, *keep, *descendants]
        sources = set(
            Page.objects.filter(pk__in=[r["alias_of"] for r in restored if r.get("alias_of")]).values_list(
                "pk", flat=True
            )
        )
        for rec in restored:
            # A descendant whose source was purged meanwhile stays an ordinary page with its content.
            if rec.get("alias_of") in sources:
                Page.objects.filter(pk=rec["page"]).update(alias_of_id=rec["alias_of"])

        # Publishing a page republishes its (restored, re-attached) aliases, so publish last.
        for rec in [item, *descendants]:
            if rec is item and not entry.was_live:
                continue
            if rec is not item and not rec.get("live"):
                continue
            if _fresh(rec["page"]).alias_of_id:
                _resync_alias(rec["page"])
            else:
                _publish_live_revision(rec["page"], rec.get("revision"), actor)

        page = _fresh(entry.page_id).specific
        record(
            actor,
            RESTORE_ACTION,
            page,
            detail={
                "entry": entry.pk,
                "title": page.title,
                "site": entry.site.code,
                "parent": {"id": parent.pk, "title": parent.title},
                "live": page.live,
                "aliases": [r["page"] for r in keep],
                "aliases_left_in_bin": [r["page"] for r in parked],
                "aliases_dropped": [r["page"] for r in gone],
                "deleted_by": entry.deleted_by.get_username() if entry.deleted_by else None,
            },
        )
        entry.delete()
    return page


def _park_alias(rec: dict[str, Any], entry: RecycleBinEntry) -> None:
    """An alias whose column is itself in a bin stays there as its own entry of that site."""
    site_id = rec.get("site")
    site = (GovSite.objects.filter(pk=site_id).first() if site_id else None) or entry.site
    alias = _fresh(rec["page"])
    RecycleBinEntry.objects.create(
        page=alias,
        site=site,
        title=rec.get("title") or alias.title,
        original_parent_id=rec["parent"],
        was_live=rec.get("live", False),
        placements=[{**rec, "role": ROLE_ITEM}],
        deleted_by_id=entry.deleted_by_id,
        deleted_at=entry.deleted_at,
    )


# ---------------------------------------------------------------------------------------------
# Purge
# ---------------------------------------------------------------------------------------------


def purge(actor: Any, entry: RecycleBinEntry) -> None:
    """Delete the entry's page, everything below it and its aliases for good; audited on its own."""
    entry = RecycleBinEntry.objects.select_related("site", "page", "deleted_by").get(pk=entry.pk)
    page = entry.page.specific
    if not can_manage_bin(actor, entry.site):
        _deny(actor, PURGE_ACTION, page, DENIED_PURGE, entry=entry.pk)
    alias_ids = [r["page"] for r in alias_records(entry)]
    with transaction.atomic():
        # Only pages still in a bin: a restore elsewhere must never be undone by a purge here.
        doomed_aliases = _page_ids_in_bins(alias_ids)
        subtree_ids = list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
        record(
            actor,
            PURGE_ACTION,
            page,
            detail={
                "entry": entry.pk,
                "title": entry.title,
                "site": entry.site.code,
                "page": page.pk,
                "pages": subtree_ids,
                "aliases": sorted(doomed_aliases),
                "original_parent": entry.original_parent_id,
                "was_live": entry.was_live,
                "deleted_by": entry.deleted_by.get_username() if entry.deleted_by else None,
                "deleted_at": entry.deleted_at.isoformat(),
            },
        )
        try:
            for alias in Page.objects.filter(pk__in=doomed_aliases).order_by("path"):
                DeletePageAction(alias, user=actor).execute(skip_permission_checks=True)
            DeletePageAction(_fresh(page.pk), user=actor).execute(skip_permission_checks=True)
        except (ProtectedError, RestrictedError) as exc:
            raise ValidationError("该页面仍被其他内容引用，不能彻底删除") from exc

"""Actions and queries of the unified resource library (统一信息资源库, "先入库、后使用").

An item is written once in its owner's column. Publishing it for the first time allocates its 索引号
and records the owner placement; it then appears in other columns and on lower sites as Wagtail alias
pages — a placement is a reference, not a copy, and Wagtail re-publishes every alias with the item.
Upper sites push items to lower sites (推送, accepted or declined there), lower sites repost items of
upper sites (转载), and the delay from the upper publication to the repost is recorded: an item marked
重要政策 that a lower site has not carried within 12 hours is flagged (seed 004).

Every state change here is a named action (HOUSE_RULES §2): it checks permission, changes state in one
transaction and writes exactly one audit row there. A refusal for want of rights writes one ``denied``
row and raises ``PermissionDenied`` (message in Chinese); invalid input raises ``ValidationError`` and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.models import Page, Revision
from wagtail.signals import page_published

from govsite.accounts import roles as role_policy
from govsite.accounts.models import Role, User
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.content.models import (
    ColumnPage,
    IndexNumberAllocation,
    IndexNumberCounter,
    LibraryItemPage,
    Placement,
    PushRequest,
)
from govsite.core import index_numbers
from govsite.sites.models import GovSite

# Important items older than this drop off the daily 转载提醒 list: the list is for what can still be
# acted on; a miss that old is a matter for the 督查 report (``repost_delays``), not a reminder.
OVERDUE_WINDOW = timedelta(days=30)
# 专题网站 are themed sections of their parent site, not a lower level of government: they carry no
# duty to repost the parent's 重要政策.
SITE_KINDS_WITHOUT_REPOST_DUTY = frozenset({GovSite.Kind.TOPIC})
PLACED_KINDS = (Placement.Kind.PUSH, Placement.Kind.REPOST)


# --- the site tree -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteNode:
    """A site as the library needs it: identity, place in the tree and the path of its home page."""

    id: int
    name: str
    kind: str
    parent_id: int | None
    root_path: str


class SiteTree:
    """All sites and their parent links, loaded in one query; answers tree questions in memory."""

    def __init__(self, nodes: Iterable[SiteNode]) -> None:
        self.nodes: dict[int, SiteNode] = {node.id: node for node in nodes}
        self._children: dict[int, list[SiteNode]] = {}
        for node in self.nodes.values():
            if node.parent_id is not None:
                self._children.setdefault(node.parent_id, []).append(node)
        # Longest root path first, so a site nested inside another site's page tree wins.
        self._by_root = sorted(self.nodes.values(), key=lambda n: len(n.root_path), reverse=True)

    @classmethod
    def load(cls) -> SiteTree:
        rows = GovSite.objects.order_by("sort_order", "id").values_list(
            "id", "name", "kind", "parent_id", "wagtail_site__root_page__path"
        )
        return cls(SiteNode(*row) for row in rows)

    def site_of_path(self, path: str) -> SiteNode | None:
        """The site whose page tree holds the page with this tree path."""
        for node in self._by_root:
            if path.startswith(node.root_path):
                return node
        return None

    def children(self, site_id: int) -> list[SiteNode]:
        return list(self._children.get(site_id, []))

    def ancestors(self, site_id: int) -> list[SiteNode]:
        """Upper sites, nearest first."""
        chain: list[SiteNode] = []
        node = self.nodes.get(site_id)
        while node is not None and node.parent_id is not None:
            node = self.nodes.get(node.parent_id)
            if node is None or node in chain:
                break
            chain.append(node)
        return chain

    def descendants(self, site_id: int) -> list[SiteNode]:
        """Lower sites at any depth, in tree order."""
        found: list[SiteNode] = []
        for child in self.children(site_id):
            found.append(child)
            found.extend(self.descendants(child.id))
        return found

    def is_descendant(self, site_id: int, of: int) -> bool:
        return any(node.id == of for node in self.ancestors(site_id))


def site_of_page(page: Page) -> GovSite | None:
    """The site whose page tree holds ``page`` (one query)."""
    steplen = Page.steplen
    prefixes = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return (
        GovSite.objects.filter(wagtail_site__root_page__path__in=prefixes)
        .order_by("-wagtail_site__root_page__depth")
        .first()
    )


# --- who may do what ---------------------------------------------------------------------------------


def _roles(actor: Any) -> set[tuple[str, int | None]]:
    """(kind, site id) of every role the actor holds; empty for anonymous or inactive accounts."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return set()
    return {(kind, site) for kind, site, _ in role_policy.held_roles(actor)}


def admin_site_ids(actor: Any) -> set[int]:
    """Sites the actor is 站点管理员 of."""
    return {site for kind, site in _roles(actor) if kind == Role.Kind.SITE_ADMIN and site is not None}


def push_site_ids(actor: Any) -> set[int]:
    """Sites the actor may push from (and withdraw pushes of): its 站点管理员 and 审核人 sites."""
    kinds = {Role.Kind.SITE_ADMIN, Role.Kind.REVIEWER}
    return {site for kind, site in _roles(actor) if kind in kinds and site is not None}


def is_system_admin(actor: Any) -> bool:
    return (Role.Kind.SYSTEM_ADMIN, None) in _roles(actor)


def can_push_from(actor: User | None, site_id: int) -> bool:
    """站点管理员 or 审核人 of the site, or the 系统管理员; ``None`` is the command line."""
    return actor is None or site_id in push_site_ids(actor) or is_system_admin(actor)


def can_handle_pushes_to(actor: User | None, site_id: int) -> bool:
    """Accepting or declining a push is for the receiving site's 站点管理员."""
    return actor is None or site_id in admin_site_ids(actor)


def can_place_in(actor: User | None, column: Page) -> bool:
    """An alias goes live at once, so placing needs both add and publish rights in the column.

    Wagtail's own ``create_alias`` demands publish rights at the destination for the same reason.
    """
    if actor is None:
        return True
    perms = column.permissions_for_user(actor)
    return bool(perms.can_add_subpage() and perms.can_publish_subpage())


def refuse(actor: User | None, action: str, obj: Any, reason: str, **detail: Any) -> NoReturn:
    """Record one ``denied`` audit row (in its own transaction, so it stays) and raise PermissionDenied."""
    with transaction.atomic():
        record(actor, action, obj, outcome=AuditEvent.Outcome.DENIED, detail={"reason": reason, **detail})
    raise PermissionDenied(reason)


# --- 索引号 and the owner placement on first publish -------------------------------------------------


def allocate_index_number(item_page: LibraryItemPage, *, revision: Revision | None = None) -> str:
    """Give a published item its 索引号, once; return it ("" when the page is on no site).

    The serial comes from the ``IndexNumberCounter`` of (owner site, year of the 发布日期), locked with
    ``select_for_update`` so two publishes never draw the same serial; every number issued is kept in
    ``IndexNumberAllocation``, which survives the page, so a number is never issued twice. A site
    without a 机构代码 uses its 网站标识码 as the 前段码: every site has one, it is unique on the platform
    and it is the code the national 普查 knows the site by — better than refusing to publish.

    The number is written to the page row and into the published and the latest revision, so that the
    next edit and publish carry it. An item that already holds an allocation keeps it: if a publish of
    an older revision brought back an empty number, the allocated one is restored. A page that arrives
    with a number nobody holds (an import) has it registered as it is; a copied page, whose number
    was copied from the original and is allocated to it, gets a number of its own.
    """
    with transaction.atomic():
        existing = (
            IndexNumberAllocation.objects.filter(page_id=item_page.pk)
            .values_list("index_number", flat=True)
            .first()
        )
        if existing is not None:
            if item_page.index_number != existing:
                _write_index_number(item_page, existing, revision)
                record(
                    None,
                    "content.allocate_index_number",
                    item_page,
                    detail={"index_number": existing, "restored": True},
                )
            return str(existing)
        site = site_of_page(item_page)
        if site is None:
            return ""
        # A number registered anywhere (even on another site) came with a copy of its page.
        if (
            item_page.index_number
            and not IndexNumberAllocation.objects.filter(index_number=item_page.index_number).exists()
        ):
            # Brought in with its number (an import): register it as it is, never renumber it.
            IndexNumberAllocation.objects.create(
                site=site,
                index_number=item_page.index_number,
                page_id=item_page.pk,
                title=item_page.title[:255],
            )
            record(
                None,
                "content.allocate_index_number",
                item_page,
                detail={"index_number": item_page.index_number, "site": site.name, "registered": True},
            )
            return str(item_page.index_number)
        year = timezone.localtime(item_page.publish_date).year
        counter, _ = IndexNumberCounter.objects.select_for_update().get_or_create(site=site, year=year)
        number, serial = _next_free_number(site, year, counter.last_serial)
        counter.last_serial = serial
        counter.save(update_fields=["last_serial"])
        IndexNumberAllocation.objects.create(
            site=site, index_number=number, page_id=item_page.pk, title=item_page.title[:255]
        )
        _write_index_number(item_page, number, revision)
        record(
            None,
            "content.allocate_index_number",
            item_page,
            detail={"index_number": number, "site": site.name, "year": year, "serial": serial},
        )
    return number


def _next_free_number(site: GovSite, year: int, last_serial: int) -> tuple[str, int]:
    """The next serial whose number is not already registered (imported legacy numbers are skipped)."""
    serial = last_serial
    while True:
        serial += 1
        number = format_site_index_number(site, year, serial)
        if not IndexNumberAllocation.objects.filter(site=site, index_number=number).exists():
            return number, serial


def format_site_index_number(site: GovSite, year: int, serial: int) -> str:
    """The 索引号 of ``serial`` in ``year`` by the site's rule (网站标识码 in place of a missing 机构代码)."""
    if site.org_code:
        return index_numbers.format_index_number(site.index_rule, site.org_code, year, serial)
    # The 网站标识码 is not an organisation code (10 digits), so it is put in as literal text rather
    # than through the 机构代码 check.
    rule = site.index_rule.replace("{机构代码}", site.site_id_code)
    return index_numbers.format_index_number(rule, "", year, serial)


def _write_index_number(item_page: LibraryItemPage, number: str, revision: Revision | None) -> None:
    LibraryItemPage.objects.filter(pk=item_page.pk).update(index_number=number)
    item_page.index_number = number
    revisions = [revision] if revision is not None else []
    latest_id = item_page.latest_revision_id
    if latest_id is not None and (revision is None or revision.pk != latest_id):
        latest = Revision.objects.filter(pk=latest_id).first()
        if latest is not None:
            revisions.append(latest)
    for rev in revisions:
        # The published revision's content dict is the one Wagtail copies into the aliases next, so
        # it is changed in place as well as saved.
        rev.content["index_number"] = number
        rev.save(update_fields=["content"])


def record_owner_placement(item_page: LibraryItemPage) -> Placement | None:
    """Record where the item was first published (kind owner); once per item.

    ``placed_by`` stays empty: the publish signal does not say who published (Wagtail's own log entry
    for the publish, mirrored into the audit log, does).
    """
    if Placement.objects.filter(page_id=item_page.pk).exists():
        return None
    column = ColumnPage.objects.filter(path=item_page.path[: -Page.steplen]).first()
    site = site_of_page(item_page)
    if column is None or site is None:
        return None
    published = item_page.first_published_at or timezone.now()
    with transaction.atomic():
        placement = Placement.objects.create(
            item_id=item_page.pk,
            page_id=item_page.pk,
            site=site,
            column=column,
            kind=Placement.Kind.OWNER,
            source_published_at=published,
            placed_at=published,
        )
        record(
            None,
            "content.record_owner_placement",
            item_page,
            detail={"placement": placement.pk, "site": site.name, "column": column.title},
        )
    return placement


def register_published_items(*, actor: User | None = None, reason: str = "") -> dict[str, int]:
    """Number and place, in bulk, live items that were stored without going through a publish.

    Loaders (the demo, a migration from a legacy CMS) insert thousands of already-published items
    straight into the tree; publishing each one through Wagtail would take minutes. This gives every
    live original that has no owner placement yet what its first publish would have given it — a
    索引号 from its site's counter (years in 发布日期 order, imported numbers kept) and the owner
    placement — in a few queries per site and year, and writes one audit row for the batch.
    Items that carry revisions keep the number in their latest revision too, so the next edit keeps it.
    Idempotent: a second call finds nothing to do. Returns ``{"numbered": n, "placed": n}``.
    """
    tree = SiteTree.load()
    with transaction.atomic():
        items = list(
            LibraryItemPage.objects.filter(live=True, alias_of__isnull=True)
            .exclude(pk__in=Placement.objects.values("page_id"))
            .only(
                "pk",
                "path",
                "title",
                "index_number",
                "publish_date",
                "first_published_at",
                "latest_revision_id",
            )
            .order_by("publish_date", "pk")
        )
        columns = {
            column.path: column
            for column in ColumnPage.objects.filter(
                path__in={item.path[: -Page.steplen] for item in items}
            ).only("pk", "path")
        }
        allocated = dict(
            IndexNumberAllocation.objects.filter(page_id__in=[item.pk for item in items]).values_list(
                "page_id", "index_number"
            )
        )
        sites = {site.pk: site for site in GovSite.objects.all()}
        by_site_year: dict[tuple[int, int], list[LibraryItemPage]] = {}
        placements: list[Placement] = []
        for item in items:
            node = tree.site_of_path(item.path)
            column = columns.get(item.path[: -Page.steplen])
            if node is None or column is None:
                continue
            published = item.first_published_at or item.publish_date
            placements.append(
                Placement(
                    item_id=item.pk,
                    page_id=item.pk,
                    site_id=node.id,
                    column_id=column.pk,
                    kind=Placement.Kind.OWNER,
                    source_published_at=published,
                    placed_at=published,
                )
            )
            if item.pk in allocated:
                item.index_number = allocated[item.pk]
            else:
                year = timezone.localtime(item.publish_date).year
                by_site_year.setdefault((node.id, year), []).append(item)
        numbered: list[LibraryItemPage] = []
        new_allocations: list[IndexNumberAllocation] = []
        for (site_id, year), group in sorted(by_site_year.items()):
            site = sites[site_id]
            taken = set(
                IndexNumberAllocation.objects.filter(site=site).values_list("index_number", flat=True)
            )
            counter, _ = IndexNumberCounter.objects.select_for_update().get_or_create(site=site, year=year)
            for item in group:
                if item.index_number and item.index_number not in taken:
                    number = item.index_number  # imported with its number: registered as it is
                else:
                    counter.last_serial += 1
                    number = format_site_index_number(site, year, counter.last_serial)
                    while number in taken:
                        counter.last_serial += 1
                        number = format_site_index_number(site, year, counter.last_serial)
                taken.add(number)
                item.index_number = number
                numbered.append(item)
                new_allocations.append(
                    IndexNumberAllocation(
                        site=site, index_number=number, page_id=item.pk, title=item.title[:255]
                    )
                )
            counter.save(update_fields=["last_serial"])
        IndexNumberAllocation.objects.bulk_create(new_allocations, batch_size=500)
        LibraryItemPage.objects.bulk_update(numbered, ["index_number"], batch_size=500)
        revisions = Revision.objects.filter(
            pk__in=[item.latest_revision_id for item in numbered if item.latest_revision_id]
        )
        numbers = {item.pk: item.index_number for item in numbered}
        changed = []
        for revision in revisions:
            number = numbers.get(int(revision.object_id))
            if number is not None:
                revision.content["index_number"] = number
                changed.append(revision)
        Revision.objects.bulk_update(changed, ["content"], batch_size=200)
        Placement.objects.bulk_create(placements, batch_size=500)
        counts = {"numbered": len(numbered), "placed": len(placements)}
        if numbered or placements:
            record(actor, "content.register_published_items", None, detail={**counts, "reason": reason})
    return counts


def on_page_published(
    sender: Any, instance: Any, revision: Revision | None = None, alias: bool = False, **kwargs: Any
) -> None:
    """``page_published`` receiver: number a library item and record its owner placement.

    Why the signal and not the admin's ``before/after_publish_page`` hooks: those run only when
    someone clicks 发布 in the page editor, while most items here are published by the review
    workflow's approval (``WorkflowState.finish``), by scheduled publishing or by code
    (``revision.publish()``) — the signal fires on every one of those paths. It is sent from inside
    ``PublishRevisionAction`` right after the page row is saved live and before Wagtail copies the
    revision into the aliases, so (1) the number lands in the aliases in the same publish and (2) the
    allocation runs in the publisher's transaction wherever the publisher has one — the workflow's
    ``finish`` is atomic, so a failed allocation rolls the approval and the publish back with it. The
    work is wrapped in its own ``atomic`` too, which becomes a savepoint inside such a transaction.

    Aliases (``alias=True``, ``alias_of`` set) never get a number of their own, and a publish that only
    schedules the page (not live yet) waits for the real one.
    """
    if alias or not isinstance(instance, LibraryItemPage) or instance.alias_of_id or not instance.live:
        return
    with transaction.atomic():
        allocate_index_number(instance, revision=revision)
        record_owner_placement(instance)


def connect_signals() -> None:
    """Connect the publish receiver (idempotent: a dispatch uid)."""
    page_published.connect(on_page_published, dispatch_uid="govsite.content.library.on_page_published")


# --- placements --------------------------------------------------------------------------------------


def original_item(item: Page) -> LibraryItemPage:
    """The library item itself: aliases resolve to their original; other page types are refused."""
    specific = item.specific
    if not isinstance(specific, LibraryItemPage):
        raise ValidationError("只有资源库信息（文章、通知公告、政策文件等）可以引用、推送或转载")
    if specific.alias_of_id is not None:
        original = LibraryItemPage.objects.filter(pk=specific.alias_of_id).first()
        if original is None:
            raise ValidationError("该引用页面的原稿已不存在")
        specific = original.specific
    return specific


def _column(column: Page) -> ColumnPage:
    specific = column.specific
    if not isinstance(specific, ColumnPage):
        raise ValidationError("只能放入栏目")
    return specific


def _check_placeable(item: LibraryItemPage, column: ColumnPage) -> None:
    if not item.live:
        raise ValidationError(f"“{item.title}”尚未发布，只能引用已发布的信息")
    already = Page.objects.child_of(column).filter(Q(pk=item.pk) | Q(alias_of_id=item.pk)).exists()
    if already or Placement.objects.filter(item_id=item.pk, column_id=column.pk).exists():
        raise ValidationError(f"“{item.title}”已在栏目“{column.title}”中")


def _free_slug(item: LibraryItemPage, column: ColumnPage) -> str | None:
    """None when the item's own slug is free under the column, else the first free ``slug-N``."""
    taken = set(
        Page.objects.child_of(column).filter(slug__startswith=item.slug).values_list("slug", flat=True)
    )
    if item.slug not in taken:
        return None
    n = 2
    while f"{item.slug}-{n}" in taken:
        n += 1
    return f"{item.slug}-{n}"


def _place(
    actor: User | None, item: LibraryItemPage, column: ColumnPage, site: GovSite, kind: str
) -> Placement:
    """Create the alias page and its Placement; the caller holds the transaction and writes the audit row."""
    alias = CreatePageAliasAction(
        item,
        parent=column,
        update_slug=_free_slug(item, column),
        user=actor,
        log_action=None,  # the action's own audit row says it all; no second row from Wagtail's log
    ).execute(skip_permission_checks=True)  # checked by the caller, with a Chinese message
    # Wagtail sends no page_published for a new alias: ask for the publish (after commit) here.
    from govsite.publishing.receivers import queue_pages

    queue_pages([alias.pk])
    try:
        with transaction.atomic():
            return Placement.objects.create(
                item_id=item.pk,
                page_id=alias.pk,
                site=site,
                column=column,
                kind=kind,
                source_published_at=item.first_published_at,
                placed_at=timezone.now(),
                placed_by=actor,
            )
    except IntegrityError as exc:  # a concurrent placement of the same item in the same column
        raise ValidationError(f"“{item.title}”已在栏目“{column.title}”中") from exc


def _placement_detail(placement: Placement) -> dict[str, Any]:
    delay = placement.delay
    return {
        "placement": placement.pk,
        "alias": placement.page_id,
        "site": placement.site.name,
        "column": placement.column.title,
        "kind": placement.kind,
        "delay_hours": round(delay.total_seconds() / 3600, 2) if delay is not None else None,
    }


def place_item(actor: User | None, item: Page, column: Page, kind: str = Placement.Kind.REPOST) -> Placement:
    """Show ``item`` in ``column`` as an alias page (引用): a reference that follows every publish.

    The actor needs add and publish rights in the column; an item appears at most once per column.
    ``kind`` is push or repost (the owner placement is recorded by the first publish).
    """
    if kind not in PLACED_KINDS:
        raise ValueError(f"place_item 只记录推送或转载，不能是 {kind!r}")
    original, target = original_item(item), _column(column)
    if not can_place_in(actor, target):
        refuse(
            actor, "content.place_item", original, f"无权在栏目“{target.title}”中发布信息", column=target.pk
        )
    _check_placeable(original, target)
    site = site_of_page(target)
    if site is None:
        raise ValidationError(f"栏目“{target.title}”不属于任何网站")
    with transaction.atomic():
        placement = _place(actor, original, target, site, kind)
        record(actor, "content.place_item", original, detail=_placement_detail(placement))
    return placement


def repost_item(actor: User | None, item: Page, column: Page) -> Placement:
    """A lower site reposts (转载) an upper site's item into one of its columns; the delay is recorded.

    The column's site must be below the item's owner site (at any depth). While an upper site's push
    of the item to this site is pending, the push is to be accepted instead, so that it is closed.
    """
    original, target = original_item(item), _column(column)
    if not can_place_in(actor, target):
        refuse(
            actor, "content.repost_item", original, f"无权在栏目“{target.title}”中发布信息", column=target.pk
        )
    tree = SiteTree.load()
    owner, here = tree.site_of_path(original.path), tree.site_of_path(target.path)
    if owner is None or here is None or not tree.is_descendant(here.id, of=owner.id):
        raise ValidationError("只能转载上级网站发布的信息")
    if PushRequest.objects.filter(
        item_id=original.pk, to_site_id=here.id, status=PushRequest.Status.PENDING
    ).exists():
        raise ValidationError("上级网站已将该信息推送到本站，请在“信息推送”中采用")
    _check_placeable(original, target)
    site = GovSite.objects.get(pk=here.id)
    with transaction.atomic():
        placement = _place(actor, original, target, site, Placement.Kind.REPOST)
        record(
            actor,
            "content.repost_item",
            original,
            detail={**_placement_detail(placement), "from_site": owner.name},
        )
    return placement


# --- push --------------------------------------------------------------------------------------------


def push_item(
    actor: User | None,
    item: Page,
    to_sites: Sequence[GovSite],
    suggested_column: Page | None = None,
    note: str = "",
) -> list[PushRequest]:
    """An upper site offers an item to lower sites (推送): one pending request per target site.

    Only the item's owner site pushes, to sites below it (at any depth), and only its 站点管理员 or
    审核人 (or the 系统管理员). A target that already has a pending push of the item, or already
    carries it, is refused — the whole call is, so nothing is half-sent. A suggested column must be a
    column of one of the targets; it is stored on that target's request only.
    """
    original = original_item(item)
    tree = SiteTree.load()
    owner = tree.site_of_path(original.path)
    if owner is None:
        raise ValidationError("该信息不属于任何网站")
    if not can_push_from(actor, owner.id):
        refuse(
            actor,
            "content.push_item",
            original,
            "只有信息所在网站的站点管理员、审核人或系统管理员可以推送信息",
            to_sites=[site.pk for site in to_sites],
        )
    targets = list({site.pk: site for site in to_sites}.values())
    if not targets:
        raise ValidationError("请选择要推送到的下级网站")
    if not original.live:
        raise ValidationError(f"“{original.title}”尚未发布，只能推送已发布的信息")
    outside = [site.name for site in targets if not tree.is_descendant(site.pk, of=owner.id)]
    if outside:
        raise ValidationError(f"“{'”“'.join(outside)}”不是“{owner.name}”的下级网站，只能向下级网站推送")
    pending = PushRequest.objects.filter(
        item_id=original.pk, to_site__in=targets, status=PushRequest.Status.PENDING
    ).select_related("to_site")
    if pending:
        names = "”“".join(push.to_site.name for push in pending)
        raise ValidationError(f"已向“{names}”推送过该信息，对方尚未处理，不能重复推送")
    carried = Placement.objects.filter(item_id=original.pk, site__in=targets).select_related("site")
    if carried:
        names = "”“".join(sorted({placement.site.name for placement in carried}))
        raise ValidationError(f"“{names}”已刊载该信息，无需推送")
    column_site: int | None = None
    if suggested_column is not None:
        here = tree.site_of_path(_column(suggested_column).path)
        column_site = here.id if here is not None else None
        if column_site not in {site.pk for site in targets}:
            raise ValidationError("建议栏目须是所推送网站的栏目")
    try:
        with transaction.atomic():
            pushes = [
                PushRequest.objects.create(
                    item_id=original.pk,
                    from_site_id=owner.id,
                    to_site=site,
                    note=note,
                    suggested_column=suggested_column if site.pk == column_site else None,
                    requested_by=actor,
                )
                for site in targets
            ]
            record(
                actor,
                "content.push_item",
                original,
                detail={
                    "pushes": [push.pk for push in pushes],
                    "to_sites": [site.name for site in targets],
                    "from_site": owner.name,
                    "note": note,
                },
            )
    except IntegrityError as exc:  # a concurrent push of the same item to the same site
        raise ValidationError("该信息刚刚已被推送，对方尚未处理，不能重复推送") from exc
    return pushes


def _locked_push(push: PushRequest) -> PushRequest:
    return PushRequest.objects.select_for_update().select_related("from_site", "to_site").get(pk=push.pk)


def _check_pending(push: PushRequest) -> None:
    if push.status != PushRequest.Status.PENDING:
        raise ValidationError(f"该推送已处理（{push.get_status_display()}），不能再次处理")


def accept_push(actor: User | None, push: PushRequest, column: Page) -> Placement:
    """The receiving site's 站点管理员 accepts a push into one of its columns (the item goes live there)."""
    target = _column(column)
    if not can_handle_pushes_to(actor, push.to_site_id):
        refuse(actor, "content.accept_push", push, "只有接收推送网站的站点管理员可以采用或拒绝推送")
    here = site_of_page(target)
    if here is None or here.pk != push.to_site_id:
        raise ValidationError(f"请选择“{push.to_site.name}”的栏目")
    if not can_place_in(actor, target):
        refuse(actor, "content.accept_push", push, f"无权在栏目“{target.title}”中发布信息", column=target.pk)
    with transaction.atomic():
        locked = _locked_push(push)
        _check_pending(locked)
        original = original_item(locked.item)
        _check_placeable(original, target)
        placement = _place(actor, original, target, here, Placement.Kind.PUSH)
        locked.status = PushRequest.Status.ACCEPTED
        locked.decided_by = actor
        locked.decided_at = placement.placed_at
        locked.placement = placement
        locked.save(update_fields=["status", "decided_by", "decided_at", "placement"])
        record(
            actor,
            "content.accept_push",
            locked,
            detail={**_placement_detail(placement), "item": original.pk, "from_site": locked.from_site.name},
        )
    _refresh(push, locked)
    return placement


def decline_push(actor: User | None, push: PushRequest, reason: str) -> None:
    """The receiving site's 站点管理员 declines a push, saying why."""
    if not can_handle_pushes_to(actor, push.to_site_id):
        refuse(actor, "content.decline_push", push, "只有接收推送网站的站点管理员可以采用或拒绝推送")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写拒绝理由")
    with transaction.atomic():
        locked = _locked_push(push)
        _check_pending(locked)
        locked.status = PushRequest.Status.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = reason[:200]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            actor,
            "content.decline_push",
            locked,
            detail={"item": locked.item_id, "to_site": locked.to_site.name, "reason": locked.decision_note},
        )
    _refresh(push, locked)


def withdraw_push(actor: User | None, push: PushRequest) -> None:
    """The sender withdraws a push not yet handled: whoever sent it, or whoever may push from its site."""
    sender = actor is not None and actor.pk == push.requested_by_id and actor.is_active
    if not sender and not can_push_from(actor, push.from_site_id):
        refuse(actor, "content.withdraw_push", push, "只有推送方可以撤回推送")
    with transaction.atomic():
        locked = _locked_push(push)
        _check_pending(locked)
        locked.status = PushRequest.Status.WITHDRAWN
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            actor,
            "content.withdraw_push",
            locked,
            detail={"item": locked.item_id, "to_site": locked.to_site.name},
        )
    _refresh(push, locked)


def _refresh(push: PushRequest, locked: PushRequest) -> None:
    for field in ("status", "decided_by_id", "decided_at", "decision_note", "placement_id"):
        setattr(push, field, getattr(locked, field))


# The read side lives in ``queries``; its names stay importable from here.
from govsite.content.library.queries import (  # noqa: E402, F401 - re-exported
    OverdueRepost,
    RepostDelay,
    overdue_reposts,
    pending_pushes_to,
    pushes_from,
    repost_delays,
    site_columns,
    upper_items,
)

"""Per-unit editing rights (责任分解表 as permissions) and the per-unit roles (信息员, 单位负责人).

An 信息员 belongs to a unit; the unit's 信息员 role (a group "<单位>·信息员") holds Wagtail page
permissions on exactly the columns whose responsible unit it is — on any site — and document/image
permissions on those sites' collections. ``sync_unit_editor_permissions`` recomputes them from the
columns and is called whenever a column is created or its responsible unit changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from govsite.accounts.models import Role, Unit
from govsite.content.models import ColumnPage
from govsite.sites.models import GovSite

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "view_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def unit_editor_group(unit: Unit) -> Group:
    """The unit's 信息员 role, created on first use."""
    role = Role.objects.filter(kind=Role.Kind.EDITOR, unit=unit).select_related("group").first()
    if role is not None:
        return role.group
    with transaction.atomic():
        group = Group.objects.create(name=f"{unit.name}·信息员")
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        Role.objects.create(group=group, kind=Role.Kind.EDITOR, unit=unit)
    return group


def unit_head_group(unit: Unit) -> Group:
    """The unit's 单位负责人 role ("<单位>·负责人"), created on first use.

    It carries no page permissions: a 单位负责人 reaches a page through the review step that names
    them (``review.models.ReviewTask``), and approves only the columns their unit is responsible for.
    """
    role = Role.objects.filter(kind=Role.Kind.UNIT_HEAD, unit=unit).select_related("group").first()
    if role is not None:
        return role.group
    with transaction.atomic():
        group = Group.objects.create(name=f"{unit.name}·负责人")
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        Role.objects.create(group=group, kind=Role.Kind.UNIT_HEAD, unit=unit)
    return group


def site_collection(site: GovSite) -> Collection:
    """The site's document/image collection (created with the site; found by name under the root)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=site.name).first()
    if collection is None:
        collection = root.add_child(name=site.name)
    return collection


def _site_of_column(column: ColumnPage, sites: list[GovSite]) -> GovSite | None:
    for site in sites:
        if column.path.startswith(site.root_page.path):
            return site
    return None


def sync_unit_editor_permissions(units: Iterable[Unit] | None = None) -> None:
    """Make each unit's 信息员 group hold page rights on exactly its columns (idempotent)."""
    units = list(Unit.objects.all() if units is None else units)
    if not units:
        return
    page_perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
        )
    }
    coll_perms = [
        Permission.objects.get(content_type__app_label=app, codename=code)
        for app, code in EDITOR_COLLECTION_PERMISSIONS
    ]
    sites = list(GovSite.objects.select_related("wagtail_site__root_page"))
    columns = list(
        ColumnPage.objects.filter(responsible_unit__in=units).only("id", "path", "responsible_unit_id")
    )
    with transaction.atomic():
        for unit in units:
            own = [c for c in columns if c.responsible_unit_id == unit.pk]
            if not own and not Role.objects.filter(kind=Role.Kind.EDITOR, unit=unit).exists():
                continue
            group = unit_editor_group(unit)
            wanted_pages = {(c.pk, perm.pk) for c in own for perm in page_perms.values()}
            existing = {
                (gp.page_id, gp.permission_id): gp.pk
                for gp in GroupPagePermission.objects.filter(group=group)
            }
            GroupPagePermission.objects.filter(
                pk__in=[pk for key, pk in existing.items() if key not in wanted_pages]
            ).delete()
            GroupPagePermission.objects.bulk_create(
                [
                    GroupPagePermission(group=group, page_id=page_id, permission_id=perm_id)
                    for page_id, perm_id in sorted(wanted_pages - set(existing))
                ]
            )
            own_sites = {site.pk: site for c in own if (site := _site_of_column(c, sites)) is not None}
            wanted_colls = {
                (site_collection(site).pk, perm.pk) for site in own_sites.values() for perm in coll_perms
            }
            existing_c = {
                (gc.collection_id, gc.permission_id): gc.pk
                for gc in GroupCollectionPermission.objects.filter(group=group)
            }
            GroupCollectionPermission.objects.filter(
                pk__in=[pk for key, pk in existing_c.items() if key not in wanted_colls]
            ).delete()
            GroupCollectionPermission.objects.bulk_create(
                [
                    GroupCollectionPermission(group=group, collection_id=cid, permission_id=pid)
                    for cid, pid in sorted(wanted_colls - set(existing_c))
                ]
            )

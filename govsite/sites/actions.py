"""Creating a site and changing its identity. A new site gets its home page, its Wagtail site, a
document/image collection, its site roles (站点管理员, 审核人) with page permissions on its subtree,
and its default review workflow (信息员 submits → 科室审核人 with 保密审查 → the column's 单位负责人
approves and publishes; ``review.actions``). 信息员 and 单位负责人 roles are per unit
(``content.permissions``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from govsite.accounts import roles as role_policy
from govsite.accounts.models import Role, Unit, User
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.content.models import HomePage
from govsite.review.actions import install_default_workflow
from govsite.sites.models import GovSite

IDENTITY_FIELDS = (
    "name",
    "site_id_code",
    "sponsor",
    "organizer",
    "icp_number",
    "police_number",
    "primary_domain",
    "phone",
    "address",
    "postcode",
)
# How the published pages look (publishing.variants): edited with the identity, in the same form.
APPEARANCE_FIELDS = (
    "theme_color",
    "logo",
    "mourning_from",
    "mourning_until",
    "mourning_includes_subsites",
)
EDITABLE_FIELDS = IDENTITY_FIELDS + APPEARANCE_FIELDS

SITE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    Role.Kind.SITE_ADMIN: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "view_page",
    ],
    Role.Kind.REVIEWER: ["change_page", "publish_page", "view_page"],
}
SITE_COLLECTION_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.Kind.SITE_ADMIN: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ],
    Role.Kind.REVIEWER: [("wagtaildocs", "choose_document"), ("wagtailimages", "choose_image")],
}


def _check_can_manage_sites(actor: User | None, action: str, obj: Any = None) -> None:
    if actor is None or role_policy.has_role(actor, Role.Kind.SYSTEM_ADMIN):
        return
    with transaction.atomic():
        record(
            actor,
            action,
            obj,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"reason": "只有系统管理员可以管理网站"},
        )
    raise PermissionDenied("只有系统管理员可以管理网站")


def _wagtail_root() -> Page:
    return Page.get_first_root_node()


def create_site(
    actor: User | None,
    *,
    code: str,
    name: str,
    kind: str,
    site_id_code: str,
    sponsor: str,
    icp_number: str,
    police_number: str,
    primary_domain: str,
    parent: GovSite | None = None,
    sponsor_unit: Unit | None = None,
    organizer: str = "",
    phone: str = "",
    address: str = "",
    postcode: str = "",
    sort_order: int = 0,
) -> GovSite:
    """Create a site with everything it needs; invalid identity raises ValidationError, nothing saved."""
    _check_can_manage_sites(actor, "sites.create_site")
    site = GovSite(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        site_id_code=site_id_code,
        sponsor=sponsor,
        sponsor_unit=sponsor_unit,
        organizer=organizer,
        icp_number=icp_number,
        police_number=police_number,
        primary_domain=primary_domain,
        phone=phone,
        address=address,
        postcode=postcode,
        sort_order=sort_order,
    )
    site.full_clean(exclude=["wagtail_site"])
    with transaction.atomic():
        home = _wagtail_root().add_child(instance=HomePage(title=name, slug=code))
        wagtail_site = Site.objects.create(
            hostname=site.primary_domain,
            port=80,
            root_page=home,
            site_name=name,
            is_default_site=not Site.objects.filter(is_default_site=True).exists(),
        )
        site.wagtail_site = wagtail_site
        site.save()
        _create_site_roles(site, home)
        record(actor, "sites.create_site", site, detail={f: getattr(site, f) for f in IDENTITY_FIELDS})
    return site


def _create_site_roles(site: GovSite, home: Page) -> None:
    collection = Collection.get_first_root_node().add_child(name=site.name)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    # 信息员 rights are per unit, on the columns the unit is responsible for (content.permissions).
    manage_users = list(
        Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["add_user", "change_user"]
        )
    )
    for kind in (Role.Kind.SITE_ADMIN, Role.Kind.REVIEWER):
        group = Group.objects.create(name=f"{site.name}·{Role.Kind(kind).label}")
        Role.objects.create(group=group, kind=kind, site=site)
        group.permissions.add(access_admin)
        if kind == Role.Kind.SITE_ADMIN:
            group.permissions.add(*manage_users)
        for codename in SITE_PAGE_PERMISSIONS[kind]:
            GroupPagePermission.objects.create(
                group=group,
                page=home,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        for app_label, codename in SITE_COLLECTION_PERMISSIONS[kind]:
            GroupCollectionPermission.objects.create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
            )
    install_default_workflow(site, home)


def _audit_value(value: Any) -> Any:
    """A field value as the audit row's JSON keeps it: a related object by id, a date as ISO text."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def update_site_identity(actor: User | None, site: GovSite, **changes: Any) -> GovSite:
    """Change identity or appearance fields (``EDITABLE_FIELDS``); the whole change is validated first
    and applied in one transaction."""
    _check_can_manage_sites(actor, "sites.update_identity", site)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能通过此操作修改字段：{', '.join(sorted(unknown))}")
    before = {f: _audit_value(getattr(site, f)) for f in changes}
    fresh = GovSite.objects.get(pk=site.pk)
    for field, value in changes.items():
        setattr(fresh, field, value)
    fresh.full_clean()
    with transaction.atomic():
        fresh.save()
        wagtail_site = fresh.wagtail_site
        wagtail_site.hostname = fresh.primary_domain
        wagtail_site.site_name = fresh.name
        wagtail_site.save()
        record(
            actor,
            "sites.update_identity",
            fresh,
            detail={"before": before, "after": {f: _audit_value(getattr(fresh, f)) for f in changes}},
        )
    return fresh


def site_group(site: GovSite, kind: str) -> Group:
    return Role.objects.select_related("group").get(site=site, kind=kind).group

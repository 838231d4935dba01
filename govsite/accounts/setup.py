"""The platform-wide roles and their Django permissions, created idempotently after ``migrate``."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from govsite.accounts.models import Role

# (app_label, model, codename) granted to each platform-wide role.
GLOBAL_ROLE_PERMISSIONS: dict[str, list[tuple[str, str, str]]] = {
    Role.Kind.SYSTEM_ADMIN: [
        ("wagtailadmin", "admin", "access_admin"),
        ("sites", "govsite", "view_govsite"),
        ("sites", "govsite", "change_govsite"),
        ("sites", "govsite", "add_govsite"),
    ],
    Role.Kind.SECURITY_ADMIN: [
        ("wagtailadmin", "admin", "access_admin"),
        ("accounts", "user", "add_user"),
        ("accounts", "user", "change_user"),
        ("accounts", "unit", "view_unit"),
        ("accounts", "unit", "add_unit"),
        ("accounts", "unit", "change_unit"),
    ],
    Role.Kind.AUDIT_ADMIN: [
        ("wagtailadmin", "admin", "access_admin"),
        ("audit", "auditevent", "view_auditevent"),
    ],
}


def permission(app_label: str, model: str, codename: str) -> Permission:
    if app_label == "wagtailadmin":
        return Permission.objects.get(content_type__app_label="wagtailadmin", codename=codename)
    model_class = apps.get_model(app_label, model)
    content_type = ContentType.objects.get_for_model(model_class)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return perm


def ensure_platform_roles() -> dict[str, Group]:
    """Create (or repair) the three separated admin roles with exactly their permissions."""
    groups: dict[str, Group] = {}
    for kind, perms in GLOBAL_ROLE_PERMISSIONS.items():
        role = Role.objects.filter(kind=kind, site__isnull=True).select_related("group").first()
        if role is None:
            group, _ = Group.objects.get_or_create(name=str(Role.Kind(kind).label))
            Role.objects.create(group=group, kind=kind)
        else:
            group = role.group
        group.permissions.set([permission(*spec) for spec in perms])
        groups[kind] = group
    return groups


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    if sender.label != "accounts":
        return
    if not Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).exists():
        return  # wagtail.admin's own post_migrate has not run yet; `govsite setup` repairs this later
    ensure_platform_roles()

"""Who may grant which role (三权分立, DB-08).

- 系统管理员 runs sites and configuration; manages no accounts and reads no audit log.
- 安全管理员 manages accounts and grants the content roles (站点管理员, 信息员, 审核人, 单位负责人) on
  any site or unit;
  never a 三员 role, never superuser, never to itself.
- 审计管理员 reads and exports the audit log only.
- 站点管理员 grants 审核人 on its own site, and the 信息员 and 单位负责人 roles of any unit responsible
  for one of its site's columns.
- The three separated admin roles are granted only from the server's command line (``actor=None``),
  and no account may hold two of them. Nobody can make an account superuser from the web.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Q

from govsite.accounts.models import SEPARATED_ADMIN_KINDS, SITE_ROLE_KINDS, UNIT_ROLE_KINDS, Role, User

Kind = Role.Kind


_CACHE_ATTR = "_govsite_held_roles"
HeldRole = tuple[str, int | None, int | None]  # (kind, site id, unit id)


def held_roles(user: Any) -> frozenset[HeldRole]:
    """(kind, site id, unit id) of every role ``user`` holds, loaded once per user object.

    Menu items, dashboard panels and views all ask this on one admin page; the answer is kept on the
    user object (``request.user`` lives for one request), as Django keeps its permission cache there.
    Actions that change a user's roles call ``forget_roles`` on the object they were given.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: frozenset[HeldRole] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(Role.objects.filter(group__user=user).values_list("kind", "site_id", "unit_id"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles of this user object (after its groups changed)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_kinds(user: Any) -> set[str]:
    return {kind for kind, _, _ in held_roles(user)}


def has_role(user: Any, kind: str) -> bool:
    return kind in role_kinds(user)


def site_ids_with_role(user: Any, kind: str) -> set[int]:
    return {site for held, site, _ in held_roles(user) if held == kind and site is not None}


def can_grant(actor: User | None, role: Role) -> bool:
    """Whether ``actor`` (None = the server command line) may give ``role`` to an account."""
    if actor is None:
        return True
    if not actor.is_active:
        return False
    kinds = role_kinds(actor)
    if role.kind in SEPARATED_ADMIN_KINDS:
        return False
    if Kind.SECURITY_ADMIN in kinds:
        return role.kind in SITE_ROLE_KINDS
    if Kind.SITE_ADMIN in kinds and role.kind == Kind.REVIEWER:
        return role.site_id in site_ids_with_role(actor, Kind.SITE_ADMIN)
    if Kind.SITE_ADMIN in kinds and role.kind in UNIT_ROLE_KINDS and role.unit_id is not None:
        return role.unit_id in unit_ids_with_columns_on(site_ids_with_role(actor, Kind.SITE_ADMIN))
    return False


def unit_ids_with_columns_on(site_ids: set[int]) -> set[int]:
    """Units responsible for at least one column on the given sites."""
    from govsite.content.models import ColumnPage  # accounts sits below content; imported lazily
    from govsite.sites.models import GovSite

    ids: set[int] = set()
    for site in GovSite.objects.filter(pk__in=site_ids).select_related("wagtail_site__root_page"):
        ids |= set(
            ColumnPage.objects.descendant_of(site.root_page)
            .exclude(responsible_unit=None)
            .values_list("responsible_unit_id", flat=True)
        )
    return ids


def grantable_groups(actor: User | None) -> list[Group]:
    roles = Role.objects.select_related("group", "site", "unit").order_by(
        "site__sort_order", "site_id", "unit_id", "kind"
    )
    return [role.group for role in roles if can_grant(actor, role)]


def can_manage_account(actor: User | None, target: User) -> bool:
    """Whether ``actor`` may edit ``target``'s account (profile, password, active flag, roles).

    Nobody manages their own account through this path, nor an account holding a role they could not
    grant: otherwise a 安全管理员 could reset the 审计管理员's password and act as them.
    """
    if actor is None:
        return True
    if actor.pk == target.pk or target.is_superuser:
        return False
    kinds = role_kinds(actor)
    if Kind.SECURITY_ADMIN not in kinds and Kind.SITE_ADMIN not in kinds:
        return False
    target_roles = Role.objects.filter(group__user=target)
    if Kind.SECURITY_ADMIN not in kinds:
        # A site administrator manages only accounts that work on one of its sites.
        own_sites = site_ids_with_role(actor, Kind.SITE_ADMIN)
        own_units = unit_ids_with_columns_on(own_sites)
        if not target_roles.filter(Q(site_id__in=own_sites) | Q(unit_id__in=own_units)).exists():
            return False
    return all(can_grant(actor, role) for role in target_roles)


def can_create_accounts(actor: User | None) -> bool:
    if actor is None:
        return True
    return bool(role_kinds(actor) & {Kind.SECURITY_ADMIN, Kind.SITE_ADMIN})

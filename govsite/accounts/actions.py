"""Named state changes on units, accounts and roles. Each checks permission, changes state in one
transaction and writes the audit row there (HOUSE_RULES §2). A refused call changes nothing and
leaves one ``denied`` audit row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govsite.accounts import roles as role_policy
from govsite.accounts.models import SEPARATED_ADMIN_KINDS, Role, Unit, User
from govsite.audit.log import record
from govsite.audit.models import AuditEvent


def _deny(actor: User | None, action: str, obj: Any, reason: str, **detail: Any) -> NoReturn:
    with transaction.atomic():
        record(actor, action, obj, outcome=AuditEvent.Outcome.DENIED, detail={"reason": reason, **detail})
    raise PermissionDenied(reason)


def create_unit(
    actor: User | None,
    *,
    name: str,
    kind: str = Unit.Kind.DEPARTMENT,
    parent: Unit | None = None,
    short_name: str = "",
    credit_code: str = "",
    sort_order: int = 0,
) -> Unit:
    if actor is not None and not role_policy.has_role(actor, Role.Kind.SECURITY_ADMIN):
        _deny(actor, "accounts.create_unit", None, "只有安全管理员可以新建单位", name=name)
    unit = Unit(
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        credit_code=credit_code,
        sort_order=sort_order,
    )
    unit.full_clean()
    with transaction.atomic():
        unit.save()
        record(actor, "accounts.create_unit", unit, detail={"parent": parent.name if parent else None})
    return unit


def create_account(
    actor: User | None,
    *,
    username: str,
    full_name: str,
    unit: Unit,
    password: str,
    email: str = "",
    post: str = "",
    phone: str = "",
    groups: Iterable[Group] = (),
) -> User:
    """Create an account with a policy-checked password and the given roles."""
    groups = list(groups)
    if not role_policy.can_create_accounts(actor):
        _deny(actor, "accounts.create_account", None, "没有新建账号的权限", username=username)
    for group in groups:
        if not role_policy.can_grant(actor, group.role):
            _deny(actor, "accounts.create_account", None, f"无权授予角色“{group.name}”", username=username)
    user = User(username=username, full_name=full_name, unit=unit, email=email, post=post, phone=phone)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        record(actor, "accounts.create_account", user, detail={"unit": unit.name})
        for group in groups:
            _check_exclusive_admin_roles(user, group)
            user.groups.add(group)
            record(actor, "accounts.grant_role", user, detail={"role": group.name})
    return user


def _check_exclusive_admin_roles(user: User, group: Group) -> None:
    if group.role.kind in SEPARATED_ADMIN_KINDS:
        held = Role.objects.filter(group__user=user, kind__in=SEPARATED_ADMIN_KINDS).exclude(group=group)
        if held.exists():
            raise ValidationError(f"三权分立：该账号已是“{held.first()}”，不能再担任“{group.name}”")


def grant_role(actor: User | None, target: User, group: Group) -> None:
    role = group.role
    if actor is not None and actor.pk == target.pk:
        _deny(actor, "accounts.grant_role", target, "不能给自己授予角色", role=group.name)
    if not role_policy.can_grant(actor, role):
        _deny(actor, "accounts.grant_role", target, f"无权授予角色“{group.name}”", role=group.name)
    unassigned = not Role.objects.filter(group__user=target).exists() and not target.is_superuser
    if actor is not None and not unassigned and not role_policy.can_manage_account(actor, target):
        # An account with no role yet has no powers to protect; any role-granting actor may assign it.
        _deny(actor, "accounts.grant_role", target, "无权管理该账号", role=group.name)
    _check_exclusive_admin_roles(target, group)
    with transaction.atomic():
        target.groups.add(group)
        role_policy.forget_roles(target)
        record(actor, "accounts.grant_role", target, detail={"role": group.name})


def revoke_role(actor: User | None, target: User, group: Group) -> None:
    if actor is not None and actor.pk == target.pk:
        _deny(actor, "accounts.revoke_role", target, "不能撤销自己的角色", role=group.name)
    if not role_policy.can_grant(actor, group.role):
        _deny(actor, "accounts.revoke_role", target, f"无权撤销角色“{group.name}”", role=group.name)
    with transaction.atomic():
        target.groups.remove(group)
        role_policy.forget_roles(target)
        record(actor, "accounts.revoke_role", target, detail={"role": group.name})


def set_superuser(actor: User | None, target: User, value: bool) -> None:
    """Superuser status is changed only from the server's command line (actor None)."""
    if actor is not None:
        _deny(actor, "accounts.set_superuser", target, "超级用户只能在服务器命令行设置", value=value)
    with transaction.atomic():
        target.is_superuser = value
        target.is_staff = value
        target.save(update_fields=["is_superuser", "is_staff"])
        record(actor, "accounts.set_superuser", target, detail={"value": value})


def set_password(actor: User | None, target: User, password: str) -> None:
    if actor is not None and actor.pk != target.pk and not role_policy.can_manage_account(actor, target):
        _deny(actor, "accounts.set_password", target, "无权修改该账号的密码")
    validate_password(password, target)
    with transaction.atomic():
        target.set_password(password)
        target.save(update_fields=["password"])
        record(actor, "accounts.set_password", target)


def set_active(actor: User | None, target: User, active: bool) -> None:
    if not role_policy.can_manage_account(actor, target):
        _deny(actor, "accounts.set_active", target, "无权启用或停用该账号", value=active)
    with transaction.atomic():
        target.is_active = active
        target.save(update_fields=["is_active"])
        record(actor, "accounts.set_active", target, detail={"value": active})


def update_profile(actor: User | None, target: User, **fields: Any) -> None:
    """Change profile fields (name, unit, post, phone, e-mail, account name) of a managed account."""
    allowed = {"username", "full_name", "unit", "post", "phone", "email"}
    if set(fields) - allowed:
        raise ValidationError(f"不能通过此操作修改字段：{', '.join(sorted(set(fields) - allowed))}")
    if actor is not None and not role_policy.can_manage_account(actor, target):
        _deny(actor, "accounts.update_profile", target, "无权管理该账号")
    changed = {k: v for k, v in fields.items() if getattr(target, k) != v}
    if not changed:
        return
    before = {k: str(getattr(target, k)) for k in changed}
    for key, value in changed.items():
        setattr(target, key, value)
    target.full_clean(exclude=["password"])
    with transaction.atomic():
        target.save(update_fields=list(changed))
        record(
            actor,
            "accounts.update_profile",
            target,
            detail={"before": before, "after": {k: str(v) for k, v in changed.items()}},
        )


UNIT_FIELDS = ("name", "short_name", "kind", "parent", "credit_code", "sort_order")


def update_unit(actor: User | None, unit: Unit, **changes: Any) -> Unit:
    if actor is not None and not role_policy.has_role(actor, Role.Kind.SECURITY_ADMIN):
        _deny(actor, "accounts.update_unit", unit, "只有安全管理员可以修改单位")
    if set(changes) - set(UNIT_FIELDS):
        raise ValidationError(f"不能通过此操作修改字段：{', '.join(sorted(set(changes) - set(UNIT_FIELDS)))}")
    fresh = Unit.objects.get(pk=unit.pk)
    before = {k: str(getattr(fresh, k)) for k in changes}
    for key, value in changes.items():
        setattr(fresh, key, value)
    fresh.full_clean()
    with transaction.atomic():
        fresh.save()
        record(
            actor,
            "accounts.update_unit",
            fresh,
            detail={"before": before, "after": {k: str(v) for k, v in changes.items()}},
        )
    return fresh

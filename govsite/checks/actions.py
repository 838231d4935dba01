"""Changing the deployment's lists for the text checks (保护词表, 过时机构名称): only the 系统管理员.

Every change validates the row, saves it and writes exactly one audit row in the same transaction; a
refused call writes one ``denied`` row (which stays) and raises PermissionDenied.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from govsite.accounts import roles
from govsite.accounts.models import Role
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.checks.models import OutdatedName, ProtectedTerm

DENIED_REASON = "只有系统管理员可以维护内容检查词表"
TERM_FIELDS = ("kind", "term", "name", "title", "valid_from", "valid_until", "note")
OUTDATED_FIELDS = ("old_name", "new_name", "effective_date", "still_valid_as_brand", "source")

M = TypeVar("M", bound=models.Model)


def can_manage_lists(user: Any) -> bool:
    return roles.has_role(user, Role.Kind.SYSTEM_ADMIN)


def refuse(actor: Any, action: str, obj: models.Model | None = None, **detail: Any) -> NoReturn:
    """One ``denied`` audit row (in its own transaction, so it stays) and PermissionDenied."""
    with transaction.atomic():
        record(
            actor,
            action,
            obj,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"reason": DENIED_REASON, **detail},
        )
    raise PermissionDenied(DENIED_REASON)


def _values(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _create(actor: Any, action: str, model: type[M], fields: tuple[str, ...], values: dict[str, Any]) -> M:
    if not can_manage_lists(actor):
        refuse(actor, action)
    obj = model(**{name: values[name] for name in fields if name in values})
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        record(actor, action, obj, detail=_values(obj, fields))
    return obj


def _update(actor: Any, action: str, obj: M, fields: tuple[str, ...], changed: dict[str, Any]) -> M:
    if not can_manage_lists(actor):
        refuse(actor, action, obj)
    unknown = set(changed) - set(fields)
    if unknown:
        raise ValueError(f"不可修改的字段：{sorted(unknown)}")
    before = _values(obj, fields)
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.full_clean()
    diff = {name: [before[name], getattr(obj, name)] for name in fields if before[name] != getattr(obj, name)}
    with transaction.atomic():
        obj.save()
        record(actor, action, obj, detail={"changed": diff})
    return obj


def _delete(actor: Any, action: str, obj: models.Model, fields: tuple[str, ...]) -> None:
    if not can_manage_lists(actor):
        refuse(actor, action, obj)
    with transaction.atomic():
        # Recorded before the delete, while the row still has its id.
        record(actor, action, obj, detail=_values(obj, fields))
        obj.delete()


def create_protected_term(actor: Any, **values: Any) -> ProtectedTerm:
    return _create(actor, "checks.term_create", ProtectedTerm, TERM_FIELDS, values)


def update_protected_term(actor: Any, term: ProtectedTerm, **changed: Any) -> ProtectedTerm:
    return _update(actor, "checks.term_update", term, TERM_FIELDS, changed)


def delete_protected_term(actor: Any, term: ProtectedTerm) -> None:
    _delete(actor, "checks.term_delete", term, TERM_FIELDS)


def create_outdated_name(actor: Any, **values: Any) -> OutdatedName:
    return _create(actor, "checks.outdated_create", OutdatedName, OUTDATED_FIELDS, values)


def update_outdated_name(actor: Any, row: OutdatedName, **changed: Any) -> OutdatedName:
    return _update(actor, "checks.outdated_update", row, OUTDATED_FIELDS, changed)


def delete_outdated_name(actor: Any, row: OutdatedName) -> None:
    _delete(actor, "checks.outdated_delete", row, OUTDATED_FIELDS)

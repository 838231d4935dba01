"""Personas shared by the whole suite (HOUSE_RULES §8): two sites A and B, an editor and a reviewer
of A, an editor of B, the three separated admins, and an anonymous citizen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

from govsite.accounts.models import Role, Unit, User
from govsite.audit import triggers
from govsite.sites.models import GovSite

pytest_plugins = ["govsite.testing.browser"]

_original_sqlite_flush = SQLiteOperations.sql_flush


def _sqlite_flush_with_audit_triggers(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
    # Flushing between transactional tests must empty the append-only audit table: lift its
    # triggers for the flush only and put them back (PostgreSQL flushes with TRUNCATE, which the
    # row triggers do not see).
    statements = _original_sqlite_flush(self, style, tables, **kwargs)
    if triggers.TABLE not in tables:
        return statements
    return [*triggers.SQLITE_DROP, *statements, *triggers.SQLITE_CREATE]


SQLiteOperations.sql_flush = _sqlite_flush_with_audit_triggers  # type: ignore[method-assign]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Transactional tests empty the database afterwards, taking with it what migrations created
    # (Wagtail's root page, locale, root collection, permissions); serialized rollback restores it
    # before each one. All or none: a plain flush re-creates content types and permissions under
    # new ids, which a later serialized reload then collides with.
    from pytest_django.fixtures import validate_django_db

    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        transaction, reset_sequences, databases, serialized_rollback, available_apps = validate_django_db(
            marker
        )
        if transaction and not serialized_rollback:
            item.add_marker(
                pytest.mark.django_db(
                    transaction=True,
                    reset_sequences=reset_sequences,
                    databases=databases,
                    serialized_rollback=True,
                    available_apps=available_apps,
                ),
                append=False,
            )


@dataclass
class Personas:
    site_a: GovSite
    site_b: GovSite
    unit_a: Unit
    unit_b: Unit
    editor_a: User
    reviewer_a: User
    site_admin_a: User
    editor_b: User
    system_admin: User
    security_admin: User
    audit_admin: User


@pytest.fixture(autouse=True)
def _publish_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test publishes into a tree of its own (publishing also runs when a transactional test's
    page publish commits)."""
    settings.PUBLISH_ROOT = tmp_path_factory.mktemp("public")


@pytest.fixture
def personas(db: None) -> Personas:
    from govsite.accounts.setup import ensure_platform_roles
    from govsite.content.permissions import unit_editor_group
    from govsite.sites.actions import site_group
    from govsite.testing import factories as f

    platform = ensure_platform_roles()
    office = f.unit("测试市人民政府办公室", kind=Unit.Kind.OFFICE)
    unit_a = f.unit("测试市教育局")
    unit_b = f.unit("测试县人民政府办公室", kind=Unit.Kind.OFFICE)
    site_a = f.site("sitea", sponsor_unit=office)
    site_b = f.site("siteb", parent=site_a, sponsor_unit=unit_b)
    # 信息员 rights are per unit: editor_a writes in unit_a's columns (on site A in these tests),
    # editor_b in unit_b's.
    editor_group_a, editor_group_b = unit_editor_group(unit_a), unit_editor_group(unit_b)
    return Personas(
        site_a=site_a,
        site_b=site_b,
        unit_a=unit_a,
        unit_b=unit_b,
        editor_a=f.account("editor_a", unit_obj=unit_a, groups=[editor_group_a], full_name="甲信息员"),
        reviewer_a=f.account(
            "reviewer_a",
            unit_obj=unit_a,
            groups=[site_group(site_a, Role.Kind.REVIEWER)],
            full_name="甲审核人",
        ),
        site_admin_a=f.account(
            "siteadmin_a",
            unit_obj=office,
            groups=[site_group(site_a, Role.Kind.SITE_ADMIN)],
            full_name="甲站点管理员",
        ),
        editor_b=f.account("editor_b", unit_obj=unit_b, groups=[editor_group_b], full_name="乙信息员"),
        system_admin=f.account(
            "sysadmin", unit_obj=office, groups=[platform[Role.Kind.SYSTEM_ADMIN]], full_name="系统管理员甲"
        ),
        security_admin=f.account(
            "secadmin", unit_obj=office, groups=[platform[Role.Kind.SECURITY_ADMIN]], full_name="安全管理员甲"
        ),
        audit_admin=f.account(
            "auditadmin", unit_obj=office, groups=[platform[Role.Kind.AUDIT_ADMIN]], full_name="审计管理员甲"
        ),
    )

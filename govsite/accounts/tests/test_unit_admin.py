"""单位管理: only the 安全管理员 creates and edits units; the unit tree refuses cycles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from govsite.accounts.actions import create_unit, update_unit
from govsite.accounts.models import Unit
from govsite.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("security_admin", 200),
        ("system_admin", 302),
        ("audit_admin", 302),
        ("editor_a", 302),
        ("reviewer_a", 302),
        ("site_admin_a", 302),
        ("editor_b", 302),
    ],
)
def test_unit_views_by_persona(personas, persona: str, expected: int) -> None:
    client = _client(getattr(personas, persona))
    assert client.get("/admin/units/").status_code == expected
    assert client.get("/admin/units/new/").status_code == expected


def test_security_admin_creates_a_unit_in_the_tree(personas) -> None:
    resp = _client(personas.security_admin).post(
        "/admin/units/new/",
        {
            "name": "测试市财政局",
            "short_name": "财政局",
            "kind": "department",
            "parent": personas.unit_a.pk,
            "credit_code": "",
            "sort_order": "3",
        },
    )
    assert resp.status_code == 302
    unit = Unit.objects.get(name="测试市财政局")
    assert unit.parent == personas.unit_a
    assert AuditEvent.objects.filter(action="accounts.create_unit", object_id=str(unit.pk)).count() == 1


def test_duplicate_unit_name_is_refused_in_chinese(personas) -> None:
    resp = _client(personas.security_admin).post(
        "/admin/units/new/",
        {
            "name": personas.unit_a.name,
            "short_name": "",
            "kind": "department",
            "credit_code": "",
            "sort_order": "0",
        },
    )
    assert resp.status_code == 200
    assert "已存在" in resp.content.decode()


def test_a_unit_cannot_become_its_own_ancestor(personas) -> None:
    child = create_unit(None, name="下级单位", parent=personas.unit_a)
    with pytest.raises(ValidationError) as exc:
        update_unit(personas.security_admin, personas.unit_a, parent=child)
    assert exc.value.message_dict["parent"] == ["上级单位不能是本单位或其下级单位"]
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.parent is None


def test_system_admin_cannot_create_units(personas) -> None:
    count = Unit.objects.count()
    with pytest.raises(PermissionDenied, match="只有安全管理员可以新建单位"):
        create_unit(personas.system_admin, name="越权单位")
    assert Unit.objects.count() == count

"""The wrapped Wagtail user admin: only permitted roles are offered, no superuser switch, and
accounts outside the actor's power cannot be opened."""

from __future__ import annotations

import pytest
from django.test import Client

from govsite.accounts.models import Role, User
from govsite.audit.models import AuditEvent
from govsite.content.permissions import unit_editor_group
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("security_admin", 200),
        ("site_admin_a", 200),
        ("system_admin", 302),
        ("audit_admin", 302),
        ("editor_a", 302),
        ("reviewer_a", 302),
        ("editor_b", 302),
    ],
)
def test_add_user_view_by_persona(personas, persona: str, expected: int) -> None:
    resp = _client(getattr(personas, persona)).get("/admin/users/new/")
    assert resp.status_code == expected


def test_add_form_offers_only_content_roles_and_no_superuser_switch(personas) -> None:
    resp = _client(personas.security_admin).get("/admin/users/new/")
    form = resp.context["form"]
    offered = set(form.fields["groups"].queryset.values_list("role__kind", flat=True))
    assert offered == {Role.Kind.SITE_ADMIN, Role.Kind.EDITOR, Role.Kind.REVIEWER}
    assert "is_superuser" not in form.fields
    assert "审计管理员" not in resp.content.decode()


def test_site_admin_is_offered_only_its_sites_roles(personas) -> None:
    f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a)
    form = _client(personas.site_admin_a).get("/admin/users/new/").context["form"]
    offered = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert offered == {"测试网站sitea·审核人", "测试市教育局·信息员"}


def test_security_admin_creates_an_editor_through_the_form(personas) -> None:
    group = unit_editor_group(personas.unit_b)
    resp = _client(personas.security_admin).post(
        "/admin/users/new/",
        {
            "username": "neweditor",
            "full_name": "李四",
            "unit": personas.unit_b.pk,
            "post": "科员",
            "phone": "",
            "email": "",
            "password1": "Qingshan#2026",
            "password2": "Qingshan#2026",
            "groups": [group.pk],
        },
    )
    assert resp.status_code == 302
    user = User.objects.get(username="neweditor")
    assert list(user.groups.all()) == [group]
    assert AuditEvent.objects.filter(action="accounts.create_account", object_id=str(user.pk)).count() == 1
    assert AuditEvent.objects.filter(action="accounts.grant_role", object_id=str(user.pk)).count() == 1


def test_weak_password_in_the_form_shows_a_chinese_error_and_saves_nothing(personas) -> None:
    count = User.objects.count()
    resp = _client(personas.security_admin).post(
        "/admin/users/new/",
        {
            "username": "weak",
            "full_name": "王五",
            "unit": personas.unit_b.pk,
            "password1": "abcdefgh",
            "password2": "abcdefgh",
        },
    )
    assert resp.status_code == 200
    assert "密码强度不足：密码须包含数字、包含符号（如 ! @ # $ %）。" in resp.content.decode()
    assert User.objects.count() == count


def test_posting_a_separated_admin_role_is_refused(personas) -> None:
    from govsite.accounts.setup import ensure_platform_roles

    audit_group = ensure_platform_roles()[Role.Kind.AUDIT_ADMIN]
    resp = _client(personas.security_admin).post(
        f"/admin/users/edit/{personas.editor_a.pk}/",
        {
            "username": "editor_a",
            "full_name": "甲信息员",
            "unit": personas.unit_a.pk,
            "is_active": "on",
            "groups": [audit_group.pk],
        },
    )
    assert resp.status_code == 200  # the choice is not offered: the form rejects it
    assert not personas.editor_a.groups.filter(pk=audit_group.pk).exists()


@pytest.mark.parametrize("target", ["audit_admin", "system_admin", "security_admin"])
def test_security_admin_cannot_open_separated_admin_accounts_or_itself(personas, target: str) -> None:
    resp = _client(personas.security_admin).get(f"/admin/users/edit/{getattr(personas, target).pk}/")
    assert resp.status_code in (302, 403)
    assert resp.status_code != 200


def test_security_admin_edits_an_editor_and_revokes_a_role(personas) -> None:
    editor = personas.editor_a
    resp = _client(personas.security_admin).post(
        f"/admin/users/edit/{editor.pk}/",
        {
            "username": "editor_a",
            "full_name": "甲信息员（改）",
            "unit": personas.unit_a.pk,
            "is_active": "on",
            "groups": [],
        },
    )
    assert resp.status_code == 302
    editor.refresh_from_db()
    assert editor.full_name == "甲信息员（改）"
    assert editor.groups.count() == 0
    assert AuditEvent.objects.filter(action="accounts.revoke_role", object_id=str(editor.pk)).count() == 1

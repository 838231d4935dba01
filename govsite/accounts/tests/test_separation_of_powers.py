"""三权分立 (DB-08): no admin role can grant itself or anyone a role outside its power; refused calls
change nothing and leave exactly one denied audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govsite.accounts import actions
from govsite.accounts.models import Role, User
from govsite.accounts.setup import ensure_platform_roles
from govsite.audit.models import AuditEvent
from govsite.content.permissions import unit_editor_group, unit_head_group
from govsite.sites.actions import site_group
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db


def _denied_rows(action: str) -> int:
    return AuditEvent.objects.filter(action=action, outcome=AuditEvent.Outcome.DENIED).count()


def test_system_admin_cannot_make_anyone_superuser(personas) -> None:
    target = personas.editor_a
    with pytest.raises(PermissionDenied, match="超级用户只能在服务器命令行设置"):
        actions.set_superuser(personas.system_admin, target, True)
    target.refresh_from_db()
    assert target.is_superuser is False
    assert _denied_rows("accounts.set_superuser") == 1


def test_system_admin_cannot_grant_audit_admin(personas) -> None:
    audit_group = ensure_platform_roles()[Role.Kind.AUDIT_ADMIN]
    before = set(personas.editor_a.groups.all())
    with pytest.raises(PermissionDenied, match="无权授予角色“审计管理员”"):
        actions.grant_role(personas.system_admin, personas.editor_a, audit_group)
    assert set(personas.editor_a.groups.all()) == before
    assert _denied_rows("accounts.grant_role") == 1


@pytest.mark.parametrize("kind", [Role.Kind.SYSTEM_ADMIN, Role.Kind.SECURITY_ADMIN, Role.Kind.AUDIT_ADMIN])
@pytest.mark.parametrize("actor_name", ["system_admin", "security_admin", "audit_admin", "site_admin_a"])
def test_no_web_actor_grants_a_separated_admin_role(personas, actor_name: str, kind: str) -> None:
    actor = getattr(personas, actor_name)
    group = ensure_platform_roles()[kind]
    with pytest.raises(PermissionDenied):
        actions.grant_role(actor, personas.reviewer_a, group)
    assert not personas.reviewer_a.groups.filter(pk=group.pk).exists()


def test_security_admin_cannot_grant_itself_a_role(personas) -> None:
    editor_group = unit_editor_group(personas.unit_a)
    with pytest.raises(PermissionDenied, match="不能给自己授予角色"):
        actions.grant_role(personas.security_admin, personas.security_admin, editor_group)
    assert not personas.security_admin.groups.filter(pk=editor_group.pk).exists()


def test_security_admin_grants_content_roles(personas) -> None:
    reviewer_group = site_group(personas.site_b, Role.Kind.REVIEWER)
    actions.grant_role(personas.security_admin, personas.editor_b, reviewer_group)
    assert personas.editor_b.groups.filter(pk=reviewer_group.pk).exists()
    row = AuditEvent.objects.get(action="accounts.grant_role", actor_username="secadmin")
    assert row.detail == {"role": reviewer_group.name}
    assert row.object_id == str(personas.editor_b.pk)


def test_security_admin_cannot_reset_the_audit_admins_password(personas) -> None:
    old_hash = personas.audit_admin.password
    with pytest.raises(PermissionDenied, match="无权修改该账号的密码"):
        actions.set_password(personas.security_admin, personas.audit_admin, "Another#2026x")
    personas.audit_admin.refresh_from_db()
    assert personas.audit_admin.password == old_hash


def test_site_admin_grants_only_on_its_own_site(personas) -> None:
    f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a)  # editor_a now works on site A
    actions.grant_role(
        personas.site_admin_a, personas.editor_a, site_group(personas.site_a, Role.Kind.REVIEWER)
    )
    with pytest.raises(PermissionDenied):
        actions.grant_role(
            personas.site_admin_a, personas.editor_b, site_group(personas.site_b, Role.Kind.REVIEWER)
        )
    with pytest.raises(PermissionDenied):
        actions.grant_role(
            personas.site_admin_a, personas.editor_a, site_group(personas.site_a, Role.Kind.SITE_ADMIN)
        )


def test_site_admin_grants_the_editor_role_of_units_working_on_its_site(personas) -> None:
    newcomer = f.account("newcomer", unit_obj=personas.unit_a)
    with pytest.raises(PermissionDenied):  # unit_a has no column on site A yet
        actions.grant_role(personas.site_admin_a, newcomer, unit_editor_group(personas.unit_a))
    f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a)
    actions.grant_role(personas.site_admin_a, newcomer, unit_editor_group(personas.unit_a))
    assert newcomer.groups.filter(pk=unit_editor_group(personas.unit_a).pk).exists()
    with pytest.raises(PermissionDenied):  # unit_b works only on site B
        actions.grant_role(personas.site_admin_a, newcomer, unit_editor_group(personas.unit_b))


def test_security_admin_grants_the_unit_head_role(personas) -> None:
    head_group = unit_head_group(personas.unit_b)
    assert head_group.name == "测试县人民政府办公室·负责人"
    actions.grant_role(personas.security_admin, personas.editor_b, head_group)
    assert personas.editor_b.groups.filter(pk=head_group.pk).exists()
    assert Role.objects.get(group=head_group).kind == Role.Kind.UNIT_HEAD


def test_site_admin_grants_the_unit_head_role_of_units_working_on_its_site(personas) -> None:
    head = f.account("head", unit_obj=personas.unit_a)
    with pytest.raises(PermissionDenied):  # unit_a has no column on site A yet
        actions.grant_role(personas.site_admin_a, head, unit_head_group(personas.unit_a))
    assert _denied_rows("accounts.grant_role") == 1
    assert not head.groups.exists()
    f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a)
    actions.grant_role(personas.site_admin_a, head, unit_head_group(personas.unit_a))
    assert head.groups.filter(pk=unit_head_group(personas.unit_a).pk).exists()
    with pytest.raises(PermissionDenied):  # unit_b works only on site B
        actions.grant_role(personas.site_admin_a, head, unit_head_group(personas.unit_b))


@pytest.mark.parametrize("actor_name", ["editor_a", "reviewer_a", "system_admin", "audit_admin"])
def test_content_and_other_admin_roles_cannot_grant_the_unit_head_role(personas, actor_name: str) -> None:
    f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a)
    head_group = unit_head_group(personas.unit_a)
    with pytest.raises(PermissionDenied):
        actions.grant_role(getattr(personas, actor_name), personas.editor_b, head_group)
    assert not personas.editor_b.groups.filter(pk=head_group.pk).exists()


def test_one_account_cannot_hold_two_separated_admin_roles(personas) -> None:
    groups = ensure_platform_roles()
    with pytest.raises(ValidationError, match="三权分立"):
        actions.grant_role(None, personas.system_admin, groups[Role.Kind.AUDIT_ADMIN])
    assert not personas.system_admin.groups.filter(pk=groups[Role.Kind.AUDIT_ADMIN].pk).exists()


def test_command_line_grants_separated_roles_and_superuser(personas) -> None:
    target = personas.reviewer_a
    actions.set_superuser(None, target, True)
    target.refresh_from_db()
    assert target.is_superuser
    assert AuditEvent.objects.filter(action="accounts.set_superuser", actor_username="").count() == 1


def test_create_account_rejects_weak_password_and_saves_nothing(personas) -> None:
    count = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.create_account(
            personas.security_admin,
            username="weakling",
            full_name="弱密码",
            unit=personas.unit_a,
            password="qingshan2026",
        )
    assert exc.value.messages == ["密码强度不足：密码须包含符号（如 ! @ # $ %）。"]
    assert User.objects.count() == count


def test_usernames_are_unique_regardless_of_case(personas) -> None:
    with pytest.raises(ValidationError):
        actions.create_account(
            personas.security_admin,
            username="EDITOR_A",
            full_name="重复",
            unit=personas.unit_a,
            password="Strong#2026x",
        )

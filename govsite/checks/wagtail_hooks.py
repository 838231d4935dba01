"""Registers 内容检查 (保护词表, 过时机构名称) in the Wagtail admin, for the 系统管理员 only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from govsite.checks.admin_views import ChecksViewSetGroup, SystemAdminPolicy
from govsite.checks.models import OutdatedName, ProtectedTerm

register_permission_policy(ProtectedTerm, SystemAdminPolicy(ProtectedTerm))
register_permission_policy(OutdatedName, SystemAdminPolicy(OutdatedName))


@hooks.register("register_admin_viewset")
def register_checks_viewsets() -> ChecksViewSetGroup:
    return ChecksViewSetGroup()

"""Puts the 审计日志 pages into the Wagtail admin; the menu item is shown to the 审计管理员 only."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from govsite.audit import views
from govsite.audit.export import can_read_audit_log


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_read_audit_log(request.user)


@hooks.register("register_admin_urls")
def register_audit_urls() -> list[URLPattern | URLResolver]:
    urlpatterns = [
        path("", views.AuditLogIndexView.as_view(), name="index"),
        path("verify/", views.AuditVerifyView.as_view(), name="verify"),
        re_path(r"^export/(?P<fmt>csv|xlsx)/$", views.AuditExportView.as_view(), name="export"),
    ]
    return [path("audit/", include((urlpatterns, "govsite_audit"), namespace="govsite_audit"))]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AuditLogMenuItem(
        "审计日志", reverse("govsite_audit:index"), name="audit-log", icon_name="history", order=8500
    )

"""Admin hooks of the publisher: the 防篡改告警 panel on the dashboard of those who run the sites
(系统管理员: every site; 站点管理员: their own)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.ui.components import Component

from govsite.accounts import roles
from govsite.accounts.models import Role
from govsite.publishing.models import TamperAlert

PANEL_ROWS = 10


def alerts_for(user: Any) -> QuerySet[TamperAlert] | None:
    """Unacknowledged alerts the user should see; None when the panel is not for them."""
    kinds = roles.role_kinds(user)
    alerts = TamperAlert.objects.filter(acknowledged_at__isnull=True).select_related("site")
    if Role.Kind.SYSTEM_ADMIN in kinds:
        return alerts
    if Role.Kind.SITE_ADMIN in kinds:
        return alerts.filter(site_id__in=roles.site_ids_with_role(user, Role.Kind.SITE_ADMIN))
    return None


class TamperAlertPanel(Component):
    name = "tamper_alerts"
    template_name = "publishing_admin/tamper_panel.html"
    order = 40  # above everything: a tampered public site is the most urgent thing there is

    def __init__(self, alerts: QuerySet[TamperAlert]) -> None:
        self.alerts = alerts

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        rows = list(self.alerts[:PANEL_ROWS])
        return {"rows": rows}


@hooks.register("construct_homepage_panels")
def add_tamper_panel(request: HttpRequest, panels: list[Any]) -> None:
    alerts = alerts_for(request.user)
    if alerts is not None and alerts.exists():
        panels.append(TamperAlertPanel(alerts))

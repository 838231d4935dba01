"""Registers 单位管理 in the Wagtail admin."""

from wagtail import hooks

from govsite.accounts.admin_views import UnitViewSet


@hooks.register("register_admin_viewset")
def register_unit_viewset() -> UnitViewSet:
    return UnitViewSet("units")

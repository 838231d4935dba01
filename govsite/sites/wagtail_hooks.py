"""Registers 网站管理 in the Wagtail admin."""

from wagtail import hooks

from govsite.sites.admin_views import GovSiteViewSet


@hooks.register("register_admin_viewset")
def register_site_viewset() -> GovSiteViewSet:
    return GovSiteViewSet("govsites")

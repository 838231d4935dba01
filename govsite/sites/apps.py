"""The site tree (portal → county portals / department sites → 专题) and each site's identity."""

from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "govsite.sites"
    label = "sites"
    verbose_name = "站点"

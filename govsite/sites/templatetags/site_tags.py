"""Template access to the GovSite (identity, footer fields) of the page being rendered."""

from __future__ import annotations

from typing import Any

from django import template

from govsite.sites.models import GovSite

register = template.Library()


@register.simple_tag(takes_context=True)
def current_govsite(context: dict[str, Any]) -> GovSite | None:
    page = context.get("page")
    request = context.get("request")
    wagtail_site = page.get_site() if page is not None else None
    if wagtail_site is None and request is not None:
        wagtail_site = getattr(request, "_wagtail_site", None)
    if wagtail_site is None:
        return None
    return GovSite.objects.filter(wagtail_site=wagtail_site).first()

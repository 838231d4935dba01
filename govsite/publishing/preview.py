"""Preview = published: the admin preview of a library item is rendered by the publisher's renderer,
so what a reviewer sees is byte for byte the file that publishing would write for it."""

from __future__ import annotations

from django.http import HttpResponse
from wagtail.models import Page

from govsite.content.models import LibraryItemPage
from govsite.publishing.renderer import SiteRenderer
from govsite.sites.models import GovSite


def site_of_path(path: str) -> GovSite | None:
    for site in GovSite.objects.select_related("wagtail_site__root_page"):
        if path.startswith(site.wagtail_site.root_page.path):
            return site
    return None


def render_item_preview(page: LibraryItemPage) -> bytes | None:
    """The published bytes of ``page`` as it is now (saved or not); None when it is not in a column
    of a site (then Wagtail's own preview answers)."""
    if not page.path:
        return None
    site = site_of_path(page.path)
    if site is None:
        return None
    renderer = SiteRenderer(site)
    column = renderer.column_by_path.get(page.path[: -Page.steplen])
    if column is None:
        return None
    if not page.url_path:
        parent = Page.objects.filter(path=page.path[: -Page.steplen]).first()
        if parent is not None:
            page.set_url_path(parent)
    outputs = list(renderer._item(page, column))
    return outputs[0].data if outputs else None


def preview_response(page: LibraryItemPage) -> HttpResponse | None:
    data = render_item_preview(page)
    if data is None:
        return None
    return HttpResponse(data, content_type="text/html; charset=utf-8")

"""Wagtail hooks for the policy lifecycle: the public 政府信息公开目录 page gets its catalogue.

The catalogue is added to the page's own response rather than rendered here, so the page is still
served by ``Page.serve`` (its template, context and any override) after Wagtail's own checks: the
hook is the innermost ``on_serve_page`` wrapper (a high ``order``), inside the view-restriction
check. ``before_serve_page`` would run before that check and could leak a restricted catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.models import Page

from govsite.content.catalog import catalog_context
from govsite.content.models import DisclosureCatalogPage

ServePage = Callable[[Page, HttpRequest, tuple[Any, ...], dict[str, Any]], HttpResponse]


@hooks.register("on_serve_page", order=100)
def add_disclosure_catalog(serve: ServePage) -> ServePage:
    """Wrap page serving: a 公开目录 page's template response also gets ``catalog`` (filters, facets,
    the current page of items) from the request's query string."""

    def serve_with_catalog(
        page: Page, request: HttpRequest, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse:
        response = serve(page, request, args, kwargs)
        if (
            isinstance(page, DisclosureCatalogPage)
            and isinstance(response, TemplateResponse)
            and not response.is_rendered
            and isinstance(response.context_data, dict)
        ):
            response.context_data.update(catalog_context(page, request))
        return response

    return serve_with_catalog

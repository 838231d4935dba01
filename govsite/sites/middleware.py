"""Choosing the site of a public request.

In production each site is served on its own host name (its 主域名), which Wagtail matches. In the
embedded mode everything runs on 127.0.0.1:8000, so a path prefix ``/s/<站点代号>/`` selects a site:
the prefix is stripped for routing and set as the script prefix, so every URL the site generates
keeps it. Requests without a prefix or a known host go to the default site (the portal).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import get_script_prefix, set_script_prefix

from govsite.sites.models import GovSite

PREFIX_RE = re.compile(r"^/s/(?P<code>[a-z0-9-]+)(?P<rest>/.*)?$")


class SitePrefixMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = PREFIX_RE.match(request.path_info)
        if match is None:
            return self.get_response(request)
        site = GovSite.objects.select_related("wagtail_site").filter(code=match["code"]).first()
        if site is None:
            return HttpResponseNotFound("没有这个网站".encode(), content_type="text/plain; charset=utf-8")
        prefix = f"/s/{site.code}"
        request._wagtail_site = site.wagtail_site  # type: ignore[attr-defined]  # Wagtail's per-request site cache
        request.govsite = site  # type: ignore[attr-defined]  # read by the published-tree server
        request.path_info = match["rest"] or "/"
        request.path = request.META.get("SCRIPT_NAME", "").rstrip("/") + prefix + request.path_info
        previous = get_script_prefix()
        set_script_prefix(request.META.get("SCRIPT_NAME", "").rstrip("/") + prefix + "/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)

"""Embedded mode: the app serves each site's published tree, as nginx does in production.

``PublishedSiteMiddleware`` answers GET/HEAD requests for a site's public pages from
``<PUBLISH_ROOT>/<code>/current/`` — the same files nginx serves (pre-compressed ``.gz`` siblings
included) — and leaves everything else (the admin, documents, media, static files, dynamic endpoints)
to Django. The site comes from the ``/s/<code>/`` prefix (``SitePrefixMiddleware``) or the host name.

A site that has never been published is still served by Wagtail's page views, so a fresh database
is browsable before its first publish; once a release exists, only the release is served.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from wagtail.models import Site

from govsite.sites.models import GovSite

# Paths the app itself answers, never the published tree (the admin prefix is added from settings).
APP_PREFIXES = (
    "/documents/",
    "/media/",
    "/static/",
    "/search/results/",
    "/interact/",
    "/disclosure/",
    "/api/",
)
HTML_CACHE = "max-age=300"
ASSET_CACHE = "max-age=2592000"


def _site_for(request: HttpRequest) -> GovSite | None:
    known: GovSite | None = getattr(request, "govsite", None)
    if known is not None:
        return known
    wagtail_site = getattr(request, "_wagtail_site", None) or Site.find_for_request(request)
    if wagtail_site is None:
        return None
    return GovSite.objects.filter(wagtail_site=wagtail_site).only("code").first()


def site_tree(site_code: str) -> Path:
    return Path(settings.PUBLISH_ROOT) / site_code / "current"


def find_file(site_code: str, url_path: str) -> Path | None:
    """The file of the published tree that answers ``url_path`` ("/a/b/" → a/b/index.html), or None.

    Refuses anything that would leave the site's directory (``..``, absolute or encoded tricks): the
    resolved path must stay under the site's publish directory (releases share directories through
    symlinks inside it).
    """
    site_dir = Path(settings.PUBLISH_ROOT) / site_code
    relative = url_path.lstrip("/")
    if "\x00" in relative or any(part in ("..", ".") for part in relative.split("/")):
        return None
    candidate = site_dir / "current" / relative
    if relative == "" or relative.endswith("/"):
        candidate = candidate / "index.html"
    real = os.path.realpath(candidate)
    if not real.startswith(os.path.realpath(site_dir) + os.sep) or not os.path.isfile(real):
        return None
    return candidate


class PublishedSiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.app_prefixes = ("/" + settings.ADMIN_URL.lstrip("/"), *APP_PREFIXES)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if request.method not in ("GET", "HEAD") or path.startswith(self.app_prefixes):
            return self.get_response(request)
        site = _site_for(request)
        if site is None or not site_tree(site.code).exists():
            return self.get_response(request)
        return serve_published(request, site.code, path)


def serve_published(request: HttpRequest, site_code: str, path: str) -> HttpResponseBase:
    found = find_file(site_code, path)
    if found is None and not path.endswith("/") and find_file(site_code, path + "/") is not None:
        return HttpResponsePermanentRedirect(request.path + "/")
    status = 200
    if found is None:
        found = find_file(site_code, "/404.html")
        status = 404
        if found is None:
            return HttpResponse("页面不存在".encode(), status=404, content_type="text/plain; charset=utf-8")
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/xml", "image/svg+xml"):
        content_type += "; charset=utf-8"
    if status == 404:
        # The 404 page's links are relative to the site root (<base href="/">); under /s/<code>/ the
        # root is the prefix.
        prefix = request.path[: len(request.path) - len(path)] if request.path.endswith(path) else ""
        body = found.read_bytes().replace(b'<base href="/">', f'<base href="{prefix}/">'.encode(), 1)
        return HttpResponse(body, status=404, content_type=content_type)
    gz = Path(str(found) + ".gz")
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "") and gz.is_file()
    response = FileResponse(open(gz if use_gzip else found, "rb"), content_type=content_type)  # noqa: SIM115 - FileResponse closes it
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    is_html = posixpath.splitext(found.name)[1] in (".html", ".xml")
    response.headers["Cache-Control"] = HTML_CACHE if is_html else ASSET_CACHE
    return response

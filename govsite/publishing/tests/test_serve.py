"""Embedded serving of the published tree: pages, pre-compressed copies, the 404 page, redirects, and
nothing outside a site's directory; the admin and sites not yet published are left to Django."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.test import Client

from govsite.content.models import ArticlePage
from govsite.publishing import actions
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

STATIC_MARK = '<link rel="stylesheet" href="/static/govsite.css">'


@pytest.fixture
def published(personas: Any) -> dict[str, Any]:
    col = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    item = f.article(col, "发布后的文章")
    actions.publish_site(personas.site_a)
    return {"site": personas.site_a, "column": col, "item": item}


def body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def test_pages_are_served_from_the_release(published: dict[str, Any]) -> None:
    client = Client()
    item: ArticlePage = published["item"]
    home = client.get("/s/sitea/")
    assert home.status_code == 200
    assert home["Content-Type"] == "text/html; charset=utf-8"
    assert home["Cache-Control"] == "max-age=300"
    assert STATIC_MARK in body(home)
    page = client.get(f"/s/sitea/{f.public_url(item)}")
    assert page.status_code == 200
    assert "发布后的文章" in body(page)
    assert client.get("/s/sitea/robots.txt")["Content-Type"] == "text/plain; charset=utf-8"


def test_gzip_copies_are_sent_to_clients_that_accept_them(published: dict[str, Any]) -> None:
    response = Client().get("/s/sitea/zwyw/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "政务要闻" in gzip.decompress(b"".join(response.streaming_content)).decode()


def test_a_missing_page_gets_the_sites_404_with_links_from_its_root(published: dict[str, Any]) -> None:
    response = Client().get("/s/sitea/zwyw/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<base href="/s/sitea/">' in html
    assert "页面不存在" in html


def test_a_directory_without_its_slash_is_redirected(published: dict[str, Any]) -> None:
    response = Client().get("/s/sitea/zwyw")
    assert response.status_code == 301
    assert response["Location"] == "/s/sitea/zwyw/"


@pytest.mark.parametrize(
    "path", ["/s/sitea/../../etc/passwd", "/s/sitea/zwyw/%2e%2e/%2e%2e/x", "/s/sitea/./index.html"]
)
def test_nothing_outside_the_site_is_served(published: dict[str, Any], path: str) -> None:
    assert Client().get(path).status_code == 404


def test_the_admin_and_unpublished_sites_are_left_to_django(published: dict[str, Any], personas: Any) -> None:
    client = Client()
    assert client.get("/admin/login/").status_code == 200
    f.column(personas.site_b, "通知公告", responsible_unit=personas.unit_b, slug="tzgg")
    response = client.get("/s/siteb/")  # never published: Wagtail's page view answers
    assert response.status_code == 200
    assert STATIC_MARK not in response.content.decode()

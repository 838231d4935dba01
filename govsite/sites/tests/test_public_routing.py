"""Public requests reach the right site: by host name in production, by /s/<code>/ in embedded mode."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from govsite.testing import factories as f

pytestmark = pytest.mark.django_db


def test_path_prefix_selects_the_site_and_links_keep_the_prefix(personas) -> None:
    col_a = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a)
    col_b = f.column(personas.site_b, "县区动态", responsible_unit=personas.unit_b, slug="xqdt")
    f.article(col_a, "甲站文章")
    f.article(col_b, "乙站文章")
    client = Client()
    resp_b = client.get("/s/siteb/")
    assert resp_b.status_code == 200
    html_b = resp_b.content.decode()
    assert "乙站文章" in html_b
    assert "甲站文章" not in html_b
    assert f'href="/s/siteb/{col_b.slug}/"' in html_b
    assert f'<meta name="SiteIDCode" content="{personas.site_b.site_id_code}">' in html_b
    article = client.get(f"/s/siteb/{col_b.slug}/")
    assert article.status_code == 200


def test_host_name_selects_the_site(personas) -> None:
    col_b = f.column(personas.site_b, "县区动态", responsible_unit=personas.unit_b)
    f.article(col_b, "乙站文章")
    resp = Client(HTTP_HOST="www.siteb.gov.cn").get("/")
    assert resp.status_code == 200
    assert "乙站文章" in resp.content.decode()


def test_unknown_site_code_is_404(personas) -> None:
    resp = Client().get("/s/nosuchsite/")
    assert resp.status_code == 404
    assert resp.content.decode() == "没有这个网站"


def test_draft_article_is_not_public(personas) -> None:
    col_a = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a)
    draft = f.article(col_a, "未发布稿件", publish=False)
    assert Client().get(f"/s/sitea/{col_a.slug}/{draft.slug}/").status_code == 404


def test_an_item_is_reached_at_its_published_address_when_wagtail_serves_the_site(personas) -> None:
    # A site never published is served by Wagtail; an item's address is the publisher's
    # (<column>/<yyyymm>/t<date>_<id>.html), and page.url says so.
    col_b = f.column(personas.site_b, "县区动态", responsible_unit=personas.unit_b, slug="xqdt")
    item = f.article(col_b, "乙站文章")
    address = f.public_url(item)
    day = item.publish_date.astimezone(ZoneInfo("Asia/Shanghai"))
    assert address == f"xqdt/{day:%Y%m}/t{day:%Y%m%d}_{item.pk}.html"
    assert item.get_url_parts()[2] == "/" + address
    client = Client()
    page = client.get(f"/s/siteb/{address}")
    assert page.status_code == 200
    assert "乙站文章" in page.content.decode()
    assert f'href="/s/siteb/{address}"' in client.get("/s/siteb/xqdt/").content.decode()
    # The id under another date, or another column's id: not found.
    wrong_day = address.replace(f"t{day:%Y%m%d}_", "t19990101_")
    assert client.get(f"/s/siteb/{wrong_day}").status_code == 404
    other = f.article(
        f.column(personas.site_b, "通知公告", responsible_unit=personas.unit_b, slug="tzgg"), "另一篇"
    )
    assert client.get(f"/s/siteb/xqdt/{f.public_url(other).split('/', 1)[1]}").status_code == 404

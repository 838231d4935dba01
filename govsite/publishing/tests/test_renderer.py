"""The static renderer: which files a site has, the 网页设计规范 meta tags and footer (national-specs
§2.4), relative links, pagination, the dependency record each file carries, and determinism."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govsite.content import library
from govsite.content.models import InterpretationPage, PolicyDocumentPage, Validity
from govsite.publishing import renderer as r
from govsite.publishing.renderer import Output, SiteRenderer, relative_url
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA)


def files(site: Any) -> dict[str, Output]:
    renderer = SiteRenderer(site)
    return {o.path: o for o in renderer.render(renderer.targets())}


def html(out: Output) -> str:
    return out.data.decode()


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        ("", "", "./"),
        ("", "zcwj/", "zcwj/"),
        ("zcwj/", "", "../"),
        ("zcwj/a/", "zcwj/", "../"),
        ("zcwj/a/", "zwyw/b/", "../../zwyw/b/"),
        ("zcwj/", "zcwj/index_2.html", "index_2.html"),
        ("gkml/topic/ab/", "gkml/", "../../"),
        ("zcwj/", "zcwj/a/b/", "a/b/"),
        ("zcwj/a/", "zcwj/a/", "./"),
        ("zcwj/a/b/", "", "../../../"),
        ("zcwj/a/", "zcwj/ab/", "../ab/"),
        ("zcwj/ab/", "zcwj/a/", "../a/"),
        ("zcwj/a/", "zcwj/a", "../a"),
    ],
)
def test_links_are_relative_to_the_page(current: str, target: str, expected: str) -> None:
    assert relative_url(current, target) == expected


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC")), "%Y-%m-%d", "2026-03-02"),
        (datetime(2026, 3, 1, 16, 5, tzinfo=ZoneInfo("UTC")), "%Y-%m-%d %H:%M", "2026-03-02 00:05"),
        (datetime(2026, 3, 2, 9, 30), "%Y-%m-%d %H:%M", "2026-03-02 09:30"),
        (date(2026, 3, 2), "%Y-%m-%d", "2026-03-02"),
        (T0, "%Y年%m月", "2026年03月"),
        (None, "%Y-%m-%d", ""),
    ],
)
def test_dates_are_formatted_in_china_time(value: date | None, fmt: str, expected: str) -> None:
    assert r.format_date(value, fmt) == expected


def test_years_before_1000_are_written_as_strftime_writes_them() -> None:
    assert r.format_date(date(999, 1, 2)) == date(999, 1, 2).strftime("%Y-%m-%d")


def test_a_site_is_its_pages_lists_feeds_and_site_files(personas: Any) -> None:
    col = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    items = [f.dated_item(col, f"第{n}条要闻", T0 + timedelta(hours=n)) for n in range(r.PAGE_SIZE + 1)]

    out = files(personas.site_a)

    assert sorted(out) == sorted(
        [
            "index.html",
            "zwyw/index.html",
            "zwyw/index_2.html",
            "zwyw/rss.xml",
            *(f.published_path(item) for item in items),
            "static/govsite.css",
            "static/govsite.js",
            "static/dzjg.svg",
            "search/index.html",
            "404.html",
            "sitemap.xml",
            "robots.txt",
        ]
    )
    # Newest first, 20 to a page; each list page records exactly the items it shows.
    newest = sorted(items, key=lambda p: p.publish_date, reverse=True)
    assert out["zwyw/index.html"].shows == {p.pk for p in newest[: r.PAGE_SIZE]}
    assert out["zwyw/index_2.html"].shows == {newest[-1].pk}
    first_list = html(out["zwyw/index.html"])
    assert first_list.index("第20条要闻") < first_list.index("第19条要闻")
    assert "共 21 条，第 1/2 页" in first_list
    assert '<a href="index_2.html" rel="next">下一页</a>' in first_list
    assert f'<a href="{relative_url("zwyw/", f.published_path(newest[0]))}">第20条要闻</a>' in first_list
    assert out[f.published_path(items[0])].shows == {items[0].pk}
    assert out["index.html"].shows >= {p.pk for p in newest[: r.HOME_LATEST]}
    # Files are a pure function of the database: a second render is byte-identical.
    assert {p: o.data for p, o in files(personas.site_a).items()} == {p: o.data for p, o in out.items()}


def test_an_item_page_has_the_gov_meta_tags_footer_and_breadcrumb(personas: Any) -> None:
    site = personas.site_a
    col = f.column(site, "政策文件", responsible_unit=personas.unit_a, slug="zcwj", column_class="policy")
    item = f.dated_item(
        col,
        "关于印发某某办法的通知",
        T0,
        source="测试市人民政府办公室",
        keywords="办法 通知",
        document_number="测政办〔2026〕3号",
        publisher="测试市人民政府办公室",
    )

    page = html(files(site)[f.published_path(item)])

    for tag in (
        '<html lang="zh-CN">',
        f"<title>关于印发某某办法的通知_{site.name}</title>",
        f'<meta name="SiteName" content="{site.name}">',
        f'<meta name="SiteDomain" content="{site.primary_domain}">',
        f'<meta name="SiteIDCode" content="{site.site_id_code}">',
        '<meta name="ColumnName" content="政策文件">',
        '<meta name="ColumnType" content="政策文件">',
        '<meta name="ArticleTitle" content="关于印发某某办法的通知">',
        '<meta name="PubDate" content="2026-03-02 09:30">',
        '<meta name="ContentSource" content="测试市人民政府办公室">',
        '<meta name="Keywords" content="办法 通知">',
        '<meta name="Description" content="关于印发某某办法的通知">',
        '<p class="crumb">当前位置：<a href="../../">首页</a> &gt; <a href="../">政策文件</a> &gt; 正文</p>',
        f'<tr><th scope="row">索引号</th><td>{item.index_number}</td></tr>',
        '<tr><th scope="row">发文字号</th><td>测政办〔2026〕3号</td></tr>',
        '<time datetime="2026-03-02">2026-03-02</time>',
        f"网站标识码：{site.site_id_code}",
        f">{site.icp_number}</a>",
        f">{site.police_number}</a>",
        "我为政府网站找错</a>",
        'alt="党政机关"',
        f"主办单位：{site.sponsor}",
    ):
        assert tag in page, tag
    assert re.search(
        r"<nav class=\"site-nav\" aria-label=\"栏目导航\">.*<a href=\"../\" aria-current=\"page\">政策文件</a>",
        page,
    )


def test_the_items_of_a_sub_column_share_one_breadcrumb_linking_every_level(personas: Any) -> None:
    parent = f.column(personas.site_a, "政务公开", responsible_unit=personas.unit_a, slug="zwgk")
    child = f.column(parent, "政策文件", responsible_unit=personas.unit_a, slug="zcwj")
    items = [f.dated_item(child, f"第{n}号文件", T0 + timedelta(hours=n)) for n in range(3)]
    renderer = SiteRenderer(personas.site_a)

    out = {o.path: o for o in renderer.render(renderer.targets())}

    pages = {o.target: o for o in out.values()}
    for item in items:
        assert (
            '<p class="crumb">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">政务公开</a>'
            ' &gt; <a href="../">政策文件</a> &gt; 正文</p>'
        ) in html(pages[(r.ITEM, item.pk)])
    assert (
        '<p class="crumb">当前位置：<a href="../../">首页</a> &gt; <a href="../">政务公开</a> &gt; 政策文件</p>'
    ) in html(out["zwgk/zcwj/index.html"])
    assert '<p class="subcolumns"><a href="zcwj/">政策文件</a>' in html(out["zwgk/index.html"])
    # Two columns' meta tags and three breadcrumbs (the top column's, also the search page's; the
    # sub-column's; its items'), however many items there are.
    assert len(renderer._fragments) == 5


def test_an_alias_on_a_lower_site_is_rendered_there_with_the_items_data(personas: Any) -> None:
    upper = f.column(personas.site_a, "政策文件", responsible_unit=personas.unit_a, slug="zcwj")
    lower = f.column(personas.site_b, "上级文件", responsible_unit=personas.unit_b, slug="sjwj")
    item = f.dated_item(upper, "上级网站的政策", T0)
    placement = library.place_item(None, item, lower, kind="repost")

    out = files(personas.site_b)

    alias_page = out[f.published_path(placement.page)]
    assert alias_page.shows == {placement.page_id}
    assert item.index_number in html(alias_page)
    link = relative_url("sjwj/", f.published_path(placement.page))
    assert f'<a href="{link}">上级网站的政策</a>' in html(out["sjwj/index.html"])
    assert "上级网站的政策" not in "".join(
        html(o) for p, o in files(personas.site_a).items() if p.startswith("sjwj")
    )


def test_a_policy_and_its_interpretation_link_each_other_and_show_validity(personas: Any) -> None:
    site = personas.site_a
    docs = f.column(site, "政策文件", responsible_unit=personas.unit_a, slug="zcwj")
    readings = f.column(site, "政策解读", responsible_unit=personas.unit_a, slug="zcjd")
    new = f.dated_item(docs, "新办法", T0, model=PolicyDocumentPage)
    old = f.dated_item(
        docs,
        "旧办法",
        T0 - timedelta(days=400),
        model=PolicyDocumentPage,
        validity=Validity.REVISED,
        validity_changed_on=T0.date(),
        successor=new,
    )
    reading = f.dated_item(
        readings, "新办法解读", T0 + timedelta(hours=1), model=InterpretationPage, policy=new
    )

    out = files(site)

    new_path, old_path, reading_path = (f.published_path(p) for p in (new, old, reading))
    new_html = html(out[new_path])
    assert f'<a href="{relative_url(new_path, reading_path)}">新办法解读</a>' in new_html
    assert '<h2 id="predecessors-heading">本文件修订的文件</h2>' in new_html
    assert out[new_path].shows == {new.pk, reading.pk, old.pk}
    old_html = html(out[old_path])
    assert "本文件已于 2026-03-02 修订" in old_html
    assert f'<a href="{relative_url(old_path, new_path)}">查看修订后的文件：新办法</a>' in old_html
    reading_html = html(out[reading_path])
    assert f'解读的文件：<a href="{relative_url(reading_path, new_path)}">新办法</a>' in reading_html
    assert out[reading_path].shows == {reading.pk, new.pk}


def test_site_files_name_the_site(personas: Any) -> None:
    f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    out = files(personas.site_a)
    domain = personas.site_a.primary_domain
    assert html(out["robots.txt"]) == f"User-agent: *\nAllow: /\nSitemap: https://{domain}/sitemap.xml\n"
    sitemap = html(out["sitemap.xml"])
    assert f"<url><loc>https://{domain}/</loc></url>" in sitemap
    assert f"<url><loc>https://{domain}/zwyw/</loc></url>" in sitemap
    assert "页面不存在" in html(out["404.html"])
    assert '<form class="search-form" role="search"' in html(out["search/index.html"])


def test_rich_text_references_are_expanded_and_plain_bodies_are_kept_as_written(personas: Any) -> None:
    site = personas.site_a
    col = f.column(site, "通知公告", responsible_unit=personas.unit_a, slug="tzgg")
    target = f.dated_item(col, "被引用的通知", T0)
    linking = f.dated_item(col, "引用他文的通知", T0 + timedelta(hours=1))
    linking.body = f'<p>详见<a linktype="page" id="{target.pk}">被引用的通知</a>。</p>'
    linking.save_revision().publish()
    plain_body = "<p>第一段&lt;不是标签&gt;。</p><ul><li>一</li></ul>"
    plain = f.dated_item(col, "无引用的通知", T0 + timedelta(hours=2))
    plain.body = plain_body
    plain.save_revision().publish()

    rendered = files(site)
    page = html(rendered[f.published_path(linking)])
    # The stored reference became a link (Wagtail's rewriter ran), with the page's text kept.
    assert "linktype" not in page
    assert re.search(r'详见<a href="[^"]+">被引用的通知</a>。', page)
    # Without a reference the stored body is the page's body, byte for byte.
    assert f'<div class="body">{plain_body}</div>' in html(rendered[f.published_path(plain)])

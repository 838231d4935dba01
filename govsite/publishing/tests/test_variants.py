"""Citizen-facing variants (publishing.variants): the 繁體 copy converts text and only text, the 简/繁
switch links are relative at any depth, mourning days are inclusive and follow an upper site that
sets them for its lower sites, theme colours keep white text readable, and the templates show the
theme, logo and mourning flag from ``template_context``."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from govsite.content.models import ArticlePage, ColumnPage
from govsite.core import colors
from govsite.publishing import variants
from govsite.publishing.renderer import ASSET_DIR, NOT_FOUND, Output, SiteRenderer
from govsite.sites.actions import update_site_identity
from govsite.sites.models import GovSite
from govsite.testing import factories as f

CHINA = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA)

SNIPPET = (
    "<!DOCTYPE html>\n"
    '<html lang="zh-CN">\n'
    '<head><title>政务公开_测试网站</title><meta name="Description" content="软件信息">'
    '<meta name="SiteDomain" content="www.sitea.gov.cn">'
    '<script>var s="简体<b>";</script><style>.a:after{content:"简体"}</style></head>\n'
    '<body><nav aria-label="无障碍工具"><a class="variant-switch" href="../zh-hant/zwyw/" '
    'hreflang="zh-Hant" lang="zh-Hant">繁體</a></nav>\n'
    '<p title="头发">服务对象：网络<a href="../软件/">鼠标</a><img src="/media/图片.png" alt="内存条"> '
    '<a href="rss.xml">订阅</a> <a href="index_2.html">下一页</a> <a href="/static/x.css">样式</a></p>'
    "<!-- 注释 简体 --></body></html>\n"
)
SNIPPET_TRADITIONAL = (
    "<!DOCTYPE html>\n"
    '<html lang="zh-Hant">\n'
    '<head><title>政務公開_測試網站</title><meta name="Description" content="軟件信息">'
    '<meta name="SiteDomain" content="www.sitea.gov.cn">'
    '<script>var s="简体<b>";</script><style>.a:after{content:"简体"}</style></head>\n'
    '<body><nav aria-label="無障礙工具"><a class="variant-switch" href="../../zwyw/" '
    'hreflang="zh-CN" lang="zh-CN">简体</a></nav>\n'
    '<p title="頭髮">服務對象：網絡<a href="../软件/">鼠標</a><img src="/media/图片.png" alt="內存條"> '
    '<a href="../../zwyw/rss.xml">訂閱</a> <a href="index_2.html">下一頁</a> <a href="/static/x.css">樣式</a></p>'
    "<!-- 注释 简体 --></body></html>\n"
)


# --- 繁體 conversion ----------------------------------------------------------------------------------


def test_only_text_and_the_four_attributes_are_converted() -> None:
    # Text nodes, <title>, content/alt/title/aria-label values: converted, characters only (服务对象
    # stays 服務對象, not the 服務物件 of OpenCC's Taiwan-phrase config).
    # URLs, tag names, <script>/<style> bodies and comments: untouched. A feed link, which has no
    # 繁體 copy, goes to the simplified file; page links stay inside zh-hant/.
    assert variants.to_traditional(SNIPPET, "zwyw/index.html") == SNIPPET_TRADITIONAL


def test_a_page_goes_to_opencc_in_one_call_and_lines_seen_before_not_at_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = variants.converter()

    class Counting:
        def convert(self, text: str) -> str:
            calls.append(text)
            return real.convert(text)

    monkeypatch.setattr(variants, "converter", lambda: Counting())
    monkeypatch.setattr(variants, "_CONVERTED", {})
    assert variants.to_traditional(SNIPPET, "zwyw/index.html") == SNIPPET_TRADITIONAL
    # One call for the whole page, with only its Chinese text and the values of the four attributes:
    # markup, <script>/<style> bodies, the comment and URLs with Chinese in them are not sent.
    assert len(calls) == 1
    pieces = calls[0].split(variants.SEGMENT_SEPARATOR)
    assert pieces[:3] == ["政务公开_测试网站", "软件信息", "无障碍工具"]
    # The switch link is set aside while the page is converted (its line is then the same on every
    # page) and replaced by the link back: its text is not sent either.
    assert "繁體" not in pieces
    assert variants.SWITCH_MARK not in calls[0]
    assert {"头发", "服务对象：网络", "鼠标", "内存条", "订阅", "下一页"} <= set(pieces)
    assert all("<" not in piece and "=" not in piece for piece in pieces)
    assert all(kept not in calls[0] for kept in ("简体", "软件/", "图片.png", "注释"))

    # Another page of the site: the lines it shares with the first (the head, the toolbar) are not
    # converted again, only what is its own.
    other = SNIPPET.replace("鼠标", "键盘").replace("../zh-hant/zwyw/", "../zh-hant/zwyw/index_2.html")
    calls.clear()
    assert variants.to_traditional(other, "zwyw/index_2.html") == SNIPPET_TRADITIONAL.replace(
        "鼠標", "鍵盤"
    ).replace('href="../../zwyw/"', 'href="../../zwyw/index_2.html"')
    assert len(calls) == 1
    assert set(calls[0].split(variants.SEGMENT_SEPARATOR)) <= set(pieces) | {"键盘"}
    assert "键盘" in calls[0]
    assert "政务公开_测试网站" not in calls[0]


def test_a_line_whose_links_depend_on_the_directory_is_converted_for_each_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same line on pages at different depths: the feed link is rewritten differently at each
    # depth, so a line remembered for one directory must not serve another.
    monkeypatch.setattr(variants, "_CONVERTED", {})
    line = '<p><a href="../rss.xml">订阅</a><a href="../a.html">文章</a></p>\n'
    assert variants.to_traditional(line, "zwyw/202603/t1.html") == (
        '<p><a href="../../../zwyw/rss.xml">訂閱</a><a href="../a.html">文章</a></p>\n'
    )
    assert variants.to_traditional(line, "zwyw/index.html") == (
        '<p><a href="../../rss.xml">訂閱</a><a href="../a.html">文章</a></p>\n'
    )
    assert variants.to_traditional(line, "zwyw/202604/t2.html") == (
        '<p><a href="../../../zwyw/rss.xml">訂閱</a><a href="../a.html">文章</a></p>\n'
    )
    # A line without such links is the same everywhere and remembered once.
    chrome = '<nav aria-label="栏目导航"><a href="../../zwyw/">政务要闻</a></nav>\n'
    assert variants.to_traditional(chrome, "zwyw/202603/t1.html") == (
        '<nav aria-label="欄目導航"><a href="../../zwyw/">政務要聞</a></nav>\n'
    )
    assert chrome.split(">\n")[0] in variants._CONVERTED


def test_a_value_or_text_over_several_lines_is_converted_whole() -> None:
    html = (
        '<meta name="Description" content="第一行说明\n第二行说明">\n'
        '<a href="/文件/下载\n.pdf">下载</a><p>第一段\n网络</p>\n'
    )
    assert variants.to_traditional(html, "a/index.html") == (
        '<meta name="Description" content="第一行說明\n第二行說明">\n'
        '<a href="/文件/下载\n.pdf">下載</a><p>第一段\n網絡</p>\n'
    )


def test_text_that_contains_the_separator_is_converted_piece_by_piece() -> None:
    html = f'<p title="网络{variants.SEGMENT_SEPARATOR}">头发</p>'
    assert (
        variants.to_traditional(html, "index.html") == f'<p title="網絡{variants.SEGMENT_SEPARATOR}">頭髮</p>'
    )


def test_traditional_outputs_copy_each_page_under_zh_hant_with_its_record() -> None:
    page = Output("zwyw/index.html", SNIPPET.encode(), ("column", 7), frozenset({1, 2}))
    feed = Output("zwyw/rss.xml", "<title>软件</title>".encode(), ("rss", 7), frozenset({1}))
    css = Output("static/govsite.css", b"body{}", ("assets", 0))

    copies = list(variants.traditional_outputs([page, feed, css]))

    assert copies == [
        Output("zh-hant/zwyw/index.html", SNIPPET_TRADITIONAL.encode(), ("column", 7), frozenset({1, 2}))
    ]


# --- 简/繁 switch links -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", "zh-hant/"),
        ("404.html", "zh-hant/404.html"),
        ("zwyw/index.html", "../zh-hant/zwyw/"),
        ("zwyw/index_2.html", "../zh-hant/zwyw/index_2.html"),
        ("zwyw/abc/index.html", "../../zh-hant/zwyw/abc/"),
        ("gkml/topic/ab12/index_3.html", "../../../zh-hant/gkml/topic/ab12/index_3.html"),
        ("zh-hant/index.html", "../"),
        ("zh-hant/404.html", "../404.html"),
        ("zh-hant/zwyw/index.html", "../../zwyw/"),
        ("zh-hant/zwyw/index_2.html", "../../zwyw/index_2.html"),
        ("zh-hant/zwyw/abc/index.html", "../../../zwyw/abc/"),
    ],
)
def test_the_switch_link_is_relative_to_the_page_at_any_depth(path: str, expected: str) -> None:
    assert variants.switch_href(path) == expected


def _switch(html: str) -> str:
    found = re.findall(
        r'<a class="variant-switch" href="([^"]*)" hreflang="([^"]*)" lang="[^"]*">([^<]*)</a>', html
    )
    assert len(found) == 1, found
    return "|".join(found[0])


def _publish(col: ColumnPage, title: str, slug: str) -> ArticlePage:
    page = ArticlePage(title=title, slug=slug, body=f"<p>{title}的正文。</p>", publish_date=T0, live=False)
    col.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_every_rendered_page_and_its_copy_link_each_other(personas: Any) -> None:
    col = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    items = [_publish(col, f"第{n}条要闻", f"yw{n}") for n in range(21)]  # two list pages
    first = f.published_path(items[0])  # zwyw/202603/t20260302_<id>.html
    renderer = SiteRenderer(personas.site_a)
    pages = [o for o in renderer.render(renderer.targets()) if o.path.endswith(".html")]
    copies = {o.path: o for o in variants.traditional_outputs(pages)}

    assert {p.path for p in pages} >= {"index.html", "404.html", "zwyw/index_2.html", first}
    for page in pages:
        copy = copies["zh-hant/" + page.path]
        assert _switch(page.data.decode()) == f"{variants.switch_href(page.path)}|zh-Hant|繁體", page.path
        assert _switch(copy.data.decode()) == f"{variants.switch_href(copy.path)}|zh-CN|简体", copy.path
        assert '<html lang="zh-Hant">' in copy.data.decode()
    assert _switch(copies["zh-hant/" + first].data.decode()) == f"../../../{first}|zh-CN|简体"
    assert "第0條要聞的正文。" in copies["zh-hant/" + first].data.decode()


# --- mourning days ------------------------------------------------------------------------------------


def _site(code: str, parent: GovSite | None = None, **fields: Any) -> GovSite:
    return GovSite(code=code, name=code, parent=parent, **fields)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 4, 3), False),
        (date(2026, 4, 4), True),
        (date(2026, 4, 5), True),
        (date(2026, 4, 6), True),
        (date(2026, 4, 7), False),
    ],
)
def test_mourning_days_include_both_ends(today: date, expected: bool) -> None:
    site = _site("a", mourning_from=date(2026, 4, 4), mourning_until=date(2026, 4, 6))
    assert variants.mourning_active(site, today) is expected


def test_an_upper_sites_mourning_days_reach_its_lower_sites_only_when_it_says_so() -> None:
    days = {"mourning_from": date(2026, 4, 4), "mourning_until": date(2026, 4, 4)}
    portal = _site("portal", **days, mourning_includes_subsites=True)
    county = _site("county", parent=portal)
    department = _site("department", parent=county)
    alone = _site("alone", parent=_site("portal2", **days))
    portal.pk, county.pk, department.pk = 1, 2, 3

    assert variants.mourning_active(department, date(2026, 4, 4)) is True
    assert variants.mourning_active(department, date(2026, 4, 5)) is False
    assert variants.mourning_active(alone, date(2026, 4, 4)) is False
    assert variants.mourning_active(_site("none"), date(2026, 4, 4)) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 4, 4), None, "哀悼日的开始日期和结束日期须同时填写"),
        (date(2026, 4, 5), date(2026, 4, 4), "哀悼日的结束日期不能早于开始日期"),
    ],
)
def test_mourning_days_must_be_a_range(personas: Any, start: date, end: date | None, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        update_site_identity(None, personas.site_a, mourning_from=start, mourning_until=end)
    assert exc.value.message_dict == {"mourning_until": [message]}
    personas.site_a.refresh_from_db()
    assert (personas.site_a.mourning_from, personas.site_a.mourning_until) == (None, None)


# --- theme colour -------------------------------------------------------------------------------------


def test_contrast_and_darkening_follow_wcag() -> None:
    assert colors.contrast_ratio("#000000", "#ffffff") == 21.0
    assert colors.contrast_ratio("#777777", "#777777") == 1.0
    assert round(colors.contrast_ratio("#b71c1c", "#ffffff"), 2) == 6.57
    assert round(colors.contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert colors.darken("#b71c1c") == "#921616"
    assert colors.darken("#ffffff") == "#cccccc"


def test_the_stylesheet_default_is_the_model_default() -> None:
    css = (ASSET_DIR / "govsite.css").read_text()
    assert f"--theme:{colors.DEFAULT_THEME};--theme-dark:{colors.darken(colors.DEFAULT_THEME)};" in css
    assert variants.theme_style(colors.DEFAULT_THEME) == ""
    assert variants.theme_style("#1565C0") == "--theme:#1565c0;--theme-dark:#11519a"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "#ff0000",
            "主题色 #ff0000 上的白色文字对比度只有 4.00:1，低于无障碍要求的 4.5:1，页头和导航文字将难以辨认，请选择更深的颜色",
        ),
        (
            "#ffeb3b",
            "主题色 #ffeb3b 上的白色文字对比度只有 1.22:1，低于无障碍要求的 4.5:1，页头和导航文字将难以辨认，请选择更深的颜色",
        ),
        ("red", "主题色须为 #rrggbb 格式的十六进制颜色，如 #b71c1c"),
        ("#b71c1", "主题色须为 #rrggbb 格式的十六进制颜色，如 #b71c1c"),
    ],
)
def test_a_theme_colour_white_text_cannot_be_read_on_is_refused(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        colors.validate_theme_color(value)
    assert exc.value.messages == [message]


@pytest.mark.parametrize("value", ["#b71c1c", "#1565c0", "#767676", "#000000", "#0B4F9C"])
def test_a_dark_enough_theme_colour_is_accepted(value: str) -> None:
    colors.validate_theme_color(value)


# --- templates with template_context ------------------------------------------------------------------


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer as it will be once the lead adds ``variants.template_context`` to its base context."""
    original = SiteRenderer._base_context

    def base_context(self: SiteRenderer, current: str) -> dict[str, Any]:
        return {**original(self, current), **variants.template_context(self.site, self.today)}

    monkeypatch.setattr(SiteRenderer, "_base_context", base_context)


def _logo() -> Any:
    # Wagtail caches renditions by image id in the default cache, which outlives a test's rolled-back
    # database: a new image that reuses an id would get an earlier test's rendition.
    cache.clear()
    buffer = BytesIO()
    PILImage.new("RGB", (240, 60), (21, 101, 192)).save(buffer, format="PNG")
    image = get_image_model()(title="网站标识")
    image.file.save("site-logo.png", ContentFile(buffer.getvalue()), save=False)
    image.width, image.height = 240, 60
    image.save()
    return image


def _render(site: GovSite, today: date, kind: str = NOT_FOUND) -> str:
    renderer = SiteRenderer(site, today=today)
    (out,) = list(renderer.render([(kind, 0)]))
    return out.data.decode()


@pytest.mark.django_db
def test_pages_carry_the_theme_logo_and_mourning_class(personas: Any, wired: None) -> None:
    site = update_site_identity(
        None,
        personas.site_a,
        theme_color="#1565C0",
        logo=_logo(),
        mourning_from=date(2026, 4, 4),
        mourning_until=date(2026, 4, 4),
    )
    assert site.theme_color == "#1565c0"

    grey = _render(site, date(2026, 4, 4))
    assert '<html lang="zh-CN" class="mourning" style="--theme:#1565c0;--theme-dark:#11519a">' in grey
    logo = re.search(r'<a class="site-name" href="./"><img class="logo" src="([^"]+)" ([^>]*)></a>', grey)
    assert logo is not None
    assert re.fullmatch(r"/media/images/site-logo[^/]*\.height-80\.png", logo.group(1))
    assert logo.group(2) == f'width="240" height="60" alt="{site.name}"'
    assert Path(site.logo.get_rendition(variants.LOGO_RENDITION).file.path).exists()

    normal = _render(site, date(2026, 4, 5))
    assert '<html lang="zh-CN" style="--theme:#1565c0;--theme-dark:#11519a">' in normal


@pytest.mark.django_db
def test_the_default_look_keeps_the_plain_html_tag_and_the_site_name(personas: Any, wired: None) -> None:
    page = _render(personas.site_a, date(2026, 4, 4))
    assert '<html lang="zh-CN">' in page
    assert f'<a class="site-name" href="./">{personas.site_a.name}</a>' in page
    assert (
        '<a class="variant-switch" href="zh-hant/404.html" hreflang="zh-Hant" lang="zh-Hant">繁體</a>' in page
    )


@pytest.mark.django_db
def test_the_toolbar_is_on_every_page_and_needs_no_third_party_script(personas: Any) -> None:
    page = _render(personas.site_a, date(2026, 4, 4))
    toolbar = re.search(r'<nav class="a11y-bar" aria-label="无障碍工具">(.*?)</nav>', page, re.S)
    assert toolbar is not None
    assert re.findall(
        r'<button type="button" data-mode="([^"]+)" aria-pressed="false">([^<]+)</button>', toolbar.group(1)
    ) == [
        ("scale-15", "大字 ×1.5"),
        ("scale-2", "大字 ×2"),
        ("hc", "高对比度"),
        ("leading", "行距"),
        ("guide", "阅读指引线"),
    ]
    assert '<button type="button" data-reset>重置</button>' in toolbar.group(1)
    assert re.findall(r'<script[^>]*src="([^"]+)"', page) == ["/static/govsite.js"]
    assert len((ASSET_DIR / "govsite.js").read_bytes()) < 6 * 1024

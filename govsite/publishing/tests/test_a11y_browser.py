"""Published pages in a real browser: axe-core finds no violations on any page type (GB/T 37668 /
WCAG 2.1 AA and axe's best practices), in the 繁體 copy, in high-contrast and ×2 modes and on a
mourning day; the 无障碍/长者 toolbar works with the keyboard, survives a reload and is absent
without JavaScript; the 简/繁 switch goes to the converted page and back.

The site is rendered by ``SiteRenderer`` (with ``variants.template_context``, as the lead will wire it)
into ``tmp_path`` and served by a loopback ``http.server`` — ``/static/`` from the publishing app,
``/media/`` from MEDIA_ROOT, as nginx does. Screenshots of each page type are kept under
``test-artifacts/test_every_page_type_has_no_axe_violations/`` for the issue's closing note.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from playwright.sync_api import Browser, Page, expect
from wagtail.images import get_image_model

from govsite.content.models import (
    ArticlePage,
    DisclosureCatalogPage,
    InterpretationPage,
    NoticePage,
    PolicyDocumentPage,
    ServiceGuidePage,
    TopicPage,
    Validity,
)
from govsite.publishing import variants
from govsite.publishing.renderer import ASSET_DIR, SiteRenderer
from govsite.sites.actions import update_site_identity
from govsite.testing import factories as f
from govsite.testing.browser import REPO_ROOT, new_context, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHINA = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA)
TODAY = date(2026, 3, 10)
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
AXE_RUN = """async () => {
  const result = await axe.run(document);
  return {
    passes: result.passes.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
    })),
  };
}"""
MIN_PASSES = 20  # proof that axe really ran its rules on a whole page


# --- the site -----------------------------------------------------------------------------------------


def _publish(parent: Any, page: Any) -> Any:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _image(name: str, title: str, size: tuple[int, int], text: str, description: str = "") -> Any:
    # Wagtail caches renditions by image id in the default cache, which outlives a test's rolled-back
    # database: a new image that reuses an id would get an earlier test's rendition.
    cache.clear()
    picture = PILImage.new("RGB", size, (21, 101, 192))
    if FONT.exists():
        ImageDraw.Draw(picture).text((16, 12), text, fill="white", font=ImageFont.truetype(str(FONT), 32))
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    image = get_image_model()(title=title, description=description)
    image.file.save(name, ContentFile(buffer.getvalue()), save=False)
    image.width, image.height = size
    image.save()
    return image


def _item(model: type[Any], title: str, slug: str, hours: int, **fields: Any) -> Any:
    defaults: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "body": f"<p>{title}的正文。为进一步做好相关工作，现将有关事项通知如下。</p><p>本文件自印发之日起施行。</p>",
        "publish_date": T0 + timedelta(hours=hours),
        "source": "测试市人民政府办公室",
        "publisher": "测试市人民政府办公室",
        "topic_category": "综合政务",
        "genre": "通知",
        "live": False,
    }
    defaults.update(fields)
    return model(**defaults)


def build_site(personas: Any) -> tuple[Any, dict[str, str]]:
    """Site A with one page of every type; returns the site and {page type: path in the tree}."""
    unit = personas.unit_a
    site = update_site_identity(
        None,
        personas.site_a,
        name="测试市人民政府",
        theme_color="#1565c0",
        logo=_image("site-logo.png", "网站标识", (360, 64), "测试市人民政府"),
        phone="0591-12345678",
        address="测试市人民路1号",
        postcode="350001",
    )
    news = f.column(site, "政务要闻", responsible_unit=unit, slug="zwyw")
    notices = f.column(site, "通知公告", responsible_unit=unit, slug="tzgg", column_class="notice")
    policies = f.column(site, "政策文件", responsible_unit=unit, slug="zcwj", column_class="policy")
    readings = f.column(site, "政策解读", responsible_unit=unit, slug="zcjd")
    services = f.column(site, "办事服务", responsible_unit=unit, slug="bsfw")
    article = _publish(news, _item(ArticlePage, "测试市召开2026年优化营商环境工作会议", "yhyshj", 5))
    for n in range(3):
        _publish(news, _item(ArticlePage, f"测试市部署第{n + 1}季度重点工作", f"zdgz{n}", n))
    notice = _publish(
        notices,
        _item(NoticePage, "关于2026年清明节放假安排的通知", "qmfj", 4, deadline=date(2026, 3, 5)),
    )
    valid = _publish(
        policies,
        _item(
            PolicyDocumentPage,
            "测试市政府投资项目管理办法",
            "tzxm",
            3,
            document_number="测政〔2026〕3号",
            written_date=date(2026, 2, 20),
            keywords="投资 项目 管理",
        ),
    )
    repealed = _publish(
        policies,
        _item(
            PolicyDocumentPage,
            "测试市政府投资项目管理暂行办法",
            "tzxm-old",
            -400,
            genre="决定",
            document_number="测政〔2024〕8号",
            written_date=date(2024, 12, 1),
            validity=Validity.REPEALED,
            validity_changed_on=date(2026, 3, 2),
        ),
    )
    text_reading = _publish(
        readings, _item(InterpretationPage, "《测试市政府投资项目管理办法》解读", "jd-text", 6, policy=valid)
    )
    graphic = _image(
        "tujie.png",
        "一图读懂",
        (640, 360),
        "一图读懂投资项目管理办法",
        description="图解：投资项目管理的四项重点任务",
    )
    graphic_reading = _publish(
        readings,
        _item(
            InterpretationPage,
            "一图读懂《测试市政府投资项目管理办法》",
            "jd-graphic",
            7,
            policy=valid,
            form=InterpretationPage.Form.GRAPHIC,
            image=graphic,
        ),
    )
    guide = _publish(
        services,
        _item(
            ServiceGuidePage,
            "企业投资项目备案办事指南",
            "xmba",
            2,
            item_name="企业投资项目备案",
            legal_basis="《企业投资项目核准和备案管理条例》",
            conditions="在本市行政区域内的企业投资项目",
            materials="1. 项目备案申请表\n2. 营业执照复印件",
            process="网上申报\n窗口受理\n办结",
            time_limit="即时办结",
            fees="不收费",
            location="测试市政务服务中心二楼",
            consult_phone="0591-12345678",
            complaint_phone="0591-12345679",
            online_url="https://zwfw.example.gov.cn/xmba",
        ),
    )
    topic = _publish(
        site.root_page,
        TopicPage(
            title="优化营商环境专题", slug="yshj", intro="<p>聚焦企业关切，持续优化营商环境。</p>", live=False
        ),
    )
    topic_column = f.column(topic, "工作动态", responsible_unit=unit, slug="gzdt")
    _publish(topic_column, _item(ArticlePage, "营商环境工作动态一则", "dt1", 1))
    _publish(
        site.root_page, DisclosureCatalogPage(title="政府信息公开目录", slug="gkml", intro="", live=False)
    )
    paths = {
        "home": "index.html",
        "column": "zwyw/index.html",
        "article": f.published_path(article),
        "policy-valid": f.published_path(valid),
        "policy-repealed": f.published_path(repealed),
        "reading-text": f.published_path(text_reading),
        "reading-graphic": f.published_path(graphic_reading),
        "guide": f.published_path(guide),
        "notice": f.published_path(notice),
        "topic": "yshj/index.html",
        "catalog": "gkml/index.html",
        "search": "search/index.html",
        "404": "404.html",
    }
    return site, paths


def publish_to(site: Any, root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Render every file (and the 繁體 copies) into ``root``; returns the paths written."""
    original = SiteRenderer._base_context

    def base_context(self: SiteRenderer, current: str) -> dict[str, Any]:
        return {**original(self, current), **variants.template_context(self.site, self.today)}

    monkeypatch.setattr(SiteRenderer, "_base_context", base_context)
    renderer = SiteRenderer(site, today=TODAY)
    outputs = list(renderer.render(renderer.targets()))
    written = []
    for output in [*outputs, *variants.traditional_outputs(outputs)]:
        target = root / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.data)
        written.append(output.path)
    return written


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The site tree, with /static/ and /media/ where nginx would find them."""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, directory in (("/static/", ASSET_DIR), ("/media/", Path(settings.MEDIA_ROOT))):
            if clean.startswith(prefix):
                return (
                    super()
                    .translate_path(clean[len(prefix) - 1 :])
                    .replace(self.directory, str(directory), 1)
                )
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port for the duration; yields the base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def served(
    personas: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, dict[str, str]]]:
    """(base URL, {page type: path}) of site A published into tmp_path and served on 127.0.0.1."""
    site, paths = build_site(personas)
    written = publish_to(site, tmp_path, monkeypatch)
    facet = next(p for p in written if p.startswith("gkml/topic/") and p.endswith("/index.html"))
    paths["catalog-facet"] = facet
    paths["traditional"] = "zh-hant/" + paths["article"]
    with serve(tmp_path) as base:
        yield base, paths


def _url(base: str, path: str) -> str:
    return base + (path[: -len("index.html")] if path.endswith("index.html") else path)


def _violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(AXE_RUN)
    assert result["passes"] >= MIN_PASSES, result
    found: list[dict[str, Any]] = result["violations"]
    for violation in found:
        print(violation)  # the report a failing run needs
    return found


# --- axe ----------------------------------------------------------------------------------------------


def test_every_page_type_has_no_axe_violations(served: tuple[str, dict[str, str]], browser: Browser) -> None:
    base, paths = served
    context = new_context(browser)
    page = context.new_page()
    failures: dict[str, list[dict[str, Any]]] = {}
    for kind, path in paths.items():
        response = page.goto(_url(base, path))
        assert response is not None, path
        assert response.status == 200, path
        found = _violations(page)
        if found:
            failures[kind] = found
        shot(page, kind, full_page=True)
    context.close()
    assert failures == {}


@pytest.mark.parametrize("modes", ["hc", "scale-2", "hc scale-2 leading guide"])
def test_the_toolbar_modes_have_no_axe_violations(
    served: tuple[str, dict[str, str]], browser: Browser, modes: str
) -> None:
    base, paths = served
    context = new_context(browser)
    context.add_init_script(f"localStorage.setItem('govsite-a11y', {modes!r})")
    page = context.new_page()
    failures: dict[str, list[dict[str, Any]]] = {}
    for kind in ("home", "policy-valid", "traditional", "guide"):
        page.goto(_url(base, paths[kind]))
        assert page.evaluate("document.documentElement.className") == "js " + modes
        found = _violations(page)
        if found:
            failures[kind] = found
        shot(page, f"{kind}-{modes.replace(' ', '-')}", full_page=False)
    context.close()
    assert failures == {}


def test_a_mourning_day_greys_every_page_without_violations(
    personas: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    site, _ = build_site(personas)
    update_site_identity(None, site, mourning_from=TODAY, mourning_until=TODAY)
    site.refresh_from_db()
    publish_to(site, tmp_path, monkeypatch)
    with serve(tmp_path) as base:
        context = new_context(browser)
        page = context.new_page()
        page.goto(base)
        assert page.evaluate("document.documentElement.className") == "mourning js"
        assert page.evaluate("getComputedStyle(document.documentElement).filter") == "grayscale(1)"
        assert _violations(page) == []
        shot(page, "home-mourning")
        context.close()


# --- the toolbar and the 简/繁 switch -----------------------------------------------------------------


def _body_font_size(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.querySelector('article .body p')).fontSize"))


def test_large_type_doubles_the_text_and_survives_a_reload(
    served: tuple[str, dict[str, str]], browser: Browser
) -> None:
    base, paths = served
    context = new_context(browser)
    page = context.new_page()
    page.goto(_url(base, paths["article"]))
    toolbar = page.get_by_role("navigation", name="无障碍工具")
    double = toolbar.get_by_role("button", name="大字 ×2")
    assert _body_font_size(page) == "16px"
    expect(double).to_have_attribute("aria-pressed", "false")

    double.click()
    assert _body_font_size(page) == "32px"
    expect(double).to_have_attribute("aria-pressed", "true")
    shot(page, "article-x2")
    page.reload()
    assert _body_font_size(page) == "32px"
    expect(double).to_have_attribute("aria-pressed", "true")

    # ×1.5 replaces ×2; the keyboard works the buttons (Enter on a focused button).
    toolbar.get_by_role("button", name="大字 ×1.5").focus()
    page.keyboard.press("Enter")
    assert _body_font_size(page) == "24px"
    expect(double).to_have_attribute("aria-pressed", "false")
    toolbar.get_by_role("button", name="高对比度").focus()
    page.keyboard.press("Space")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.evaluate("localStorage.getItem('govsite-a11y')") == "scale-15 hc"
    shot(page, "article-x1.5-high-contrast")

    toolbar.get_by_role("button", name="重置").click()
    assert _body_font_size(page) == "16px"
    assert page.evaluate("localStorage.getItem('govsite-a11y')") == ""
    assert page.evaluate("document.documentElement.className") == "js"
    context.close()


def test_the_reading_guide_follows_the_pointer_and_the_focus(
    served: tuple[str, dict[str, str]], browser: Browser
) -> None:
    base, paths = served
    context = new_context(browser)
    page = context.new_page()
    page.goto(_url(base, paths["policy-valid"]))
    page.get_by_role("button", name="阅读指引线").click()
    guide = page.locator(".reading-guide")
    expect(guide).to_have_attribute("aria-hidden", "true")
    page.mouse.move(300, 420)
    expect(guide).to_have_css("top", "420px")
    shot(page, "reading-guide")
    page.keyboard.press("Tab")
    focused_bottom = page.evaluate("Math.round(document.activeElement.getBoundingClientRect().bottom + 2)")
    expect(guide).to_have_css("top", f"{focused_bottom}px")
    page.get_by_role("button", name="阅读指引线").click()
    expect(guide).to_be_hidden()
    context.close()


def test_focus_is_visible_on_every_toolbar_control(
    served: tuple[str, dict[str, str]], browser: Browser
) -> None:
    base, paths = served
    context = new_context(browser)
    page = context.new_page()
    page.goto(_url(base, paths["home"]))
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    names = []
    for _ in range(7):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent"))
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
        )
        assert style == ["solid", "3px", "rgb(17, 17, 17) 0px 0px 0px 6px"], names[-1]
    assert names == ["大字 ×1.5", "大字 ×2", "高对比度", "行距", "阅读指引线", "重置", "繁體"]
    context.close()


def test_without_javascript_the_page_works_and_the_tools_are_hidden(
    served: tuple[str, dict[str, str]], browser: Browser
) -> None:
    base, paths = served
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(_url(base, paths["article"]))
    expect(page.get_by_role("button", name="大字 ×2")).to_be_hidden()
    expect(page.get_by_role("link", name="繁體")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("测试市召开2026年优化营商环境工作会议")
    context.close()


def test_the_traditional_link_goes_to_the_converted_page_and_back(
    served: tuple[str, dict[str, str]], browser: Browser
) -> None:
    base, paths = served
    context = new_context(browser)
    page = context.new_page()
    page.goto(_url(base, paths["article"]))
    page.get_by_role("link", name="繁體").click()
    expect(page).to_have_url(_url(base, "zh-hant/" + paths["article"]))
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    expect(page.get_by_role("heading", level=1)).to_have_text("測試市召開2026年優化營商環境工作會議")
    expect(page.get_by_role("navigation", name="無障礙工具")).to_be_visible()
    shot(page, "article-traditional")
    # Page links stay inside the 繁體 tree; the feed, which has no copy, is the simplified one.
    page.get_by_role("navigation", name="欄目導航").get_by_role("link", name="政策文件").click()
    expect(page).to_have_url(_url(base, "zh-hant/zcwj/index.html"))
    assert page.get_by_role("link", name="RSS 訂閱").get_attribute("href") == "../../zcwj/rss.xml"
    page.get_by_role("link", name="简体").click()
    expect(page).to_have_url(_url(base, "zcwj/index.html"))
    expect(page.get_by_role("heading", level=1)).to_have_text("政策文件")
    context.close()

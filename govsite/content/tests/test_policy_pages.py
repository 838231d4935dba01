"""Public pages of the policy lifecycle, as a citizen gets them at /s/<site>/…: 政策文件 with their
validity banner and metadata block, 解读 and documents linked both ways, 办事指南, 通知公告 with their
closing date, 专题, and the model rules behind them (validation messages, missing 办事指南 elements)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from govsite.content.models import (
    ArticlePage,
    InterpretationPage,
    LibraryItemPage,
    NoticePage,
    PolicyDocumentPage,
    ServiceGuidePage,
    TopicPage,
    Validity,
)
from govsite.content.models.policy import SERVICE_GUIDE_ELEMENTS
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
PUBLISHED = datetime(2025, 5, 28, 9, 30, tzinfo=TZ)
NEW_TITLE = "测试市人民政府办公室关于印发《测试市政府投资项目管理办法（2025年修订）》的通知"
OLD_TITLE = "测试市人民政府办公室关于印发《测试市政府投资项目管理办法》的通知"
TEXT_TITLE = "《测试市政府投资项目管理办法（2025年修订）》政策解读"
GRAPHIC_TITLE = "一图读懂《测试市政府投资项目管理办法（2025年修订）》"
GRAPHIC_ALT = "图解：测试市政府投资项目管理办法的四项重点任务"
INDEX_NUMBER = "11350900MB0000000X/2025-00005"


def _publish(parent, page):
    """Add ``page`` under ``parent`` and publish it the way an editor's approval does."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _image():
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), (183, 28, 28)).save(buffer, format="PNG")
    image = get_image_model()(title="一图读懂测试", description=GRAPHIC_ALT)
    image.file.save("tujie.png", ContentFile(buffer.getvalue()), save=False)
    image.width, image.height = 40, 30
    image.save()
    return image


def _html(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


@pytest.fixture
def site(personas):
    """Site A with a 政策文件 column holding a revised document and its successor, and a 政策解读 column
    with a 文字 and a 图解 解读 of the successor."""
    site_a, unit = personas.site_a, personas.unit_a
    zcwj = f.column(site_a, "政策文件", responsible_unit=unit, column_class="policy", slug="zcwj")
    zcjd = f.column(site_a, "政策解读", responsible_unit=unit, column_class="policy", slug="zcjd")
    new = _publish(
        zcwj,
        PolicyDocumentPage(
            title=NEW_TITLE,
            slug="new",
            publish_date=PUBLISHED,
            source="市政府办公室",
            publisher="测试市人民政府办公室",
            written_date=date(2025, 5, 20),
            document_number="测政办规〔2025〕5号",
            keywords="政府投资 项目管理",
            topic_category="国民经济管理、国有资产监管",
            genre="通知",
            effect_level="行政规范性文件",
            effective_from=date(2025, 7, 1),
            register_number="测规〔2025〕2号",
            body="<p>现将办法印发给你们。</p>",
        ),
    )
    LibraryItemPage.objects.filter(pk=new.pk).update(index_number=INDEX_NUMBER)
    old = _publish(
        zcwj,
        PolicyDocumentPage(
            title=OLD_TITLE,
            slug="old",
            publish_date=datetime(2023, 4, 3, 10, 0, tzinfo=TZ),
            publisher="测试市人民政府办公室",
            document_number="测政办规〔2023〕3号",
            validity=Validity.REVISED,
            validity_changed_on=date(2025, 7, 1),
            successor=new,
        ),
    )
    text = _publish(
        zcjd,
        InterpretationPage(
            title=TEXT_TITLE,
            slug="jd-text",
            publish_date=PUBLISHED + timedelta(hours=1),
            source="市政府办公室",
            form=InterpretationPage.Form.TEXT,
            policy=new,
            body="<p>一、出台背景</p>",
        ),
    )
    graphic = _publish(
        zcjd,
        InterpretationPage(
            title=GRAPHIC_TITLE,
            slug="jd-graphic",
            publish_date=PUBLISHED + timedelta(hours=2),
            form=InterpretationPage.Form.GRAPHIC,
            policy=new,
            image=_image(),
            body="<p>图解文字版：四项重点任务。</p>",
        ),
    )
    return {
        "site": site_a,
        "unit": unit,
        "zcwj": zcwj,
        "zcjd": zcjd,
        "new": new,
        "old": old,
        "text": text,
        "graphic": graphic,
    }


# -- 政策文件: validity ----------------------------------------------------------------------------------

BANNER_RE = re.compile(r'<div class="validity-banner" role="status">(.*?)</div>', re.DOTALL)


def test_a_valid_document_has_no_banner(site) -> None:
    html = _html("/s/sitea/zcwj/new/")
    assert 'class="validity-banner"' not in html
    assert '<th scope="row">有效性</th><td>有效</td>' in html


@pytest.mark.parametrize(
    ("validity", "changed_on", "banner"),
    [
        (Validity.EXPIRED, date(2025, 1, 1), "本文件已于 2025-01-01 失效"),
        (Validity.REPEALED, date(2025, 3, 1), "本文件已于 2025-03-01 废止"),
        (Validity.REVISED, date(2025, 7, 1), "本文件已于 2025-07-01 修订"),
    ],
)
def test_a_document_no_longer_valid_says_so_first(site, validity: str, changed_on: date, banner: str) -> None:
    doc = _publish(
        site["zcwj"],
        PolicyDocumentPage(
            title="测试市某某暂行办法",
            slug="doc",
            publisher="测试市人民政府",
            validity=validity,
            validity_changed_on=changed_on,
            successor=site["new"] if validity == Validity.REVISED else None,
        ),
    )
    html = _html(f"/s/sitea/zcwj/{doc.slug}/")

    found = BANNER_RE.findall(html)
    assert len(found) == 1
    assert _text(re.search(r"<strong>(.*?)</strong>", found[0]).group(1)) == banner
    assert html.index("validity-banner") < html.index('<table class="metadata">') < html.index("<h2")
    label = {Validity.EXPIRED: "失效", Validity.REPEALED: "废止", Validity.REVISED: "已修订"}[validity]
    assert f'<th scope="row">有效性</th><td>{label}</td>' in html


def test_a_revised_document_links_to_its_successor_which_lists_it(site) -> None:
    old_html = _html("/s/sitea/zcwj/old/")
    banner = BANNER_RE.search(old_html).group(1)
    new_url = "/s/sitea/" + f.public_url(site["new"])
    assert f'<p><a href="{new_url}">查看修订后的文件：{NEW_TITLE}</a></p>' in banner

    new_html = _html("/s/sitea/zcwj/new/")
    predecessors = re.search(
        r'<h3 id="predecessors-heading">本文件修订的文件</h3>\s*<ul>(.*?)</ul>', new_html
    )
    assert (
        predecessors.group(1)
        == f'<li><a href="/s/sitea/{f.public_url(site["old"])}">{OLD_TITLE}</a>（测政办规〔2023〕3号）</li>'
    )


def test_a_banner_without_a_date_still_names_the_state(site) -> None:
    # Imported documents may lack the date the editor form requires.
    PolicyDocumentPage.objects.filter(pk=site["old"].pk).update(
        validity=Validity.REPEALED, validity_changed_on=None
    )
    assert _text(BANNER_RE.search(_html("/s/sitea/zcwj/old/")).group(1)) == "本文件已废止"


def test_the_metadata_block(site) -> None:
    html = _html("/s/sitea/zcwj/new/")
    block = re.search(r'<table class="metadata">(.*?)</table>', html, re.DOTALL).group(1)
    assert '<caption class="sr-only">信息公开目录信息</caption>' in block
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', block)
    assert rows == [
        ("索引号", INDEX_NUMBER),
        ("主题分类", "国民经济管理、国有资产监管"),
        ("发布机构", "测试市人民政府办公室"),
        ("成文日期", "2025-05-20"),
        ("标题", NEW_TITLE),
        ("发文字号", "测政办规〔2025〕5号"),
        ("发布日期", "2025-05-28"),
        ("有效性", "有效"),
        ("施行日期", "2025-07-01"),
        ("统一编号", "测规〔2025〕2号"),
        ("主题词", "政府投资 项目管理"),
    ]


# -- 解读 ↔ 政策文件 ----------------------------------------------------------------------------------


INTERPRETATIONS_RE = re.compile(r'<h3 id="interpretations-heading">政策解读</h3>\s*<ul>(.*?)</ul>')


def test_a_document_lists_its_interpretations_with_their_form(site) -> None:
    listed = INTERPRETATIONS_RE.search(_html("/s/sitea/zcwj/new/")).group(1)
    text, graphic = (f.public_url(site[key]) for key in ("text", "graphic"))
    assert listed == (
        f'<li><span class="tag">文字解读</span><a href="/s/sitea/{text}">{TEXT_TITLE}</a></li>'
        f'<li><span class="tag">图解</span><a href="/s/sitea/{graphic}">{GRAPHIC_TITLE}</a></li>'
    )
    assert "interpretations-heading" not in _html("/s/sitea/zcwj/old/")


def test_an_interpretation_links_back_to_its_document_with_the_document_number(site) -> None:
    html = _html("/s/sitea/zcjd/jd-text/")
    new_url = "/s/sitea/" + f.public_url(site["new"])
    assert f'解读的文件：<a href="{new_url}">{NEW_TITLE}</a>（测政办规〔2025〕5号）</p>' in html
    assert '<span class="tag">文字解读</span>发布日期：2025-05-28' in html


def test_an_interpretation_of_a_repealed_document_says_so(site) -> None:
    PolicyDocumentPage.objects.filter(pk=site["new"].pk).update(validity=Validity.REPEALED)
    html = _html("/s/sitea/zcjd/jd-text/")
    assert '（测政办规〔2025〕5号）<span class="tag">已废止</span></p>' in html


def test_an_alias_of_an_interpretation_is_not_listed_twice_and_an_alias_of_the_document_lists_them(
    site, personas
) -> None:
    other = f.column(site["site"], "政务公开", responsible_unit=site["unit"], slug="zwgk")
    site["text"].create_alias(parent=other)
    county = f.column(
        personas.site_b, "政策文件", responsible_unit=personas.unit_b, column_class="policy", slug="zcwj"
    )
    site["new"].create_alias(parent=county)

    assert INTERPRETATIONS_RE.search(_html("/s/sitea/zcwj/new/")).group(1).count("<li>") == 2
    on_site_b = INTERPRETATIONS_RE.search(_html("/s/siteb/zcwj/new/")).group(1)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', on_site_b)
    # The 解读 stay on site A: absolute links to its host (their path is the sites app's business).
    assert [(href.startswith("http://www.sitea.gov.cn/"), title) for href, title in links] == [
        (True, TEXT_TITLE),
        (True, GRAPHIC_TITLE),
    ]
    ends = ["/" + f.public_url(site[key]) for key in ("text", "graphic")]
    assert [href.endswith(end) for (href, _), end in zip(links, ends, strict=True)] == [True, True]


def test_a_graphic_interpretation_shows_its_image_with_alt_text_and_the_text_version(site) -> None:
    html = _html("/s/sitea/zcjd/jd-graphic/")
    image = re.search(r"<figure>(<img [^>]+>)<figcaption>(.*?)</figcaption></figure>", html)
    assert f'alt="{GRAPHIC_ALT}"' in image.group(1)
    assert re.search(r'src="/media/images/tujie[^"]*\.png"', image.group(1))
    assert image.group(2) == f"{GRAPHIC_TITLE}（图解文字版见下文）"
    assert '<h3 id="text-version-heading">图解文字版</h3><p>图解文字版：四项重点任务。</p>' in html


def test_a_video_interpretation_has_controls_and_a_transcript(site) -> None:
    video = get_document_model()(title="政策解读视频")
    video.file.save("jiedu.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    _publish(
        site["zcjd"],
        InterpretationPage(
            title="视频解读测试",
            slug="jd-video",
            publish_date=PUBLISHED,
            form=InterpretationPage.Form.VIDEO,
            policy=site["new"],
            video=video,
            body="<p>主持人：今天我们解读……</p>",
        ),
    )
    html = _html("/s/sitea/zcjd/jd-video/")
    url = f"/s/sitea{video.url}"  # documents are served under the site prefix too

    assert (
        f'<video controls preload="metadata" aria-describedby="video-caption"><source src="{url}" '
        'type="video/mp4">' in html
    )
    assert '<a href="#transcript">阅读视频文字稿</a>' in html
    assert f'<a href="{url}">下载视频</a></figcaption>' in html
    assert (
        '<section id="transcript" aria-labelledby="transcript-heading"><h3 id="transcript-heading">视频文字稿'
        "</h3><p>主持人：今天我们解读……</p></section>"
    ) in html


# -- 网页标签 on every item page ------------------------------------------------------------------------


@pytest.fixture
def item_pages(site):
    """One published page of every item type, all published at 2025-05-28 09:30."""
    bsfw = f.column(
        site["site"], "办事服务", responsible_unit=site["unit"], column_class="other", slug="bsfw"
    )
    tzgg = f.column(
        site["site"], "通知公告", responsible_unit=site["unit"], column_class="notice", slug="tzgg"
    )
    _publish(
        bsfw,
        ServiceGuidePage(
            title="教师资格认定办事指南",
            slug="guide",
            publish_date=PUBLISHED,
            publisher="测试市教育局",
            **_guide_fields(),
        ),
    )
    _publish(
        tzgg,
        NoticePage(
            title="关于公开征求意见的公告", slug="notice", publish_date=PUBLISHED, source="市政府办公室"
        ),
    )
    _publish(
        tzgg,
        ArticlePage(title="测试市召开常务会议", slug="article", publish_date=PUBLISHED, source="测试日报"),
    )
    return site


@pytest.mark.parametrize(
    ("path", "column", "title", "published", "source"),
    [
        ("/s/sitea/zcwj/new/", "政策文件", NEW_TITLE, "2025-05-28 09:30", "市政府办公室"),
        ("/s/sitea/zcjd/jd-text/", "政策解读", TEXT_TITLE, "2025-05-28 10:30", "市政府办公室"),
        # A 办事指南 has no 来源: its 发布机构 stands in.
        ("/s/sitea/bsfw/guide/", "办事服务", "教师资格认定办事指南", "2025-05-28 09:30", "测试市教育局"),
        ("/s/sitea/tzgg/notice/", "通知公告", "关于公开征求意见的公告", "2025-05-28 09:30", "市政府办公室"),
        ("/s/sitea/tzgg/article/", "通知公告", "测试市召开常务会议", "2025-05-28 09:30", "测试日报"),
    ],
)
def test_every_item_page_has_the_content_page_meta_tags(
    item_pages, path: str, column: str, title: str, published: str, source: str
) -> None:
    html = _html(path)
    metas = dict(re.findall(r'<meta name="(\w+)" content="([^"]*)">', html))
    assert '<html lang="zh-CN">' in html
    assert {k: metas[k] for k in ("SiteName", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")} == {
        "SiteName": "测试网站sitea",
        "ColumnName": column,
        "ArticleTitle": title,
        "PubDate": published,
        "ContentSource": source,
    }
    assert {"SiteDomain", "SiteIDCode", "ColumnDescription", "ColumnKeywords", "ColumnType"} <= set(metas)


def test_keywords_become_a_meta_tag(site) -> None:
    assert '<meta name="Keywords" content="政府投资 项目管理">' in _html("/s/sitea/zcwj/new/")


# -- 办事指南 -------------------------------------------------------------------------------------------


def _guide_fields(**changes: str) -> dict[str, str]:
    fields = {
        "item_name": "中小学教师资格认定",
        "legal_basis": "《中华人民共和国教师法》第十条",
        "conditions": "1. 具有中华人民共和国国籍；\n2. 具备相应学历。",
        "materials": "1. 身份证件；\n2. 学历证书。",
        "process": "网上申报→现场确认→审批→发证",
        "time_limit": "承诺办结时限20个工作日",
        "fees": "不收费",
        "location": "测试市政务服务中心二楼",
        "consult_phone": "0591-1234567",
        "complaint_phone": "12345",
        "online_url": "https://zwfw.example.gov.cn/bs/jszg",
    }
    return {**fields, **changes}


def test_a_service_guide_shows_the_ten_elements_in_order_and_the_online_link(item_pages) -> None:
    html = _html("/s/sitea/bsfw/guide/")
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)
    assert [label for label, _ in pairs] == [label for _, label in SERVICE_GUIDE_ELEMENTS]
    assert pairs[2] == ("受理条件", "1. 具有中华人民共和国国籍；<br>2. 具备相应学历。")
    assert (
        '<a class="button" href="https://zwfw.example.gov.cn/bs/jszg">在线办理'
        '<span class="sr-only">：中小学教师资格认定</span></a>'
    ) in html


def test_missing_elements_names_each_blank_element() -> None:
    assert ServiceGuidePage(**_guide_fields()).missing_elements() == []
    guide = ServiceGuidePage(**_guide_fields(legal_basis="", consult_phone="  ", fees="\n"))
    assert guide.missing_elements() == ["设定依据", "收费标准", "咨询电话"]


# -- 通知公告 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "closed"), [(-1, True), (0, False), (1, False)])
def test_a_notice_is_marked_closed_after_its_deadline(site, days: int, closed: bool) -> None:
    tzgg = f.column(
        site["site"], "通知公告", responsible_unit=site["unit"], column_class="notice", slug="tzgg"
    )
    deadline = timezone.localdate() + timedelta(days=days)
    _publish(tzgg, NoticePage(title="关于开展项目申报的通知", slug="notice", deadline=deadline))
    html = _html("/s/sitea/tzgg/notice/")
    shown = f'截止日期：<time datetime="{deadline:%Y-%m-%d}">{deadline:%Y-%m-%d}</time>'
    assert shown in html
    assert (shown + '<strong class="closed">已截止</strong>' in html) is closed
    assert ('<table class="metadata">' in html) is True


# -- 专题 ---------------------------------------------------------------------------------------------


def test_a_topic_is_listed_on_the_home_page_and_shows_its_columns_newest_first(site) -> None:
    topic = TopicPage(title="优化营商环境", slug="yhyshj", intro="<p>营商环境专题。</p>", live=True)
    site["site"].root_page.add_child(instance=topic)
    column = f.column(topic, "工作动态", responsible_unit=site["unit"], column_class="event", slug="gzdt")
    for day, title in ((3, "第一篇"), (20, "第二篇"), (9, "第三篇")):
        _publish(
            column, ArticlePage(title=title, slug=f"a{day}", publish_date=datetime(2025, 6, day, tzinfo=TZ))
        )

    home = _html("/s/sitea/")
    assert re.search(
        r'<h2>专题专栏</h2>\s*<ul class="list"><li><a href="/s/sitea/yhyshj/">优化营商环境</a></li></ul>',
        home,
    )
    html = _html("/s/sitea/yhyshj/")
    assert '<meta name="ColumnType" content="专题">' in html
    assert f'<h3 id="topic-col-{column.pk}"><a href="/s/sitea/yhyshj/gzdt/">工作动态</a></h3>' in html
    assert re.findall(r'<a href="/s/sitea/yhyshj/gzdt/\d{6}/t\d{8}_\d+\.html">(.*?)</a>', html) == [
        "第二篇",
        "第三篇",
        "第一篇",
    ]


# -- model rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"validity": Validity.REPEALED, "validity_changed_on": None},
            {"validity_changed_on": ["文件状态为“废止”时须填写日期"]},
        ),
        (
            {"validity": Validity.EXPIRED, "validity_changed_on": None},
            {"validity_changed_on": ["文件状态为“失效”时须填写日期"]},
        ),
        (
            {"validity": Validity.REVISED, "successor": None},
            {"successor": ["已修订的文件须指明修订后的文件"]},
        ),
        (
            {"validity": Validity.REVISED, "validity_changed_on": None, "successor": None},
            {
                "validity_changed_on": ["文件状态为“已修订”时须填写日期"],
                "successor": ["已修订的文件须指明修订后的文件"],
            },
        ),
        ({"validity": Validity.VALID, "successor": "self"}, {"successor": ["修订后的文件不能是本文件"]}),
    ],
)
def test_policy_document_validation_messages(site, changes: dict, errors: dict[str, list[str]]) -> None:
    doc = site["old"]
    for name, value in changes.items():
        setattr(doc, name, doc if value == "self" else value)
    with pytest.raises(ValidationError) as raised:
        doc.clean()
    assert raised.value.message_dict == errors


def test_a_consistent_revised_document_is_valid(site) -> None:
    site["old"].clean()  # 已修订, dated, with a successor: no error


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        (InterpretationPage.Form.GRAPHIC, {"image": ["图解须上传图片"]}),
        (InterpretationPage.Form.VIDEO, {"video": ["视频解读须上传视频文件"]}),
    ],
)
def test_interpretation_validation_messages(site, form: str, errors: dict[str, list[str]]) -> None:
    page = site["text"]
    page.form = form
    with pytest.raises(ValidationError) as raised:
        page.clean()
    assert raised.value.message_dict == errors

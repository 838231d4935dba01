"""The 政府信息公开目录: which items a site's catalogue lists, its filters and facet counts, pagination,
bad query strings, and a constant number of queries whatever the number of items."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from govsite.content.catalog import (
    PAGE_SIZE,
    CatalogFilters,
    build_catalog,
    catalog_items,
    parse_filters,
    parse_page_number,
)
from govsite.content.models import (
    ArticlePage,
    DisclosureCatalogPage,
    NoticePage,
    PolicyDocumentPage,
    Validity,
)
from govsite.sites.models import GovSite
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
# The view-restriction lookup, the count, the page of items and one aggregate per filter.
CATALOG_QUERIES = 7
# The whole public request: the site prefix, routing and view restrictions, the page, the header and
# footer (site, menu, breadcrumb) and the catalogue.
PUBLIC_PAGE_QUERIES = 21


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=TZ)


_slugs = itertools.count(1)


def _item(
    column, title: str, when: datetime, *, model=ArticlePage, live: bool = True, slug: str = "", **fields
):
    page = model(title=title, slug=slug or f"item{next(_slugs)}", publish_date=when, live=live, **fields)
    column.add_child(instance=page)
    return page


def _named(slug: str, column, title: str, when: datetime, **fields):
    return _item(column, title, when, slug=slug, **fields)


def _catalog_page(site) -> DisclosureCatalogPage:
    page = DisclosureCatalogPage(
        title="政府信息公开目录", slug="gkml", intro="本站主动公开的政府信息", live=True
    )
    site.root_page.add_child(instance=page)
    return page


@pytest.fixture
def world(personas):
    """Site A with two columns of catalogued items and its 公开目录; site B with one item of its own."""
    site_a, site_b = personas.site_a, personas.site_b
    news = f.column(site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    docs = f.column(site_a, "政策文件", responsible_unit=personas.unit_a, column_class="policy", slug="zcwj")
    county = f.column(site_b, "县区动态", responsible_unit=personas.unit_b, slug="xqdt")
    items = {
        "news24": _named(
            "news24",
            news,
            "二〇二四年要闻",
            _at(2024, 6, 3),
            topic_category="综合政务",
            genre="工作动态",
            publisher="测试市人民政府",
        ),
        "news25": _named(
            "news25",
            news,
            "二〇二五年要闻",
            _at(2025, 2, 10),
            topic_category="科技、教育",
            genre="工作动态",
            publisher="测试市教育局",
        ),
        "plan25": _named(
            "plan25",
            docs,
            "测试市教育发展规划",
            _at(2025, 3, 1),
            model=PolicyDocumentPage,
            topic_category="科技、教育",
            genre="规划",
            publisher="测试市教育局",
            document_number="测教〔2025〕3号",
        ),
        "repealed": _named(
            "repealed",
            docs,
            "测试市旧管理办法",
            _at(2025, 4, 8),
            model=PolicyDocumentPage,
            topic_category="综合政务",
            genre="通知",
            publisher="测试市人民政府",
            validity=Validity.REPEALED,
            validity_changed_on=date(2025, 9, 1),
        ),
        "notice26": _named(
            "notice26",
            news,
            "二〇二六年通知",
            _at(2026, 1, 5),
            model=NoticePage,
            topic_category="综合政务",
            genre="通知",
            publisher="测试市人民政府",
        ),
        "draft": _named(
            "draft",
            news,
            "未发布的稿件",
            _at(2025, 5, 1),
            live=False,
            topic_category="综合政务",
            genre="通知",
            publisher="测试市人民政府",
        ),
        "b_item": _named(
            "b_item",
            county,
            "乙站要闻",
            _at(2025, 5, 6),
            topic_category="综合政务",
            genre="工作动态",
            publisher="测试县人民政府",
        ),
    }
    return {"site_a": site_a, "site_b": site_b, "news": news, "docs": docs, "county": county, **items}


def _titles(queryset) -> list[str]:
    return [page.title for page in queryset]


# -- which items -----------------------------------------------------------------------------------------


def test_lists_the_sites_live_items_newest_first_and_nothing_of_another_site(world) -> None:
    assert _titles(catalog_items(world["site_a"], CatalogFilters())) == [
        "二〇二六年通知",
        "测试市旧管理办法",
        "测试市教育发展规划",
        "二〇二五年要闻",
        "二〇二四年要闻",
    ]
    assert _titles(catalog_items(world["site_b"], CatalogFilters())) == ["乙站要闻"]


def test_an_item_placed_on_the_site_as_an_alias_is_listed_once(world) -> None:
    site_b_item = world["b_item"]
    site_b_item.create_alias(parent=world["news"])  # site A reposts site B's item
    world["plan25"].create_alias(parent=world["news"])  # and shows its own document in a second column
    world["plan25"].create_alias(parent=world["county"])  # site B carries site A's document

    site_a_titles = _titles(catalog_items(world["site_a"], CatalogFilters()))
    assert site_a_titles == [
        "二〇二六年通知",
        "乙站要闻",
        "测试市旧管理办法",
        "测试市教育发展规划",
        "二〇二五年要闻",
        "二〇二四年要闻",
    ]
    listed_plan = [
        p for p in catalog_items(world["site_a"], CatalogFilters()) if p.title == "测试市教育发展规划"
    ]
    assert [p.pk for p in listed_plan] == [world["plan25"].pk]  # the original stands for its alias
    assert _titles(catalog_items(world["site_b"], CatalogFilters())) == ["乙站要闻", "测试市教育发展规划"]


def test_items_under_a_view_restriction_are_not_listed(world) -> None:
    PageViewRestriction.objects.create(page=world["docs"], restriction_type=PageViewRestriction.LOGIN)
    assert _titles(catalog_items(world["site_a"], CatalogFilters())) == [
        "二〇二六年通知",
        "二〇二五年要闻",
        "二〇二四年要闻",
    ]


def test_policy_documents_carry_their_validity_label(world) -> None:
    labels = {p.title: p.validity_label for p in catalog_items(world["site_a"], CatalogFilters())}
    assert labels == {
        "二〇二六年通知": "",
        "测试市旧管理办法": "废止",
        "测试市教育发展规划": "有效",
        "二〇二五年要闻": "",
        "二〇二四年要闻": "",
    }


# -- filters and facets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic_category": "科技、教育"}, ["测试市教育发展规划", "二〇二五年要闻"]),
        ({"genre": "通知"}, ["二〇二六年通知", "测试市旧管理办法"]),
        ({"publisher": "测试市教育局"}, ["测试市教育发展规划", "二〇二五年要闻"]),
        ({"year": "2025"}, ["测试市旧管理办法", "测试市教育发展规划", "二〇二五年要闻"]),
        ({"topic_category": "综合政务", "year": "2025"}, ["测试市旧管理办法"]),
        ({"genre": "工作动态", "publisher": "测试市教育局", "year": "2024"}, []),
    ],
)
def test_filters(world, params: dict[str, str], expected: list[str]) -> None:
    assert _titles(catalog_items(world["site_a"], parse_filters(params))) == expected


def test_year_follows_the_local_calendar(world) -> None:
    # 2024-12-31 23:30 in Beijing is still 2024 there, though already past 15:30 UTC.
    _item(world["news"], "年末消息", datetime(2024, 12, 31, 23, 30, tzinfo=TZ), topic_category="综合政务")
    assert _titles(catalog_items(world["site_a"], parse_filters({"year": "2024"}))) == [
        "年末消息",
        "二〇二四年要闻",
    ]


def _facets(catalog) -> dict[str, list[tuple[str, int, bool]]]:
    return {facet.label: [(v.label, v.count, v.selected) for v in facet.values] for facet in catalog.facets}


def test_facets_count_each_value_together_with_the_other_filters(world) -> None:
    catalog = build_catalog(world["site_a"], {"topic_category": "综合政务", "year": "2025"})

    assert catalog.total == 1
    assert _facets(catalog) == {
        # 主题分类 counts ignore the 主题分类 filter itself (2025 only), and so on for each filter.
        "主题分类": [("综合政务", 1, True), ("科技、教育", 2, False)],
        "体裁": [("通知", 1, False)],
        "发布机构": [("测试市人民政府", 1, False)],
        "年份": [("2026年", 1, False), ("2025年", 1, True), ("2024年", 1, False)],
    }
    links = {(facet.name, v.value): v.query for facet in catalog.facets for v in facet.values}
    assert links[("topic_category", "综合政务")] == "?year=2025"  # a chosen value's link clears it
    assert (
        links[("topic_category", "科技、教育")]
        == "?topic_category=%E7%A7%91%E6%8A%80%E3%80%81%E6%95%99%E8%82%B2&year=2025"
    )
    assert links[("year", "2024")] == "?topic_category=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1&year=2024"
    assert [(a.label, a.value, a.remove_query) for a in catalog.active] == [
        ("主题分类", "综合政务", "?year=2025"),
        ("年份", "2025年", "?topic_category=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1"),
    ]


def test_facets_without_filters_cover_every_value_and_skip_blank_ones(world) -> None:
    _item(world["news"], "未分类消息", _at(2025, 7, 1))  # no 主题分类, 体裁 or 发布机构
    assert _facets(build_catalog(world["site_a"], {})) == {
        "主题分类": [("综合政务", 3, False), ("科技、教育", 2, False)],
        "体裁": [("通知", 2, False), ("规划", 1, False), ("工作动态", 2, False)],
        "发布机构": [("测试市人民政府", 3, False), ("测试市教育局", 2, False)],
        "年份": [("2026年", 1, False), ("2025年", 4, False), ("2024年", 1, False)],
    }


def test_a_chosen_value_without_items_stays_visible_so_it_can_be_cleared(world) -> None:
    catalog = build_catalog(world["site_a"], {"publisher": "测试市财政局"})
    assert catalog.total == 0
    assert _facets(catalog)["发布机构"] == [
        ("测试市人民政府", 3, False),
        ("测试市教育局", 2, False),
        ("测试市财政局", 0, True),
    ]


# -- bad query strings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {
            "topic_category": "不存在的分类",
            "genre": "<script>",
            "year": "二〇二五",
            "publisher": "",
            "page": "x",
        },
        {"year": "20255"},
        {"year": "1800"},
        {"year": "-2025"},
        {"year": "２０２５"},  # full-width digits
        {"publisher": "测" * 101},
        {"publisher": "测试\x00市"},
        {"genre": "通知\n"},
        {"topic_category": "综合政务" * 20},
    ],
)
def test_bad_values_are_ignored(params: dict[str, str]) -> None:
    assert parse_filters(params) == CatalogFilters(
        genre="通知" if params.get("genre") == "通知\n" else ""
    )  # surrounding whitespace is trimmed


@pytest.mark.parametrize(
    ("value", "page"),
    [("", 1), ("3", 3), ("0", 1), ("-2", 1), ("abc", 1), ("1e3", 1), ("9999999", 1), ("２", 1)],
)
def test_page_number(value: str, page: int) -> None:
    assert parse_page_number({"page": value}) == page


def test_bad_query_strings_render_the_whole_catalogue(world) -> None:
    _catalog_page(world["site_a"])
    query = "topic_category=%3Cscript%3E&year=abc&publisher=%00&genre=&page=-1&unknown=1"
    response = Client().get(f"/s/sitea/gkml/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "共 5 条信息" in html
    assert "当前条件" not in html


# -- pagination ------------------------------------------------------------------------------------------


def test_pages_of_twenty(world) -> None:
    for n in range(40):
        _item(world["news"], f"批量信息{n:02d}", _at(2023, 1, 1 + n % 28, 8 + n // 28), genre="工作动态")
    first = build_catalog(world["site_a"], {"genre": "工作动态"})
    assert first.total == 42
    assert len(first.page) == PAGE_SIZE
    assert (first.previous_query, first.next_query) == (
        "",
        "?genre=%E5%B7%A5%E4%BD%9C%E5%8A%A8%E6%80%81&page=2",
    )
    last = build_catalog(world["site_a"], {"genre": "工作动态", "page": "3"})
    assert len(last.page) == 2
    assert last.next_query == ""
    assert last.previous_query == "?genre=%E5%B7%A5%E4%BD%9C%E5%8A%A8%E6%80%81&page=2"
    beyond = build_catalog(world["site_a"], {"genre": "工作动态", "page": "40"})
    assert beyond.page.number == 3  # past the end: the last page


# -- the public page ---------------------------------------------------------------------------------------


def test_the_public_page_lists_facets_and_items(world) -> None:
    _catalog_page(world["site_a"])
    html = Client().get("/s/sitea/gkml/?genre=%E9%80%9A%E7%9F%A5").content.decode()

    assert '<html lang="zh-CN">' in html
    assert '<meta name="ColumnName" content="政府信息公开目录">' in html
    assert "共 2 条信息" in html
    chosen = '<a href="?" aria-current="true"><span>通知</span><span>2'
    assert chosen + '<span class="sr-only">条，已选中，再次点击取消</span></span></a>' in html
    rows = re.findall(
        r"<tr><td class=\"nowrap\">(.*?)</td><td><a href=\"([^\"]+)\">(.*?)</a>(.*?)</td>", html
    )
    assert [(href, title, tag.strip()) for _, href, title, tag in rows] == [
        ("/s/sitea/" + f.public_url(world["notice26"]), "二〇二六年通知", ""),
        ("/s/sitea/" + f.public_url(world["repealed"]), "测试市旧管理办法", '<span class="tag">废止</span>'),
    ]


def test_the_catalogue_of_site_b_shows_only_site_b(world) -> None:
    _catalog_page(world["site_b"])
    html = Client().get("/s/siteb/gkml/").content.decode()
    assert "共 1 条信息" in html
    assert "乙站要闻" in html
    assert "二〇二五年要闻" not in html


# -- queries -----------------------------------------------------------------------------------------------


def _fill(column, count: int) -> None:
    for n in range(count):
        _item(
            column,
            f"信息{n:02d}",
            _at(2025, 1 + n % 12, 1 + n % 28),
            topic_category="综合政务",
            genre=["通知", "工作动态", "公告"][n % 3],
            publisher=f"测试单位{n % 7}",
            model=[ArticlePage, NoticePage, PolicyDocumentPage][n % 3],
        )


@pytest.mark.parametrize("count", [5, 50])
def test_the_catalogue_takes_the_same_queries_for_5_or_50_items(
    personas, django_assert_num_queries, count: int
) -> None:
    column = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    _fill(column, count)
    _catalog_page(personas.site_a)
    site = GovSite.objects.select_related("wagtail_site__root_page").get(pk=personas.site_a.pk)

    with django_assert_num_queries(CATALOG_QUERIES):
        catalog = build_catalog(site, {"genre": "通知"})
        rows = [(p.title, p.validity_label) for p in catalog.page]
    assert len(rows) == min(PAGE_SIZE, (count + 2) // 3)

    client = Client()
    client.get("/s/sitea/gkml/?genre=%E9%80%9A%E7%9F%A5")  # warm the per-process caches (site root paths)
    with django_assert_num_queries(PUBLIC_PAGE_QUERIES):
        response = client.get("/s/sitea/gkml/?genre=%E9%80%9A%E7%9F%A5")
    assert response.status_code == 200

"""Fingerprints and the reads behind them: the home page's lists in one query match each list read on
its own, a feed's fingerprint follows the items it shows and a column's every item it lists, an
incremental publish and a whole-site publish fingerprint a target alike, and deciding an edit's targets
takes a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govsite.content import library
from govsite.content.models import InterpretationPage, NoticePage, PolicyDocumentPage
from govsite.publishing import actions
from govsite.publishing import renderer as r
from govsite.publishing.fingerprints import Fingerprints
from govsite.publishing.renderer import index
from govsite.publishing.renderer.index import SiteIndex
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA)


def retitle(page: Any, title: str) -> None:
    page.title = title
    page.save_revision().publish()


def prints_of(site: Any, targets: list[r.Target], *, whole_site: bool = False) -> dict[r.Target, str]:
    """The targets' fingerprints from a fresh renderer: as a whole-site publish computes them (every
    target at once, from ``item_index``) or as an edit's publish does (just these targets)."""
    renderer = r.SiteRenderer(site)
    if whole_site:
        found = Fingerprints(renderer).of(renderer.targets())
        return {t: found[t] for t in targets}
    return Fingerprints(renderer).of(targets, site_wide=False)


@pytest.fixture
def columns(personas: Any) -> dict[str, Any]:
    """Home-page columns of news (more items than the home page shows of a column), notices (fewer)
    and policies (none), and a column the home page does not list."""
    site = personas.site_a
    unit = personas.unit_a
    news = f.column(site, "政务要闻", responsible_unit=unit, slug="zwyw")
    notices = f.column(site, "通知公告", responsible_unit=unit, slug="tzgg", column_class="notice")
    policies = f.column(site, "政策文件", responsible_unit=unit, slug="zcwj", column_class="policy")
    other = f.column(site, "其他信息", responsible_unit=unit, slug="qtxx", column_class="other")
    items = [f.dated_item(news, f"要闻{n:02d}", T0 + timedelta(hours=n)) for n in range(11)]
    # Two items published at the same moment: the newer id comes first.
    items.append(f.dated_item(news, "同时发布甲", T0 + timedelta(hours=20)))
    items.append(f.dated_item(news, "同时发布乙", T0 + timedelta(hours=20)))
    items += [f.dated_item(notices, f"通知{n}", T0 + timedelta(hours=2 * n + 1)) for n in range(3)]
    items += [f.dated_item(other, f"其他{n}", T0 + timedelta(hours=30 + n)) for n in range(2)]
    hidden = f.dated_item(news, "已撤下", T0 + timedelta(hours=40))
    hidden.unpublish()
    return {"site": site, "news": news, "notices": notices, "policies": policies, "other": other}


@pytest.mark.parametrize("holds_many", [False, True])
def test_the_home_pages_lists_in_one_query_are_each_lists_newest(
    columns: dict[str, Any], holds_many: bool, monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    # Both ways of reading the site's newest items (through the path index or the 发布日期 index).
    monkeypatch.setattr(SiteIndex, "_holds_many_items", property(lambda self: holds_many))
    renderer = r.SiteRenderer(columns["site"])
    wanted = [columns[name].pk for name in ("news", "notices", "policies")]
    everything = renderer.items_in(renderer.columns)  # each column's items, newest first
    renderer.column_by_path  # noqa: B018 - loaded before counting

    with django_assert_num_queries(1):
        latest, newest = renderer.newest_items(r.HOME_LATEST, wanted, r.HOME_COLUMN_ITEMS)

    assert newest == {pk: everything[pk][: r.HOME_COLUMN_ITEMS] for pk in wanted}
    assert [len(newest[pk]) for pk in wanted] == [r.HOME_COLUMN_ITEMS, 3, 0]
    assert [link.title for link in newest[columns["news"].pk][:2]] == ["同时发布乙", "同时发布甲"]
    by_date = sorted(
        (link for links in everything.values() for link in links),
        key=lambda link: (link.publish_date or datetime.min.replace(tzinfo=UTC), link.id),
        reverse=True,
    )
    assert latest == by_date[: r.HOME_LATEST]
    assert "已撤下" not in {link.title for link in latest}
    assert renderer.latest_items(5) == by_date[:5]


def test_a_feeds_fingerprint_follows_its_items_and_a_columns_every_item(personas: Any) -> None:
    site = personas.site_a
    news = f.column(site, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    count = r.RSS_ITEMS + 5  # the oldest five are on the column's second page but not in the feed
    items = [f.dated_item(news, f"要闻{n:02d}", T0 + timedelta(hours=n)) for n in range(count)]
    targets = [(r.COLUMN, news.pk), (r.RSS, news.pk)]
    before = prints_of(site, targets)

    retitle(items[0], "最早的要闻（更正）")  # on the last list page, not in the feed
    oldest_edited = prints_of(site, targets)
    retitle(items[count - r.RSS_ITEMS], "要闻（更正）")  # the oldest item the feed shows
    in_feed_edited = prints_of(site, targets)

    assert oldest_edited[(r.COLUMN, news.pk)] != before[(r.COLUMN, news.pk)]
    assert oldest_edited[(r.RSS, news.pk)] == before[(r.RSS, news.pk)]
    assert in_feed_edited[(r.COLUMN, news.pk)] != oldest_edited[(r.COLUMN, news.pk)]
    assert in_feed_edited[(r.RSS, news.pk)] != oldest_edited[(r.RSS, news.pk)]


def test_an_edits_publish_and_a_whole_site_publish_fingerprint_a_target_alike(
    columns: dict[str, Any],
) -> None:
    site = columns["site"]
    news = columns["news"]
    item = news.get_children().live().last()
    notice = NoticePage(
        title="截止通知", body="<p>通知。</p>", publish_date=T0, live=False, deadline=T0.date()
    )
    columns["notices"].add_child(instance=notice)
    notice.save_revision().publish()
    targets = [
        (r.HOME, site.root_page.pk),
        (r.COLUMN, news.pk),
        (r.RSS, news.pk),
        (r.ITEM, item.pk),
        (r.ITEM, notice.pk),
    ]

    assert prints_of(site, targets) == prints_of(site, targets, whole_site=True)


def test_a_many_items_type_lookup_agrees_with_the_database(columns: dict[str, Any], monkeypatch: Any) -> None:
    notices = []
    for title in ("一则通知", "另一则通知"):
        notice = NoticePage(title=title, body="<p>通知。</p>", publish_date=T0, live=False)
        columns["notices"].add_child(instance=notice)
        notice.save_revision().publish()
        notices.append(notice)
    renderer = r.SiteRenderer(columns["site"])
    # Not the second notice; and an id the site does not hold.
    ids = set(renderer.item_ids()) - {notices[1].pk} | {999_999}
    expected = set(NoticePage.objects.filter(pk__in=ids).values_list("id", flat=True))

    monkeypatch.setattr(index, "MANY_IDS", 2)  # answered from the index's types, without a query
    assert renderer.ids_of_type(ids, NoticePage) == expected == {notices[0].pk}
    assert renderer.ids_of_type(ids, PolicyDocumentPage) == set()


def test_a_reading_touches_the_policy_it_interprets_and_the_policys_alias(personas: Any) -> None:
    site = personas.site_a
    docs = f.column(site, "政策文件", responsible_unit=personas.unit_a, slug="zcwj")
    readings = f.column(site, "政策解读", responsible_unit=personas.unit_a, slug="zcjd")
    reposts = f.column(site, "转载文件", responsible_unit=personas.unit_a, slug="zzwj")
    policy = f.dated_item(docs, "新办法", T0, model=PolicyDocumentPage)
    alias = library.place_item(None, policy, reposts, kind="repost").page
    reading = f.dated_item(
        readings, "新办法解读", T0 + timedelta(hours=1), model=InterpretationPage, policy=policy
    )
    actions.publish_site(site)

    targets = actions.affected_targets(r.SiteRenderer(site), [reading.pk])

    assert targets is not None
    assert {(r.ITEM, policy.pk), (r.ITEM, alias.pk), (r.ITEM, reading.pk)} <= targets
    assert {(r.COLUMN, readings.pk), (r.RSS, readings.pk), (r.HOME, site.root_page.pk)} <= targets
    assert (r.COLUMN, docs.pk) not in targets


def test_deciding_an_edits_targets_takes_a_fixed_number_of_queries(
    columns: dict[str, Any], django_assert_num_queries: Any
) -> None:
    site = columns["site"]
    actions.publish_site(site)
    item = columns["news"].get_children().live().last().specific
    retitle(item, "要闻（更正）")

    def decide(renderer: r.SiteRenderer) -> set[r.Target]:
        targets = actions.affected_targets(renderer, [item.pk])
        assert targets is not None
        Fingerprints(renderer).of(sorted(targets), site_wide=False)
        return targets

    decide(r.SiteRenderer(site))  # the content types and the site's size are known from here on
    renderer = r.SiteRenderer(site)
    # Dependency record, the pages, where they were written, columns, 专题, 公开目录; the column's
    # items, the home page's lists, the versions.
    with django_assert_num_queries(9):
        targets = decide(renderer)
    assert targets == {
        (r.ITEM, item.pk),
        (r.COLUMN, columns["news"].pk),
        (r.RSS, columns["news"].pk),
        (r.HOME, site.root_page.pk),
    }

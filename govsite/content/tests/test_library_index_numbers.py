"""The resource library's 索引号: allocated on first publish by the site's rule, per site and year,
never reused; bulk numbering for loaded items (national-specs §5.1–5.2). Split from test_library.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction

from govsite.content import library
from govsite.content.models import (
    ArticlePage,
    IndexNumberAllocation,
    IndexNumberCounter,
    LibraryItemPage,
    Placement,
)
from govsite.content.tests.test_library import (
    CHINA,
    T0,
    USCC,
    actions_since,
    head,
    item,
    lib,
    new_events,
    set_site,
)
from govsite.core.index_numbers import IndexNumberError

pytestmark = pytest.mark.django_db

__all__ = ["lib"]  # the fixture, used by name in this module's tests


def test_first_publish_numbers_the_item_by_the_site_rule(personas: Any, lib: dict[str, Any]) -> None:
    set_site(personas.site_a, org_code=USCC)
    before = head()
    with time_machine.travel(T0, tick=False):
        first = item(lib["col_a"], "关于印发某某办法的通知")

    assert first.index_number == f"{USCC}/2026-00001"
    # Wagtail's own log entries (page created, published) are mirrored into the audit log beside ours.
    assert actions_since(before) == [
        ("wagtail.create", "success"),
        ("content.allocate_index_number", "success"),
        ("content.record_owner_placement", "success"),
        ("wagtail.publish", "success"),
    ]
    allocation = IndexNumberAllocation.objects.get()
    assert (allocation.site_id, allocation.index_number, allocation.page_id, allocation.title) == (
        personas.site_a.pk,
        f"{USCC}/2026-00001",
        first.pk,
        "关于印发某某办法的通知",
    )
    assert first.live_revision.content["index_number"] == f"{USCC}/2026-00001"
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        second = item(lib["col_a"], "第二篇")
    assert second.index_number == f"{USCC}/2026-00002"
    assert IndexNumberCounter.objects.get(site=personas.site_a, year=2026).last_serial == 2


def test_a_site_without_org_code_uses_its_site_id_code(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False):
        page = item(lib["col_b"], "县里的信息")
    assert page.index_number == f"{personas.site_b.site_id_code}/2026-00001"


def test_serials_run_per_site_and_per_year_of_the_publish_date(personas: Any, lib: dict[str, Any]) -> None:
    set_site(personas.site_a, org_code=USCC, index_rule="{机构代码}/{年}-{六位序号}")
    with time_machine.travel(T0, tick=False):
        this_year = item(lib["col_a"], "今年的")
        last_year = item(lib["col_a"], "补录去年的", publish_date=datetime(2025, 12, 31, 23, 0, tzinfo=CHINA))
        on_b = item(lib["col_b"], "乙站的")
    assert (this_year.index_number, last_year.index_number) == (f"{USCC}/2026-000001", f"{USCC}/2025-000001")
    assert on_b.index_number == f"{personas.site_b.site_id_code}/2026-00001"


def test_republishing_keeps_the_number_and_allocates_nothing(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "原标题")
    number = page.index_number
    page.title = "改后的标题"
    before = head()
    page.save_revision().publish()

    page.refresh_from_db()
    assert page.index_number == number
    assert IndexNumberAllocation.objects.count() == 1
    assert [action for action, _ in actions_since(before)] == ["wagtail.rename", "wagtail.publish"]


def test_publishing_an_older_revision_restores_the_number(personas: Any, lib: dict[str, Any]) -> None:
    page = ArticlePage(title="先存草稿", body="<p>草稿</p>", live=False)
    lib["col_a"].add_child(instance=page)
    draft = page.save_revision()  # saved before any number existed
    page.title = "正式稿"
    page.save_revision().publish()
    page.refresh_from_db()
    number = page.index_number
    assert number

    before = head()
    draft.publish()

    page.refresh_from_db()
    assert (page.title, page.index_number) == ("先存草稿", number)
    assert IndexNumberAllocation.objects.count() == 1
    restore = new_events(before)[0]
    assert (restore.action, restore.detail) == (
        "content.allocate_index_number",
        {"index_number": number, "restored": True},
    )


def test_numbers_of_purged_pages_are_never_reused(personas: Any, lib: dict[str, Any]) -> None:
    first = item(lib["col_a"], "将被彻底删除")
    number = first.index_number
    first.delete()
    second = item(lib["col_a"], "新的一篇")

    assert second.index_number.endswith("-00002")
    assert list(IndexNumberAllocation.objects.order_by("pk").values_list("index_number", "page_id")) == [
        (number, None),
        (second.index_number, second.pk),
    ]


def test_a_copied_page_gets_its_own_number(personas: Any, lib: dict[str, Any]) -> None:
    original = item(lib["col_a"], "原稿")
    copy = original.copy(to=lib["col_a2"], update_attrs={"slug": "copy", "title": "副本"}, keep_live=False)
    copy.save_revision().publish()

    copy.refresh_from_db()
    assert copy.index_number.endswith("-00002")
    assert original.index_number.endswith("-00001")


def test_an_imported_number_is_registered_as_it_is(personas: Any, lib: dict[str, Any]) -> None:
    page = ArticlePage(title="历史信息", body="<p>旧</p>", live=False)
    lib["col_a"].add_child(instance=page)
    LibraryItemPage.objects.filter(pk=page.pk).update(index_number="000014349/2017-00110")
    page.refresh_from_db()
    page.save_revision().publish()

    page.refresh_from_db()
    assert page.index_number == "000014349/2017-00110"
    assert IndexNumberAllocation.objects.get().index_number == "000014349/2017-00110"
    assert not IndexNumberCounter.objects.exists()


def test_aliases_carry_the_items_number_and_get_none_of_their_own(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "被引用的信息")
    placement = library.place_item(None, page, lib["col_b"])

    alias = LibraryItemPage.objects.get(pk=placement.page_id)
    assert (alias.alias_of_id, alias.index_number) == (page.pk, page.index_number)
    assert IndexNumberAllocation.objects.count() == 1
    page.save_revision().publish()  # re-publishing updates the alias; it still gets no number
    assert IndexNumberAllocation.objects.count() == 1


def test_a_scheduled_publish_waits_for_going_live(personas: Any, lib: dict[str, Any]) -> None:
    page = ArticlePage(title="定时发布", body="<p>定时</p>", live=False)
    lib["col_a"].add_child(instance=page)
    page.go_live_at = datetime(2099, 1, 1, tzinfo=CHINA)
    page.save_revision().publish()

    page.refresh_from_db()
    assert (page.live, page.index_number) == (False, "")
    assert not IndexNumberAllocation.objects.exists()
    assert not Placement.objects.exists()


def test_a_failed_allocation_rolls_the_publish_back(personas: Any, lib: dict[str, Any]) -> None:
    set_site(personas.site_a, org_code=USCC, index_rule="{机构代码}/{年}-{序号:4}")
    with time_machine.travel(T0, tick=False):
        IndexNumberCounter.objects.create(site=personas.site_a, year=2026, last_serial=9999)
        page = ArticlePage(title="序号用尽", body="<p>x</p>", live=False)
        lib["col_a"].add_child(instance=page)
        revision = page.save_revision()
        with pytest.raises(IndexNumberError, match="序号 10000 超出规则的 4 位序号"), transaction.atomic():
            revision.publish()

    page.refresh_from_db()
    assert (page.live, page.index_number, page.live_revision_id) == (False, "", None)
    assert IndexNumberCounter.objects.get(site=personas.site_a).last_serial == 9999
    assert not IndexNumberAllocation.objects.exists()

"""The resource library's actions and queries: 索引号 on first publish, placements as aliases that follow
the item, push / accept / decline / withdraw, repost with its delay, and the 12-hour rule for 重要政策."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.admin.panels import get_form_for_model
from wagtail.models import Page

from govsite.accounts.models import Role
from govsite.audit.models import AuditEvent
from govsite.content import library
from govsite.content.forms import LibraryItemPageForm
from govsite.content.models import (
    ArticlePage,
    ColumnPage,
    IndexNumberCounter,
    LibraryItemPage,
    Placement,
    PushRequest,
)
from govsite.sites.actions import site_group
from govsite.sites.models import GovSite
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")
USCC = "11441700007280420Y"  # a valid 统一社会信用代码 seen on a live site (national-specs §5.2)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA)


# --- fixtures and helpers ----------------------------------------------------------------------------


def make_lib(personas: Any) -> dict[str, Any]:
    """Columns on both sites and the 站点管理员 of site B (site B is below site A)."""
    site_admin_b = f.account(
        "siteadmin_b",
        unit_obj=personas.unit_b,
        groups=[site_group(personas.site_b, Role.Kind.SITE_ADMIN)],
        full_name="乙站点管理员",
    )
    return {
        "site_admin_b": site_admin_b,
        "col_a": f.column(personas.site_a, "政策文件", responsible_unit=personas.unit_a, slug="zcwj"),
        "col_a2": f.column(personas.site_a, "专题引用", responsible_unit=personas.unit_a, slug="ztyy"),
        "col_b": f.column(personas.site_b, "上级文件", responsible_unit=personas.unit_b, slug="sjwj"),
        "col_b2": f.column(personas.site_b, "通知公告", responsible_unit=personas.unit_b, slug="tzgg"),
    }


@pytest.fixture
def lib(personas: Any) -> dict[str, Any]:
    return make_lib(personas)


def item(
    col: ColumnPage,
    title: str,
    *,
    important: bool = False,
    publish: bool = True,
    slug: str = "",
    **fields: Any,
) -> ArticlePage:
    page = ArticlePage(
        title=title, slug=slug, body="<p>原文正文。</p>", is_important_policy=important, live=False, **fields
    )
    col.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def head() -> int:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))


def actions_since(since: int) -> list[tuple[str, str]]:
    return [(event.action, event.outcome) for event in new_events(since)]


def set_site(site: GovSite, **fields: Any) -> None:
    GovSite.objects.filter(pk=site.pk).update(**fields)


def state() -> tuple[int, int, int, list[tuple[int, str]]]:
    """What a refused call must leave untouched."""
    return (
        Page.objects.count(),
        Placement.objects.count(),
        PushRequest.objects.count(),
        sorted(PushRequest.objects.values_list("pk", "status")),
    )


# --- the owner placement -----------------------------------------------------------------------------


def _loaded(col: ColumnPage, title: str, when: datetime, **fields: Any) -> ArticlePage:
    """An item as a loader stores it: live, never published through Wagtail, no revision."""
    page = ArticlePage(
        title=title,
        body="<p>迁移的正文。</p>",
        publish_date=when,
        first_published_at=when,
        last_published_at=when,
        live=True,
        has_unpublished_changes=False,
        **fields,
    )
    col.add_child(instance=page)
    return page


def test_loaded_items_are_numbered_and_placed_in_bulk(personas: Any, lib: dict[str, Any]) -> None:
    set_site(personas.site_a, org_code=USCC)
    with time_machine.travel(T0, tick=False):
        published = item(lib["col_a"], "发布过的")  # numbered by its publish: 00001
    late = _loaded(lib["col_a"], "后发布的", T0 + timedelta(days=2))
    early = _loaded(lib["col_a"], "先发布的", T0 + timedelta(days=1))
    old = _loaded(lib["col_a"], "去年的", datetime(2025, 6, 1, 9, tzinfo=CHINA))
    kept = _loaded(lib["col_a"], "带号迁入", T0, index_number="LEGACY/2019-7")
    on_b = _loaded(lib["col_b"], "乙站的", T0)
    draft = ArticlePage(title="草稿", body="<p>草稿。</p>", live=False)
    lib["col_a"].add_child(instance=draft)
    before = head()

    assert library.register_published_items(reason="迁移") == {"numbered": 5, "placed": 5}

    numbers = {
        p.title: LibraryItemPage.objects.get(pk=p.pk).index_number for p in (early, late, old, kept, on_b)
    }
    assert numbers == {
        "先发布的": f"{USCC}/2026-00002",  # 发布日期 order within the site and year
        "后发布的": f"{USCC}/2026-00003",
        "去年的": f"{USCC}/2025-00001",
        "带号迁入": "LEGACY/2019-7",
        "乙站的": f"{personas.site_b.site_id_code}/2026-00001",
    }
    assert LibraryItemPage.objects.get(pk=draft.pk).index_number == ""
    assert IndexNumberCounter.objects.get(site=personas.site_a, year=2026).last_serial == 3
    owners = Placement.objects.filter(kind=Placement.Kind.OWNER)
    assert sorted(owners.values_list("page_id", "site_id", "column_id")) == sorted(
        [
            (published.pk, personas.site_a.pk, lib["col_a"].pk),
            *((p.pk, personas.site_a.pk, lib["col_a"].pk) for p in (early, late, old, kept)),
            (on_b.pk, personas.site_b.pk, lib["col_b"].pk),
        ]
    )
    assert Placement.objects.get(page_id=early.pk).placed_at == T0 + timedelta(days=1)
    assert actions_since(before) == [("content.register_published_items", "success")]
    # Idempotent: nothing left to do, nothing written.
    assert library.register_published_items() == {"numbered": 0, "placed": 0}
    assert actions_since(before) == [("content.register_published_items", "success")]
    # The next publish draws after the bulk serials, never a number already issued.
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        after = item(lib["col_a"], "之后发布的")
    assert after.index_number == f"{USCC}/2026-00004"


def test_bulk_numbering_skips_numbers_already_issued(personas: Any, lib: dict[str, Any]) -> None:
    set_site(personas.site_a, org_code=USCC)
    taken = _loaded(lib["col_a"], "占用了一号", T0, index_number=f"{USCC}/2026-00001")
    fresh = _loaded(lib["col_a"], "新的", T0 + timedelta(hours=1))
    library.register_published_items()
    assert LibraryItemPage.objects.get(pk=taken.pk).index_number == f"{USCC}/2026-00001"
    assert LibraryItemPage.objects.get(pk=fresh.pk).index_number == f"{USCC}/2026-00002"


def test_first_publish_records_the_owner_placement_once(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False):
        page = item(lib["col_a"], "本站发布")
    page.save_revision().publish()

    placement = Placement.objects.get()
    assert (placement.item_id, placement.page_id, placement.site_id, placement.column_id, placement.kind) == (
        page.pk,
        page.pk,
        personas.site_a.pk,
        lib["col_a"].pk,
        Placement.Kind.OWNER,
    )
    assert placement.source_published_at == placement.placed_at == T0
    assert placement.delay == timedelta(0)


# --- editing the item updates every placement -------------------------------------------------------


def test_publishing_a_new_revision_updates_every_placement(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "初稿标题")
    on_b = library.place_item(None, page, lib["col_b"])
    on_a2 = library.place_item(None, page, lib["col_a2"])

    page = ArticlePage.objects.get(pk=page.pk)
    page.title = "修改后的标题"
    page.body = "<p>修改后的正文。</p>"
    page.document_number = "国办发〔2026〕3号"
    page.save_revision().publish()

    aliases = ArticlePage.objects.filter(pk__in=[on_b.page_id, on_a2.page_id])
    assert (
        sorted((a.title, a.body, a.document_number, a.live) for a in aliases)
        == [("修改后的标题", "<p>修改后的正文。</p>", "国办发〔2026〕3号", True)] * 2
    )


# --- place_item --------------------------------------------------------------------------------------


def test_a_site_admin_places_an_item_in_a_column_of_their_site(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "引用的信息")
    before = head()
    placement = library.place_item(lib["site_admin_b"], page, lib["col_b"])

    alias = ArticlePage.objects.get(pk=placement.page_id)
    assert (alias.get_parent().pk, alias.alias_of_id, alias.live, alias.slug) == (
        lib["col_b"].pk,
        page.pk,
        True,
        page.slug,
    )
    assert (
        placement.item_id,
        placement.site_id,
        placement.column_id,
        placement.kind,
        placement.placed_by,
    ) == (page.pk, personas.site_b.pk, lib["col_b"].pk, Placement.Kind.REPOST, lib["site_admin_b"])
    # The alias page's creation is logged by Wagtail (mirrored, same actor); the action writes one row.
    created, event = new_events(before)
    assert (created.action, created.actor_username, created.object_id) == (
        "wagtail.create",
        "siteadmin_b",
        str(placement.page_id),
    )
    assert (event.action, event.outcome, event.actor_username, event.object_id) == (
        "content.place_item",
        "success",
        "siteadmin_b",
        str(page.pk),
    )


@pytest.mark.parametrize(
    "persona",
    ["editor_a", "reviewer_a", "site_admin_a", "editor_b", "system_admin", "security_admin", "audit_admin"],
)
def test_placing_needs_add_and_publish_rights_in_the_column(
    personas: Any, lib: dict[str, Any], persona: str
) -> None:
    page = item(lib["col_a"], "引用的信息")
    before, snapshot = head(), state()
    with pytest.raises(PermissionDenied, match=r"^无权在栏目“上级文件”中发布信息$"):
        library.place_item(getattr(personas, persona), page, lib["col_b"])
    assert state() == snapshot
    assert actions_since(before) == [("content.place_item", "denied")]


def test_an_item_appears_at_most_once_per_column(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "只引用一次")
    library.place_item(None, page, lib["col_b"])
    snapshot = state()
    with pytest.raises(ValidationError, match="已在栏目“上级文件”中"):
        library.place_item(None, page, lib["col_b"])
    with pytest.raises(ValidationError, match="已在栏目“政策文件”中"):
        library.place_item(None, page, lib["col_a"])  # its own column
    assert state() == snapshot


def test_placing_an_alias_places_its_original(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "原稿")
    alias = Page.objects.get(pk=library.place_item(None, page, lib["col_b"]).page_id)
    placement = library.place_item(None, alias, lib["col_b2"])
    assert placement.item_id == page.pk
    assert Page.objects.get(pk=placement.page_id).alias_of_id == page.pk


def test_a_slug_clash_gives_the_alias_a_numbered_slug(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "同名信息", slug="tongming")
    item(lib["col_b"], "乙站同名", slug="tongming")
    placement = library.place_item(None, page, lib["col_b"])
    assert Page.objects.get(pk=placement.page_id).slug == "tongming-2"


def test_only_published_library_items_can_be_placed(personas: Any, lib: dict[str, Any]) -> None:
    draft = item(lib["col_a"], "草稿", publish=False)
    with pytest.raises(ValidationError, match=r"^\['“草稿”尚未发布，只能引用已发布的信息'\]$"):
        library.place_item(None, draft, lib["col_b"])
    with pytest.raises(ValidationError, match="只有资源库信息"):
        library.place_item(None, lib["col_a2"], lib["col_b"])
    with pytest.raises(ValidationError, match="只能放入栏目"):
        library.place_item(None, item(lib["col_a"], "正式"), personas.site_b.root_page)
    assert not Placement.objects.exclude(kind=Placement.Kind.OWNER).exists()


# --- push --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["site_admin_a", "reviewer_a", "system_admin"])
def test_site_admins_reviewers_and_the_system_admin_push(
    personas: Any, lib: dict[str, Any], persona: str
) -> None:
    page = item(lib["col_a"], "推送的信息")
    actor = getattr(personas, persona)
    before = head()
    [push] = library.push_item(
        actor, page, [personas.site_b], suggested_column=lib["col_b"], note="请及时采用"
    )

    assert (
        push.item_id,
        push.from_site_id,
        push.to_site_id,
        push.status,
        push.requested_by,
        push.suggested_column_id,
        push.note,
    ) == (page.pk, personas.site_a.pk, personas.site_b.pk, "pending", actor, lib["col_b"].pk, "请及时采用")
    [event] = new_events(before)
    assert (event.action, event.outcome, event.detail["pushes"], event.detail["to_sites"]) == (
        "content.push_item",
        "success",
        [push.pk],
        [personas.site_b.name],
    )


@pytest.mark.parametrize("persona", ["editor_a", "editor_b", "security_admin", "audit_admin", "site_admin_b"])
def test_others_cannot_push(personas: Any, lib: dict[str, Any], persona: str) -> None:
    page = item(lib["col_a"], "推送的信息")
    actor = lib["site_admin_b"] if persona == "site_admin_b" else getattr(personas, persona)
    before, snapshot = head(), state()
    with pytest.raises(
        PermissionDenied, match=r"^只有信息所在网站的站点管理员、审核人或系统管理员可以推送信息$"
    ):
        library.push_item(actor, page, [personas.site_b])
    assert state() == snapshot
    assert actions_since(before) == [("content.push_item", "denied")]


def test_pushes_go_only_down_the_tree_to_any_depth(personas: Any, lib: dict[str, Any]) -> None:
    site_c = f.site("sitec", parent=personas.site_b)
    sibling = f.site("sibling", parent=personas.site_a)
    on_b = item(lib["col_b"], "乙站信息")
    on_a = item(lib["col_a"], "甲站信息")

    with pytest.raises(
        ValidationError, match=f"“{personas.site_a.name}”不是“{personas.site_b.name}”的下级网站"
    ):
        library.push_item(None, on_b, [personas.site_a])
    with pytest.raises(ValidationError, match=f"“{sibling.name}”不是“{personas.site_b.name}”的下级网站"):
        library.push_item(None, on_b, [sibling])
    with pytest.raises(ValidationError, match="请选择要推送到的下级网站"):
        library.push_item(None, on_a, [])
    pushes = library.push_item(None, on_a, [personas.site_b, site_c, sibling])
    assert sorted(push.to_site_id for push in pushes) == sorted([personas.site_b.pk, site_c.pk, sibling.pk])


def test_a_second_pending_push_to_the_same_site_is_refused(personas: Any, lib: dict[str, Any]) -> None:
    site_c = f.site("sitec", parent=personas.site_a)
    page = item(lib["col_a"], "推送的信息")
    library.push_item(None, page, [personas.site_b])
    snapshot = state()
    with pytest.raises(
        ValidationError,
        match=f"^\\['已向“{personas.site_b.name}”推送过该信息，对方尚未处理，不能重复推送'\\]$",
    ):
        library.push_item(personas.site_admin_a, page, [site_c, personas.site_b])
    assert state() == snapshot  # not half-sent: site C got nothing either


def test_a_site_that_carries_the_item_is_not_pushed_to(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "已转载的信息")
    library.repost_item(None, page, lib["col_b"])
    with pytest.raises(ValidationError, match=f"“{personas.site_b.name}”已刊载该信息，无需推送"):
        library.push_item(None, page, [personas.site_b])


def test_a_suggested_column_must_belong_to_a_target(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "推送的信息")
    with pytest.raises(ValidationError, match="建议栏目须是所推送网站的栏目"):
        library.push_item(None, page, [personas.site_b], suggested_column=lib["col_a2"])


def test_the_receiving_site_admin_accepts_into_a_column(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        page = item(lib["col_a"], "推送的信息")
        [push] = library.push_item(personas.site_admin_a, page, [personas.site_b])
        traveller.shift(timedelta(hours=3))
        before = head()
        placement = library.accept_push(lib["site_admin_b"], push, lib["col_b2"])

    push.refresh_from_db()
    assert (push.status, push.decided_by, push.decided_at, push.placement_id) == (
        "accepted",
        lib["site_admin_b"],
        T0 + timedelta(hours=3),
        placement.pk,
    )
    assert (placement.kind, placement.site_id, placement.column_id, placement.delay) == (
        Placement.Kind.PUSH,
        personas.site_b.pk,
        lib["col_b2"].pk,
        timedelta(hours=3),
    )
    assert Page.objects.get(pk=placement.page_id).alias_of_id == page.pk
    assert actions_since(before) == [("wagtail.create", "success"), ("content.accept_push", "success")]
    event = new_events(before)[-1]
    assert (
        event.action,
        event.outcome,
        event.object_id,
        event.detail["kind"],
        event.detail["delay_hours"],
    ) == ("content.accept_push", "success", str(push.pk), "push", 3.0)


@pytest.mark.parametrize(
    "persona",
    ["editor_a", "reviewer_a", "site_admin_a", "editor_b", "system_admin", "security_admin", "audit_admin"],
)
def test_only_the_receiving_site_admin_handles_a_push(
    personas: Any, lib: dict[str, Any], persona: str
) -> None:
    page = item(lib["col_a"], "推送的信息")
    [push] = library.push_item(None, page, [personas.site_b])
    actor = getattr(personas, persona)
    before, snapshot = head(), state()
    reason = "^只有接收推送网站的站点管理员可以采用或拒绝推送$"
    with pytest.raises(PermissionDenied, match=reason):
        library.accept_push(actor, push, lib["col_b"])
    with pytest.raises(PermissionDenied, match=reason):
        library.decline_push(actor, push, "不采用")
    assert state() == snapshot
    assert actions_since(before) == [("content.accept_push", "denied"), ("content.decline_push", "denied")]


def test_accepting_needs_a_column_of_the_receiving_site(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "推送的信息")
    [push] = library.push_item(None, page, [personas.site_b])
    snapshot = state()
    with pytest.raises(ValidationError, match=f"请选择“{personas.site_b.name}”的栏目"):
        library.accept_push(lib["site_admin_b"], push, lib["col_a2"])
    assert state() == snapshot


def test_a_push_is_handled_once(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "推送的信息")
    [push] = library.push_item(None, page, [personas.site_b])
    library.accept_push(lib["site_admin_b"], push, lib["col_b"])
    snapshot = state()
    with pytest.raises(ValidationError, match="该推送已处理（已采用），不能再次处理"):
        library.accept_push(lib["site_admin_b"], push, lib["col_b2"])
    with pytest.raises(ValidationError, match="该推送已处理（已采用），不能再次处理"):
        library.decline_push(lib["site_admin_b"], push, "改主意了")
    assert state() == snapshot


def test_declining_takes_a_reason(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "推送的信息")
    [push] = library.push_item(None, page, [personas.site_b])
    with pytest.raises(ValidationError, match="请填写拒绝理由"):
        library.decline_push(lib["site_admin_b"], push, "  ")
    before = head()
    library.decline_push(lib["site_admin_b"], push, "与本县无关")

    push.refresh_from_db()
    assert (push.status, push.decided_by, push.decision_note, push.placement) == (
        "declined",
        lib["site_admin_b"],
        "与本县无关",
        None,
    )
    assert actions_since(before) == [("content.decline_push", "success")]
    assert not Placement.objects.filter(site=personas.site_b).exists()
    library.push_item(None, page, [personas.site_b])  # a declined push may be sent again


def test_the_sender_withdraws_a_waiting_push(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "推送的信息")
    [push] = library.push_item(personas.reviewer_a, page, [personas.site_b])
    before, snapshot = head(), state()
    with pytest.raises(PermissionDenied, match=r"^只有推送方可以撤回推送$"):
        library.withdraw_push(lib["site_admin_b"], push)
    assert state() == snapshot
    library.withdraw_push(personas.site_admin_a, push)  # the sending site's admin may withdraw too

    push.refresh_from_db()
    assert (push.status, push.decided_by) == ("withdrawn", personas.site_admin_a)
    assert actions_since(before) == [
        ("content.withdraw_push", "denied"),
        ("content.withdraw_push", "success"),
    ]
    with pytest.raises(ValidationError, match="该推送已处理（已撤回）"):
        library.withdraw_push(personas.reviewer_a, push)


# --- repost ------------------------------------------------------------------------------------------


def test_a_lower_site_reposts_and_the_delay_is_recorded(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        page = item(lib["col_a"], "上级政策", important=True)
        traveller.shift(timedelta(hours=5, minutes=30))
        before = head()
        placement = library.repost_item(lib["site_admin_b"], page, lib["col_b"])

    assert (placement.kind, placement.source_published_at, placement.placed_at, placement.delay) == (
        Placement.Kind.REPOST,
        T0,
        T0 + timedelta(hours=5, minutes=30),
        timedelta(hours=5, minutes=30),
    )
    assert actions_since(before) == [("wagtail.create", "success"), ("content.repost_item", "success")]
    event = new_events(before)[-1]
    assert (event.action, event.detail["delay_hours"], event.detail["from_site"]) == (
        "content.repost_item",
        5.5,
        personas.site_a.name,
    )


def test_only_upper_items_can_be_reposted(personas: Any, lib: dict[str, Any]) -> None:
    on_b = item(lib["col_b"], "乙站信息")
    on_a = item(lib["col_a"], "甲站信息")
    with pytest.raises(ValidationError, match="只能转载上级网站发布的信息"):
        library.repost_item(None, on_b, lib["col_a"])
    with pytest.raises(ValidationError, match="只能转载上级网站发布的信息"):
        library.repost_item(None, on_a, lib["col_a2"])  # the same site


def test_a_grandchild_site_may_repost_too(personas: Any, lib: dict[str, Any]) -> None:
    site_c = f.site("sitec", parent=personas.site_b)
    col_c = f.column(site_c, "转载", responsible_unit=personas.unit_b, slug="zz")
    page = item(lib["col_a"], "甲站信息")
    assert library.repost_item(None, page, col_c).site_id == site_c.pk


def test_a_pending_push_is_accepted_rather_than_reposted(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "推送的信息")
    library.push_item(None, page, [personas.site_b])
    with pytest.raises(ValidationError, match="上级网站已将该信息推送到本站，请在“信息推送”中采用"):
        library.repost_item(lib["site_admin_b"], page, lib["col_b"])


@pytest.mark.parametrize(
    "persona",
    ["editor_a", "reviewer_a", "site_admin_a", "editor_b", "system_admin", "security_admin", "audit_admin"],
)
def test_reposting_needs_rights_in_the_column(personas: Any, lib: dict[str, Any], persona: str) -> None:
    page = item(lib["col_a"], "上级政策")
    before, snapshot = head(), state()
    with pytest.raises(PermissionDenied, match=r"^无权在栏目“上级文件”中发布信息$"):
        library.repost_item(getattr(personas, persona), page, lib["col_b"])
    assert state() == snapshot
    assert actions_since(before) == [("content.repost_item", "denied")]


# --- the 12-hour rule --------------------------------------------------------------------------------


def test_important_items_not_reposted_within_12_hours_are_flagged(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False):
        important = item(lib["col_a"], "重要政策", important=True)
        item(lib["col_a"], "一般信息")

    assert library.overdue_reposts(T0 + timedelta(hours=12)) == []
    [row] = library.overdue_reposts(T0 + timedelta(hours=13, minutes=30))
    assert (
        row.item.pk,
        row.owner_site.id,
        row.site.id,
        row.published_at,
        row.deadline,
        row.hours_overdue,
    ) == (important.pk, personas.site_a.pk, personas.site_b.pk, T0, T0 + timedelta(hours=12), 1.5)
    assert library.overdue_reposts(T0 + timedelta(hours=13), site_ids=[personas.site_a.pk]) == []


def test_the_duty_is_the_direct_child_sites_and_not_topics(personas: Any, lib: dict[str, Any]) -> None:
    f.site("sitec", parent=personas.site_b)  # a grandchild of A
    f.site("zhuanti", parent=personas.site_a, kind=GovSite.Kind.TOPIC)
    sibling = f.site("sibling", parent=personas.site_a)
    with time_machine.travel(T0, tick=False):
        item(lib["col_a"], "重要政策", important=True)
    rows = library.overdue_reposts(T0 + timedelta(hours=13))
    assert sorted(row.site.id for row in rows) == sorted([personas.site_b.pk, sibling.pk])


def test_a_repost_or_accepted_push_clears_the_flag_even_late(personas: Any, lib: dict[str, Any]) -> None:
    sibling = f.site("sibling", parent=personas.site_a)
    col_s = f.column(sibling, "转载", responsible_unit=personas.unit_a, slug="zz")
    with time_machine.travel(T0, tick=False) as traveller:
        page = item(lib["col_a"], "重要政策", important=True)
        [push] = library.push_item(None, page, [sibling])
        traveller.shift(timedelta(hours=14))
        assert len(library.overdue_reposts()) == 2
        library.repost_item(None, page, lib["col_b"])
        library.accept_push(None, push, col_s)
        assert library.overdue_reposts() == []

    [late] = library.repost_delays(personas.site_b)
    assert (
        late.item_id,
        late.title,
        late.kind,
        late.kind_label,
        late.column,
        late.delay_hours,
        late.late,
    ) == (page.pk, "重要政策", "repost", "转载", "上级文件", 14.0, True)


def test_old_and_unpublished_items_drop_off_the_reminder(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False):
        page = item(lib["col_a"], "重要政策", important=True)
    assert len(library.overdue_reposts(T0 + library.OVERDUE_WINDOW - timedelta(hours=1))) == 1
    assert library.overdue_reposts(T0 + library.OVERDUE_WINDOW + timedelta(hours=1)) == []
    page.unpublish()
    assert library.overdue_reposts(T0 + timedelta(days=1)) == []


def test_repost_delays_lists_pushes_and_reposts_newest_first(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        first = item(lib["col_a"], "一般信息")
        second = item(lib["col_a"], "重要政策", important=True)
        [push] = library.push_item(None, first, [personas.site_b])
        traveller.shift(timedelta(hours=2))
        library.accept_push(None, push, lib["col_b"])
        traveller.shift(timedelta(hours=1))
        library.repost_item(None, second, lib["col_b2"])

    rows = library.repost_delays(personas.site_b)
    assert [(row.title, row.kind, row.delay_hours, row.late) for row in rows] == [
        ("重要政策", "repost", 3.0, False),
        ("一般信息", "push", 2.0, False),
    ]
    assert library.repost_delays(personas.site_a) == []


# --- metadata validation (the page editor's form) ---------------------------------------------------


def _form(data: dict[str, Any], parent: ColumnPage) -> LibraryItemPageForm:
    options = ArticlePage.get_edit_handler().get_form_options()
    form_class = get_form_for_model(ArticlePage, form_class=LibraryItemPageForm, **options)
    base = {
        "title": "一份文件",
        "slug": "yifen",
        "publish_date": "2026-03-02 09:00:00",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "comment_notifications": "on",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    return form_class({**base, **data}, instance=ArticlePage(), parent_page=parent, for_user=None)


def test_the_document_number_is_stored_normalised(personas: Any, lib: dict[str, Any]) -> None:
    form = _form({"document_number": " 国办发[2026] 第03号 ", "written_date": "2026-02-27"}, lib["col_a"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["document_number"] == "国办发〔2026〕3号"
    assert form.instance.document_number == "国办发〔2026〕3号"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"document_number": "国办发2026年3号"},
            "document_number",
            "发文字号的年份应写在六角括号内，如“国办发〔2017〕47号”",
        ),
        (
            {"document_number": "国办发〔2026〕3号", "written_date": "2025-12-30"},
            "document_number",
            "发文字号年份 2026 晚于成文日期（2025-12-30）的年份",
        ),
        ({"written_date": "2026-03-03"}, "written_date", "成文日期（2026-03-03）晚于发布日期（2026-03-02）"),
    ],
)
def test_inconsistent_metadata_is_refused(
    personas: Any, lib: dict[str, Any], data: dict[str, str], field: str, message: str
) -> None:
    form = _form(data, lib["col_a"])
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_an_empty_document_number_is_fine(personas: Any, lib: dict[str, Any]) -> None:
    form = _form({"document_number": "", "written_date": "2026-03-02"}, lib["col_a"])
    assert form.is_valid(), form.errors

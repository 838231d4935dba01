"""The recycle bin actions: move to bin, restore (same place, live again, with aliases and placements),
purge, who may do each, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from wagtail.models import GroupPagePermission, Page

from govsite.accounts.models import Role
from govsite.audit.models import AuditEvent
from govsite.content import recycle
from govsite.content.models import ArticlePage, ColumnPage, Placement, RecycleBinEntry, RecycleBinPage
from govsite.sites.actions import site_group
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db


def article(col: ColumnPage, title: str, slug: str, *, publish: bool = True) -> ArticlePage:
    page = ArticlePage(title=title, slug=slug, body="<p>正文内容。</p>", source="测试来源", live=False)
    col.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


def fresh(page: Page) -> Page:
    return Page.objects.get(pk=page.pk)


def public(url: str) -> int:
    return Client().get(url).status_code


@pytest.fixture
def world(personas: Any) -> dict[str, Any]:
    """An article of site A in 政务要闻, aliased into A's 通知公告 and reposted on site B."""
    col_a = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    col_a2 = f.column(personas.site_a, "通知公告", responsible_unit=personas.unit_a, slug="tzgg")
    col_b = f.column(personas.site_b, "转载专栏", responsible_unit=personas.unit_b, slug="zzzl")
    art = article(col_a, "甲站文章", "jzwz")
    alias_a = art.create_alias(parent=col_a2, update_slug="jzwz-tz")
    alias_b = art.create_alias(parent=col_b, update_slug="jzwz-zz")
    # The first publish records the owner placement (library); make sure of it without depending on it.
    Placement.objects.get_or_create(
        page=art,
        defaults={"item": art, "site": personas.site_a, "column": col_a, "kind": Placement.Kind.OWNER},
    )
    Placement.objects.create(
        item=art, page=alias_a, site=personas.site_a, column=col_a2, kind=Placement.Kind.PUSH
    )
    Placement.objects.create(
        item=art, page=alias_b, site=personas.site_b, column=col_b, kind=Placement.Kind.REPOST
    )
    return {
        "col_a": col_a,
        "col_a2": col_a2,
        "col_b": col_b,
        "art": art,
        "alias_a": alias_a,
        "alias_b": alias_b,
    }


def test_recycle_bin_is_created_on_demand_hidden_and_once(personas: Any) -> None:
    assert not RecycleBinPage.objects.exists()

    bin_a = recycle.recycle_bin_for(personas.site_a)

    assert (bin_a.title, bin_a.slug, bin_a.live, bin_a.show_in_menus) == (
        "回收站",
        "recycle-bin",
        False,
        False,
    )
    assert bin_a.get_parent().pk == personas.site_a.root_page.pk
    assert recycle.recycle_bin_for(personas.site_a).pk == bin_a.pk
    assert recycle.recycle_bin_for(personas.site_b).pk != bin_a.pk
    assert RecycleBinPage.objects.count() == 2
    assert public("/s/sitea/recycle-bin/") == 404


def test_move_to_bin_takes_the_item_and_its_aliases_offline(personas: Any, world: dict[str, Any]) -> None:
    art, alias_a, alias_b = world["art"], world["alias_a"], world["alias_b"]
    assert (public("/s/sitea/zwyw/jzwz/"), public("/s/siteb/zzzl/jzwz-zz/")) == (200, 200)
    before = head()

    entry = recycle.move_to_bin(personas.site_admin_a, art)

    bin_a = recycle.recycle_bin_for(personas.site_a)
    bin_b = recycle.recycle_bin_for(personas.site_b)
    moved, moved_a, moved_b = fresh(art), fresh(alias_a), fresh(alias_b)
    assert moved.get_parent().pk == bin_a.pk
    assert moved_a.get_parent().pk == bin_a.pk
    assert moved_b.get_parent().pk == bin_b.pk  # each alias goes into the bin of its own site
    assert not any(p.live for p in (moved, moved_a, moved_b))
    assert moved.slug == f"{art.pk}-jzwz"
    assert moved_a.alias_of_id is None
    assert moved_b.alias_of_id is None
    assert (entry.site, entry.title, entry.original_parent_id, entry.was_live, entry.deleted_by) == (
        personas.site_a,
        "甲站文章",
        world["col_a"].pk,
        True,
        personas.site_admin_a,
    )
    item, *aliases = entry.placements
    assert (item["role"], item["page"], item["parent"], item["slug"]) == (
        "item",
        art.pk,
        world["col_a"].pk,
        "jzwz",
    )
    assert {(r["role"], r["page"], r["parent"], r["site"], r["slug"], r["alias_of"]) for r in aliases} == {
        ("alias", alias_a.pk, world["col_a2"].pk, personas.site_a.pk, "jzwz-tz", art.pk),
        ("alias", alias_b.pk, world["col_b"].pk, personas.site_b.pk, "jzwz-zz", art.pk),
    }
    assert Placement.objects.filter(item=art).count() == 3  # kept for the restore
    # Nothing of it is public any more, neither at the old addresses nor inside the bins.
    assert public("/s/sitea/zwyw/jzwz/") == 404
    assert public("/s/siteb/zzzl/jzwz-zz/") == 404
    assert public(f"/s/sitea/recycle-bin/{art.pk}-jzwz/") == 404
    assert "甲站文章" not in Client().get("/s/sitea/").content.decode()
    [event] = [e for e in new_events(before) if e.action.startswith("content.")]
    assert (event.action, event.outcome, event.actor_username, event.object_id) == (
        "content.move_to_bin",
        "success",
        "siteadmin_a",
        str(art.pk),
    )
    assert event.detail["entry"] == entry.pk
    assert event.detail["was_live"] is True
    assert event.detail["aliases"] == [
        {"id": alias_a.pk, "site": "sitea"},
        {"id": alias_b.pk, "site": "siteb"},
    ]


def test_restore_puts_everything_back_live(personas: Any, world: dict[str, Any]) -> None:
    art, alias_a, alias_b = world["art"], world["alias_a"], world["alias_b"]
    entry = recycle.move_to_bin(personas.site_admin_a, art)
    before = head()

    restored = recycle.restore(personas.site_admin_a, entry)

    assert restored.pk == art.pk
    for page, parent, slug in (
        (art, world["col_a"], "jzwz"),
        (alias_a, world["col_a2"], "jzwz-tz"),
        (alias_b, world["col_b"], "jzwz-zz"),
    ):
        page = fresh(page)
        assert (page.get_parent().pk, page.slug, page.live) == (parent.pk, slug, True)
    assert fresh(alias_a).alias_of_id == art.pk
    assert fresh(alias_b).alias_of_id == art.pk
    assert fresh(art).url_path == art.url_path
    assert Placement.objects.filter(item=art).count() == 3
    assert not RecycleBinEntry.objects.exists()
    assert (
        public("/s/sitea/zwyw/jzwz/"),
        public("/s/sitea/tzgg/jzwz-tz/"),
        public("/s/siteb/zzzl/jzwz-zz/"),
    ) == (200, 200, 200)
    [event] = [e for e in new_events(before) if e.action.startswith("content.")]
    assert (event.action, event.outcome, event.actor_username, event.object_id) == (
        "content.restore_from_bin",
        "success",
        "siteadmin_a",
        str(art.pk),
    )
    assert event.detail["aliases"] == [alias_a.pk, alias_b.pk]
    assert event.detail["deleted_by"] == "siteadmin_a"


def test_a_restored_alias_follows_its_source_again(personas: Any, world: dict[str, Any]) -> None:
    entry = recycle.move_to_bin(None, world["art"])
    recycle.restore(None, entry)
    art = world["art"]
    art.title = "甲站文章（修订）"
    art.save_revision().publish()

    assert fresh(world["alias_b"]).title == "甲站文章（修订）"


def test_restore_publishes_the_revision_that_was_live_not_a_newer_draft(
    personas: Any, world: dict[str, Any]
) -> None:
    art = world["art"]
    art.title = "未审核的修改"
    art.save_revision()
    entry = recycle.move_to_bin(personas.site_admin_a, art)

    recycle.restore(personas.site_admin_a, entry)

    page = fresh(art)
    assert (page.live, page.title, page.has_unpublished_changes) == (True, "甲站文章", True)
    assert page.get_latest_revision().as_object().title == "未审核的修改"


def test_a_draft_comes_back_as_a_draft(personas: Any, world: dict[str, Any]) -> None:
    draft = article(world["col_a"], "草稿", "cg", publish=False)
    entry = recycle.move_to_bin(personas.site_admin_a, draft)
    assert entry.was_live is False

    recycle.restore(personas.site_admin_a, entry)

    page = fresh(draft)
    assert (page.get_parent().pk, page.slug, page.live) == (world["col_a"].pk, "cg", False)


def test_a_deleted_repost_stays_offline_when_its_source_is_published(
    personas: Any, world: dict[str, Any]
) -> None:
    """Wagtail republishes every alias of a page it publishes; a repost in the bin must not be one."""
    alias_b = world["alias_b"]
    entry = recycle.move_to_bin(None, alias_b)
    assert entry.site == personas.site_b
    assert entry.placements[0]["alias_of"] == world["art"].pk

    world["art"].save_revision().publish()

    assert fresh(alias_b).live is False
    assert public(f"/s/siteb/recycle-bin/{alias_b.pk}-jzwz-zz/") == 404

    recycle.restore(None, entry)

    alias = fresh(alias_b)
    assert (alias.get_parent().pk, alias.slug, alias.live, alias.alias_of_id) == (
        world["col_b"].pk,
        "jzwz-zz",
        True,
        world["art"].pk,
    )
    assert public("/s/siteb/zzzl/jzwz-zz/") == 200


def test_two_deleted_pages_with_the_same_slug_sit_side_by_side(personas: Any, world: dict[str, Any]) -> None:
    first = article(world["col_a"], "通知", "notice")
    second = article(world["col_a2"], "通知", "notice")

    recycle.move_to_bin(personas.site_admin_a, first)
    recycle.move_to_bin(personas.site_admin_a, second)

    assert {fresh(first).slug, fresh(second).slug} == {f"{first.pk}-notice", f"{second.pk}-notice"}


def test_slug_clash_at_the_original_place_refuses_the_restore(personas: Any, world: dict[str, Any]) -> None:
    entry = recycle.move_to_bin(personas.site_admin_a, world["art"])
    newcomer = article(world["col_a"], "同名新文章", "jzwz")
    before = head()

    with pytest.raises(ValidationError) as exc:
        recycle.restore(personas.site_admin_a, entry)

    assert exc.value.messages == [
        f"原位置“政务要闻”下已有网址名称（slug）为“jzwz”的页面“同名新文章”（ID {newcomer.pk}），"
        "请先修改或移走该页面后再恢复"
    ]
    assert RecycleBinEntry.objects.filter(pk=entry.pk).exists()
    assert fresh(world["art"]).get_parent().pk == recycle.recycle_bin_for(personas.site_a).pk
    assert new_events(before) == []


def test_slug_clash_of_an_alias_names_its_site(personas: Any, world: dict[str, Any]) -> None:
    entry = recycle.move_to_bin(personas.site_admin_a, world["art"])
    newcomer = article(world["col_b"], "乙站同名", "jzwz-zz")

    with pytest.raises(ValidationError) as exc:
        recycle.restore(personas.site_admin_a, entry)

    assert exc.value.messages == [
        f"转载位置（{personas.site_b.name}）“转载专栏”下已有网址名称（slug）为“jzwz-zz”的页面“乙站同名”"
        f"（ID {newcomer.pk}），"
        "请先修改或移走该页面后再恢复"
    ]
    assert fresh(world["art"]).live is False


def test_restore_is_refused_while_the_original_column_is_in_the_bin(
    personas: Any, world: dict[str, Any]
) -> None:
    col_c = f.column(personas.site_a, "临时栏目", responsible_unit=personas.unit_a, slug="lslm")
    art = article(col_c, "临时文章", "lswz")
    art_entry = recycle.move_to_bin(personas.site_admin_a, art)
    col_entry = recycle.move_to_bin(personas.site_admin_a, col_c)  # a leaf now

    with pytest.raises(ValidationError) as exc:
        recycle.restore(personas.site_admin_a, art_entry)
    assert exc.value.messages == ["原位置“临时栏目”已在回收站中，请先恢复“临时栏目”"]

    recycle.restore(personas.site_admin_a, col_entry)
    recycle.restore(personas.site_admin_a, art_entry)
    assert public("/s/sitea/lslm/lswz/") == 200


def test_restore_is_refused_when_the_original_column_was_purged(personas: Any, world: dict[str, Any]) -> None:
    col_c = f.column(personas.site_a, "临时栏目", responsible_unit=personas.unit_a, slug="lslm")
    art_entry = recycle.move_to_bin(None, article(col_c, "临时文章", "lswz"))
    recycle.purge(None, recycle.move_to_bin(None, col_c))

    with pytest.raises(ValidationError) as exc:
        recycle.restore(personas.site_admin_a, RecycleBinEntry.objects.get(pk=art_entry.pk))
    assert exc.value.messages == ["原位置已被彻底删除，无法恢复；如不再需要，请彻底删除"]


def test_a_whole_subtree_goes_and_comes_back_with_each_page_as_it_was(
    personas: Any, world: dict[str, Any]
) -> None:
    col_c = f.column(personas.site_a, "专栏", responsible_unit=personas.unit_a, slug="zl")
    live = article(col_c, "已发布", "yfb")
    draft = article(col_c, "草稿", "cg", publish=False)
    repost = live.create_alias(parent=world["col_b"], update_slug="yfb-zz")

    entry = recycle.move_to_bin(None, col_c)

    assert not Page.objects.filter(pk__in=[col_c.pk, live.pk, draft.pk, repost.pk], live=True).exists()
    assert fresh(repost).get_parent().pk == recycle.recycle_bin_for(personas.site_b).pk

    recycle.restore(None, entry)

    assert [fresh(p).live for p in (col_c, live, draft, repost)] == [True, True, False, True]
    assert fresh(repost).get_parent().pk == world["col_b"].pk
    assert public("/s/sitea/zl/yfb/") == 200


def test_an_alias_whose_column_went_into_the_bin_waits_there_as_its_own_entry(
    personas: Any, world: dict[str, Any]
) -> None:
    entry = recycle.move_to_bin(None, world["art"])
    col_entry = recycle.move_to_bin(None, world["col_b"])  # a leaf now: its repost is in B's bin

    recycle.restore(personas.site_admin_a, entry)

    alias_b = fresh(world["alias_b"])
    assert alias_b.get_parent().pk == recycle.recycle_bin_for(personas.site_b).pk
    assert alias_b.live is False
    parked = RecycleBinEntry.objects.get(page_id=alias_b.pk)
    assert (parked.site, parked.original_parent_id, parked.was_live) == (
        personas.site_b,
        world["col_b"].pk,
        True,
    )
    assert fresh(world["alias_a"]).live is True

    recycle.restore(None, col_entry)
    recycle.restore(None, parked)

    alias_b = fresh(world["alias_b"])
    assert (alias_b.get_parent().pk, alias_b.live, alias_b.alias_of_id) == (
        world["col_b"].pk,
        True,
        world["art"].pk,
    )


def test_an_alias_whose_column_was_purged_is_dropped_and_noted(personas: Any, world: dict[str, Any]) -> None:
    entry = recycle.move_to_bin(None, world["art"])
    recycle.purge(None, recycle.move_to_bin(None, world["col_b"]))
    before = head()

    recycle.restore(personas.site_admin_a, entry)

    assert not Page.objects.filter(pk=world["alias_b"].pk).exists()
    assert fresh(world["art"]).live is True
    [event] = [e for e in new_events(before) if e.action.startswith("content.")]
    assert event.detail["aliases"] == [world["alias_a"].pk]
    assert event.detail["aliases_dropped"] == [world["alias_b"].pk]


def test_whoever_holds_bulk_delete_may_bin_a_column_with_its_pages(
    personas: Any, world: dict[str, Any]
) -> None:
    group = Group.objects.create(name="测试·批量删除")
    for codename in ("change_page", "publish_page", "bulk_delete_page"):
        GroupPagePermission.objects.create(
            group=group, page=world["col_a"], permission=Permission.objects.get(codename=codename)
        )
    user = f.account("bulkdeleter", unit_obj=personas.unit_a)
    user.groups.add(group)

    entry = recycle.move_to_bin(user, world["col_a"])

    assert fresh(world["art"]).live is False
    assert entry.deleted_by == user


def test_purge_deletes_the_page_its_aliases_and_placements(personas: Any, world: dict[str, Any]) -> None:
    art, alias_a, alias_b = world["art"], world["alias_a"], world["alias_b"]
    entry = recycle.move_to_bin(personas.site_admin_a, art)
    before = head()

    recycle.purge(personas.site_admin_a, entry)

    assert not Page.objects.filter(pk__in=[art.pk, alias_a.pk, alias_b.pk]).exists()
    assert not Placement.objects.filter(item_id=art.pk).exists()
    assert not RecycleBinEntry.objects.exists()
    purge_events = [e for e in new_events(before) if e.action.startswith("content.")]
    [event] = purge_events
    assert (event.action, event.outcome, event.actor_username, event.object_id, event.object_repr) == (
        "content.purge",
        "success",
        "siteadmin_a",
        str(art.pk),
        "甲站文章",
    )
    assert event.detail["title"] == "甲站文章"
    assert event.detail["pages"] == [art.pk]
    assert event.detail["aliases"] == [alias_a.pk, alias_b.pk]
    assert event.detail["deleted_by"] == "siteadmin_a"
    assert event.detail["entry"] == entry.pk


def test_site_admin_of_b_may_purge_nothing_of_a(personas: Any, world: dict[str, Any]) -> None:
    admin_b = f.account(
        "siteadmin_b", unit_obj=personas.unit_b, groups=[site_group(personas.site_b, Role.Kind.SITE_ADMIN)]
    )
    entry = recycle.move_to_bin(None, world["art"])
    before = head()

    with pytest.raises(
        PermissionDenied, match="只有该网站的站点管理员或系统管理员可以彻底删除回收站中的页面"
    ):
        recycle.purge(admin_b, entry)

    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username) == ("content.purge", "denied", "siteadmin_b")
    assert RecycleBinEntry.objects.filter(pk=entry.pk).exists()
    assert Page.objects.filter(pk=world["alias_b"].pk).exists()


# --- who may move a page into the bin ------------------------------------------------------------------

MOVE_ALLOWED = ["site_admin_a", "reviewer_a"]
MOVE_DENIED = ["editor_a", "editor_b", "system_admin", "security_admin", "audit_admin"]


@pytest.mark.parametrize("persona", MOVE_ALLOWED)
def test_whoever_may_delete_the_page_in_wagtail_may_move_it_to_the_bin(
    personas: Any, world: dict[str, Any], persona: str
) -> None:
    entry = recycle.move_to_bin(getattr(personas, persona), world["art"])

    assert entry.deleted_by == getattr(personas, persona)


@pytest.mark.parametrize("persona", MOVE_DENIED)
def test_others_are_refused_and_nothing_changes(personas: Any, world: dict[str, Any], persona: str) -> None:
    user = getattr(personas, persona)
    before = head()

    with pytest.raises(PermissionDenied, match=r"^没有删除该页面的权限$"):
        recycle.move_to_bin(user, world["art"])

    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username, event.object_id) == (
        "content.move_to_bin",
        "denied",
        user.username,
        str(world["art"].pk),
    )
    assert event.detail == {"reason": "没有删除该页面的权限"}
    art = fresh(world["art"])
    assert (art.live, art.get_parent().pk, art.slug) == (True, world["col_a"].pk, "jzwz")
    assert fresh(world["alias_b"]).live is True
    assert not RecycleBinEntry.objects.exists()
    assert not RecycleBinPage.objects.exists()


def test_a_column_with_pages_is_refused_to_whoever_lacks_bulk_delete(
    personas: Any, world: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied, match=r"^没有删除该页面的权限$"):
        recycle.move_to_bin(personas.site_admin_a, world["col_a"])


def test_editor_may_bin_a_draft_but_not_a_published_page(personas: Any, world: dict[str, Any]) -> None:
    draft = article(world["col_a"], "草稿", "cg", publish=False)
    draft.owner = personas.editor_a
    draft.save(clean=False, update_fields=["owner"])

    entry = recycle.move_to_bin(personas.editor_a, draft)

    assert entry.was_live is False


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("home", "网站首页不能删除"),
        ("bin", "回收站不能删除"),
        ("in_bin", "该页面已在回收站中；回收站中的页面请在“回收站”中恢复或彻底删除"),
    ],
)
def test_what_can_never_go_into_a_bin(
    personas: Any, world: dict[str, Any], target: str, message: str
) -> None:
    recycle.move_to_bin(None, world["art"])
    page = {
        "home": personas.site_a.root_page,
        "bin": recycle.recycle_bin_for(personas.site_a),
        "in_bin": fresh(world["art"]),
    }[target]

    with pytest.raises(ValidationError) as exc:
        recycle.move_to_bin(None, page)

    assert exc.value.messages == [message]


# --- who may restore ------------------------------------------------------------------------------------

MANAGERS = ["site_admin_a", "system_admin"]
NOT_MANAGERS = ["editor_a", "reviewer_a", "editor_b", "security_admin", "audit_admin"]


@pytest.mark.parametrize("persona", MANAGERS)
def test_site_admin_and_system_admin_may_restore(personas: Any, world: dict[str, Any], persona: str) -> None:
    entry = recycle.move_to_bin(None, world["art"])

    recycle.restore(getattr(personas, persona), entry)

    assert fresh(world["art"]).live is True


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_others_may_not_restore_and_nothing_changes(
    personas: Any, world: dict[str, Any], persona: str
) -> None:
    user = getattr(personas, persona)
    entry = recycle.move_to_bin(None, world["art"])
    before = head()

    with pytest.raises(PermissionDenied, match=r"^只有该网站的站点管理员或系统管理员可以恢复回收站中的页面$"):
        recycle.restore(user, entry)

    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username) == (
        "content.restore_from_bin",
        "denied",
        user.username,
    )
    assert RecycleBinEntry.objects.filter(pk=entry.pk).exists()
    assert fresh(world["art"]).live is False


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_others_may_not_purge(personas: Any, world: dict[str, Any], persona: str) -> None:
    entry = recycle.move_to_bin(None, world["art"])

    with pytest.raises(PermissionDenied):
        recycle.purge(getattr(personas, persona), entry)

    assert Page.objects.filter(pk=world["art"].pk).exists()


def test_entries_for_lists_only_the_administered_sites(personas: Any, world: dict[str, Any]) -> None:
    entry_a = recycle.move_to_bin(None, world["art"])
    entry_b = recycle.move_to_bin(None, article(world["col_b"], "乙站文章", "yzwz"))

    assert list(recycle.entries_for(personas.site_admin_a)) == [entry_a]
    assert set(recycle.entries_for(personas.system_admin)) == {entry_a, entry_b}
    assert list(recycle.entries_for(personas.editor_a)) == []
    assert list(recycle.entries_for(personas.security_admin)) == []

"""The 回收站 in the admin: Wagtail's delete (single and bulk) moves pages into the bin; the list,
restore and purge pages for every persona; a fixed number of queries on the list; the bin and its
contents stay off the public site and out of other people's explorer."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from govsite.audit.models import AuditEvent
from govsite.content import recycle
from govsite.content.models import ArticlePage, ColumnPage, RecycleBinEntry
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

PERSONAS = [
    "editor_a",
    "reviewer_a",
    "site_admin_a",
    "editor_b",
    "system_admin",
    "security_admin",
    "audit_admin",
]
MANAGERS = {"site_admin_a", "system_admin"}
NOT_MANAGERS = [p for p in PERSONAS if p not in MANAGERS]


def article(col: ColumnPage, title: str, slug: str, *, publish: bool = True) -> ArticlePage:
    page = ArticlePage(title=title, slug=slug, body="<p>正文内容。</p>", source="测试来源", live=False)
    col.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


def fresh(page: Page) -> Page:
    return Page.objects.get(pk=page.pk)


@pytest.fixture
def world(personas: Any) -> dict[str, Any]:
    col_a = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    col_b = f.column(personas.site_b, "县区动态", responsible_unit=personas.unit_b, slug="xqdt")
    art_a = article(col_a, "甲站文章", "jzwz")
    art_b = article(col_b, "乙站文章", "yzwz")
    return {"col_a": col_a, "col_b": col_b, "art_a": art_a, "art_b": art_b}


@pytest.fixture
def binned(world: dict[str, Any]) -> dict[str, Any]:
    """Site A's and site B's article, each in its site's bin."""
    return {
        **world,
        "entry_a": recycle.move_to_bin(None, world["art_a"]),
        "entry_b": recycle.move_to_bin(None, world["art_b"]),
    }


# --- Wagtail's delete ---------------------------------------------------------------------------------


def test_wagtail_delete_post_moves_the_page_into_the_bin(personas: Any, world: dict[str, Any]) -> None:
    art = world["art_a"]
    client = login(personas.site_admin_a)

    response = client.post(f"/admin/pages/{art.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[world["col_a"].pk])
    page = fresh(art)
    assert page.get_parent().pk == recycle.recycle_bin_for(personas.site_a).pk
    assert page.live is False
    entry = RecycleBinEntry.objects.get(page_id=art.pk)
    assert (entry.deleted_by, entry.original_parent_id) == (personas.site_admin_a, world["col_a"].pk)
    followed = client.get(response["Location"])
    assert "“甲站文章”已移入回收站" in followed.content.decode()
    assert Client().get("/s/sitea/zwyw/jzwz/").status_code == 404


def test_wagtail_delete_get_shows_the_confirmation_with_a_note(personas: Any, world: dict[str, Any]) -> None:
    response = login(personas.site_admin_a).get(f"/admin/pages/{world['art_a'].pk}/delete/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "删除后页面将下线并移入本网站的回收站，站点管理员可以恢复。" in html
    assert fresh(world["art_a"]).live is True


def test_wagtail_delete_by_someone_without_the_right_changes_nothing(
    personas: Any, world: dict[str, Any]
) -> None:
    response = login(personas.editor_b).post(f"/admin/pages/{world['art_a'].pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # Wagtail's own refusal, before any hook
    assert fresh(world["art_a"]).live is True
    assert not RecycleBinEntry.objects.exists()


def test_deleting_a_page_inside_the_bin_through_wagtail_is_refused(
    personas: Any, binned: dict[str, Any]
) -> None:
    art = binned["art_a"]
    client = login(personas.site_admin_a)

    response = client.post(f"/admin/pages/{art.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_recycle:index")
    assert Page.objects.filter(pk=art.pk).exists()
    assert RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()
    html = client.get(response["Location"]).content.decode()
    assert "“甲站文章”在回收站中，不能在此操作；请在“回收站”中恢复或彻底删除" in html


def test_the_bin_itself_cannot_be_deleted_through_wagtail(personas: Any, binned: dict[str, Any]) -> None:
    bin_a = recycle.recycle_bin_for(personas.site_a)
    login(personas.site_admin_a).post(f"/admin/pages/{bin_a.pk}/delete/")

    assert Page.objects.filter(pk=bin_a.pk).exists()


def test_editing_a_page_in_the_bin_is_refused(personas: Any, binned: dict[str, Any]) -> None:
    response = login(personas.site_admin_a).get(f"/admin/pages/{binned['art_a'].pk}/edit/")

    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_recycle:index")


def test_wagtail_bulk_delete_moves_the_pages_into_the_bin(personas: Any, world: dict[str, Any]) -> None:
    second = article(world["col_a"], "甲站文章二", "jzwz2")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    query = f"?id={world['art_a'].pk}&id={second.pk}&next=/admin/pages/{world['col_a'].pk}/"

    response = login(personas.site_admin_a).post(url + query)

    assert response.status_code == 302
    assert set(RecycleBinEntry.objects.values_list("page_id", flat=True)) == {world["art_a"].pk, second.pk}
    assert not Page.objects.filter(pk__in=[world["art_a"].pk, second.pk], live=True).exists()


def test_a_bulk_delete_with_a_page_already_in_the_bin_moves_nothing(
    personas: Any, binned: dict[str, Any]
) -> None:
    live = article(binned["col_a"], "甲站文章二", "jzwz2")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    query = f"?id={live.pk}&id={binned['art_a'].pk}&next=/admin/pages/{binned['col_a'].pk}/"
    client = login(personas.site_admin_a)

    response = client.post(url + query)

    assert response.status_code == 302
    assert fresh(live).live is True
    assert set(RecycleBinEntry.objects.values_list("page_id", flat=True)) == {
        binned["art_a"].pk,
        binned["art_b"].pk,
    }
    html = client.get(response["Location"]).content.decode()
    assert "所选页面均未删除" in html


def test_someone_who_may_edit_but_not_use_the_bin_is_sent_home(personas: Any, binned: dict[str, Any]) -> None:
    response = login(personas.reviewer_a).get(f"/admin/pages/{binned['art_a'].pk}/edit/")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert fresh(binned["art_a"]).live is False


# --- the list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_per_persona(personas: Any, binned: dict[str, Any], persona: str) -> None:
    response = login(getattr(personas, persona)).get(reverse("govsite_recycle:index"))

    html = response.content.decode()
    if persona == "site_admin_a":
        assert response.status_code == 200
        assert "甲站文章" in html
        assert "乙站文章" not in html  # only the sites this user administers
    elif persona == "system_admin":
        assert response.status_code == 200
        assert "甲站文章" in html
        assert "乙站文章" in html
    else:
        assert response.status_code == 403
        assert "只有站点管理员和系统管理员可以查看回收站" in html
        assert "甲站文章" not in html


def test_the_list_sends_anonymous_to_login(binned: dict[str, Any]) -> None:
    response = Client().get(reverse("govsite_recycle:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next=")


def test_the_list_row_shows_what_was_deleted_where_by_whom(personas: Any, world: dict[str, Any]) -> None:
    recycle.move_to_bin(personas.site_admin_a, world["art_a"])

    html = login(personas.site_admin_a).get(reverse("govsite_recycle:index")).content.decode()

    for text in (
        "甲站文章",
        "文章",
        f"{personas.site_a.name} /",
        "政务要闻",
        "甲站点管理员",
        "已发布",
        reverse("govsite_recycle:restore", args=[RecycleBinEntry.objects.get().pk]),
    ):
        assert text in html


@pytest.mark.parametrize(("persona", "shown"), [(p, p in MANAGERS) for p in PERSONAS])
def test_the_menu_item_is_shown_to_managers_only(personas: Any, persona: str, shown: bool) -> None:
    html = login(getattr(personas, persona)).get("/admin/").content.decode()

    assert (reverse("govsite_recycle:index") in html) is shown


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("govsite_recycle:index"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_number_of_queries_for_3_and_30_entries(
    personas: Any, world: dict[str, Any]
) -> None:
    client = login(personas.site_admin_a)
    for n in range(3):
        recycle.move_to_bin(personas.site_admin_a, article(world["col_a"], f"文章{n}", f"wz{n}"))
    client.get(reverse("govsite_recycle:index"))  # warm the per-process caches (content types, site roots)
    with_3 = _list_queries(client)
    for n in range(3, 30):
        recycle.move_to_bin(None, article(world["col_a"], f"文章{n}", f"wz{n}"))

    with_30 = _list_queries(client)

    assert with_3 == with_30
    page_2 = client.get(reverse("govsite_recycle:index") + "?p=2").content.decode()
    assert page_2.count(">恢复</button>") == 10  # 20 a page, newest first
    assert "文章0<" in page_2
    assert "文章29<" not in page_2


# --- restore --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(MANAGERS))
def test_managers_restore_through_the_list(personas: Any, binned: dict[str, Any], persona: str) -> None:
    client = login(getattr(personas, persona))

    response = client.post(reverse("govsite_recycle:restore", args=[binned["entry_a"].pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_recycle:index")
    page = fresh(binned["art_a"])
    assert (page.get_parent().pk, page.live, page.slug) == (binned["col_a"].pk, True, "jzwz")
    assert "“甲站文章”已恢复到原位置" in client.get(response["Location"]).content.decode()
    assert Client().get("/s/sitea/zwyw/jzwz/").status_code == 200


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_a_denied_restore_post_changes_nothing(personas: Any, binned: dict[str, Any], persona: str) -> None:
    user = getattr(personas, persona)
    client = login(user)
    before = head()

    response = client.post(reverse("govsite_recycle:restore", args=[binned["entry_a"].pk]))

    assert response.status_code == 403
    assert "只有该网站的站点管理员或系统管理员可以恢复回收站中的页面" in response.content.decode()
    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username) == (
        "content.restore_from_bin",
        "denied",
        user.username,
    )
    assert RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()
    assert fresh(binned["art_a"]).live is False


def test_site_admin_a_cannot_restore_site_bs_entry(personas: Any, binned: dict[str, Any]) -> None:
    response = login(personas.site_admin_a).post(
        reverse("govsite_recycle:restore", args=[binned["entry_b"].pk])
    )

    assert response.status_code == 403
    assert RecycleBinEntry.objects.filter(pk=binned["entry_b"].pk).exists()


def test_anonymous_restore_post_goes_to_login_and_changes_nothing(binned: dict[str, Any]) -> None:
    before = head()

    response = Client().post(reverse("govsite_recycle:restore", args=[binned["entry_a"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert new_events(before) == []
    assert RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()


def test_restore_answers_get_with_405(personas: Any, binned: dict[str, Any]) -> None:
    response = login(personas.site_admin_a).get(
        reverse("govsite_recycle:restore", args=[binned["entry_a"].pk])
    )

    assert response.status_code == 405
    assert RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()


def test_a_slug_clash_comes_back_as_a_message(personas: Any, binned: dict[str, Any]) -> None:
    newcomer = article(binned["col_a"], "同名新文章", "jzwz")
    client = login(personas.site_admin_a)

    response = client.post(reverse("govsite_recycle:restore", args=[binned["entry_a"].pk]))

    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert (
        "“甲站文章”未能恢复：原位置“政务要闻”下已有网址名称（slug）为“jzwz”的页面“同名新文章”"
        f"（ID {newcomer.pk}），"
        "请先修改或移走该页面后再恢复"
    ) in html
    assert RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()


def test_unknown_entry_is_404(personas: Any) -> None:
    client = login(personas.site_admin_a)

    assert client.post(reverse("govsite_recycle:restore", args=[999999])).status_code == 404
    assert client.get(reverse("govsite_recycle:purge", args=[999999])).status_code == 404


# --- purge ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_purge_confirmation_per_persona(personas: Any, binned: dict[str, Any], persona: str) -> None:
    response = login(getattr(personas, persona)).get(
        reverse("govsite_recycle:purge", args=[binned["entry_a"].pk])
    )

    html = response.content.decode()
    if persona in MANAGERS:
        assert response.status_code == 200
        assert "确定要彻底删除“甲站文章”吗？" in html
    else:
        assert response.status_code == 403
        assert "只有该网站的站点管理员或系统管理员可以彻底删除回收站中的页面" in html
    assert Page.objects.filter(pk=binned["art_a"].pk).exists()


def test_the_purge_confirmation_sends_anonymous_to_login(binned: dict[str, Any]) -> None:
    response = Client().get(reverse("govsite_recycle:purge", args=[binned["entry_a"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("persona", sorted(MANAGERS))
def test_managers_purge(personas: Any, binned: dict[str, Any], persona: str) -> None:
    user = getattr(personas, persona)
    client = login(user)
    before = head()

    response = client.post(reverse("govsite_recycle:purge", args=[binned["entry_a"].pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_recycle:index")
    assert not Page.objects.filter(pk=binned["art_a"].pk).exists()
    assert not RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()
    [event] = [e for e in new_events(before) if e.action.startswith("content.")]
    assert (event.action, event.outcome, event.actor_username, event.object_repr) == (
        "content.purge",
        "success",
        user.username,
        "甲站文章",
    )
    assert "“甲站文章”已彻底删除" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_a_denied_purge_post_changes_nothing(personas: Any, binned: dict[str, Any], persona: str) -> None:
    user = getattr(personas, persona)
    client = login(user)
    before = head()

    response = client.post(reverse("govsite_recycle:purge", args=[binned["entry_a"].pk]))

    assert response.status_code == 403
    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username) == ("content.purge", "denied", user.username)
    assert Page.objects.filter(pk=binned["art_a"].pk).exists()
    assert RecycleBinEntry.objects.filter(pk=binned["entry_a"].pk).exists()


def test_anonymous_purge_post_goes_to_login_and_changes_nothing(binned: dict[str, Any]) -> None:
    before = head()

    response = Client().post(reverse("govsite_recycle:purge", args=[binned["entry_a"].pk]))

    assert response.status_code == 302
    assert new_events(before) == []
    assert Page.objects.filter(pk=binned["art_a"].pk).exists()


# --- hidden from the public and from other people's explorer --------------------------------------------


def test_the_bin_is_never_public_nor_in_menus(personas: Any, binned: dict[str, Any]) -> None:
    bin_a = recycle.recycle_bin_for(personas.site_a)

    assert Client().get("/s/sitea/recycle-bin/").status_code == 404
    assert Client().get(f"/s/sitea/recycle-bin/{binned['art_a'].pk}-jzwz/").status_code == 404
    home = Client().get("/s/sitea/")
    assert home.status_code == 200
    assert "recycle-bin" not in home.content.decode()
    assert (bin_a.live, bin_a.show_in_menus) == (False, False)


def test_the_explorer_shows_the_bin_to_its_site_admin_only(personas: Any, binned: dict[str, Any]) -> None:
    home = personas.site_a.root_page
    bin_a = recycle.recycle_bin_for(personas.site_a)
    link = f"/admin/pages/{bin_a.pk}/"

    assert link in login(personas.site_admin_a).get(f"/admin/pages/{home.pk}/").content.decode()
    assert link not in login(personas.reviewer_a).get(f"/admin/pages/{home.pk}/").content.decode()

"""The resource library's admin pages: who gets in (every persona and the anonymous citizen), what a
refused request leaves behind (one ``denied`` audit row, nothing else), the flows through the pages,
the fixed query count of the lists, and the editor's 推送到下级网站 entry and metadata checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from govsite.content import library
from govsite.content.models import ArticlePage, IndexNumberAllocation, Placement, PushRequest
from govsite.content.tests.test_library import T0, actions_since, head, item, make_lib, state

pytestmark = pytest.mark.django_db

PERSONAS = [
    "editor_a",
    "reviewer_a",
    "site_admin_a",
    "editor_b",
    "system_admin",
    "security_admin",
    "audit_admin",
    "site_admin_b",
]
SITE_ADMINS = ["site_admin_a", "site_admin_b"]


@pytest.fixture
def lib(personas: Any) -> dict[str, Any]:
    return make_lib(personas)


@pytest.fixture
def who(personas: Any, lib: dict[str, Any]) -> Callable[[str], Any]:
    def user(name: str) -> Any:
        return lib["site_admin_b"] if name == "site_admin_b" else getattr(personas, name)

    return user


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pushed(personas: Any, lib: dict[str, Any]) -> PushRequest:
    """An item of site A pushed to site B, waiting there."""
    page = item(lib["col_a"], "甲站推送的信息")
    [push] = library.push_item(personas.site_admin_a, page, [personas.site_b], note="请采用")
    return push


def url(name: str, *args: Any) -> str:
    return reverse(f"govsite_library:{name}", args=args)


def assert_refused(response: Any, before: int, action: str, reason: str) -> None:
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert actions_since(before) == [(action, "denied")]


# --- who gets in -------------------------------------------------------------------------------------


LISTS = [
    ("inbox", "content.view_pushes"),
    ("repost", "content.view_upper_items"),
    ("overdue", "content.view_overdue_reposts"),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "action"), LISTS, ids=[name for name, _ in LISTS])
def test_the_lists_are_for_site_admins(
    who: Callable[[str], Any], persona: str, name: str, action: str
) -> None:
    client = login(who(persona))
    before, snapshot = head(), state()

    response = client.get(url(name))

    if persona in SITE_ADMINS:
        assert response.status_code == 200
        assert actions_since(before) == []
    else:
        assert_refused(response, before, action, "只有站点管理员可以使用此功能")
    assert state() == snapshot


@pytest.mark.parametrize("name", ["inbox", "repost", "overdue"])
def test_anonymous_visitors_are_sent_to_log_in(lib: dict[str, Any], name: str) -> None:
    response = Client().get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_push_form_is_for_those_who_may_push(
    personas: Any, lib: dict[str, Any], who: Callable[[str], Any], persona: str
) -> None:
    page = item(lib["col_a"], "甲站信息")
    client = login(who(persona))
    before = head()
    response = client.get(url("push", page.pk))
    if persona in ("site_admin_a", "reviewer_a", "system_admin"):
        assert response.status_code == 200
        assert personas.site_b.name in response.content.decode()
    else:
        assert_refused(
            response,
            before,
            "content.push_item",
            "只有信息所在网站的站点管理员、审核人或系统管理员可以推送信息",
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_pushing_through_the_page(
    personas: Any, lib: dict[str, Any], who: Callable[[str], Any], persona: str
) -> None:
    page = item(lib["col_a"], "甲站信息")
    client = login(who(persona))
    before, snapshot = head(), state()

    response = client.post(url("push", page.pk), {"sites": [personas.site_b.pk], "note": "请转载"})

    if persona in ("site_admin_a", "reviewer_a", "system_admin"):
        assert (response.status_code, response["Location"]) == (302, url("push", page.pk))
        push = PushRequest.objects.get()
        assert (push.item_id, push.to_site_id, push.note, push.requested_by) == (
            page.pk,
            personas.site_b.pk,
            "请转载",
            who(persona),
        )
        assert actions_since(before) == [("content.push_item", "success")]
    else:
        assert_refused(
            response,
            before,
            "content.push_item",
            "只有信息所在网站的站点管理员、审核人或系统管理员可以推送信息",
        )
        assert state() == snapshot


def test_the_push_form_shows_what_is_waiting_and_offers_the_rest(
    personas: Any, lib: dict[str, Any], pushed: PushRequest
) -> None:
    response = login(personas.site_admin_a).get(url("push", pushed.item_id))
    html = response.content.decode()
    assert "所有下级网站都已刊载该信息或尚有待处理的推送" in html
    assert "待对方处理的推送" in html
    assert url("withdraw", pushed.pk) in html

    response = login(personas.site_admin_a).post(url("push", pushed.item_id), {"sites": [personas.site_b.pk]})
    assert response.status_code == 200  # site B is no longer a choice
    assert PushRequest.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_receiving_site_admin_sees_the_decision_page(
    who: Callable[[str], Any], pushed: PushRequest, persona: str
) -> None:
    client = login(who(persona))
    before = head()
    response = client.get(url("decide", pushed.pk))
    if persona == "site_admin_b":
        assert response.status_code == 200
        assert "甲站推送的信息" in response.content.decode()
    else:
        assert_refused(
            response, before, "content.accept_push", "只有接收推送网站的站点管理员可以采用或拒绝推送"
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_through_the_page(
    personas: Any, lib: dict[str, Any], who: Callable[[str], Any], pushed: PushRequest, persona: str
) -> None:
    client = login(who(persona))
    before, snapshot = head(), state()

    response = client.post(url("decide", pushed.pk), {"decision": "accept", "column": lib["col_b2"].pk})

    if persona == "site_admin_b":
        assert (response.status_code, response["Location"]) == (302, url("inbox"))
        pushed.refresh_from_db()
        assert (pushed.status, pushed.placement.column_id) == ("accepted", lib["col_b2"].pk)
        assert actions_since(before) == [("wagtail.create", "success"), ("content.accept_push", "success")]
    else:
        assert_refused(
            response, before, "content.accept_push", "只有接收推送网站的站点管理员可以采用或拒绝推送"
        )
        assert state() == snapshot


@pytest.mark.parametrize("persona", PERSONAS)
def test_declining_through_the_page(who: Callable[[str], Any], pushed: PushRequest, persona: str) -> None:
    client = login(who(persona))
    before, snapshot = head(), state()

    response = client.post(url("decide", pushed.pk), {"decision": "decline", "reason": "与本县无关"})

    if persona == "site_admin_b":
        assert (response.status_code, response["Location"]) == (302, url("inbox"))
        pushed.refresh_from_db()
        assert (pushed.status, pushed.decision_note) == ("declined", "与本县无关")
        assert actions_since(before) == [("content.decline_push", "success")]
    else:
        assert_refused(
            response, before, "content.decline_push", "只有接收推送网站的站点管理员可以采用或拒绝推送"
        )
        assert state() == snapshot


def test_a_decline_without_reason_shows_the_form_again(lib: dict[str, Any], pushed: PushRequest) -> None:
    client = login(lib["site_admin_b"])
    before, snapshot = head(), state()
    response = client.post(url("decide", pushed.pk), {"decision": "decline", "reason": ""})
    assert response.status_code == 200
    assert "请填写拒绝理由" in response.content.decode()
    assert (state(), actions_since(before)) == (snapshot, [])


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdrawing_through_the_page(who: Callable[[str], Any], pushed: PushRequest, persona: str) -> None:
    client = login(who(persona))
    before, snapshot = head(), state()

    response = client.post(url("withdraw", pushed.pk), {"next": url("inbox")})

    pushed.refresh_from_db()
    if persona in ("site_admin_a", "reviewer_a", "system_admin"):
        assert (response.status_code, response["Location"]) == (302, url("inbox"))
        assert pushed.status == "withdrawn"
        assert actions_since(before) == [("content.withdraw_push", "success")]
    else:
        assert_refused(response, before, "content.withdraw_push", "只有推送方可以撤回推送")
        assert state() == snapshot


def test_withdraw_answers_only_post(personas: Any, pushed: PushRequest) -> None:
    assert login(personas.site_admin_a).get(url("withdraw", pushed.pk)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_reposting_through_the_page(
    personas: Any, lib: dict[str, Any], who: Callable[[str], Any], persona: str
) -> None:
    page = item(lib["col_a"], "甲站政策", important=True)
    client = login(who(persona))
    before, snapshot = head(), state()

    form = client.get(url("repost_item", page.pk))
    response = client.post(url("repost_item", page.pk), {"column": lib["col_b"].pk})

    if persona == "site_admin_b":
        assert form.status_code == 200
        assert (response.status_code, response["Location"]) == (
            302,
            url("repost") + f"?site={personas.site_b.pk}",
        )
        placement = Placement.objects.get(kind=Placement.Kind.REPOST)
        assert (placement.item_id, placement.column_id, placement.placed_by) == (
            page.pk,
            lib["col_b"].pk,
            who(persona),
        )
        assert actions_since(before) == [("wagtail.create", "success"), ("content.repost_item", "success")]
    else:
        reason = "本站没有上级网站，无需转载" if persona == "site_admin_a" else "只有站点管理员可以使用此功能"
        assert form.status_code == response.status_code == 403
        assert reason in response.content.decode()
        action = "content.repost_item"
        assert actions_since(before) == [(action, "denied"), (action, "denied")]
        assert state() == snapshot


def test_missing_objects_are_404(personas: Any, lib: dict[str, Any]) -> None:
    client = login(personas.site_admin_a)
    assert client.get(url("push", 999999)).status_code == 404
    assert client.get(url("push", lib["col_a"].pk)).status_code == 404  # a column is not a library item
    assert client.get(url("decide", 999999)).status_code == 404
    assert login(lib["site_admin_b"]).get(url("repost_item", 999999)).status_code == 404


# --- what the lists show -----------------------------------------------------------------------------


def test_the_inbox_lists_pushes_to_and_from_the_admins_sites(
    personas: Any, lib: dict[str, Any], pushed: PushRequest
) -> None:
    html_b = login(lib["site_admin_b"]).get(url("inbox")).content.decode()
    assert "甲站推送的信息" in html_b
    assert url("decide", pushed.pk) in html_b
    html_a = login(personas.site_admin_a).get(url("inbox")).content.decode()
    assert f'href="{url("decide", pushed.pk)}"' not in html_a
    assert url("withdraw", pushed.pk) in html_a  # sent by site A, still waiting


def test_the_repost_list_shows_upper_items_and_their_state(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        overdue = item(lib["col_a"], "超时的重要政策", important=True)
        carried = item(lib["col_a"], "已转载的信息")
        waiting = item(lib["col_a"], "推送待采用的信息")
        item(lib["col_b"], "本站自己的信息")
        library.repost_item(None, carried, lib["col_b"])
        library.push_item(None, waiting, [personas.site_b])
        traveller.shift(timedelta(hours=13))
        html = login(lib["site_admin_b"]).get(url("repost")).content.decode()

    assert "本站自己的信息" not in html
    assert html.count("已刊载") == 1
    assert html.count("已推送，待采用") == 1
    assert html.count("超过 12 小时未转载") == 1
    assert url("repost_item", overdue.pk) in html
    assert url("repost_item", carried.pk) not in html


def test_the_reminder_shows_own_duties_and_lower_sites_duties(personas: Any, lib: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        page = item(lib["col_a"], "超时的重要政策", important=True)
        traveller.shift(timedelta(hours=14))
        html_b = login(lib["site_admin_b"]).get(url("overdue")).content.decode()
        html_a = login(personas.site_admin_a).get(url("overdue")).content.decode()

    assert "超时的重要政策" in html_b
    assert "2.0 小时" in html_b
    assert url("repost_item", page.pk) in html_b  # B's own duty: a repost button
    assert "超时的重要政策" in html_a
    assert url("repost_item", page.pk) not in html_a  # A supervises; it does not repost its own item


# --- fixed query counts ------------------------------------------------------------------------------


def _queries(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _fill(personas: Any, lib: dict[str, Any], rows: int) -> None:
    for n in range(rows):
        page = item(lib["col_a"], f"重要政策{n}", important=True)
        if n % 2:
            library.push_item(None, page, [personas.site_b])


# session, user, the admin roles (menu and view share one read), the site tree, the rows and their
# paginator count, what the rows need (carried/pushed sets), and Wagtail's admin furniture.
LIST_QUERIES = {
    "inbox": {"sqlite": 13, "postgresql": 13},
    "repost": {"sqlite": 15, "postgresql": 15},
    "overdue": {"sqlite": 13, "postgresql": 13},
}


@pytest.mark.parametrize("rows", [3, 12])
@pytest.mark.parametrize("name", ["inbox", "repost", "overdue"])
def test_the_lists_run_a_fixed_number_of_queries(
    personas: Any, lib: dict[str, Any], name: str, rows: int
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        _fill(personas, lib, rows)
        traveller.shift(timedelta(hours=13))
        client = login(lib["site_admin_b"])
        client.get(url(name))  # the first admin visit creates the Wagtail user profile
        queries = _queries(client, url(name))
    assert len(queries) == LIST_QUERIES[name][connection.vendor], "\n".join(queries)


# --- the page editor ---------------------------------------------------------------------------------


def test_the_editor_offers_push_to_those_who_may_push(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "甲站信息")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert url("push", page.pk) in login(personas.site_admin_a).get(edit).content.decode()
    assert url("push", page.pk) in login(personas.reviewer_a).get(edit).content.decode()
    response = login(personas.editor_a).get(edit)
    assert response.status_code == 200
    assert url("push", page.pk) not in response.content.decode()
    draft = item(lib["col_a"], "草稿", publish=False)
    html = (
        login(personas.site_admin_a).get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    )
    assert url("push", draft.pk) not in html


def test_publishing_in_the_editor_numbers_the_item(personas: Any, lib: dict[str, Any]) -> None:
    client = login(personas.site_admin_a)
    add = reverse("wagtailadmin_pages:add", args=["content", "articlepage", lib["col_a"].pk])
    data = querydict_from_html(client.get(add).content.decode(), form_id="page-edit-form")
    data["title"] = "编辑器里发布的信息"
    data["slug"] = "bianjiqi"
    data["action-publish"] = "action-publish"

    response = client.post(add, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug="bianjiqi")
    assert page.live
    assert page.index_number == IndexNumberAllocation.objects.get(page_id=page.pk).index_number
    assert Placement.objects.filter(page_id=page.pk, kind=Placement.Kind.OWNER).exists()


def test_the_editor_refuses_inconsistent_metadata(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "甲站信息")
    client = login(personas.site_admin_a)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(edit).content.decode(), form_id="page-edit-form")
    data["document_number"] = "国办发〔2026〕3号"
    data["written_date"] = "2025-12-30"
    revisions = page.revisions.count()

    response = client.post(edit, data)

    assert response.status_code == 200
    assert "发文字号年份 2026 晚于成文日期（2025-12-30）的年份" in response.content.decode()
    assert page.revisions.count() == revisions


def test_the_editor_stores_the_normalised_document_number(personas: Any, lib: dict[str, Any]) -> None:
    page = item(lib["col_a"], "甲站信息")
    client = login(personas.site_admin_a)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(edit).content.decode(), form_id="page-edit-form")
    data["document_number"] = "国办发[2026]第03号"
    data["written_date"] = "2026-01-05"
    data["action-publish"] = "action-publish"

    response = client.post(edit, data)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.document_number == "国办发〔2026〕3号"

"""The 栏目责任 admin pages: who gets in (every persona, a superuser, anonymous), the dashboard panel and
menu, the list with its filters and flat query count, and uploading and downloading both tables."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govsite.content import responsibility as resp
from govsite.content.models import ColumnPage, LibraryItemPage
from govsite.content.tests.test_responsibility import (
    EXPORTED,
    OFFICER_ROWS,
    audit_head,
    exported,
    make_table,
    new_events,
    read_sheet,
    state,
    superuser,
    workbook,
)
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
PERSONAS = [
    "editor_a",
    "reviewer_a",
    "site_admin_a",
    "editor_b",
    "system_admin",
    "security_admin",
    "audit_admin",
    "superuser",
]
OBLIGATIONS_DENIED = "只有信息员、站点管理员和系统管理员可以查看栏目更新责任"

# (name, URL name, who gets in, the audit action a refusal records or None, the refusal's reason)
ENDPOINTS = [
    (
        "obligations",
        "govsite_responsibility:obligations",
        {"editor_a", "editor_b", "site_admin_a", "system_admin", "superuser"},
        None,
        OBLIGATIONS_DENIED,
    ),
    (
        "import",
        "govsite_responsibility:import",
        {"site_admin_a", "system_admin", "superuser"},
        "content.import_responsibility",
        resp.RESPONSIBILITY_DENIED,
    ),
    (
        "export",
        "govsite_responsibility:export",
        {"site_admin_a", "system_admin", "superuser"},
        "content.export_responsibility",
        resp.RESPONSIBILITY_DENIED,
    ),
    (
        "officers-import",
        "govsite_responsibility:officers_import",
        {"security_admin", "system_admin", "superuser"},
        "content.import_officers",
        resp.OFFICERS_DENIED,
    ),
    (
        "officers-export",
        "govsite_responsibility:officers_export",
        {"security_admin", "system_admin", "superuser"},
        "content.export_officers",
        resp.OFFICERS_DENIED,
    ),
]
EXPORT_ACTIONS = {"export": "content.export_responsibility", "officers-export": "content.export_officers"}
MATRIX = [
    (endpoint[0], endpoint[1], persona, persona in endpoint[2], endpoint[3], endpoint[4])
    for endpoint in ENDPOINTS
    for persona in PERSONAS
]


def user_of(personas: Any, persona: str) -> Any:
    return superuser(personas) if persona == "superuser" else getattr(personas, persona)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def table(personas: Any) -> dict[str, ColumnPage]:
    return make_table(personas)


# --- who gets in ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url_name", "persona", "allowed", "action", "reason"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}" for m in MATRIX],
)
def test_permission_matrix(
    personas: Any,
    table: Any,
    name: str,
    url_name: str,
    persona: str,
    allowed: bool,
    action: str | None,
    reason: str,
) -> None:
    user = user_of(personas, persona)
    client = login(user)
    before = audit_head()

    response = client.get(reverse(url_name))

    if allowed:
        assert response.status_code == 200
        if name in EXPORT_ACTIONS:
            assert (
                response["Content-Type"]
                == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        assert [(e.action, e.outcome) for e in new_events(before)] == (
            [(EXPORT_ACTIONS[name], "success")] if name in EXPORT_ACTIONS else []
        )
        return
    assert response.status_code == 403
    assert f"{reason}。" in response.content.decode()
    events = new_events(before)
    if action is None:
        assert events == []
    else:
        [event] = events
        assert (event.action, event.outcome, event.actor_username, event.detail) == (
            action,
            "denied",
            user.username,
            {"reason": reason},
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_post_is_refused_to_the_same_personas(personas: Any, table: Any, persona: str) -> None:
    user = user_of(personas, persona)
    rows = exported()[1:]
    rows[0][4] = "事件驱动"
    upload = SimpleUploadedFile("责任分解表.xlsx", workbook(rows).getvalue())
    before_state = state()

    response = login(user).post(reverse("govsite_responsibility:import"), {"file": upload})

    if persona in {"system_admin", "superuser"}:
        assert response.status_code == 200
        assert ColumnPage.objects.get(pk=table["xxgk"].pk).column_class == "event"
    elif persona == "site_admin_a":  # the file holds a row of site B
        assert response.status_code == 200
        assert "无权修改网站「测试网站siteb」的栏目" in response.content.decode()
        assert state() == before_state
    else:
        assert response.status_code == 403
        assert state() == before_state


@pytest.mark.parametrize("url_name", [endpoint[1] for endpoint in ENDPOINTS])
def test_anonymous_is_sent_to_login(personas: Any, url_name: str) -> None:
    before = audit_head()

    response = Client().get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next=")
    assert audit_head() == before


MENU = {
    # persona: (栏目更新责任, 责任分解表, 信息员备案表)
    "editor_a": (True, False, False),
    "reviewer_a": (False, False, False),
    "site_admin_a": (True, True, False),
    "editor_b": (True, False, False),
    "system_admin": (True, True, True),
    "security_admin": (False, False, True),
    "audit_admin": (False, False, False),
    "superuser": (True, True, True),
}


@pytest.mark.parametrize(("persona", "shown"), MENU.items(), ids=MENU.keys())
def test_menu_and_dashboard_panel_by_persona(
    personas: Any, table: Any, persona: str, shown: tuple[bool, bool, bool]
) -> None:
    response = login(user_of(personas, persona)).get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    urls = (
        "govsite_responsibility:obligations",
        "govsite_responsibility:import",
        "govsite_responsibility:officers_import",
    )
    assert tuple(f'"{reverse(url)}"' in html for url in urls) == shown
    assert ("从未更新（栏目中没有带发布日期的信息）的栏目按最紧急处理" in html) is shown[0]
    assert (json.dumps("栏目责任")[1:-1] in html) is any(shown)  # the sidebar menu is JSON


# --- the dashboard panel and the list --------------------------------------------------------------


def _columns(personas: Any, count: int) -> None:
    p = personas
    for n in range(count):
        column = f.column(
            p.site_a if n % 2 else p.site_b,
            f"栏目{n:02d}",
            responsible_unit=p.unit_a,
            info_officer=p.editor_a,
            slug=f"c{n:02d}",
            column_class="dynamic",
        )
        if n % 4:
            page = f.article(column, f"文章{n}")
            LibraryItemPage.objects.filter(pk=page.pk).update(
                publish_date=datetime(2026, 2, 1 + n % 28, 9, tzinfo=BEIJING)
            )


@time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=BEIJING), tick=False)
def test_dashboard_panel_shows_the_20_most_urgent_and_links_to_all(personas: Any) -> None:
    _columns(personas, 25)

    response = login(personas.editor_a).get(reverse("wagtailadmin_home"))

    html = response.content.decode()
    assert html.count('<tr data-status="') == 20
    assert html.count('<tr data-status="never"') == 7  # c00, c04, … c24 have no item
    assert "共 25 个栏目：从未更新 7 个，已逾期 18 个，即将到期 0 个，正常 0 个，不考核 0 个。" in html
    assert f'href="{reverse("govsite_responsibility:obligations")}">查看全部（共 25 个）</a>' in html


@time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=BEIJING), tick=False)
def test_list_filters_by_site_unit_and_status(personas: Any, table: Any) -> None:
    p = personas
    page = f.article(table["zwyw"], "新文章")
    LibraryItemPage.objects.filter(pk=page.pk).update(publish_date=datetime(2026, 3, 19, 9, tzinfo=BEIJING))
    client = login(p.system_admin)
    url = reverse("govsite_responsibility:obligations")

    def paths(**filters: Any) -> list[str]:
        response = client.get(url, filters)
        assert response.status_code == 200
        return [row.path for row in response.context["rows"]]

    assert paths() == ["xxgk", "xxgk/zcwj", "tzgg", "xqdt", "zwyw"]
    assert paths(site=p.site_b.pk) == ["xqdt"]
    assert paths(unit=p.unit_a.pk, status="never") == ["xxgk", "xxgk/zcwj", "tzgg"]
    assert paths(status="ok") == ["zwyw"]
    assert paths(status="overdue") == []
    html = client.get(url, {"status": "ok"}).content.decode()
    assert "符合筛选条件的栏目 1 个（共 5 个）" in html
    assert "2026-04-02" in html  # zwyw's due date


def test_list_of_an_editor_holds_its_columns_only(personas: Any, table: Any) -> None:
    response = login(personas.editor_b).get(reverse("govsite_responsibility:obligations"))

    assert [row.path for row in response.context["rows"]] == ["xqdt"]
    assert "导入责任分解表" not in response.content.decode()


LIST_QUERIES = {"system_admin": 12, "editor_a": 13}


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize("persona", ["system_admin", "editor_a"])
def test_list_runs_a_fixed_number_of_queries(personas: Any, count: int, persona: str) -> None:
    _columns(personas, count)
    client = login(getattr(personas, persona))
    url = reverse("govsite_responsibility:obligations")
    client.get(url)  # the first admin visit creates the Wagtail user profile

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    # session, user, roles (once for menu, view and buttons), sites, columns with their last update,
    # their 信息员, and the admin furniture
    queries = [q["sql"] for q in captured.captured_queries]
    assert len(queries) == LIST_QUERIES[persona], "\n".join(queries)


# --- upload and download ------------------------------------------------------------------------------


def _upload(data: io.BytesIO, name: str = "责任分解表.xlsx", **extra: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, data.getvalue()), **extra}


def test_upload_with_errors_lists_them_and_changes_nothing(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows[0][7], rows[1][4] = "nobody", "通知公告"
    rows[2][4], rows[3][6] = "动态", "不存在的局"
    client = login(personas.system_admin)  # logging in writes its own auth.login row
    before_state, before = state(), audit_head()

    response = client.post(reverse("govsite_responsibility:import"), _upload(workbook(rows)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "文件有 3 处错误，没有导入任何数据" in html
    assert html.count('<tr class="import-error">') == 3
    assert [(e.row, e.column, e.reason) for e in response.context["errors"]] == [
        (2, "信息员", "找不到账号「nobody」"),
        (4, "栏目类别", "栏目类别「动态」无效，应为：动态要闻、通知公告、政策文件、其他可更新、事件驱动"),
        (5, "责任单位", "找不到单位「不存在的局」"),
    ]
    assert state() == before_state
    assert new_events(before) == []


def test_upload_applies_the_edits_and_shows_the_summary(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows[2][4] = "其他可更新"
    client = login(personas.site_admin_a)
    before = audit_head()

    response = client.post(reverse("govsite_responsibility:import"), _upload(workbook(rows[:4])))

    html = response.content.decode()
    assert "导入完成：" in html
    assert "修改 1 条，3 条没有变化" in html
    assert "<li>sitea/zwyw（政务要闻）</li>" in html
    assert ColumnPage.objects.get(pk=table["zwyw"].pk).column_class == "other"
    assert [(e.action, e.actor_username) for e in new_events(before)] == [
        ("content.set_column_responsibility", "siteadmin_a")
    ]


def test_upload_dry_run_changes_nothing(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows[2][4] = "其他可更新"
    before_state = state()

    response = login(personas.system_admin).post(
        reverse("govsite_responsibility:import"), _upload(workbook(rows), dry_run="on")
    )

    assert "校验通过，没有导入。导入后将" in response.content.decode()
    assert state() == before_state


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("表.csv", b"a,b\n", "请上传 .xlsx 格式的 Excel 文件"),
        ("表.xlsx", b"", "所提交的是空文件。"),
    ],
)
def test_upload_form_refuses_other_files(
    personas: Any, table: Any, name: str, data: bytes, message: str
) -> None:
    response = login(personas.system_admin).post(
        reverse("govsite_responsibility:import"), {"file": SimpleUploadedFile(name, data)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}


def test_download_is_the_exported_table(personas: Any, table: Any) -> None:
    response = login(personas.system_admin).get(reverse("govsite_responsibility:export"))

    assert response.status_code == 200
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    assert read_sheet(b"".join(response.streaming_content)) == EXPORTED


def test_officer_register_upload_and_download(personas: Any) -> None:
    client = login(personas.security_admin)

    response = client.post(
        reverse("govsite_responsibility:officers_import"),
        _upload(workbook(OFFICER_ROWS, sheet=resp.OFFICER_SHEET), name="信息员.xlsx"),
    )

    assert "新增 2 条" in response.content.decode()
    download = client.get(reverse("govsite_responsibility:officers_export"))
    rows = read_sheet(b"".join(download.streaming_content), resp.OFFICER_SHEET)
    assert [row[0] for row in rows] == ["姓名", "王小明", "李华"]


def test_officer_upload_with_errors(personas: Any) -> None:
    rows = [list(row) for row in OFFICER_ROWS]
    rows[1][1] = "不存在的单位"
    before_state = state()

    response = login(personas.system_admin).post(
        reverse("govsite_responsibility:officers_import"), _upload(workbook(rows, sheet=resp.OFFICER_SHEET))
    )

    assert "文件有 1 处错误，没有导入任何数据" in response.content.decode()
    assert "找不到单位「不存在的单位」" in response.content.decode()
    assert state() == before_state

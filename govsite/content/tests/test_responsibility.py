"""The 责任分解表 and 信息员备案表 as XLSX: exact export, all-or-nothing import with Chinese row errors, the
actions' audit rows, who may do it, and the ``govsite responsibility`` command."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connections
from openpyxl import Workbook, load_workbook
from wagtail.models import GroupPagePermission

from govsite import cli
from govsite.accounts.actions import set_active, set_superuser
from govsite.accounts.models import InfoOfficerRecord
from govsite.audit.models import AuditEvent
from govsite.content import responsibility as resp
from govsite.content.models import ColumnPage, RecycleBinPage
from govsite.content.responsibility import RowError
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

CLASS_ERROR = "应为：动态要闻、通知公告、政策文件、其他可更新、事件驱动"

# --- helpers shared with the view tests -----------------------------------------------------------


def make_table(p: Any) -> dict[str, ColumnPage]:
    """Four columns on site A (one nested) and one on site B, each with a unit and an 信息员."""
    xxgk = f.column(
        p.site_a,
        "信息公开",
        responsible_unit=p.unit_a,
        column_class="other",
        info_officer=p.editor_a,
        slug="xxgk",
    )
    return {
        "zwyw": f.column(
            p.site_a,
            "政务要闻",
            responsible_unit=p.unit_a,
            column_class="dynamic",
            info_officer=p.editor_a,
            slug="zwyw",
        ),
        "tzgg": f.column(
            p.site_a,
            "通知公告",
            responsible_unit=p.unit_a,
            column_class="notice",
            info_officer=p.editor_a,
            slug="tzgg",
        ),
        "xxgk": xxgk,
        "zcwj": f.column(
            xxgk,
            "政策文件",
            responsible_unit=p.unit_a,
            column_class="policy",
            info_officer=p.editor_a,
            slug="zcwj",
        ),
        "xqdt": f.column(
            p.site_b,
            "县区动态",
            responsible_unit=p.unit_b,
            column_class="dynamic",
            info_officer=p.editor_b,
            slug="xqdt",
        ),
    }


def superuser(p: Any) -> Any:
    user = f.account("root", unit_obj=p.unit_a, full_name="超级用户")
    set_superuser(None, user, True)
    return user


def read_sheet(data: bytes | io.BytesIO, sheet: str = resp.SHEET) -> list[list[Any]]:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    stream.seek(0)
    return [list(row) for row in load_workbook(stream)[sheet].iter_rows(values_only=True)]


def workbook(
    rows: list[list[Any]], sheet: str = resp.SHEET, headers: tuple[str, ...] | list[str] | None = None
) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(
        list(
            headers
            if headers is not None
            else (resp.HEADERS if sheet == resp.SHEET else resp.OFFICER_HEADERS)
        )
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def exported(actor: Any = None) -> list[list[Any]]:
    out = io.BytesIO()
    resp.export_responsibility(actor, out)
    return read_sheet(out)


def state() -> list[Any]:
    """Everything an import could change, to compare before and after."""
    columns = [
        (
            c.pk,
            c.column_class,
            c.responsible_unit_id,
            sorted(c.info_officers.values_list("pk", flat=True)),
            c.latest_revision.content if c.latest_revision else None,
        )
        for c in ColumnPage.objects.order_by("pk")
    ]
    officers = list(InfoOfficerRecord.objects.order_by("pk").values())
    permissions = sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id"))
    return [columns, officers, permissions]


def audit_head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))


A = ["sitea", "测试网站sitea"]
B = ["siteb", "测试网站siteb"]
EXPORTED = [
    list(resp.HEADERS),
    [*A, "xxgk", "信息公开", "其他可更新", 365, "测试市教育局", "editor_a", "甲信息员"],
    [*A, "xxgk/zcwj", "政策文件", "政策文件", 183, "测试市教育局", "editor_a", "甲信息员"],
    [*A, "zwyw", "政务要闻", "动态要闻", 14, "测试市教育局", "editor_a", "甲信息员"],
    [*A, "tzgg", "通知公告", "通知公告", 183, "测试市教育局", "editor_a", "甲信息员"],
    [*B, "xqdt", "县区动态", "动态要闻", 14, "测试县人民政府办公室", "editor_b", "乙信息员"],
]


@pytest.fixture
def table(personas: Any) -> dict[str, ColumnPage]:
    return make_table(personas)


# --- export ---------------------------------------------------------------------------------------


def test_export_writes_every_column_in_site_and_tree_order_and_is_audited(personas: Any, table: Any) -> None:
    before = audit_head()

    rows = exported(personas.system_admin)

    assert rows == EXPORTED
    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username, event.object_repr) == (
        "content.export_responsibility",
        "success",
        "sysadmin",
        "责任分解表",
    )
    assert event.detail == {"rows": 5, "sites": "全部"}


def test_export_of_a_site_admin_holds_its_own_site_only(personas: Any, table: Any) -> None:
    before = audit_head()

    rows = exported(personas.site_admin_a)

    assert rows == EXPORTED[:5]
    [event] = new_events(before)
    assert event.detail == {"rows": 4, "sites": ["sitea"]}


def test_export_leaves_out_the_recycle_bin_and_shows_event_columns_without_period(
    personas: Any, table: Any
) -> None:
    home = personas.site_a.root_page
    recycle_bin = home.add_child(instance=RecycleBinPage(title="回收站", slug="recycle-bin", live=False))
    table["tzgg"].move(recycle_bin, pos="last-child")
    f.column(
        personas.site_b,
        "=专题活动",
        responsible_unit=personas.unit_b,
        column_class="event",
        info_officer=personas.editor_b,
        slug="ztzl",
    )

    rows = exported()

    assert [row[2] for row in rows[1:]] == ["xxgk", "xxgk/zcwj", "zwyw", "xqdt", "ztzl"]
    assert rows[-1] == [
        *B,
        "ztzl",
        "=专题活动",
        "事件驱动",
        "不定期",
        "测试县人民政府办公室",
        "editor_b",
        "乙信息员",
    ]


# --- import ---------------------------------------------------------------------------------------


def test_round_trip_changes_nothing_and_writes_no_audit_row(personas: Any, table: Any) -> None:
    out = io.BytesIO()
    resp.export_responsibility(None, out)
    out.seek(0)
    before_state, before = state(), audit_head()

    summary = resp.import_responsibility(personas.system_admin, out)

    assert (summary.changed, summary.unchanged, summary.items) == (0, 5, [])
    assert state() == before_state
    assert new_events(before) == []


def test_a_title_that_looks_like_a_formula_round_trips_as_text(personas: Any) -> None:
    f.column(
        personas.site_a,
        "=SUM(A1)",
        responsible_unit=personas.unit_a,
        info_officer=personas.editor_a,
        slug="formula",
    )
    out = io.BytesIO()
    resp.export_responsibility(None, out)
    out.seek(0)

    assert load_workbook(out)[resp.SHEET]["D2"].data_type == "s"
    out.seek(0)
    assert resp.import_responsibility(None, out).unchanged == 1


def test_an_edited_file_applies_exactly_the_edits_with_one_audit_row_each(personas: Any, table: Any) -> None:
    p = personas
    rows = exported()[1:]
    rows[2][4] = "其他可更新"  # zwyw: 动态要闻 → 其他可更新
    rows[1][6], rows[1][7] = "测试县人民政府办公室", "editor_b、EDITOR_A"  # xxgk/zcwj: unit and officers
    rows[3][3] = "改了名称也不读取"  # a read-only column
    before = audit_head()

    summary = resp.import_responsibility(p.system_admin, workbook(rows))

    assert (summary.changed, summary.unchanged) == (2, 3)
    assert summary.items == ["sitea/xxgk/zcwj（政策文件）", "sitea/zwyw（政务要闻）"]
    zwyw, zcwj = ColumnPage.objects.get(pk=table["zwyw"].pk), ColumnPage.objects.get(pk=table["zcwj"].pk)
    assert zwyw.column_class == "other"
    assert (zcwj.responsible_unit, sorted(u.username for u in zcwj.info_officers.all())) == (
        p.unit_b,
        ["editor_a", "editor_b"],
    )
    assert ColumnPage.objects.get(pk=table["tzgg"].pk).title == "通知公告"
    # The latest revision carries the change, so publishing the draft cannot undo it.
    assert zcwj.latest_revision.content["responsible_unit"] == p.unit_b.pk
    assert sorted(zcwj.latest_revision.content["info_officers"]) == sorted([p.editor_a.pk, p.editor_b.pk])
    events = new_events(before)
    assert [(e.action, e.actor_username, e.object_id) for e in events] == [
        ("content.set_column_responsibility", "sysadmin", str(zcwj.pk)),
        ("content.set_column_responsibility", "sysadmin", str(zwyw.pk)),
    ]
    assert events[0].detail == {
        "site": "sitea",
        "path": "xxgk/zcwj",
        "before": {"responsible_unit": "测试市教育局", "info_officers": ["editor_a"]},
        "after": {"responsible_unit": "测试县人民政府办公室", "info_officers": ["editor_a", "editor_b"]},
    }
    assert events[1].detail == {
        "site": "sitea",
        "path": "zwyw",
        "before": {"column_class": "动态要闻"},
        "after": {"column_class": "其他可更新"},
    }


def test_a_new_responsible_unit_gets_the_editor_rights_on_the_column(personas: Any, table: Any) -> None:
    from govsite.content.permissions import unit_editor_group

    column = table["zwyw"]
    group_b = unit_editor_group(personas.unit_b)
    assert not GroupPagePermission.objects.filter(group=group_b, page=column).exists()

    resp.set_column_responsibility(None, column, "dynamic", personas.unit_b, [personas.editor_b])

    assert GroupPagePermission.objects.filter(group=group_b, page=column).exists()
    assert not GroupPagePermission.objects.filter(
        group=unit_editor_group(personas.unit_a), page=column
    ).exists()


def test_a_file_with_three_bad_rows_reports_exactly_those_and_changes_nothing(
    personas: Any, table: Any
) -> None:
    rows = exported()[1:]
    rows[0][7] = "editor_a、nobody"  # row 2: an unknown account
    rows[1][4] = "通知公告"  # row 3: a valid edit, not applied because of the others
    rows[2][4] = "动态"  # row 4: not a class label
    rows[3][6] = "不存在的局"  # row 5: an unknown unit
    before_state, before = state(), audit_head()

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(personas.system_admin, workbook(rows))

    assert caught.value.errors == [
        RowError(2, "信息员", "找不到账号「nobody」"),
        RowError(4, "栏目类别", f"栏目类别「动态」无效，{CLASS_ERROR}"),
        RowError(5, "责任单位", "找不到单位「不存在的局」"),
    ]
    assert [str(e) for e in caught.value.errors] == [
        "第 2 行「信息员」：找不到账号「nobody」",
        f"第 4 行「栏目类别」：栏目类别「动态」无效，{CLASS_ERROR}",
        "第 5 行「责任单位」：找不到单位「不存在的局」",
    ]
    assert state() == before_state
    assert new_events(before) == []


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        (0, "nosuchsite", RowError(2, "网站代号", "找不到网站代号为「nosuchsite」的网站")),
        (0, "", RowError(2, "网站代号", "网站代号不能为空")),
        (2, "xxgk/nothere", RowError(2, "栏目路径", "网站「测试网站sitea」下没有栏目路径「xxgk/nothere」")),
        (2, "", RowError(2, "栏目路径", "栏目路径不能为空")),
        (4, "", RowError(2, "栏目类别", f"栏目类别不能为空，{CLASS_ERROR}")),
        (6, "", RowError(2, "责任单位", "责任单位不能为空")),
        (6, "测试市教育", RowError(2, "责任单位", "找不到单位「测试市教育」")),
        (7, "ghost、editor_a", RowError(2, "信息员", "找不到账号「ghost」")),
        (7, "", RowError(2, "信息员", "至少填写一名信息员的平台账号，多个账号用“、”分隔")),
    ],
    ids=[
        "unknown-site",
        "no-site",
        "unknown-column",
        "no-column",
        "no-class",
        "no-unit",
        "unknown-unit",
        "unknown-user",
        "no-user",
    ],
)
def test_each_kind_of_bad_cell(personas: Any, table: Any, column: int, value: str, error: RowError) -> None:
    rows = exported()[1:]
    rows[0][column] = value

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(None, workbook(rows))

    assert caught.value.errors == [error]


def test_an_inactive_account_cannot_be_named(personas: Any, table: Any) -> None:
    set_active(None, personas.editor_b, False)
    rows = exported()[1:]
    rows[0][7] = "editor_b,editor_a，reviewer_a"

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(None, workbook(rows))

    assert caught.value.errors == [
        RowError(2, "信息员", "账号「editor_b」已停用"),
        RowError(6, "信息员", "账号「editor_b」已停用"),
    ]


def test_a_column_listed_twice_is_an_error(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows.append(list(rows[0]))

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(None, workbook(rows))

    assert caught.value.errors == [RowError(7, "栏目路径", "与第 2 行是同一栏目，每个栏目只能出现一次")]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows.insert(2, [None] * len(resp.HEADERS))
    rows[4][4] = "错误类别"

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(None, workbook(rows))

    assert caught.value.errors == [RowError(6, "栏目类别", f"栏目类别「错误类别」无效，{CLASS_ERROR}")]


def test_a_wrong_header_row_is_reported_column_by_column(personas: Any, table: Any) -> None:
    headers = list(resp.HEADERS)
    headers[2], headers[6] = "栏目", "单位"
    headers.append("备注")

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(None, workbook(exported()[1:], headers=headers))

    assert caught.value.errors == [
        RowError(1, "栏目路径", "第 C 列表头应为「栏目路径」，实际为「栏目」"),
        RowError(1, "责任单位", "第 G 列表头应为「责任单位」，实际为「单位」"),
        RowError(1, "备注", "第 J 列是多余的列「备注」，应删除"),
    ]


def test_a_missing_sheet_or_a_file_that_is_not_xlsx(personas: Any, table: Any) -> None:
    with pytest.raises(resp.ResponsibilityImportError) as missing:
        resp.import_responsibility(None, workbook([], sheet="Sheet1", headers=resp.HEADERS))
    with pytest.raises(resp.ResponsibilityImportError) as garbage:
        resp.import_responsibility(None, io.BytesIO("网站代号,栏目路径\n".encode()))

    assert missing.value.errors == [RowError(0, "", "文件中没有名为「责任分解表」的工作表")]
    assert str(missing.value) == "文件中没有名为「责任分解表」的工作表"
    assert garbage.value.errors == [
        RowError(0, "", "无法读取文件：不是有效的 Excel（.xlsx）文件（BadZipFile）")
    ]


def test_dry_run_reports_what_would_change_and_changes_nothing(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows[0][4] = "事件驱动"
    before_state, before = state(), audit_head()

    summary = resp.import_responsibility(None, workbook(rows), dry_run=True)

    assert (summary.dry_run, summary.changed, summary.unchanged, summary.items) == (
        True,
        1,
        4,
        ["sitea/xxgk（信息公开）"],
    )
    assert state() == before_state
    assert new_events(before) == []


# --- who may import and export ----------------------------------------------------------------------

RESPONSIBILITY_DENIED = ["editor_a", "reviewer_a", "editor_b", "security_admin", "audit_admin"]


@pytest.mark.parametrize("persona", RESPONSIBILITY_DENIED)
@pytest.mark.parametrize("operation", ["import", "export"])
def test_responsibility_table_is_refused_to_other_roles_with_a_logged_denial(
    personas: Any, table: Any, persona: str, operation: str
) -> None:
    user = getattr(personas, persona)
    source = workbook(exported()[1:])
    before_state, before = state(), audit_head()

    with pytest.raises(PermissionDenied) as caught:
        resp.import_responsibility(user, source) if operation == "import" else resp.export_responsibility(
            user, io.BytesIO()
        )

    assert str(caught.value) == "只有系统管理员或站点管理员可以导入、导出责任分解表"

    assert state() == before_state
    [event] = new_events(before)
    assert (event.action, event.outcome, event.actor_username) == (
        f"content.{operation}_responsibility",
        "denied",
        user.username,
    )


@pytest.mark.parametrize("persona", ["system_admin", "superuser"])
def test_platform_operators_import_every_site(personas: Any, table: Any, persona: str) -> None:
    user = superuser(personas) if persona == "superuser" else personas.system_admin
    rows = exported()[1:]
    rows[0][4] = rows[4][4] = "事件驱动"

    summary = resp.import_responsibility(user, workbook(rows))

    assert summary.changed == 2
    assert ColumnPage.objects.get(pk=table["xqdt"].pk).column_class == "event"


def test_a_site_admin_imports_rows_of_its_own_site_only(personas: Any, table: Any) -> None:
    rows = exported()[1:]
    rows[0][4] = "事件驱动"  # site A
    rows[4][4] = "事件驱动"  # site B: not theirs
    before_state = state()

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_responsibility(personas.site_admin_a, workbook(rows))

    assert caught.value.errors == [RowError(6, "网站代号", "无权修改网站「测试网站siteb」的栏目")]
    assert state() == before_state

    summary = resp.import_responsibility(personas.site_admin_a, workbook(rows[:4]))

    assert (summary.changed, summary.unchanged) == (1, 3)
    assert ColumnPage.objects.get(pk=table["xxgk"].pk).column_class == "event"


def test_the_action_refuses_another_sites_column_and_logs_it(personas: Any, table: Any) -> None:
    column, before = table["xqdt"], audit_head()

    with pytest.raises(PermissionDenied) as caught:
        resp.set_column_responsibility(
            personas.site_admin_a, column, "event", personas.unit_b, [personas.editor_b]
        )

    assert str(caught.value) == "无权修改网站「测试网站siteb」的栏目"

    assert ColumnPage.objects.get(pk=column.pk).column_class == "dynamic"
    [event] = new_events(before)
    assert (event.action, event.outcome, event.object_id) == (
        "content.set_column_responsibility",
        "denied",
        str(column.pk),
    )


def test_the_action_skips_an_unchanged_column_without_an_audit_row(personas: Any, table: Any) -> None:
    before = audit_head()

    changed = resp.set_column_responsibility(
        personas.system_admin,
        table["zwyw"],
        "dynamic",
        personas.unit_a,
        [personas.editor_a, personas.editor_a],
    )

    assert changed is False
    assert new_events(before) == []


# --- the 信息员备案表 -------------------------------------------------------------------------------

OFFICER_ROWS = [
    [
        "王小明",
        "测试市教育局",
        "办公室科员",
        "0591-87654321",
        "政务要闻、通知公告",
        "2025-03-01",
        "editor_a",
        "是",
    ],
    ["李华", "测试县人民政府办公室", "", "13800138000", "县区动态", date(2024, 7, 15), "", "否"],
]


def test_officer_import_creates_records_and_a_second_import_changes_nothing(personas: Any) -> None:
    before = audit_head()

    summary = resp.import_officers(personas.security_admin, workbook(OFFICER_ROWS, sheet=resp.OFFICER_SHEET))

    assert (summary.created, summary.changed, summary.unchanged) == (2, 0, 0)
    assert summary.items == [
        "新增 测试市教育局 王小明（0591-87654321）",
        "新增 测试县人民政府办公室 李华（13800138000）",
    ]
    records = list(
        InfoOfficerRecord.objects.order_by("pk").values_list(
            "name", "unit__name", "post", "phone", "duties", "since", "account__username", "active"
        )
    )
    assert records == [
        (
            "王小明",
            "测试市教育局",
            "办公室科员",
            "0591-87654321",
            "政务要闻、通知公告",
            date(2025, 3, 1),
            "editor_a",
            True,
        ),
        ("李华", "测试县人民政府办公室", "", "13800138000", "县区动态", date(2024, 7, 15), None, False),
    ]
    events = new_events(before)
    assert [(e.action, e.actor_username) for e in events] == [
        ("content.create_officer_record", "secadmin")
    ] * 2
    assert events[0].detail == {
        "name": "王小明",
        "unit": "测试市教育局",
        "phone": "0591-87654321",
        "post": "办公室科员",
        "duties": "政务要闻、通知公告",
        "since": "2025-03-01",
        "account": "editor_a",
        "active": True,
    }

    out = io.BytesIO()
    resp.export_officers(personas.system_admin, out)
    assert read_sheet(out, resp.OFFICER_SHEET) == [
        list(resp.OFFICER_HEADERS),
        [
            "王小明",
            "测试市教育局",
            "办公室科员",
            "0591-87654321",
            "政务要闻、通知公告",
            "2025-03-01",
            "editor_a",
            "是",
        ],
        ["李华", "测试县人民政府办公室", None, "13800138000", "县区动态", "2024-07-15", None, "否"],
    ]
    before_state, before = state(), audit_head()

    again = resp.import_officers(personas.security_admin, out)

    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert state() == before_state
    assert new_events(before) == []


def test_officer_import_updates_a_record_keyed_by_unit_name_and_phone(personas: Any) -> None:
    resp.import_officers(None, workbook(OFFICER_ROWS, sheet=resp.OFFICER_SHEET))
    rows = [list(row) for row in OFFICER_ROWS]
    rows[0][2], rows[0][7] = "办公室副主任", "否"
    rows[1][3] = "13900139000"  # a new phone number is a new record
    before = audit_head()

    summary = resp.import_officers(personas.system_admin, workbook(rows, sheet=resp.OFFICER_SHEET))

    assert (summary.created, summary.changed, summary.unchanged) == (1, 1, 0)
    assert InfoOfficerRecord.objects.count() == 3
    events = new_events(before)
    assert [e.action for e in events] == ["content.update_officer_record", "content.create_officer_record"]
    assert events[0].detail == {
        "before": {"post": "办公室科员", "active": True},
        "after": {"post": "办公室副主任", "active": False},
    }


def test_officer_file_with_bad_rows_reports_each_and_changes_nothing(personas: Any) -> None:
    rows = [
        ["", "测试市教育局", "", "0591-1234567", "", "2025-01-01", "", "是"],
        ["张三", "不存在的单位", "", "电话号码", "", "2025/01/01", "ghost", "在"],
        ["王小明", "测试市教育局", "", "0591-87654321", "", "2025-03-01", "", "是"],
        ["王小明", "测试市教育局", "", "0591-87654321", "", "2025-03-01", "", "否"],
        ["赵六", "测试市教育局", "科" * 51, "0591-7654321", "", None, "", ""],
    ]
    before_state, before = state(), audit_head()

    with pytest.raises(resp.ResponsibilityImportError) as caught:
        resp.import_officers(None, workbook(rows, sheet=resp.OFFICER_SHEET))

    assert [str(e) for e in caught.value.errors] == [
        "第 2 行「姓名」：姓名不能为空",
        "第 3 行「单位」：找不到单位「不存在的单位」",
        "第 3 行「联系电话」：联系电话「电话号码」格式不正确，应为手机号或区号-电话号码",
        "第 3 行「备案日期」：备案日期「2025/01/01」不是 YYYY-MM-DD 格式的日期",
        "第 3 行「平台账号」：找不到账号「ghost」",
        "第 3 行「在岗」：应填写「是」或「否」，实际为「在」",
        "第 5 行「姓名」：与第 4 行是同一人（单位、姓名、联系电话相同），每人只能出现一次",
        "第 6 行「职务」：不能超过 50 个字（现有 51 个）",
        "第 6 行「备案日期」：备案日期不能为空，格式为 YYYY-MM-DD",
        "第 6 行「在岗」：应填写「是」或「否」",
    ]
    assert state() == before_state
    assert new_events(before) == []


OFFICERS_DENIED = ["editor_a", "reviewer_a", "site_admin_a", "editor_b", "audit_admin"]


@pytest.mark.parametrize("persona", OFFICERS_DENIED)
@pytest.mark.parametrize("operation", ["import", "export"])
def test_officer_register_is_refused_to_other_roles(personas: Any, persona: str, operation: str) -> None:
    user = getattr(personas, persona)
    before_state, before = state(), audit_head()

    source = workbook(OFFICER_ROWS, sheet=resp.OFFICER_SHEET)

    with pytest.raises(PermissionDenied) as caught:
        resp.import_officers(user, source) if operation == "import" else resp.export_officers(
            user, io.BytesIO()
        )

    assert str(caught.value) == "只有安全管理员或系统管理员可以导入、导出信息员备案表"

    assert state() == before_state
    [event] = new_events(before)
    assert (event.action, event.outcome) == (f"content.{operation}_officers", "denied")


@pytest.mark.parametrize("persona", ["security_admin", "system_admin", "superuser"])
def test_officer_register_is_kept_by_security_and_system_admins(personas: Any, persona: str) -> None:
    user = superuser(personas) if persona == "superuser" else getattr(personas, persona)

    summary = resp.import_officers(user, workbook(OFFICER_ROWS, sheet=resp.OFFICER_SHEET))

    assert summary.created == 2
    assert resp.export_officers(user, io.BytesIO()) == 2


# --- the command ----------------------------------------------------------------------------------


def test_command_exports_and_imports(personas: Any, table: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "责任分解表.xlsx"

    call_command("responsibility", "export", str(path))
    assert capsys.readouterr().out == f"已导出责任分解表 5 行到 {path}\n"
    assert read_sheet(path.read_bytes()) == EXPORTED

    rows = read_sheet(path.read_bytes())[1:]
    rows[0][4] = "事件驱动"
    path.write_bytes(workbook(rows).getvalue())
    before_state = state()

    call_command("responsibility", "import", str(path), "--dry-run")
    assert capsys.readouterr().out == (
        "  sitea/xxgk（信息公开）\n校验通过（未导入）：导入后将修改 1 条，4 条没有变化\n"
    )
    assert state() == before_state

    call_command("responsibility", "import", str(path))
    assert capsys.readouterr().out == "  sitea/xxgk（信息公开）\n已导入责任分解表：修改 1 条，4 条没有变化\n"
    assert ColumnPage.objects.get(pk=table["xxgk"].pk).column_class == "event"
    assert (
        AuditEvent.objects.filter(action="content.set_column_responsibility", actor_username="").count() == 1
    )


@pytest.fixture
def command_line(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Runs ``govsite …`` in-process as the shell would, exit status included.

    ``run_from_argv`` closes every database connection when the command ends; on PostgreSQL that
    would end the test's transaction, so closing is skipped here.
    """
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> None:
        cli.main(["govsite", *args])

    return run


def test_command_prints_each_error_and_exits_1(
    personas: Any, table: Any, tmp_path: Path, capsys: Any, command_line: Any
) -> None:
    rows = exported()[1:]
    rows[0][4], rows[3][6] = "动态", "不存在的局"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(rows).getvalue())
    before_state = state()

    with pytest.raises(SystemExit) as exit_info:
        command_line("responsibility", "import", str(path))

    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"第 2 行「栏目类别」：栏目类别「动态」无效，{CLASS_ERROR}\n"
        "第 5 行「责任单位」：找不到单位「不存在的局」\n"
        "CommandError: 责任分解表有 2 处错误，没有导入任何数据\n"
    )
    assert state() == before_state


def test_command_exits_1_for_a_missing_file(
    personas: Any, tmp_path: Path, capsys: Any, command_line: Any
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        command_line("responsibility", "import", str(tmp_path / "nothere.xlsx"))

    assert exit_info.value.code == 1
    assert capsys.readouterr().err == f"CommandError: 找不到文件：{tmp_path / 'nothere.xlsx'}\n"


def test_command_handles_the_officer_register(personas: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "officers.xlsx"
    path.write_bytes(workbook(OFFICER_ROWS, sheet=resp.OFFICER_SHEET).getvalue())

    call_command("responsibility", "import", str(path), "--officers")
    out = capsys.readouterr().out
    call_command("responsibility", "export", str(path), "--officers")

    assert out.endswith("已导入信息员备案表：新增 2 条，修改 0 条，0 条没有变化\n")
    assert capsys.readouterr().out == f"已导出信息员备案表 2 行到 {path}\n"
    assert len(read_sheet(path.read_bytes(), resp.OFFICER_SHEET)) == 3

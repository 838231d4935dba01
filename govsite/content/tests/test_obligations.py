"""Obligations: each column's last update, due date, overdue days and status on a fixed day, the order
of urgency, who sees which columns, and a query count that does not grow with the number of columns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsite.accounts.actions import set_superuser
from govsite.content.models import ColumnPage, LibraryItemPage
from govsite.content.obligations import assess, obligation_scope, obligations_for
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 3, 20, 10, 0, tzinfo=BEIJING)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0, tz: Any = BEIJING) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def item(column: ColumnPage, published: datetime, *, live: bool = True) -> None:
    page = f.article(column, f"{column.title}{published:%Y%m%d%H%M}", publish=live)
    LibraryItemPage.objects.filter(pk=page.pk).update(publish_date=published)


@pytest.fixture
def columns(personas: Any) -> dict[str, ColumnPage]:
    p = personas

    def col(slug: str, column_class: str, parent: Any = None) -> ColumnPage:
        return f.column(
            parent or p.site_a,
            slug,
            responsible_unit=p.unit_a,
            column_class=column_class,
            info_officer=p.editor_a,
            slug=slug,
        )

    made = {
        slug: col(slug, cls)
        for slug, cls in [
            ("zwyw", "dynamic"),
            ("gzdt", "dynamic"),
            ("bianjie", "dynamic"),
            ("bmdt", "dynamic"),
            ("xwfb", "dynamic"),
            ("tzgg", "notice"),
            ("zcwj", "policy"),
            ("jgzn", "other"),
            ("ztzl", "event"),
            ("kong", "other"),
        ]
    }
    made["sub"] = col("sub", "dynamic", parent=made["kong"])
    item(made["zwyw"], at(2026, 2, 1))
    item(made["zwyw"], at(2026, 3, 1))
    item(made["zwyw"], at(2026, 3, 18), live=False)  # a draft is not an update
    item(made["gzdt"], at(2026, 3, 6))
    item(made["bianjie"], datetime(2026, 3, 5, 16, 30, tzinfo=ZoneInfo("UTC")))  # 3月6日 00:30 北京时间
    item(made["bmdt"], at(2026, 3, 9))
    item(made["xwfb"], at(2026, 3, 10))
    item(made["tzgg"], at(2025, 9, 1))
    item(made["jgzn"], at(2025, 3, 19))
    item(made["ztzl"], at(2024, 1, 1))
    item(made["kong"], at(2026, 3, 1), live=False)
    item(made["sub"], at(2026, 3, 19))  # under 'sub', not directly under 'kong'
    return made


def _table(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.path,
            r.status_label,
            r.last_update and r.last_update.astimezone(BEIJING).date(),
            r.due_date,
            r.overdue_days,
            r.days_left,
        )
        for r in rows
    ]


@time_machine.travel(TODAY, tick=False)
def test_statuses_and_order_on_a_fixed_day(personas: Any, columns: Any) -> None:
    rows = obligations_for(personas.system_admin)

    assert _table(rows) == [
        ("zcwj", "从未更新", None, None, 0, None),
        ("kong", "从未更新", None, None, 0, None),
        ("tzgg", "已逾期", date(2025, 9, 1), date(2026, 3, 3), 17, -17),
        ("zwyw", "已逾期", date(2026, 3, 1), date(2026, 3, 15), 5, -5),
        ("jgzn", "已逾期", date(2025, 3, 19), date(2026, 3, 19), 1, -1),
        ("gzdt", "即将到期", date(2026, 3, 6), date(2026, 3, 20), 0, 0),
        ("bianjie", "即将到期", date(2026, 3, 6), date(2026, 3, 20), 0, 0),
        ("bmdt", "即将到期", date(2026, 3, 9), date(2026, 3, 23), 0, 3),
        ("xwfb", "正常", date(2026, 3, 10), date(2026, 3, 24), 0, 4),
        ("kong/sub", "正常", date(2026, 3, 19), date(2026, 4, 2), 0, 13),
        ("ztzl", "不考核", date(2024, 1, 1), None, 0, None),
    ]
    first = rows[0]
    assert (first.site, first.unit, first.officers, first.class_label, first.period_days) == (
        personas.site_a,
        personas.unit_a,
        (personas.editor_a,),
        "政策文件",
        183,
    )


@time_machine.travel(datetime(2026, 3, 21, 0, 30, tzinfo=BEIJING), tick=False)
def test_the_day_turns_at_beijing_midnight(personas: Any, columns: Any) -> None:
    rows = {row.path: row for row in obligations_for(personas.system_admin)}

    assert (rows["gzdt"].status_label, rows["gzdt"].overdue_days) == ("已逾期", 1)
    assert (rows["bmdt"].status_label, rows["bmdt"].days_left) == ("即将到期", 2)


@time_machine.travel(TODAY, tick=False)
def test_a_new_item_brings_a_column_up_to_date(personas: Any, columns: Any) -> None:
    item(columns["zcwj"], at(2026, 3, 20, 8))

    row = next(r for r in obligations_for(personas.system_admin) if r.path == "zcwj")

    assert (row.status_label, row.due_date, row.days_left) == ("正常", date(2026, 9, 19), 183)


@time_machine.travel(TODAY, tick=False)
def test_an_unpublished_column_owes_nothing(personas: Any, columns: Any) -> None:
    ColumnPage.objects.get(pk=columns["zwyw"].pk).unpublish()

    assert "zwyw" not in [row.path for row in obligations_for(personas.system_admin)]


@pytest.mark.parametrize(
    ("column_class", "last", "expected"),
    [
        ("dynamic", None, ("never", None, 0)),
        ("event", None, ("exempt", None, 0)),
        ("event", at(2020, 1, 1), ("exempt", None, 0)),
        ("notice", at(2025, 9, 18), ("due_soon", date(2026, 3, 20), 0)),
        ("policy", at(2025, 9, 17), ("overdue", date(2026, 3, 19), 1)),
        ("other", at(2025, 3, 25), ("ok", date(2026, 3, 25), 0)),
        ("dynamic", at(2026, 3, 30), ("ok", date(2026, 4, 13), 0)),  # dated in the future
    ],
)
def test_assess(column_class: str, last: datetime | None, expected: tuple[Any, ...]) -> None:
    result = assess(column_class, last, date(2026, 3, 20))

    assert (result["status"], result["due_date"], result["overdue_days"]) == expected


# --- who sees what ----------------------------------------------------------------------------------


@pytest.fixture
def spread(personas: Any) -> dict[str, ColumnPage]:
    p = personas
    finance = f.unit("测试市财政局")
    return {
        "a1": f.column(p.site_a, "a1", responsible_unit=p.unit_a, info_officer=p.editor_a, slug="a1"),
        "a2": f.column(p.site_a, "a2", responsible_unit=finance, info_officer=p.reviewer_a, slug="a2"),
        "a3": f.column(p.site_a, "a3", responsible_unit=p.unit_a, info_officer=p.editor_b, slug="a3"),
        "b1": f.column(p.site_b, "b1", responsible_unit=p.unit_b, info_officer=p.editor_b, slug="b1"),
        "b2": f.column(p.site_b, "b2", responsible_unit=finance, info_officer=p.editor_a, slug="b2"),
    }


SCOPES = {
    "editor_a": ["a1", "a3", "b2"],  # unit A's columns, and the one naming editor_a
    "editor_b": ["a3", "b1"],
    "site_admin_a": ["a1", "a2", "a3"],
    "system_admin": ["a1", "a2", "a3", "b1", "b2"],
    "reviewer_a": [],  # named on a2, but not an 信息员
    "security_admin": [],
    "audit_admin": [],
}


@pytest.mark.parametrize(("persona", "expected"), SCOPES.items(), ids=SCOPES.keys())
def test_each_persona_sees_its_own_columns(
    personas: Any, spread: Any, persona: str, expected: list[str]
) -> None:
    assert [row.path for row in obligations_for(getattr(personas, persona))] == expected


def test_superuser_sees_everything_and_anonymous_nothing(personas: Any, spread: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    root = f.account("root", unit_obj=personas.unit_b)
    set_superuser(None, root, True)

    assert [row.path for row in obligations_for(root)] == ["a1", "a2", "a3", "b1", "b2"]
    assert obligations_for(AnonymousUser()) == []
    assert obligation_scope(AnonymousUser()) is None
    assert obligations_for(None) == []


def test_an_inactive_account_sees_nothing(personas: Any, spread: Any) -> None:
    personas.editor_a.is_active = False

    assert obligations_for(personas.editor_a) == []


# --- query count ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize(("persona", "queries"), [("system_admin", 4), ("editor_a", 4), ("site_admin_a", 4)])
def test_query_count_does_not_grow_with_columns(
    personas: Any, count: int, persona: str, queries: int
) -> None:
    p = personas
    for n in range(count):
        column = f.column(
            p.site_a if n % 2 else p.site_b,
            f"栏目{n}",
            responsible_unit=p.unit_a,
            info_officer=p.editor_a if n % 3 else p.editor_b,
            slug=f"c{n}",
        )
        if n % 4:
            item(column, at(2026, 1, 1 + n % 28))
    user = getattr(p, persona)

    with CaptureQueriesContext(connection) as captured:
        rows = obligations_for(user)

    # roles, sites, the columns with their last update as a subquery, their 信息员
    assert len(captured.captured_queries) == queries, "\n".join(q["sql"] for q in captured.captured_queries)
    assert len(rows) == {"system_admin": count, "editor_a": count, "site_admin_a": count // 2}[persona]
    assert sum(1 for row in rows if row.last_update is None) == len([r for r in rows if r.status == "never"])

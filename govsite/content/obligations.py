"""What each unit and 信息员 owes: for every column in their charge, the last update, the due date, the
overdue days and a status, most urgent first (update classes: national-specs §1.3).

The last update of a column is the newest 发布日期 of the live library items directly under it; a
column with no dated item has never been updated and is the most urgent of all. The whole list costs
a fixed number of queries — the user's roles, the sites, the columns with their last update as a
subquery, and their 信息员 — however many columns there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from wagtail.models import Page

from govsite.accounts.models import Role, Unit, User
from govsite.content.models import UPDATE_PERIOD_DAYS, ColumnClass, ColumnPage, LibraryItemPage
from govsite.content.responsibility import RoleRow, column_path, role_rows, site_of_path
from govsite.sites.models import GovSite

DUE_SOON_DAYS = 3  # 即将到期: due within this many days (today included)

NEVER = "never"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
OK = "ok"
EXEMPT = "exempt"
STATUS_LABELS: dict[str, str] = {
    NEVER: "从未更新",
    OVERDUE: "已逾期",
    DUE_SOON: "即将到期",
    OK: "正常",
    EXEMPT: "不考核",
}
_STATUS_RANK = {NEVER: 0, OVERDUE: 1, DUE_SOON: 1, OK: 1, EXEMPT: 2}
# The last possible child path below a column: treebeard paths grow by 4 characters of 0-9A-Z.
_LAST_CHILD_STEP = "Z" * Page.steplen


@dataclass(frozen=True)
class ObligationScope:
    """Which columns a user answers for: all, those of some sites, of some units, or named to them."""

    everything: bool = False
    site_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    officer_id: int | None = None


def obligation_scope(user: Any, roles: list[RoleRow] | None = None) -> ObligationScope | None:
    """The columns ``user`` sees on the dashboard, or None when the user answers for none.

    Superusers and the 系统管理员 see every site; a 站点管理员 its sites; a 信息员 the columns of its
    unit (and of any unit whose 信息员 role it holds) and those naming it as 信息员.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ObligationScope(everything=True)
    roles = role_rows(user) if roles is None else roles
    kinds = {kind for kind, _site, _unit in roles}
    if Role.Kind.SYSTEM_ADMIN in kinds:
        return ObligationScope(everything=True)
    site_ids = frozenset(
        site for kind, site, _unit in roles if kind == Role.Kind.SITE_ADMIN and site is not None
    )
    unit_ids: frozenset[int] = frozenset()
    officer_id = None
    if Role.Kind.EDITOR in kinds:
        unit_ids = frozenset(
            {user.unit_id}
            | {unit for kind, _site, unit in roles if kind == Role.Kind.EDITOR and unit is not None}
        )
        officer_id = user.pk
    if not site_ids and not unit_ids:
        return None
    return ObligationScope(site_ids=site_ids, unit_ids=unit_ids, officer_id=officer_id)


@dataclass(frozen=True)
class Obligation:
    """One column a unit or 信息员 must keep updated, and how it stands on ``today``."""

    site: GovSite
    column: ColumnPage
    path: str
    unit: Unit | None
    officers: tuple[User, ...]
    column_class: str
    period_days: int | None
    last_update: datetime | None
    due_date: date | None
    overdue_days: int
    days_left: int | None
    status: str

    @property
    def class_label(self) -> str:
        return str(ColumnClass(self.column_class).label)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def officer_names(self) -> str:
        return "、".join(user.full_name or user.username for user in self.officers)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            _STATUS_RANK[self.status],
            -self.overdue_days,
            self.due_date or date.max,
            self.site.sort_order,
            self.site.pk,
            self.column.path,
        )


def assess(column_class: str, last_update: datetime | None, today: date) -> dict[str, Any]:
    """Due date, overdue days, days left and status of a column of ``column_class`` last updated then."""
    period = UPDATE_PERIOD_DAYS[column_class]
    if period is None:
        return {"due_date": None, "overdue_days": 0, "days_left": None, "status": EXEMPT}
    if last_update is None:
        return {"due_date": None, "overdue_days": 0, "days_left": None, "status": NEVER}
    due = timezone.localdate(last_update) + timedelta(days=period)
    days_left = (due - today).days
    if days_left < 0:
        status = OVERDUE
    elif days_left <= DUE_SOON_DAYS:
        status = DUE_SOON
    else:
        status = OK
    return {"due_date": due, "overdue_days": max(0, -days_left), "days_left": days_left, "status": status}


def _last_update_subquery() -> Subquery:
    # Children of a column, found by a range on the indexed tree path (a LIKE on an expression could
    # not use the index) and the depth one below the column.
    children = LibraryItemPage.objects.filter(
        live=True,
        depth=OuterRef("depth") + 1,
        path__gt=OuterRef("path"),
        path__lte=Concat(OuterRef("path"), Value(_LAST_CHILD_STEP)),
    )
    return Subquery(children.order_by("-publish_date").values("publish_date")[:1])


def obligations_for(
    user: Any,
    *,
    today: date | None = None,
    scope: ObligationScope | None = None,
    roles: list[RoleRow] | None = None,
) -> list[Obligation]:
    """Every live column ``user`` answers for, most urgent first: 从未更新, then most overdue, then
    earliest due; 事件驱动 columns (不考核) last."""
    scope = scope or obligation_scope(user, roles)
    if scope is None:
        return []
    today = today or timezone.localdate()
    sites = list(GovSite.objects.select_related("wagtail_site__root_page"))
    roots = {site.root_page.path: site for site in sites}
    columns = ColumnPage.objects.live().filter(alias_of__isnull=True)
    if not scope.everything:
        condition = Q(pk__in=[])
        for path, root_site in roots.items():
            if root_site.pk in scope.site_ids:
                condition |= Q(path__startswith=path)
        if scope.unit_ids:
            condition |= Q(responsible_unit_id__in=scope.unit_ids)
        if scope.officer_id is not None:
            named = ColumnPage.info_officers.through.objects.filter(user_id=scope.officer_id)
            condition |= Q(pk__in=named.values("columnpage_id"))
        columns = columns.filter(condition)
    columns = (
        columns.select_related("responsible_unit")
        .annotate(last_update=_last_update_subquery())
        .prefetch_related(Prefetch("info_officers", queryset=User.objects.order_by("username")))
    )
    rows = []
    for column in columns:
        site = site_of_path(column.path, roots)
        if site is None:
            continue
        rows.append(
            Obligation(
                site=site,
                column=column,
                path=column_path(column, site),
                unit=column.responsible_unit,
                officers=tuple(column.info_officers.all()),
                column_class=column.column_class,
                period_days=UPDATE_PERIOD_DAYS[column.column_class],
                last_update=column.last_update,
                **assess(column.column_class, column.last_update, today),
            )
        )
    rows.sort(key=Obligation.sort_key)
    return rows


def filter_obligations(
    rows: Iterable[Obligation], *, site_id: int | None = None, unit_id: int | None = None, status: str = ""
) -> list[Obligation]:
    """The rows of one site, one responsible unit and/or one status (order kept)."""
    return [
        row
        for row in rows
        if (site_id is None or row.site.pk == site_id)
        and (unit_id is None or (row.unit is not None and row.unit.pk == unit_id))
        and (not status or row.status == status)
    ]


def status_counts(rows: Iterable[Obligation]) -> dict[str, int]:
    """How many rows have each status, in display order."""
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows:
        counts[row.status] += 1
    return counts

"""The 责任分解表 (who is responsible for each column, and its update class) and the 信息员备案表 as XLSX.

Export writes the whole table (audited). Import reads a file, checks every row before touching anything
and either applies all of it in one transaction — through ``set_column_responsibility`` and the officer
record actions, one audit row per changed row — or reports every bad row (row, column, reason, in
Chinese) and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from wagtail.models import Page

from govsite.accounts import roles as role_policy
from govsite.accounts.models import InfoOfficerRecord, Role, Unit, User
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.content.models import UPDATE_PERIOD_DAYS, ColumnClass, ColumnPage, RecycleBinPage
from govsite.content.permissions import sync_unit_editor_permissions
from govsite.content.workbooks import (
    ResponsibilityImportError,
    RowError,
    Source,
    _cell_text,
    _read_rows,
    _Row,
    _shown,
    _write_sheet,
)
from govsite.sites.models import GovSite

SHEET = "责任分解表"
HEADERS = (
    "网站代号",
    "网站名称",
    "栏目路径",
    "栏目名称",
    "栏目类别",
    "更新周期（天）",
    "责任单位",
    "信息员",
    "信息员姓名",
)
OFFICER_SHEET = "信息员备案表"
OFFICER_HEADERS = ("姓名", "单位", "职务", "联系电话", "负责工作", "备案日期", "平台账号", "在岗")

NO_PERIOD = "不定期"  # shown in 更新周期（天） for 事件驱动 columns
LIST_SEPARATOR = "、"
_SEPARATORS = re.compile(r"[、,，]")
_PHONE = re.compile(r"^[0-9+\-—()（）# 转]{5,30}$")

CLASS_BY_LABEL: dict[str, str] = {str(label): str(value) for value, label in ColumnClass.choices}
CLASS_LABELS = "、".join(CLASS_BY_LABEL)
YES, NO = "是", "否"

RESPONSIBILITY_DENIED = "只有系统管理员或站点管理员可以导入、导出责任分解表"
OFFICERS_DENIED = "只有安全管理员或系统管理员可以导入、导出信息员备案表"


# --- errors and results ----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import changed (or, with ``dry_run``, would change)."""

    changed: int = 0
    created: int = 0
    unchanged: int = 0
    dry_run: bool = False
    items: list[str] = field(default_factory=list)  # one line per changed or created row


# --- who may do what --------------------------------------------------------------------------------

RoleRow = tuple[str, int | None, int | None]  # (kind, site_id, unit_id) of one role the user holds


def role_rows(user: Any) -> list[RoleRow]:
    """The roles a user holds, in one query; callers pass the result around to avoid asking twice."""
    return sorted(role_policy.held_roles(user), key=lambda row: (row[0], row[1] or 0, row[2] or 0))


@dataclass(frozen=True)
class SiteScope:
    """The sites whose columns an account may assign: all of them, or a set."""

    all_sites: bool
    site_ids: frozenset[int] = frozenset()

    def allows(self, site_id: int) -> bool:
        return self.all_sites or site_id in self.site_ids


ALL_SITES = SiteScope(all_sites=True)


def responsibility_scope(actor: Any, roles: list[RoleRow] | None = None) -> SiteScope | None:
    """Where ``actor`` may import and export the 责任分解表; None when nowhere.

    The server command line (``None``), superusers and the 系统管理员 run every site; a 站点管理员
    runs its own sites.
    """
    if actor is None:
        return ALL_SITES
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    if actor.is_superuser:
        return ALL_SITES
    roles = role_rows(actor) if roles is None else roles
    if any(kind == Role.Kind.SYSTEM_ADMIN for kind, _site, _unit in roles):
        return ALL_SITES
    own = frozenset(site for kind, site, _unit in roles if kind == Role.Kind.SITE_ADMIN and site is not None)
    return SiteScope(all_sites=False, site_ids=own) if own else None


def can_manage_officers(actor: Any, roles: list[RoleRow] | None = None) -> bool:
    """The 信息员备案表 is kept by the 安全管理员 (accounts) and the 系统管理员 (platform operator)."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    roles = role_rows(actor) if roles is None else roles
    return any(kind in {Role.Kind.SYSTEM_ADMIN, Role.Kind.SECURITY_ADMIN} for kind, _site, _unit in roles)


def _deny(actor: Any, action: str, obj: Any, reason: str, **detail: Any) -> NoReturn:
    with transaction.atomic():
        record(actor, action, obj, outcome=AuditEvent.Outcome.DENIED, detail={"reason": reason, **detail})
    raise PermissionDenied(reason)


def require_responsibility_scope(actor: Any, action: str) -> SiteScope:
    """The actor's scope, or a logged refusal (PermissionDenied)."""
    scope = responsibility_scope(actor)
    if scope is None:
        _deny(actor, action, None, RESPONSIBILITY_DENIED)
    return scope


def require_officer_right(actor: Any, action: str) -> None:
    if not can_manage_officers(actor):
        _deny(actor, action, None, OFFICERS_DENIED)


# --- columns and their sites ------------------------------------------------------------------------


def site_roots() -> dict[str, GovSite]:
    """Every site keyed by its home page's tree path."""
    return {site.root_page.path: site for site in GovSite.objects.select_related("wagtail_site__root_page")}


def site_of_path(path: str, roots: dict[str, GovSite]) -> GovSite | None:
    for end in range(Page.steplen, len(path), Page.steplen):
        site = roots.get(path[:end])
        if site is not None:
            return site
    return None


def column_path(column: ColumnPage, site: GovSite) -> str:
    """The column's slugs below the site home, joined by "/" (e.g. ``xxgk/zcwj``)."""
    return str(column.url_path)[len(site.root_page.url_path) :].strip("/")


@dataclass(frozen=True)
class ColumnEntry:
    site: GovSite
    path: str
    column: ColumnPage


def _officers_prefetch() -> Prefetch:
    return Prefetch("info_officers", queryset=User.objects.order_by("username"))


def column_entries(scope: SiteScope) -> list[ColumnEntry]:
    """The columns in ``scope`` in site and tree order, with unit and officers loaded (4 queries)."""
    roots = site_roots()
    columns = ColumnPage.objects.filter(alias_of__isnull=True)
    if not scope.all_sites:
        prefixes = [path for path, site in roots.items() if site.pk in scope.site_ids]
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= Q(path__startswith=prefix)
        columns = columns.filter(condition)
    bins = list(RecycleBinPage.objects.values_list("path", flat=True))
    entries: list[ColumnEntry] = []
    for column in columns.select_related("responsible_unit").prefetch_related(_officers_prefetch()):
        site = site_of_path(column.path, roots)
        if site is None or any(column.path.startswith(bin_path) for bin_path in bins):
            continue
        entries.append(ColumnEntry(site, column_path(column, site), column))
    entries.sort(key=lambda e: (e.site.sort_order, e.site.pk, e.column.path))
    return entries


# --- the action -------------------------------------------------------------------------------------


def _column_site(column: ColumnPage) -> GovSite | None:
    prefixes = [column.path[:end] for end in range(Page.steplen, len(column.path), Page.steplen)]
    return GovSite.objects.filter(wagtail_site__root_page__path__in=prefixes).first()


def _describe(column_class: str, unit: Unit | None, officers: Iterable[User]) -> dict[str, Any]:
    return {
        "column_class": str(ColumnClass(column_class).label),
        "responsible_unit": unit.name if unit else None,
        "info_officers": [user.username for user in officers],
    }


def _patch_latest_revision(column: ColumnPage) -> None:
    # The editor opens, and a later publish applies, the latest revision: carry the new responsibility
    # into it so that publishing an older draft cannot quietly undo the assignment.
    revision = column.latest_revision
    if revision is None:
        return
    content = dict(revision.content)
    content["column_class"] = column.column_class
    content["responsible_unit"] = column.responsible_unit_id
    content["info_officers"] = sorted(user.pk for user in column.info_officers.all())
    revision.content = content
    revision.save(update_fields=["content"])


def set_column_responsibility(
    actor: User | None, column: ColumnPage, column_class: str, unit: Unit, officers: Sequence[User]
) -> bool:
    """Set a column's update class, responsible unit and 信息员; False (and no audit row) if unchanged.

    Allowed to the server command line, superusers and the 系统管理员 on every site and to a 站点管理员
    on its own sites. A new responsible unit moves the 信息员 page rights with it.
    """
    action = "content.set_column_responsibility"
    scope = responsibility_scope(actor)
    site = _column_site(column)
    if scope is None or site is None or not scope.allows(site.pk):
        _deny(actor, action, column, f"无权修改网站「{site.name if site else '（无）'}」的栏目")
    if column_class not in UPDATE_PERIOD_DAYS:
        raise ValidationError(f"栏目类别无效，应为：{CLASS_LABELS}")
    if unit is None:
        raise ValidationError("责任单位不能为空")
    officers = list({user.pk: user for user in officers}.values())
    if not officers:
        raise ValidationError("至少指定一名信息员")
    inactive = [user.username for user in officers if not user.is_active]
    if inactive:
        raise ValidationError(f"账号已停用：{LIST_SEPARATOR.join(inactive)}")
    with transaction.atomic():
        fresh = ColumnPage.objects.select_for_update().get(pk=column.pk)
        old_officers = list(fresh.info_officers.order_by("username"))
        before = _describe(fresh.column_class, fresh.responsible_unit, old_officers)
        new_officers = sorted(officers, key=lambda user: user.username)
        after = _describe(column_class, unit, new_officers)
        changed = [key for key in after if before[key] != after[key]]
        if not changed:
            return False
        old_unit = fresh.responsible_unit
        fresh.column_class = column_class
        fresh.responsible_unit = unit
        fresh.info_officers = new_officers
        fresh.save(update_fields=["column_class", "responsible_unit", "info_officers"], clean=False)
        _patch_latest_revision(fresh)
        if old_unit is None or old_unit.pk != unit.pk:
            sync_unit_editor_permissions([u for u in (old_unit, unit) if u is not None])
        record(
            actor,
            action,
            fresh,
            detail={
                "site": site.code,
                "path": column_path(fresh, site),
                "before": {key: before[key] for key in changed},
                "after": {key: after[key] for key in changed},
            },
        )
    column.refresh_from_db()
    return True


# --- the 责任分解表 --------------------------------------------------------------------------------


def _period_text(column_class: str) -> int | str:
    days = UPDATE_PERIOD_DAYS[column_class]
    return NO_PERIOD if days is None else days


def export_responsibility(actor: User | None, target: Source) -> int:
    """Write the 责任分解表 of the actor's sites to ``target`` (a path or binary stream); the row count."""
    scope = require_responsibility_scope(actor, "content.export_responsibility")
    entries = column_entries(scope)
    rows = []
    for entry in entries:
        column = entry.column
        officers = list(column.info_officers.all())
        rows.append(
            [
                entry.site.code,
                entry.site.name,
                entry.path,
                column.title,
                str(ColumnClass(column.column_class).label),
                _period_text(column.column_class),
                column.responsible_unit.name if column.responsible_unit else "",
                LIST_SEPARATOR.join(user.username for user in officers),
                LIST_SEPARATOR.join(user.full_name or user.username for user in officers),
            ]
        )
    workbook = _write_sheet(
        SHEET, HEADERS, rows, text_columns=(1, 3, 8), widths=(12, 24, 20, 20, 12, 14, 24, 24, 24)
    )
    # Recorded before the file is written: if the audit row cannot be stored, nothing leaves.
    with transaction.atomic():
        record(
            actor,
            "content.export_responsibility",
            object_type="content.columnpage",
            object_repr=SHEET,
            detail={
                "rows": len(rows),
                "sites": "全部" if scope.all_sites else sorted({e.site.code for e in entries}),
            },
        )
    workbook.save(target)  # openpyxl accepts a path or a binary file
    return len(rows)


@dataclass
class _Assignment:
    entry: ColumnEntry
    column_class: str
    unit: Unit
    officers: list[User]

    @property
    def unchanged(self) -> bool:
        column = self.entry.column
        return (
            column.column_class == self.column_class
            and column.responsible_unit_id == self.unit.pk
            and {u.pk for u in column.info_officers.all()} == {u.pk for u in self.officers}
        )

    def describe(self) -> str:
        return f"{self.entry.site.code}/{self.entry.path}（{self.entry.column.title}）"


def _split_usernames(text: str) -> list[str]:
    names = [name.strip() for name in _SEPARATORS.split(text)]
    return list(dict.fromkeys(name for name in names if name))


def _users_by_username(names: Iterable[str]) -> dict[str, User]:
    lowered = {name.lower() for name in names}
    if not lowered:
        return {}
    users = User.objects.annotate(username_lower=Lower("username")).filter(username_lower__in=lowered)
    return {user.username.lower(): user for user in users}


def _validate_responsibility(rows: list[_Row], scope: SiteScope) -> tuple[list[_Assignment], list[RowError]]:
    errors: list[RowError] = []
    sites = {site.code.lower(): site for site in GovSite.objects.all()}
    entries = {(entry.site.pk, entry.path): entry for entry in column_entries(scope)}
    units = {unit.name: unit for unit in Unit.objects.filter(name__in={row.text("责任单位") for row in rows})}
    users = _users_by_username(name for row in rows for name in _split_usernames(row.text("信息员")))
    seen: dict[tuple[int, str], int] = {}
    plan: list[_Assignment] = []
    for row in rows:
        row_errors: list[RowError] = []

        def error(column: str, reason: str, _row: _Row = row, _errors: list[RowError] = row_errors) -> None:
            _errors.append(RowError(_row.number, column, reason))

        code = row.text("网站代号")
        site = sites.get(code.lower()) if code else None
        if not code:
            error("网站代号", "网站代号不能为空")
        elif site is None:
            error("网站代号", f"找不到网站代号为「{_shown(code)}」的网站")
        elif not scope.allows(site.pk):
            error("网站代号", f"无权修改网站「{site.name}」的栏目")
            errors.extend(row_errors)
            continue  # nothing more is said about another site's columns
        path = row.text("栏目路径").strip("/")
        entry = None
        if not path:
            error("栏目路径", "栏目路径不能为空")
        elif site is not None:
            entry = entries.get((site.pk, path))
            if entry is None:
                error("栏目路径", f"网站「{site.name}」下没有栏目路径「{_shown(path)}」")
            elif (site.pk, path) in seen:
                error("栏目路径", f"与第 {seen[(site.pk, path)]} 行是同一栏目，每个栏目只能出现一次")
            else:
                seen[(site.pk, path)] = row.number
        label = row.text("栏目类别")
        column_class = CLASS_BY_LABEL.get(label)
        if column_class is None:
            error(
                "栏目类别",
                f"栏目类别「{_shown(label)}」无效，应为：{CLASS_LABELS}"
                if label
                else f"栏目类别不能为空，应为：{CLASS_LABELS}",
            )
        unit_name = row.text("责任单位")
        unit = units.get(unit_name)
        if not unit_name:
            error("责任单位", "责任单位不能为空")
        elif unit is None:
            error("责任单位", f"找不到单位「{_shown(unit_name)}」")
        names = _split_usernames(row.text("信息员"))
        officers: list[User] = []
        problems: list[str] = []
        for name in names:
            user = users.get(name.lower())
            if user is None:
                problems.append(f"找不到账号「{_shown(name)}」")
            elif not user.is_active:
                problems.append(f"账号「{user.username}」已停用")
            else:
                officers.append(user)
        if not names:
            error("信息员", "至少填写一名信息员的平台账号，多个账号用“、”分隔")
        elif problems:
            error("信息员", "；".join(problems))
        errors.extend(row_errors)
        if not row_errors and entry is not None and column_class is not None and unit is not None:
            plan.append(_Assignment(entry, column_class, unit, officers))
    return plan, errors


def import_responsibility(actor: User | None, source: Source, *, dry_run: bool = False) -> ImportSummary:
    """Check every row of a 责任分解表 file, then apply it all or nothing.

    Columns not in the file are left as they are. With ``dry_run`` the file is only checked and the
    summary says what would change.
    """
    scope = require_responsibility_scope(actor, "content.import_responsibility")
    rows = _read_rows(source, SHEET, HEADERS)
    plan, errors = _validate_responsibility(rows, scope)
    if errors:
        raise ResponsibilityImportError(errors)
    summary = ImportSummary(dry_run=dry_run)
    todo = [item for item in plan if not item.unchanged]
    summary.unchanged = len(plan) - len(todo)
    if dry_run:
        summary.changed = len(todo)
        summary.items = [item.describe() for item in todo]
        return summary
    with transaction.atomic():
        for item in todo:
            if set_column_responsibility(
                actor, item.entry.column, item.column_class, item.unit, item.officers
            ):
                summary.changed += 1
                summary.items.append(item.describe())
            else:
                summary.unchanged += 1
    return summary


# --- the 信息员备案表 -------------------------------------------------------------------------------

OFFICER_FIELDS = ("post", "duties", "since", "account", "active")


def _officer_detail(values: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, User):
            shown[key] = value.username
        elif isinstance(value, Unit):
            shown[key] = value.name
        elif isinstance(value, date):
            shown[key] = value.isoformat()
        else:
            shown[key] = value
    return shown


def create_officer_record(
    actor: User | None,
    *,
    name: str,
    unit: Unit,
    phone: str,
    since: date,
    post: str = "",
    duties: str = "",
    account: User | None = None,
    active: bool = True,
) -> InfoOfficerRecord:
    """Add a row to the 信息员备案表 (安全管理员 or 系统管理员)."""
    require_officer_right(actor, "content.create_officer_record")
    officer = InfoOfficerRecord(
        name=name,
        unit=unit,
        phone=phone,
        since=since,
        post=post,
        duties=duties,
        account=account,
        active=active,
    )
    officer.full_clean()
    with transaction.atomic():
        officer.save()
        record(
            actor,
            "content.create_officer_record",
            officer,
            detail=_officer_detail(
                {
                    "name": name,
                    "unit": unit,
                    "phone": phone,
                    "post": post,
                    "duties": duties,
                    "since": since,
                    "account": account,
                    "active": active,
                }
            ),
        )
    return officer


def update_officer_record(actor: User | None, officer: InfoOfficerRecord, **changes: Any) -> bool:
    """Change post, duties, date, account or 在岗 of a record; False (and no audit row) if unchanged."""
    require_officer_right(actor, "content.update_officer_record")
    if set(changes) - set(OFFICER_FIELDS):
        raise ValidationError(
            f"不能通过此操作修改字段：{', '.join(sorted(set(changes) - set(OFFICER_FIELDS)))}"
        )
    changed = {key: value for key, value in changes.items() if getattr(officer, key) != value}
    if not changed:
        return False
    before = _officer_detail({key: getattr(officer, key) for key in changed})
    for key, value in changed.items():
        setattr(officer, key, value)
    officer.full_clean()
    with transaction.atomic():
        officer.save(update_fields=list(changed))
        record(
            actor,
            "content.update_officer_record",
            officer,
            detail={"before": before, "after": _officer_detail(changed)},
        )
    return True


def export_officers(actor: User | None, target: Source) -> int:
    """Write the whole 信息员备案表 to ``target``; the row count. Nothing is masked: it is the operator's
    own register, and the export is audited."""
    require_officer_right(actor, "content.export_officers")
    officers = list(InfoOfficerRecord.objects.select_related("unit", "account"))
    rows = [
        [
            o.name,
            o.unit.name,
            o.post,
            o.phone,
            o.duties,
            o.since.isoformat(),
            o.account.username if o.account else "",
            YES if o.active else NO,
        ]
        for o in officers
    ]
    workbook = _write_sheet(
        OFFICER_SHEET, OFFICER_HEADERS, rows, text_columns=(4, 6), widths=(12, 24, 16, 18, 30, 12, 14, 8)
    )
    with transaction.atomic():
        record(
            actor,
            "content.export_officers",
            object_type="accounts.infoofficerrecord",
            object_repr=OFFICER_SHEET,
            detail={"rows": len(rows)},
        )
    workbook.save(target)  # openpyxl accepts a path or a binary file
    return len(rows)


@dataclass
class _OfficerRow:
    number: int
    key: tuple[int, str, str]
    name: str
    unit: Unit
    phone: str
    values: dict[str, Any]  # the OFFICER_FIELDS
    existing: InfoOfficerRecord | None

    @property
    def unchanged(self) -> bool:
        return self.existing is not None and all(
            getattr(self.existing, key) == value for key, value in self.values.items()
        )

    def describe(self) -> str:
        return f"{self.unit.name} {self.name}（{self.phone}）"


def _date_value(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            return None
    return None


def _validate_officers(rows: list[_Row]) -> tuple[list[_OfficerRow], list[RowError]]:
    errors: list[RowError] = []
    units = {unit.name: unit for unit in Unit.objects.filter(name__in={row.text("单位") for row in rows})}
    users = _users_by_username(row.text("平台账号") for row in rows if row.text("平台账号"))
    existing = {
        (o.unit_id, o.name, o.phone): o
        for o in InfoOfficerRecord.objects.filter(unit__in=list(units.values())).select_related("account")
    }
    limits = {
        header: getattr(InfoOfficerRecord._meta.get_field(name), "max_length", None)
        for header, name in (
            ("姓名", "name"),
            ("职务", "post"),
            ("联系电话", "phone"),
            ("负责工作", "duties"),
        )
    }
    seen: dict[tuple[int, str, str], int] = {}
    plan: list[_OfficerRow] = []
    for row in rows:
        before = len(errors)

        def error(column: str, reason: str, _row: _Row = row) -> None:
            errors.append(RowError(_row.number, column, reason))

        texts = {header: row.text(header) for header in ("姓名", "职务", "联系电话", "负责工作")}
        for header, text in texts.items():
            limit = limits.get(header)
            if limit is not None and len(text) > limit:
                error(header, f"不能超过 {limit} 个字（现有 {len(text)} 个）")
        if not texts["姓名"]:
            error("姓名", "姓名不能为空")
        unit_name = row.text("单位")
        unit = units.get(unit_name)
        if not unit_name:
            error("单位", "单位不能为空")
        elif unit is None:
            error("单位", f"找不到单位「{_shown(unit_name)}」")
        phone = texts["联系电话"]
        if not phone:
            error("联系电话", "联系电话不能为空")
        elif not _PHONE.match(phone):
            error("联系电话", f"联系电话「{_shown(phone)}」格式不正确，应为手机号或区号-电话号码")
        raw_since = row.values.get("备案日期")
        since = _date_value(raw_since)
        if since is None:
            error(
                "备案日期",
                "备案日期不能为空，格式为 YYYY-MM-DD"
                if not _cell_text(raw_since)
                else f"备案日期「{_shown(_cell_text(raw_since))}」不是 YYYY-MM-DD 格式的日期",
            )
        username = row.text("平台账号")
        account = users.get(username.lower()) if username else None
        if username and account is None:
            error("平台账号", f"找不到账号「{_shown(username)}」")
        active_text = row.text("在岗")
        if active_text not in {YES, NO}:
            error(
                "在岗",
                f"应填写「{YES}」或「{NO}」" + (f"，实际为「{_shown(active_text)}」" if active_text else ""),
            )
        if unit is not None and texts["姓名"] and phone:
            key = (unit.pk, texts["姓名"], phone)
            if key in seen:
                error("姓名", f"与第 {seen[key]} 行是同一人（单位、姓名、联系电话相同），每人只能出现一次")
            else:
                seen[key] = row.number
        if len(errors) == before and unit is not None and since is not None:
            key = (unit.pk, texts["姓名"], phone)
            values = {
                "post": texts["职务"],
                "duties": texts["负责工作"],
                "since": since,
                "account": account,
                "active": active_text == YES,
            }
            plan.append(_OfficerRow(row.number, key, texts["姓名"], unit, phone, values, existing.get(key)))
    return plan, errors


def import_officers(actor: User | None, source: Source, *, dry_run: bool = False) -> ImportSummary:
    """Check every row of a 信息员备案表 file, then create or update records all or nothing.

    A record is identified by (单位, 姓名, 联系电话); records not in the file are left as they are.
    """
    require_officer_right(actor, "content.import_officers")
    rows = _read_rows(source, OFFICER_SHEET, OFFICER_HEADERS)
    plan, errors = _validate_officers(rows)
    if errors:
        raise ResponsibilityImportError(errors)
    summary = ImportSummary(dry_run=dry_run)
    todo = [item for item in plan if not item.unchanged]
    summary.unchanged = len(plan) - len(todo)
    if dry_run:
        summary.created = sum(1 for item in todo if item.existing is None)
        summary.changed = len(todo) - summary.created
        summary.items = [("新增 " if item.existing is None else "修改 ") + item.describe() for item in todo]
        return summary
    with transaction.atomic():
        for item in todo:
            if item.existing is None:
                create_officer_record(actor, name=item.name, unit=item.unit, phone=item.phone, **item.values)
                summary.created += 1
                summary.items.append("新增 " + item.describe())
            elif update_officer_record(actor, item.existing, **item.values):
                summary.changed += 1
                summary.items.append("修改 " + item.describe())
            else:
                summary.unchanged += 1
    return summary

"""Filtering and exporting the audit log (CSV / XLSX) for the 审计管理员 and off-box archiving (DB-13).

Rows stream from the database with ``.iterator()`` and are written as they arrive, so a large export
holds one chunk in memory. The export is itself audited before any row leaves the database: if that
audit row cannot be written, nothing is exported (fail closed, DB-14).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from govsite.accounts import roles
from govsite.accounts.models import Role
from govsite.audit.log import clean_text, record
from govsite.audit.models import AuditEvent

CHINA_TZ = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADERS = (
    "序号",
    "时间",
    "操作人账号",
    "操作人",
    "角色",
    "来源IP",
    "操作",
    "对象类型",
    "对象ID",
    "对象",
    "结果",
    "详情",
    "本条哈希",
)
# Excel and WPS treat a cell starting with one of these as a formula (CSV / formula injection);
# tab and carriage return are on OWASP's list too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32767  # Excel refuses to open a workbook with a longer cell
_CHUNK_SIZE = 2000
_PROGRESS_EVERY = 500
_CSV_FLUSH_BYTES = 64 * 1024

Progress = Callable[[int], None] | None  # called with the number of rows written since the last call

DENIED_REASON = "只有审计管理员可以查询、校验和导出审计日志"


def can_read_audit_log(user: Any) -> bool:
    """Whether a web account may read the audit log: the 审计管理员 role and nothing else (DB-08).

    A superuser is refused even when it also holds the role: an account that can change anything
    cannot be the independent auditor of those changes (三权分立).
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return False
    return roles.has_role(user, Role.Kind.AUDIT_ADMIN)


def record_use(
    actor: Any, action: str, detail: dict[str, Any], outcome: str = AuditEvent.Outcome.SUCCESS
) -> AuditEvent:
    """Append the audit row for a query, verification or export of the audit log itself (DB-11)."""
    with transaction.atomic():
        return record(
            actor,
            action,
            outcome=outcome,
            object_type="audit.auditevent",
            object_repr="审计日志",
            detail=detail,
        )


def record_denied(user: Any, action: str, **detail: Any) -> AuditEvent:
    """Log a refused attempt to read the audit log; such attempts are security events."""
    return record_use(user, action, {"reason": DENIED_REASON, **detail}, AuditEvent.Outcome.DENIED)


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in China time: date filters mean the day as the auditor reads it."""
    return datetime.combine(day, time.min, tzinfo=CHINA_TZ)


@dataclass(frozen=True)
class AuditFilter:
    """The filters the list view and the exports share. Dates are inclusive, in China time."""

    username: str = ""
    action: str = ""
    outcome: str = ""
    since: date | None = None
    until: date | None = None

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.username:
            events = events.filter(actor_username__iexact=self.username)
        if self.action:
            events = events.filter(action__icontains=self.action)
        if self.outcome:
            events = events.filter(outcome=self.outcome)
        if self.since:
            events = events.filter(created_at__gte=day_start(self.since))
        if self.until:
            events = events.filter(created_at__lt=day_start(self.until + timedelta(days=1)))
        return events

    def describe(self) -> dict[str, str]:
        """The filters actually set, as strings, for the audit row that records their use."""
        return {name: str(value) for name, value in asdict(self).items() if value}


def neutralise_formula(value: str) -> str:
    """Prefix an apostrophe so a spreadsheet shows the text instead of evaluating it."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _text(value: object) -> str:
    # record() already encodes control characters in the free-text fields; the others (object
    # type/id, roles, JSON detail) are encoded here too so no value can break a line or a cell.
    # Each control character becomes four characters (\x0a), so 4× the length never truncates.
    string = str(value)
    return clean_text(string, 4 * len(string))


def local_time(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime(TIME_FORMAT)


@dataclass(frozen=True)
class AuditRow:
    """One audit record as a reader sees it: China time, Chinese outcome label, detail as JSON."""

    seq: int
    time: str
    username: str
    name: str
    roles: str
    source_ip: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    outcome: str
    outcome_label: str
    detail: str
    hash: str

    @classmethod
    def of(cls, event: AuditEvent) -> AuditRow:
        return cls(
            seq=event.seq,
            time=local_time(event.created_at),
            username=_text(event.actor_username),
            name=_text(event.actor_name),
            roles=_text(event.actor_roles),
            source_ip=_text(event.source_ip or ""),
            action=_text(event.action),
            object_type=_text(event.object_type),
            object_id=_text(event.object_id),
            object_repr=_text(event.object_repr),
            outcome=event.outcome,
            outcome_label=event.get_outcome_display(),
            detail=_text(json.dumps(event.detail, ensure_ascii=False, sort_keys=True)),
            hash=event.hash,
        )

    def cells(self) -> list[int | str]:
        """The values in ``HEADERS`` order, safe to open in Excel or WPS."""
        texts = [
            self.time,
            self.username,
            self.name,
            self.roles,
            self.source_ip,
            self.action,
            self.object_type,
            self.object_id,
            self.object_repr,
            self.outcome_label,
            self.detail,
            self.hash,
        ]
        return [self.seq, *(neutralise_formula(value) for value in texts)]


def _rows(events: Iterable[AuditEvent], progress: Progress) -> Iterator[list[int | str]]:
    done = 0
    for event in events:
        yield AuditRow.of(event).cells()
        done += 1
        if progress is not None and done % _PROGRESS_EVERY == 0:
            progress(_PROGRESS_EVERY)
    if progress is not None and done % _PROGRESS_EVERY:
        progress(done % _PROGRESS_EVERY)


def iter_csv(events: Iterable[AuditEvent], progress: Progress = None) -> Iterator[bytes]:
    """CSV as UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads GBK and garbles."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield codecs.BOM_UTF8
    writer.writerow(HEADERS)
    for cells in _rows(events, progress):
        writer.writerow(cells)
        if buffer.tell() >= _CSV_FLUSH_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(events: Iterable[AuditEvent], out: BinaryIO, progress: Progress = None) -> None:
    for chunk in iter_csv(events, progress):
        out.write(chunk)


def write_xlsx(events: Iterable[AuditEvent], out: BinaryIO, progress: Progress = None) -> None:
    """XLSX in openpyxl's write-only mode, which streams rows to disk instead of building a sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    widths = (8, 20, 16, 12, 20, 16, 24, 20, 10, 30, 8, 50, 66)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(list(HEADERS))
    for cells in _rows(events, progress):
        sheet.append([cell[:XLSX_CELL_LIMIT] if isinstance(cell, str) else cell for cell in cells])
    workbook.save(out)


@dataclass(frozen=True)
class AuditExport:
    """An export that has been audited and may now be written: rows up to ``upto_seq`` that match."""

    format: str
    filters: AuditFilter
    upto_seq: int
    total: int
    event: AuditEvent

    def events(self) -> Iterator[AuditEvent]:
        queryset = self.filters.apply(AuditEvent.objects.filter(seq__lte=self.upto_seq))
        return queryset.order_by("seq").iterator(chunk_size=_CHUNK_SIZE)

    def write(self, out: BinaryIO, progress: Progress = None) -> None:
        writer = write_csv if self.format == "csv" else write_xlsx
        writer(self.events(), out, progress)


def start_export(actor: Any, fmt: str, filters: AuditFilter | None = None) -> AuditExport:
    """Audit an export and fix its contents; ``actor`` None is the server command line.

    The rows are pinned to the chain head as it was before the export's own row, so the file holds
    exactly the ``total`` rows the audit row announces even while new rows are appended.
    """
    if fmt not in FORMATS:
        raise ValueError(f"不支持的导出格式：{fmt}")
    filters = filters or AuditFilter()
    if actor is not None and not can_read_audit_log(actor):
        record_denied(actor, "audit.export", format=fmt, filters=filters.describe())
        raise PermissionDenied(DENIED_REASON)
    # Read outside a transaction: rows up to the head never change, and on SQLite an open write
    # transaction would block every other writer while the count runs.
    upto_seq = AuditEvent.objects.aggregate(head=Max("seq"))["head"] or 0
    total = filters.apply(AuditEvent.objects.filter(seq__lte=upto_seq)).count()
    event = record_use(
        actor,
        "audit.export",
        {"format": fmt, "filters": filters.describe(), "rows": total, "upto_seq": upto_seq},
    )
    return AuditExport(format=fmt, filters=filters, upto_seq=upto_seq, total=total, event=event)

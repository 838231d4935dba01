"""Writing and verifying the hash chain.

``record()`` must run inside the transaction of the change it records: it joins the caller's
transaction, so if the audit insert fails the change rolls back with it (DB-14).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from govsite.audit import context
from govsite.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
_PG_LOCK_KEY = 0x60F517E  # advisory lock serialising writers of the chain head on PostgreSQL
_CONTROL_CHARS = {i: f"\\x{i:02x}" for i in [*range(0, 32), 127] if i not in (9,)}

HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_username",
    "actor_name",
    "actor_roles",
    "source_ip",
    "user_agent",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "detail",
)


def clean_text(value: str, limit: int) -> str:
    """Encode control characters so a crafted name cannot forge log lines (DB-12 log injection)."""
    return value.translate(_CONTROL_CHARS)[:limit]


def canonical(event: AuditEvent) -> bytes:
    payload: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = getattr(event, name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        payload[name] = value
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(event)).hexdigest()


def _lock_head() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    # SQLite: settings use transaction_mode=IMMEDIATE, so this transaction already holds the
    # database write lock and no other writer can append between our read and our insert.


def actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_name": "", "actor_roles": ""}
    roles = ",".join(sorted(actor.groups.values_list("name", flat=True)))
    if actor.is_superuser:
        roles = ",".join(filter(None, ["超级用户", roles]))
    return {
        "actor_id": actor.pk,
        "actor_username": clean_text(actor.get_username(), 150),
        "actor_name": clean_text(actor.get_full_name(), 100),
        "actor_roles": roles[:500],
    }


def record(
    actor: Any,
    action: str,
    obj: Model | None = None,
    *,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    username: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit row in the caller's transaction and return it.

    ``actor`` is a user or ``None`` for the command line / anonymous; ``username`` names an
    unauthenticated actor (for example a failed login).
    """
    ctx = context.current()
    event = AuditEvent(
        created_at=at or timezone.now(),
        source_ip=ctx.source_ip,
        user_agent=clean_text(ctx.user_agent, 300),
        request_id=ctx.request_id,
        action=action,
        outcome=outcome,
        detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
        **actor_fields(actor),
    )
    if username and not event.actor_username:
        event.actor_username = clean_text(username, 150)
    if obj is not None:
        event.object_type = object_type or obj._meta.label_lower
        event.object_id = object_id or str(obj.pk)
        event.object_repr = clean_text(object_repr or str(obj), 300)
    else:
        event.object_type = object_type
        event.object_id = object_id
        event.object_repr = clean_text(object_repr, 300)
    with transaction.atomic():
        _lock_head()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        event.seq, event.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event.hash = compute_hash(event.prev_hash, event)
        event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Walk the chain from the first row; report the first row whose link or content is wrong."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _events():
        if event.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"缺少第 {expected_seq} 条记录（下一条为第 {event.seq} 条）"
            )
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "上一条哈希不匹配：前面的记录被修改、删除或插入")
        if compute_hash(prev_hash, event) != event.hash:
            return ChainReport(checked, event.seq, "本条内容与哈希不符：该记录被修改")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked)

"""Database triggers that make the audit table append-only even for raw SQL (DB-13)."""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditevent"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql",
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


def statements(vendor: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    raise RuntimeError(f"no audit triggers for database vendor {vendor}")


def install(schema_editor: Any, create: bool = True) -> None:
    for sql in statements(schema_editor.connection.vendor, create):
        schema_editor.execute(sql)

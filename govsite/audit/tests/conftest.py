"""Fixtures for the audit tests: lifting the append-only triggers to simulate a tamperer with raw
database access, and clients logged in as each persona."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client

from govsite.accounts.models import User
from govsite.audit import triggers
from govsite.audit.log import record
from govsite.audit.models import AuditEvent


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def lifted_triggers(db: None) -> Iterator[Callable[[str, list[object]], None]]:
    """Drop the triggers, hand the test a raw-SQL executor, put the triggers back afterwards.

    This is what an attacker with the database owner's password could do; the hash chain must
    still tell (DB-13).
    """
    _run(triggers.statements(connection.vendor, create=False))

    def execute(sql: str, params: list[object]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    try:
        yield execute
    finally:
        _run(triggers.statements(connection.vendor, create=True))


@pytest.fixture
def make_events(db: None) -> Callable[[int], list[AuditEvent]]:
    def make(count: int, action: str = "test.event") -> list[AuditEvent]:
        return [
            record(None, action, object_type="test.thing", object_id=str(i), object_repr=f"第{i}件")
            for i in range(count)
        ]

    return make


@pytest.fixture
def login() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

"""The 审计日志 admin pages: who gets in (DB-08), what each visit records (DB-11), filters, paging,
verification and downloads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from govsite.accounts.actions import set_superuser
from govsite.accounts.models import User
from govsite.audit.export import HEADERS
from govsite.audit.log import record
from govsite.audit.models import AuditEvent

Login = Callable[[User], Client]

# (name, HTTP method, URL, the audit action each visit records)
ENDPOINTS = [
    ("list", "get", lambda: reverse("govsite_audit:index"), "audit.query"),
    ("verify", "post", lambda: reverse("govsite_audit:verify"), "audit.verify"),
    ("export-csv", "get", lambda: reverse("govsite_audit:export", kwargs={"fmt": "csv"}), "audit.export"),
    ("export-xlsx", "get", lambda: reverse("govsite_audit:export", kwargs={"fmt": "xlsx"}), "audit.export"),
]
ENDPOINT_IDS = [endpoint[0] for endpoint in ENDPOINTS]
DENIED_PERSONAS = ["editor_a", "reviewer_a", "site_admin_a", "editor_b", "system_admin", "security_admin"]


def _request(client: Client, method: str, url: str) -> Any:
    return client.post(url) if method == "post" else client.get(url)


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


def _head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "url", "action"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_audit_admin_gets_in_and_the_visit_is_recorded(
    personas: Any, login: Login, name: str, method: str, url: Callable[[], str], action: str
) -> None:
    client = login(personas.audit_admin)
    before = _head()

    response = _request(client, method, url())

    assert response.status_code == 200
    [event] = _new_events(before)
    assert (event.action, event.outcome, event.actor_username, event.object_type) == (
        action,
        "success",
        "auditadmin",
        "audit.auditevent",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", DENIED_PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "action"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_other_roles_get_403_and_the_attempt_is_recorded(
    personas: Any, login: Login, persona: str, name: str, method: str, url: Callable[[], str], action: str
) -> None:
    user = getattr(personas, persona)
    client = login(user)  # logging in writes its own auth.login row
    before = _head()

    response = _request(client, method, url())

    assert response.status_code == 403
    assert "只有审计管理员可以查询、校验和导出审计日志" in response.content.decode()
    # The one new row is the logged refusal; nothing was read or exported.
    [event] = _new_events(before)
    assert (event.action, event.outcome, event.actor_username) == (action, "denied", user.username)
    assert event.detail == {"reason": "只有审计管理员可以查询、校验和导出审计日志", "path": url()}


@pytest.mark.django_db
@pytest.mark.parametrize("also_audit_admin", [False, True], ids=["plain-superuser", "audit-admin-superuser"])
@pytest.mark.parametrize(("name", "method", "url", "action"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_superuser_gets_403(
    personas: Any,
    login: Login,
    also_audit_admin: bool,
    name: str,
    method: str,
    url: Callable[[], str],
    action: str,
) -> None:
    from govsite.testing import factories

    user = personas.audit_admin if also_audit_admin else factories.account("root", unit_obj=personas.unit_a)
    set_superuser(None, user, True)
    client = login(user)
    before = _head()

    response = _request(client, method, url())

    assert response.status_code == 403
    [event] = _new_events(before)
    assert (event.action, event.outcome, event.actor_username) == (action, "denied", user.username)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "url", "action"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_is_sent_to_login(
    personas: Any, name: str, method: str, url: Callable[[], str], action: str
) -> None:
    before = _head()

    response = _request(Client(), method, url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next=")
    assert _head() == before


@pytest.mark.django_db
def test_verify_answers_get_with_405_and_records_nothing(personas: Any, login: Login) -> None:
    client = login(personas.audit_admin)
    before = _head()

    response = client.get(reverse("govsite_audit:verify"))

    assert response.status_code == 405
    assert _head() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "shown"), [("audit_admin", True), *[(persona, False) for persona in DENIED_PERSONAS]]
)
def test_menu_item_is_shown_to_the_audit_admin_only(
    personas: Any, login: Login, persona: str, shown: bool
) -> None:
    response = login(getattr(personas, persona)).get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert (reverse("govsite_audit:index") in response.content.decode()) is shown


@pytest.mark.django_db
def test_menu_item_is_hidden_from_superusers(personas: Any, login: Login) -> None:
    set_superuser(None, personas.audit_admin, True)

    response = login(personas.audit_admin).get(reverse("wagtailadmin_home"))

    assert reverse("govsite_audit:index") not in response.content.decode()


# --- the list ---------------------------------------------------------------------------------------


def _seqs(response: Any) -> list[int]:
    return [row.seq for row in response.context["rows"]]


@pytest.mark.django_db
def test_list_is_newest_first_and_paginated_by_50(
    personas: Any, login: Login, make_events: Callable[[int], list[AuditEvent]]
) -> None:
    make_events(60)
    client = login(personas.audit_admin)

    first = client.get(reverse("govsite_audit:index"))
    head = _head()  # the query itself is the newest row, and it is on the page it returns
    second = client.get(reverse("govsite_audit:index"), {"p": 2})

    assert _seqs(first) == list(range(head, head - 50, -1))
    assert first.context["rows"][0].action == "audit.query"
    # The second visit adds one more row at the top, shifting page 2 by one.
    assert _seqs(second) == list(range(head + 1 - 50, 0, -1))
    assert first.context["paginator"].count == head
    content = first.content.decode()
    for header in HEADERS:
        assert f'<th class="w-whitespace-nowrap">{header}</th>' in content


@pytest.mark.django_db
def test_list_filters(personas: Any, login: Login) -> None:
    late_evening = record(
        personas.editor_a,
        "accounts.update_profile",
        personas.editor_a,
        at=datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC),
    )  # 2026-03-01 23:59:59 北京时间
    midnight = record(
        personas.editor_a,
        "accounts.update_profile",
        personas.editor_a,
        at=datetime(2026, 3, 1, 16, 0, 0, tzinfo=UTC),
    )  # 2026-03-02 00:00:00 北京时间
    denied = record(
        personas.editor_b,
        "accounts.grant_role",
        personas.editor_a,
        outcome=AuditEvent.Outcome.DENIED,
        at=datetime(2026, 3, 2, 2, 0, 0, tzinfo=UTC),
    )
    client = login(personas.audit_admin)
    url = reverse("govsite_audit:index")

    def seqs(**filters: str) -> list[int]:
        return _seqs(client.get(url, filters))

    assert seqs(username="EDITOR_A", action="update_") == [midnight.seq, late_evening.seq]
    assert seqs(since="2026-03-02", until="2026-03-02") == [denied.seq, midnight.seq]
    assert seqs(until="2026-03-01", action="update_profile") == [late_evening.seq]
    assert seqs(outcome="denied") == [denied.seq]
    # Filtering on the auditor finds the auditor's own queries, the newest being this one.
    own = client.get(url, {"username": "auditadmin", "action": "audit.query"})
    assert _seqs(own) == list(range(_head(), _head() - 5, -1))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", own.context["rows"][0].time)


@pytest.mark.django_db
def test_list_records_the_filters_used(personas: Any, login: Login) -> None:
    query = {"username": "editor_a", "outcome": "denied", "since": "2026-01-01", "p": "3"}
    login(personas.audit_admin).get(reverse("govsite_audit:index"), query)

    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.outcome) == ("audit.query", "success")
    assert event.detail == {
        "filters": {"username": "editor_a", "outcome": "denied", "since": "2026-01-01"},
        "page": "3",
    }


@pytest.mark.django_db
def test_invalid_filters_show_errors_and_read_no_rows(personas: Any, login: Login) -> None:
    response = login(personas.audit_admin).get(
        reverse("govsite_audit:index"), {"since": "2026-03-02", "until": "2026-03-01"}
    )

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "结束日期不能早于开始日期" in response.content.decode()
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.outcome) == ("audit.query", "failure")
    assert event.detail == {"errors": {"until": [{"message": "结束日期不能早于开始日期", "code": ""}]}}


@pytest.mark.django_db
def test_list_renders_hostile_text_escaped(personas: Any, login: Login) -> None:
    record(None, "test.xss", object_type="test.thing", object_repr="<script>alert(1)</script>")

    content = login(personas.audit_admin).get(reverse("govsite_audit:index")).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def _list_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("govsite_audit:index"))
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_list_runs_a_fixed_number_of_queries(
    personas: Any, login: Login, make_events: Callable[[int], list[AuditEvent]]
) -> None:
    make_events(10)
    client = login(personas.audit_admin)
    client.get(reverse("govsite_audit:index"))  # first admin visit creates the Wagtail user profile
    with_ten = _list_queries(client)
    make_events(50)
    with_sixty = _list_queries(client)
    # The same statements whatever the number of rows: session, user, role checks, the audit row for
    # this query, count, one page of rows, and the admin furniture (whose size other apps' menu items
    # change, so the exact total is not pinned here).
    assert len(with_sixty) == len(with_ten), "\n".join(with_sixty)


# --- verification -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_shows_an_intact_chain(personas: Any, login: Login) -> None:
    client = login(personas.audit_admin)
    checked = _head()

    response = client.post(reverse("govsite_audit:verify"))

    content = response.content.decode()
    assert "审计日志哈希链完整" in content
    assert f"已校验 {checked} 条记录" in content
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.outcome, event.detail) == (
        "audit.verify",
        "success",
        {"checked": checked, "broken_seq": None, "reason": ""},
    )


def test_verify_shows_the_first_broken_row(
    personas: Any, login: Login, lifted_triggers: Callable[[str, list[object]], None]
) -> None:
    lifted_triggers("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["篡改", 5])

    response = login(personas.audit_admin).post(reverse("govsite_audit:verify"))

    content = response.content.decode()
    assert "审计日志哈希链断裂" in content
    assert "第一条有问题的记录序号为 5" in content
    assert "本条内容与哈希不符：该记录被修改" in content
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.outcome) == ("audit.verify", "failure")
    assert event.detail == {"checked": 4, "broken_seq": 5, "reason": "本条内容与哈希不符：该记录被修改"}


# --- downloads --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_download_holds_the_filtered_rows(personas: Any, login: Login) -> None:
    client = login(personas.audit_admin)
    wanted = record(personas.editor_a, "accounts.update_profile", personas.editor_a, detail={"after": "新"})
    record(personas.editor_b, "accounts.update_profile", personas.editor_b)

    response = client.get(
        reverse("govsite_audit:export", kwargs={"fmt": "csv"}), {"username": "editor_a", "action": "profile"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == list(HEADERS)
    assert [row[0] for row in rows[1:]] == [str(wanted.seq)]
    assert rows[1][12] == wanted.hash
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_username) == ("audit.export", "auditadmin")
    assert event.detail == {
        "format": "csv",
        "filters": {"username": "editor_a", "action": "profile"},
        "rows": 1,
        "upto_seq": wanted.seq + 1,
    }


@pytest.mark.django_db
def test_xlsx_download_holds_the_filtered_rows(personas: Any, login: Login) -> None:
    wanted = record(None, "test.download", object_type="test.thing", object_repr="=1+1")

    response = login(personas.audit_admin).get(
        reverse("govsite_audit:export", kwargs={"fmt": "xlsx"}), {"action": "test.download"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert len(rows) == 2
    assert (rows[1][0], rows[1][6], rows[1][9]) == (wanted.seq, "test.download", "'=1+1")


@pytest.mark.django_db
def test_download_with_invalid_filters_goes_back_to_the_list(personas: Any, login: Login) -> None:
    client = login(personas.audit_admin)
    before = _head()
    query = {"since": "2026-03-02", "until": "2026-03-01"}

    response = client.get(reverse("govsite_audit:export", kwargs={"fmt": "csv"}), query)

    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_audit:index") + "?since=2026-03-02&until=2026-03-01"
    assert _head() == before

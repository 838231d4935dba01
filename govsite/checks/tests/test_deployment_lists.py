"""The deployment's 保护词表 and 过时机构名称 (issue 6, T1/T3): kept by the 系统管理员 in the admin, audited,
and handed to the engines by ``deployment_extra`` and the review runner."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govsite.audit.models import AuditEvent
from govsite.checks.deployment import deployment_extra
from govsite.checks.engine import CheckContext, Severity
from govsite.checks.engines.outdated import OutdatedNamesEngine
from govsite.checks.engines.terms import ProtectedTermsEngine
from govsite.checks.models import OutdatedName, ProtectedTerm
from govsite.review import actions as review_actions
from govsite.review.tests.conftest import draft
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

LEADER_TEXT = "陈启民市长出席会议并讲话。"
OLD_NAME = "青山市城市管理行政执法局"
NEW_NAME = "青山市城市管理局"


@pytest.fixture(scope="module")
def terms_engine() -> ProtectedTermsEngine:
    return ProtectedTermsEngine()


@pytest.fixture(scope="module")
def outdated_engine() -> OutdatedNamesEngine:
    return OutdatedNamesEngine()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _add_leader(personas: Any, valid_from: date, valid_until: date) -> ProtectedTerm:
    client = _client(personas.system_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("protected_terms:add"),
        {
            "kind": ProtectedTerm.Kind.LEADER,
            "term": "",
            "name": "陈启明",
            "title": "市长",
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [row] = AuditEvent.objects.order_by("seq")[before:]
    assert (row.action, row.outcome) == ("checks.term_create", AuditEvent.Outcome.SUCCESS)
    return ProtectedTerm.objects.get()


def _add_outdated(personas: Any, effective: date) -> OutdatedName:
    client = _client(personas.system_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("outdated_names:add"),
        {
            "old_name": OLD_NAME,
            "new_name": NEW_NAME,
            "effective_date": effective.isoformat(),
            "source": "机构改革方案",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [row] = AuditEvent.objects.order_by("seq")[before:]
    assert (row.action, row.outcome) == ("checks.outdated_create", AuditEvent.Outcome.SUCCESS)
    return OutdatedName.objects.get()


def _t1(engine: ProtectedTermsEngine, text: str, on: date) -> list[tuple[str, Severity, str, str]]:
    context = CheckContext(on=on, extra=deployment_extra(on))
    return [(x.rule, x.severity, x.matched, x.suggestion) for x in engine.scan(text, context)]


def test_a_leader_added_in_the_admin_is_protected_within_his_term(
    personas: Any, terms_engine: ProtectedTermsEngine
) -> None:
    _add_leader(personas, date(2023, 1, 1), date(2027, 12, 31))

    assert _t1(terms_engine, LEADER_TEXT, date(2024, 5, 1)) == [
        ("T1", Severity.CRITICAL, "陈启民市长", "陈启明市长")
    ]
    assert _t1(terms_engine, "市长陈启民出席会议。", date(2024, 5, 1))[0][1:] == (
        Severity.CRITICAL,
        "市长陈启民",
        "市长陈启明",
    )
    assert _t1(terms_engine, LEADER_TEXT, date(2022, 12, 31)) == []
    assert _t1(terms_engine, LEADER_TEXT, date(2028, 1, 1)) == []
    assert _t1(terms_engine, "陈启民同志出席会议。", date(2024, 5, 1)) == []  # the name alone is not


def _page_findings(personas: Any, body: str) -> list[tuple[str, str, str]]:
    column = f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a, slug="jydt")
    page = draft(column, "会议通知", body=body, user=personas.editor_a)
    found = review_actions.run_checks(None, page, trigger="manual")
    return [(x.rule, x.severity, x.matched) for x in found]


def test_run_checks_reports_a_near_miss_of_a_current_leader(personas: Any) -> None:
    today = timezone.localdate()
    _add_leader(personas, today - timedelta(days=365), today + timedelta(days=365))
    assert ("T1", "critical", "陈启民市长") in _page_findings(personas, f"<p>{LEADER_TEXT}</p>")


def test_run_checks_ignores_a_former_leader(personas: Any) -> None:
    today = timezone.localdate()
    _add_leader(personas, today - timedelta(days=2000), today - timedelta(days=1))
    assert not [x for x in _page_findings(personas, f"<p>{LEADER_TEXT}</p>") if x[0] == "T1"]


def test_run_checks_keeps_the_sites_own_names(personas: Any) -> None:
    extra = deployment_extra(timezone.localdate())
    assert extra == {"terms": [], "outdated_names": []}
    assert personas.site_a.name  # protected from the site row as before (test_findings covers the rest)


def test_an_outdated_name_is_flagged_after_its_effective_date(
    personas: Any, outdated_engine: OutdatedNamesEngine
) -> None:
    _add_outdated(personas, date(2019, 2, 1))
    text = f"{OLD_NAME}发布通知。"

    def hits(on: date) -> list[tuple[str, str, str]]:
        context = CheckContext(on=on, extra=deployment_extra(on))
        return [(x.rule, x.matched, x.suggestion) for x in outdated_engine.scan(text, context)]

    assert hits(date(2019, 3, 1)) == [("T3", OLD_NAME, NEW_NAME)]
    assert hits(date(2019, 1, 15)) == []


def test_run_checks_flags_an_outdated_name_only_after_the_change(personas: Any) -> None:
    today = timezone.localdate()
    row = _add_outdated(personas, today + timedelta(days=30))
    body = f"<p>{OLD_NAME}发布通知。</p>"
    assert not [x for x in _page_findings(personas, body) if x[0] == "T3"]

    _client(personas.system_admin).post(
        reverse("outdated_names:edit", args=[row.pk]),
        {
            "old_name": OLD_NAME,
            "new_name": NEW_NAME,
            "effective_date": (today - timedelta(days=30)).isoformat(),
            "source": "机构改革方案",
        },
    )
    column = f.column(personas.site_a, "工作动态", responsible_unit=personas.unit_a, slug="gzdt")
    page = draft(column, "通知", body=body, user=personas.editor_a)
    found = review_actions.run_checks(None, page, trigger="manual")
    assert [(x.rule, x.matched) for x in found if x.rule == "T3"] == [("T3", OLD_NAME)]


def test_deployment_extra_shapes_and_queries(personas: Any, django_assert_num_queries: Any) -> None:
    ProtectedTerm.objects.create(kind=ProtectedTerm.Kind.INSTITUTION, term="青山市人民政府办公室")
    ProtectedTerm.objects.create(
        kind=ProtectedTerm.Kind.LEADER, name="陈启明", title="市长、市委副书记", valid_from=date(2023, 1, 1)
    )
    ProtectedTerm.objects.create(
        kind=ProtectedTerm.Kind.LEADER, name="王晓东", title="市长", valid_until=date(2022, 12, 31)
    )
    OutdatedName.objects.create(
        old_name="青山市外事侨务办公室",
        new_name="青山市外事办公室",
        effective_date=date(2019, 2, 1),
        still_valid_as_brand=True,
    )
    with django_assert_num_queries(2):
        extra = deployment_extra(date(2024, 1, 1))
    assert extra == {
        "terms": [
            {"term": "青山市人民政府办公室", "kind": "机构名称"},
            {"name": "陈启明", "title": "市长、市委副书记"},
        ],
        "outdated_names": [
            {
                "old": "青山市外事侨务办公室",
                "new": "青山市外事办公室",
                "effective_date": "2019-02-01",
                "still_valid_as_brand": True,
            }
        ],
    }
    assert [t["name"] for t in deployment_extra(date(2022, 6, 1))["terms"] if "name" in t] == ["王晓东"]


def test_the_system_admin_edits_and_deletes_with_one_audit_row_each(personas: Any) -> None:
    client = _client(personas.system_admin)
    assert client.get(reverse("protected_terms:index")).status_code == 200
    assert client.get(reverse("outdated_names:index")).status_code == 200
    term = _add_leader(personas, date(2023, 1, 1), date(2027, 12, 31))

    before = AuditEvent.objects.count()
    response = client.post(
        reverse("protected_terms:edit", args=[term.pk]),
        {
            "kind": ProtectedTerm.Kind.LEADER,
            "term": "",
            "name": "陈启明",
            "title": "市长、市委副书记",
            "valid_from": "2023-01-01",
            "valid_until": "2027-12-31",
            "note": "",
        },
    )
    assert response.status_code == 302
    [row] = AuditEvent.objects.order_by("seq")[before:]
    assert row.action == "checks.term_update"
    assert row.detail["changed"] == {"title": ["市长", "市长、市委副书记"]}
    term.refresh_from_db()
    assert term.title == "市长、市委副书记"

    before = AuditEvent.objects.count()
    assert client.post(reverse("protected_terms:delete", args=[term.pk])).status_code == 302
    [row] = AuditEvent.objects.order_by("seq")[before:]
    assert (row.action, row.object_id) == ("checks.term_delete", str(term.pk))
    assert not ProtectedTerm.objects.exists()

    name = _add_outdated(personas, date(2019, 2, 1))
    before = AuditEvent.objects.count()
    assert client.post(reverse("outdated_names:delete", args=[name.pk])).status_code == 302
    [row] = AuditEvent.objects.order_by("seq")[before:]
    assert row.action == "checks.outdated_delete"
    assert not OutdatedName.objects.exists()


def test_an_invalid_leader_is_refused_on_the_form_without_audit(personas: Any) -> None:
    client = _client(personas.system_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("protected_terms:add"),
        {
            "kind": ProtectedTerm.Kind.LEADER,
            "name": "陈启明",
            "title": "",
            "valid_from": "",
            "valid_until": "",
        },
    )
    assert response.status_code == 200
    assert "领导姓名职务须填写职务" in response.content.decode()
    assert not ProtectedTerm.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["site_admin_a", "editor_a", "security_admin", "audit_admin"])
def test_everyone_else_is_refused_with_one_denied_row(personas: Any, persona: str) -> None:
    term = ProtectedTerm.objects.create(kind=ProtectedTerm.Kind.INSTITUTION, term="青山市人民政府")
    name = OutdatedName.objects.create(old_name=OLD_NAME, new_name=NEW_NAME, effective_date=date(2019, 2, 1))
    client = _client(getattr(personas, persona))
    assert not AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).exists()
    requests: list[tuple[str, str, dict[str, str] | None, str]] = [
        ("get", reverse("protected_terms:index"), None, "checks.term_access"),
        ("post", reverse("protected_terms:add"), {"kind": "机构名称", "term": "x"}, "checks.term_access"),
        (
            "post",
            reverse("protected_terms:edit", args=[term.pk]),
            {"kind": "机构名称", "term": "y"},
            "checks.term_access",
        ),
        ("post", reverse("protected_terms:delete", args=[term.pk]), {}, "checks.term_access"),
        ("get", reverse("outdated_names:index"), None, "checks.outdated_access"),
        ("post", reverse("outdated_names:delete", args=[name.pk]), {}, "checks.outdated_access"),
    ]
    for method, url, data, action in requests:
        before = AuditEvent.objects.count()
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 403, (persona, url, response.status_code)
        [row] = AuditEvent.objects.order_by("seq")[before:]
        assert (row.action, row.outcome) == (action, AuditEvent.Outcome.DENIED)
    assert list(ProtectedTerm.objects.values_list("term", flat=True)) == ["青山市人民政府"]
    assert OutdatedName.objects.count() == 1


@pytest.mark.parametrize("persona", ["site_admin_a", "editor_a", "security_admin"])
def test_the_actions_refuse_everyone_else(personas: Any, persona: str) -> None:
    from django.core.exceptions import PermissionDenied

    from govsite.checks import actions

    with pytest.raises(PermissionDenied):
        actions.create_protected_term(getattr(personas, persona), kind="机构名称", term="青山市人民政府")
    assert not ProtectedTerm.objects.exists()
    [row] = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED)
    assert row.action == "checks.term_create"

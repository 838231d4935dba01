"""The review admin pages for every persona: who sees a page's 内容检查结果 and who may fix, dismiss or
override; a refused call answers 403, writes one ``denied`` row and changes nothing. The findings list
runs the same number of queries whatever its length."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govsite.audit.models import AuditEvent
from govsite.checks.tests.files import ID_A, ID_B, ID_C
from govsite.content.models import ArticlePage
from govsite.review import actions
from govsite.review.models import CheckException, ReviewFinding
from govsite.review.tests.conftest import draft, submit

pytestmark = pytest.mark.django_db

ALL = [
    "editor_a",
    "reviewer_a",
    "site_admin_a",
    "unit_head_a",
    "editor_b",
    "system_admin",
    "security_admin",
    "audit_admin",
]
MAY_VIEW = {"editor_a", "reviewer_a", "site_admin_a", "unit_head_a"}
MAY_DISMISS = {"reviewer_a", "unit_head_a"}


def _user(personas: Any, unit_head_a: Any, name: str) -> Any:
    return unit_head_a if name == "unit_head_a" else getattr(personas, name)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state() -> tuple[Any, ...]:
    return (
        list(ReviewFinding.objects.order_by("pk").values_list("pk", "status", "matched")),
        list(CheckException.objects.values_list("pk", flat=True)),
    )


def _denied(action: str) -> int:
    return AuditEvent.objects.filter(action=action, outcome=AuditEvent.Outcome.DENIED).count()


@pytest.fixture
def item(personas: Any, column_a: Any) -> Any:
    page = draft(
        column_a,
        "资助名单公示",
        body=f"<p>张三，身份证 {ID_A}，电话 13800138000。</p>",
        user=personas.editor_a,
    )
    submit(page, personas.editor_a)
    return page


@pytest.mark.parametrize("persona", ALL)
def test_findings_page(personas: Any, unit_head_a: Any, item: Any, persona: str) -> None:
    response = _client(_user(personas, unit_head_a, persona)).get(
        reverse("govsite_review:findings", args=[item.pk])
    )
    if persona in MAY_VIEW:
        assert response.status_code == 200
        html = response.content.decode()
        assert f"<mark>{ID_A}</mark>" in html
        assert "规则说明（P1）：身份证号：完整的身份证号属于个人敏感信息" in html
        assert html.count(">一键脱敏</button>") == 2
        assert html.count(">忽略（加入本站例外）</button>") == (2 if persona in MAY_DISMISS else 0)
        assert ("单位负责人特批" in html) is (persona == "unit_head_a")
        assert _denied("review.view_findings") == 0
        [shown] = AuditEvent.objects.filter(action="review.view_personal_data")  # DB-26
        assert shown.actor_id == _user(personas, unit_head_a, persona).pk
        assert len(shown.detail["findings"]) == 2
    else:
        assert response.status_code == 403
        assert "无权查看该页面的内容检查结果。本次访问已记入审计日志。" in response.content.decode()
        assert ID_A not in response.content.decode()
        assert _denied("review.view_findings") == 1


@pytest.mark.parametrize("persona", ALL)
def test_fix(personas: Any, unit_head_a: Any, item: Any, persona: str) -> None:
    finding = ReviewFinding.objects.get(page=item, rule="P1")
    before, revisions = _state(), item.revisions.count()
    response = _client(_user(personas, unit_head_a, persona)).post(
        reverse("govsite_review:fix", args=[finding.pk])
    )
    if persona in MAY_VIEW:
        assert response.status_code == 302
        assert response["Location"] == reverse("govsite_review:findings", args=[item.pk])
        assert ReviewFinding.objects.get(pk=finding.pk).status == "fixed"
        assert item.revisions.count() == revisions + 1
    else:
        assert response.status_code == 403
        assert (_state(), item.revisions.count()) == (before, revisions)
        assert _denied("review.fix") == 1


@pytest.mark.parametrize("persona", ALL)
def test_dismiss(personas: Any, unit_head_a: Any, item: Any, persona: str) -> None:
    finding = ReviewFinding.objects.get(page=item, rule="P2")
    before = _state()
    response = _client(_user(personas, unit_head_a, persona)).post(
        reverse("govsite_review:dismiss", args=[finding.pk]), {"reason": "单位公开电话"}
    )
    if persona in MAY_DISMISS:
        assert response.status_code == 302
        assert ReviewFinding.objects.get(pk=finding.pk).status == "dismissed"
        assert CheckException.objects.get().reason == "单位公开电话"
    else:
        assert response.status_code == 403
        assert _state() == before
        assert _denied("review.dismiss") == 1


@pytest.mark.parametrize("persona", ALL)
def test_override(personas: Any, unit_head_a: Any, item: Any, persona: str) -> None:
    before = _state()
    response = _client(_user(personas, unit_head_a, persona)).post(
        reverse("govsite_review:override", args=[item.pk]), {"reason": "依法公示"}
    )
    if persona == "unit_head_a":
        assert response.status_code == 302
        assert ReviewFinding.objects.get(page=item, rule="P1").status == "overridden"
        assert AuditEvent.objects.get(action="review.override").detail["reason"] == "依法公示"
    else:
        assert response.status_code == 403
        assert _state() == before
        assert _denied("review.override") == 1


def test_override_without_a_reason_is_refused_with_a_message(
    personas: Any, unit_head_a: Any, item: Any
) -> None:
    before = _state()
    client = _client(unit_head_a)
    response = client.post(reverse("govsite_review:override", args=[item.pk]), {"reason": ""}, follow=True)
    assert "请填写特批理由" in response.content.decode()
    assert _state() == before


def test_anonymous_is_sent_to_login(item: Any) -> None:
    response = Client().get(reverse("govsite_review:findings", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_findings_list_runs_a_fixed_number_of_queries(personas: Any, column_a: Any) -> None:
    few = draft(column_a, "少", body=f"<p>{ID_A}</p>", user=personas.editor_a)
    many = draft(
        column_a,
        "多",
        body="".join(f"<p>{n} {ID_A} {ID_B} {ID_C} 1380013800{n}</p>" for n in range(5)),
        user=personas.editor_a,
    )
    for page in (few, many):
        submit(page, personas.editor_a)
    assert ReviewFinding.objects.filter(page=few).count() == 1
    assert ReviewFinding.objects.filter(page=many).count() == 20
    ReviewFinding.objects.filter(page=many, rule="P2").update(
        status="dismissed", resolved_by=personas.reviewer_a
    )
    client = _client(personas.reviewer_a)
    client.get(reverse("govsite_review:findings", args=[few.pk]))  # warm the session and caches
    counts = []
    for page in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("govsite_review:findings", args=[page.pk])).status_code == 200
        counts.append(len(queries))
    # Session, user, its permissions (2), profile; the page, its site, column and the user's roles; the
    # findings with their files and people; the audit row for showing personal data (7: savepoint, the
    # actor's groups, chain head, insert…; PostgreSQL also takes the chain's advisory lock: one more);
    # then the admin menu's locale and permission lookups (4).
    expected = {"sqlite": 21, "postgresql": 22}[connection.vendor]
    assert counts == [expected, expected]


def test_the_editor_shows_the_findings_notice_and_button(personas: Any, item: Any) -> None:
    response = _client(personas.reviewer_a).get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
    html = response.content.decode()
    assert (
        "内容检查发现 1 条严重问题，须一键脱敏或修改后方可批准；确需发布的，由单位负责人填写理由特批" in html
    )
    assert html.count(reverse("govsite_review:findings", args=[item.pk])) == 2  # notice and header button


@pytest.mark.parametrize("persona", ALL)
def test_workflow_settings_page(personas: Any, unit_head_a: Any, column_a: Any, persona: str) -> None:
    client = _client(_user(personas, unit_head_a, persona))
    url = reverse("govsite_review:workflows")
    response = client.get(url)
    if persona != "site_admin_a":
        assert response.status_code == 403
        assert _denied("review.view_workflows") == 1
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "信息员提交 → 本站审核人（科室审核）（保密审查） → 栏目责任单位负责人" in html
    response = client.post(
        url,
        {
            "target": str(column_a.pk),
            "step1": "reviewer",
            "secrecy1": "on",
            "step2": "site_admin",
            "step3": "",
        },
    )
    assert response.status_code == 302
    assigned = column_a.get_workflow()
    assert [t.approver for t in assigned.tasks.specific()] == ["reviewer", "site_admin"]
    response = client.post(url, {"target": "site", "step1": "reviewer"})
    assert "审核流程中至少要有一个保密审查步骤（“上网不涉密”）" in response.content.decode()


def _edit_form(client: Client, page: Any) -> Any:
    from wagtail.test.utils.form_data import querydict_from_html

    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return edit, querydict_from_html(client.get(edit).content.decode(), form_id="page-edit-form")


def test_under_a_review_workflow_only_the_site_admin_sees_publish(personas: Any, item: Any) -> None:
    edit = reverse("wagtailadmin_pages:edit", args=[item.pk])
    assert 'name="action-publish"' not in _client(personas.reviewer_a).get(edit).content.decode()
    assert 'name="action-publish"' in _client(personas.site_admin_a).get(edit).content.decode()


def test_a_reviewer_cannot_publish_around_the_workflow(personas: Any, item: Any) -> None:
    client = _client(personas.reviewer_a)
    edit, data = _edit_form(client, item)
    data["action-publish"] = "action-publish"

    response = client.post(edit, data)

    assert response.status_code == 302
    assert response["Location"] == edit
    item.refresh_from_db()
    assert item.live is False
    [row] = AuditEvent.objects.filter(action="review.publish")
    assert (row.outcome, row.detail["reason"]) == (
        AuditEvent.Outcome.DENIED,
        "本站信息须按审核流程逐级审批后发布，只有站点管理员可以直接发布",
    )


def test_the_site_admins_direct_publish_is_gated_by_the_checks(personas: Any, item: Any) -> None:
    client = _client(personas.site_admin_a)
    edit, data = _edit_form(client, item)
    data["action-publish"] = "action-publish"

    response = client.post(edit, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("govsite_review:findings", args=[item.pk])
    item.refresh_from_db()
    assert item.live is False
    [row] = AuditEvent.objects.filter(action="review.publish")
    assert row.outcome == AuditEvent.Outcome.FAILURE
    assert row.detail["reason"] == (
        "内容检查发现 1 条严重问题，须一键脱敏或修改后方可发布；确需发布的，由单位负责人填写理由特批"
    )

    actions.fix_finding(personas.site_admin_a, ReviewFinding.objects.get(page=item, rule="P1"))
    edit, data = _edit_form(client, item)
    data["action-publish"] = "action-publish"
    assert client.post(edit, data).status_code == 302
    item.refresh_from_db()
    assert item.live is True
    assert ID_A not in item.body


@pytest.mark.parametrize("persona", ["reviewer_a", "editor_a", "unit_head_a", "system_admin"])
def test_only_the_site_admin_clears_a_columns_workflow(
    personas: Any, unit_head_a: Any, column_a: Any, persona: str
) -> None:
    own = actions.configure_workflow(personas.site_admin_a, column_a, actions.DEFAULT_STEPS)
    url = reverse("govsite_review:clear_workflow", args=[column_a.pk])
    assert _client(_user(personas, unit_head_a, persona)).post(url).status_code == 403
    assert column_a.get_workflow() == own
    assert _denied("review.clear_column_workflow") == 1
    assert _client(personas.site_admin_a).post(url).status_code == 302
    assert AuditEvent.objects.filter(action="review.clear_column_workflow", outcome="success").count() == 1


def test_the_explorers_bulk_publish_is_gated_too(personas: Any, column_a: Any, item: Any) -> None:
    clean = draft(column_a, "无问题的信息", user=personas.editor_a)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = f"?id={clean.pk}&id={item.pk}&next=/admin/"

    response = _client(personas.reviewer_a).post(url + query, {})
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(pk__in=[clean.pk, item.pk], live=True).exists()
    assert AuditEvent.objects.get(action="review.publish").outcome == AuditEvent.Outcome.DENIED

    response = _client(personas.site_admin_a).post(url + query, {})
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(pk__in=[clean.pk, item.pk], live=True).exists()  # all or none
    outcomes = list(
        AuditEvent.objects.filter(action="review.publish").order_by("seq").values_list("outcome", flat=True)
    )
    assert outcomes == [AuditEvent.Outcome.DENIED, AuditEvent.Outcome.FAILURE]

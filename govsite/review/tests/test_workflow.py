"""分级审核 end to end through the actions: checks on submit and on every approval, 保密审查, the
critical-finding gate, one-click masking in an XLSX attachment, the 单位负责人's override, and the
live page staying unchanged while an edit is in review."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from wagtail.models import Page, TaskState, WorkflowState

from govsite.audit.models import AuditEvent
from govsite.checks.tests.files import ID_A, xlsx_bytes
from govsite.content.models import ArticlePage
from govsite.review import actions
from govsite.review.models import Approver, ReviewFinding, ReviewTask
from govsite.review.tests.conftest import draft, make_document, submit

pytestmark = pytest.mark.django_db

MASKED_A = "35*************234"
PEOPLE = [("序号", "姓名", "身份证号"), ("1", "张三", ID_A)]


def _approve(user: Any, page: Page, *, attested: bool = True, comment: str = "") -> None:
    page = Page.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    assert task_state is not None
    task_state.task.specific.on_action(
        task_state, user, "approve", secrecy_attested=attested, comment=comment
    )


def _events(action: str, outcome: str = AuditEvent.Outcome.SUCCESS) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, outcome=outcome).order_by("seq"))


@pytest.fixture
def xlsx_item(personas: Any, column_a: Any) -> tuple[ArticlePage, Any]:
    document = make_document(personas.site_a, "名单.xlsx", xlsx_bytes({"名单": PEOPLE}))
    page = draft(column_a, "关于公布2026年资助名单的通知", documents=[document], user=personas.editor_a)
    return page, document


def test_a_new_site_gets_the_two_step_workflow(personas: Any) -> None:
    workflow = personas.site_a.root_page.get_workflow()
    assert workflow.name == f"{personas.site_a.name}审核流程"
    steps = [(t.name, t.approver, t.secrecy_attestation, t.site_id) for t in workflow.tasks.specific()]
    assert steps == [
        (f"{personas.site_a.name}·科室审核（保密审查）", Approver.REVIEWER, True, personas.site_a.pk),
        (f"{personas.site_a.name}·单位负责人审批", Approver.UNIT_HEAD, False, personas.site_a.pk),
    ]


def test_submit_runs_the_checks_over_the_attachment(personas: Any, xlsx_item: Any) -> None:
    page, document = xlsx_item
    submit(page, personas.editor_a)

    [finding] = ReviewFinding.objects.filter(page=page)
    assert (finding.rule, finding.severity, finding.status, finding.trigger) == (
        "P1",
        "critical",
        "open",
        "submit",
    )
    assert (finding.source, finding.document_id, finding.attachment_name, finding.location) == (
        "attachment",
        document.pk,
        "名单.xlsx",
        "名单!C2",
    )
    assert (finding.matched, finding.suggestion) == (ID_A, MASKED_A)
    assert finding.context_before.endswith("张三\t")
    assert finding.place == "附件《名单.xlsx》名单!C2"
    [run] = _events("review.run_checks")
    assert run.actor_username == "editor_a"
    assert run.detail["trigger"] == "submit"
    assert run.detail["by_severity"] == {"critical": 1}
    assert run.detail["attachments"] == 1


def test_approval_without_secrecy_attestation_is_refused(personas: Any, xlsx_item: Any) -> None:
    page, _ = xlsx_item
    submit(page, personas.editor_a)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    with pytest.raises(actions.ApprovalRefused, match="未确认“经审查不涉密”，不能批准"):
        actions.approve_step(personas.reviewer_a, task_state, secrecy_attested=False)
    assert Page.objects.get(pk=page.pk).current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    [failure] = _events("review.approve", AuditEvent.Outcome.FAILURE)
    assert failure.detail["reason"] == "未确认“经审查不涉密”，不能批准"
    assert _events("review.secrecy_attested") == []


def test_a_critical_finding_blocks_approval(personas: Any, xlsx_item: Any) -> None:
    page, _ = xlsx_item
    submit(page, personas.editor_a)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    with pytest.raises(actions.ApprovalRefused) as refused:
        actions.approve_step(personas.reviewer_a, task_state, secrecy_attested=True)
    assert str(refused.value) == (
        "内容检查发现 1 条严重问题，须一键脱敏或修改后方可批准；确需发布的，由单位负责人填写理由特批"
    )
    # Through Wagtail's task interface (the dashboard's dialog) a refusal leads to the findings page.
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    redirect = task_state.task.specific.on_action(
        task_state, personas.reviewer_a, "approve", secrecy_attested=True
    )
    assert redirect == f"/admin/review/pages/{page.pk}/findings/"
    assert Page.objects.get(pk=page.pk).current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert [e.detail["trigger"] for e in _events("review.run_checks")] == ["submit", "approve", "approve"]
    assert len(_events("review.approve", AuditEvent.Outcome.FAILURE)) == 2
    assert _events("review.secrecy_attested") == []


def test_masking_the_xlsx_then_approving_through_both_steps_publishes(
    personas: Any, xlsx_item: Any, unit_head_a: Any
) -> None:
    page, document = xlsx_item
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page)
    url, name = document.url, document.file.name

    actions.fix_finding(personas.reviewer_a, finding)

    document.refresh_from_db()
    assert (document.url, document.file.name) == (url, name)  # the same URL now serves the new bytes
    with document.open_file() as handle:
        data = handle.read()
    assert load_workbook(io.BytesIO(data))["名单"]["C2"].value == MASKED_A
    assert ID_A.encode() not in data
    assert document.file_size == len(data)
    finding.refresh_from_db()
    assert (finding.status, finding.matched, finding.resolved_by) == ("fixed", MASKED_A, personas.reviewer_a)
    [fix] = _events("review.fix")
    assert fix.detail["document"] == document.pk
    assert fix.detail["place"] == "附件《名单.xlsx》名单!C2"
    assert ID_A not in str(fix.detail)
    assert not ReviewFinding.objects.filter(page=page, status="open").exists()

    _approve(personas.reviewer_a, page, comment="同意")
    [attested] = _events("review.secrecy_attested")
    assert attested.actor_username == "reviewer_a"
    assert attested.detail["attestation"] == "经审查不涉密"
    assert attested.detail["name"] == "甲审核人"
    assert attested.detail["at"]
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live is False
    assert page.current_workflow_task.approver == Approver.UNIT_HEAD

    with pytest.raises(PermissionDenied, match="您不是本审核步骤的审批人"):
        actions.approve_step(personas.reviewer_a, page.current_workflow_task_state, secrecy_attested=True)
    assert len(_events("review.approve", AuditEvent.Outcome.DENIED)) == 1

    _approve(unit_head_a, page, attested=False)  # step 2 asks for no attestation
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live is True
    assert page.current_workflow_state is None
    [published] = AuditEvent.objects.filter(action="wagtail.publish", object_id=str(page.pk))
    assert published.actor_username == "unithead_a"
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_APPROVED
    assert [e.detail["trigger"] for e in _events("review.run_checks")] == [
        "submit",
        "fix",
        "approve",
        "approve",
    ]


def test_the_unit_head_overrides_a_critical_finding_with_a_reason(
    personas: Any, xlsx_item: Any, unit_head_a: Any
) -> None:
    page, _ = xlsx_item
    submit(page, personas.editor_a)

    with pytest.raises(PermissionDenied, match="只有栏目责任单位的负责人可以特批"):
        actions.override_findings(personas.reviewer_a, page, "公示需要")
    with pytest.raises(ValidationError, match="请填写特批理由"):
        actions.override_findings(unit_head_a, page, "  ")
    assert ReviewFinding.objects.get(page=page).status == "open"

    assert actions.override_findings(unit_head_a, page, "依法须公示的资助名单") == 1
    finding = ReviewFinding.objects.get(page=page)
    assert (finding.status, finding.reason, finding.resolved_by) == (
        "overridden",
        "依法须公示的资助名单",
        unit_head_a,
    )
    [override] = _events("review.override")
    assert override.detail["reason"] == "依法须公示的资助名单"
    assert override.detail["findings"] == [
        {"id": finding.pk, "rule": "P1", "place": "附件《名单.xlsx》名单!C2"}
    ]
    assert len(_events("review.override", AuditEvent.Outcome.DENIED)) == 1

    _approve(personas.reviewer_a, page)  # the rerun does not reopen the overridden finding
    _approve(unit_head_a, page)
    assert ArticlePage.objects.get(pk=page.pk).live is True
    assert ReviewFinding.objects.filter(page=page).count() == 1


def test_editing_a_live_page_keeps_it_unchanged_until_approved(
    personas: Any, column_a: Any, unit_head_a: Any
) -> None:
    page = draft(column_a, "原标题", body="<p>原正文。</p>", user=personas.editor_a)
    submit(page, personas.editor_a)
    _approve(personas.reviewer_a, page)
    _approve(unit_head_a, page)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live

    edited = page.get_latest_revision_as_object()
    edited.title = "新标题"
    edited.body = "<p>新正文。</p>"
    edited.save_revision(user=personas.editor_a)
    submit(page, personas.editor_a)
    _approve(personas.reviewer_a, page)

    live = ArticlePage.objects.get(pk=page.pk)
    assert (live.title, live.body, live.has_unpublished_changes) == ("原标题", "<p>原正文。</p>", True)
    _approve(unit_head_a, page)
    live = ArticlePage.objects.get(pk=page.pk)
    assert (live.title, live.body, live.has_unpublished_changes) == ("新标题", "<p>新正文。</p>", False)


def test_fixing_the_body_makes_a_new_revision_and_leaves_the_live_page(
    personas: Any, column_a: Any, unit_head_a: Any
) -> None:
    page = draft(column_a, "通知", body="<p>联系人：张老师</p>", user=personas.editor_a)
    submit(page, personas.editor_a)
    _approve(personas.reviewer_a, page)
    _approve(unit_head_a, page)
    edited = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edited.body = f"<p>联系人：张老师，身份证 {ID_A}，电话 13800138000。</p>"
    edited.save_revision(user=personas.editor_a)
    submit(page, personas.editor_a)
    findings = {f.rule: f for f in ReviewFinding.objects.filter(page=page, status="open")}
    assert set(findings) == {"P1", "P2"}
    revisions = page.revisions.count()

    actions.fix_finding(personas.editor_a, findings["P1"])

    assert page.revisions.count() == revisions + 1
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.body == f"<p>联系人：张老师，身份证 {MASKED_A}，电话 13800138000。</p>"
    assert ArticlePage.objects.get(pk=page.pk).body == "<p>联系人：张老师</p>"  # live is unchanged
    open_rules = list(ReviewFinding.objects.filter(page=page, status="open").values_list("rule", "matched"))
    assert open_rules == [("P2", "13800138000")]
    [fix] = _events("review.fix")
    assert fix.detail["revision"] == page.revisions.order_by("-pk").first().pk


def test_reject_sends_the_page_back(personas: Any, xlsx_item: Any) -> None:
    page, _ = xlsx_item
    submit(page, personas.editor_a)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, personas.reviewer_a, "reject", comment="请脱敏附件")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "请脱敏附件"
    with pytest.raises(PermissionDenied):
        actions.reject_step(personas.editor_b, state.current_task_state, comment="x")


def test_a_resubmission_after_changes_runs_the_checks_again(
    personas: Any, column_a: Any, unit_head_a: Any
) -> None:
    page = draft(column_a, "通知", user=personas.editor_a)
    submit(page, personas.editor_a)
    _approve(personas.reviewer_a, page)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, unit_head_a, "reject", comment="补充联系人")
    edited = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edited.body = "<p>联系人电话：13800138000</p>"
    edited.save_revision(user=personas.editor_a)

    WorkflowState.objects.get(object_id=str(page.pk)).resume(personas.editor_a)

    assert [e.detail["trigger"] for e in _events("review.run_checks")] == ["submit", "approve", "submit"]
    [finding] = ReviewFinding.objects.filter(page=page, status="open")
    assert (finding.rule, finding.trigger) == ("P2", "submit")


def test_review_task_actions_and_editor_access(personas: Any, xlsx_item: Any, unit_head_a: Any) -> None:
    page, _ = xlsx_item
    submit(page, personas.editor_a)
    page = ArticlePage.objects.get(pk=page.pk)
    task = page.current_workflow_task
    assert isinstance(task, ReviewTask)
    assert task.get_actions(page, personas.reviewer_a) == [
        ("reject", "要求修改", True),
        ("approve", "批准", True),
    ]
    for user in (personas.editor_a, personas.editor_b, personas.site_admin_a, unit_head_a):
        assert task.get_actions(page, user) == []
    assert task.locked_for_user(page, personas.editor_a) is True
    assert task.locked_for_user(page, personas.reviewer_a) is False
    assert task.locked_for_user(page, personas.site_admin_a) is False
    assert task.locked_for_user(page, unit_head_a) is True  # not this step's approver
    assert [ts.pk for ts in task.get_task_states_user_can_moderate(personas.reviewer_a)] == [
        page.current_workflow_task_state.pk
    ]
    assert list(task.get_task_states_user_can_moderate(personas.editor_b)) == []

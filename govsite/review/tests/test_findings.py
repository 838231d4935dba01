"""Findings as data: per-site exceptions from dismissals, fixes in DOCX attachments, formats that cannot be
fixed in place, attachments that cannot be checked, and configuring 分级审核 workflows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from wagtail.models import Page, WorkflowPage, WorkflowState

from govsite.audit.models import AuditEvent
from govsite.checks.tests.files import ID_A, PEOPLE_ROWS, docx_bytes, pdf_bytes
from govsite.content.models import ArticlePage
from govsite.review import actions
from govsite.review.actions import Step
from govsite.review.fixing import FixError
from govsite.review.models import Approver, CheckException, ReviewFinding, ReviewTask
from govsite.review.tests.conftest import draft, make_document, submit

pytestmark = pytest.mark.django_db

MASKED_A = "35*************234"


def _snapshot() -> tuple[Any, ...]:
    return (
        list(ReviewFinding.objects.order_by("pk").values_list("pk", "status", "matched")),
        list(CheckException.objects.values_list("pk", flat=True)),
        list(WorkflowPage.objects.order_by("pk").values_list("page_id", "workflow_id")),
    )


def _denied(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, outcome=AuditEvent.Outcome.DENIED))


def test_a_dismissal_is_an_exception_of_its_site_only(personas: Any, column_a: Any, column_b: Any) -> None:
    body = "<p>咨询电话：13800138000</p>"
    page_a = draft(column_a, "甲站通知", body=body, user=personas.editor_a)
    other_a = draft(column_a, "甲站另一通知", body=body, user=personas.editor_a)
    page_b = draft(column_b, "乙站通知", body=body, user=personas.editor_b)
    for page, user in (
        (page_a, personas.editor_a),
        (other_a, personas.editor_a),
        (page_b, personas.editor_b),
    ):
        submit(page, user)
    finding = ReviewFinding.objects.get(page=page_a)
    assert (finding.rule, finding.severity, finding.matched) == ("P2", "review", "13800138000")

    exception = actions.dismiss_finding(personas.reviewer_a, finding, "本单位公开的咨询电话")

    assert (exception.site_id, exception.rule, exception.matched, exception.reason) == (
        personas.site_a.pk,
        "P2",
        "13800138000",
        "本单位公开的咨询电话",
    )
    statuses = dict(ReviewFinding.objects.values_list("page_id", "status"))
    assert statuses == {page_a.pk: "dismissed", other_a.pk: "dismissed", page_b.pk: "open"}
    [row] = AuditEvent.objects.filter(action="review.dismiss")
    assert row.detail["dismissed"] == 2
    assert row.detail["exception"] == exception.pk

    assert actions.recheck(personas.reviewer_a, page_a) == []  # not reported again on site A
    [again] = actions.run_checks(None, page_b, trigger="manual")  # still reported on site B
    assert again.matched == "13800138000"


@pytest.mark.parametrize("persona", ["editor_a", "editor_b", "site_admin_a", "system_admin", "audit_admin"])
def test_dismissing_needs_a_reviewer_or_unit_head(personas: Any, column_a: Any, persona: str) -> None:
    page = draft(column_a, "通知", body="<p>电话 13800138000</p>", user=personas.editor_a)
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page)
    before = _snapshot()
    actor = getattr(personas, persona)
    with pytest.raises(PermissionDenied, match="只有本站审核人或单位负责人可以忽略检查结果"):
        actions.dismiss_finding(actor, finding)
    assert _snapshot() == before
    assert len(_denied("review.dismiss")) == 1


def test_the_unit_head_may_dismiss(personas: Any, column_a: Any, unit_head_a: Any) -> None:
    page = draft(column_a, "通知", body="<p>电话 13800138000</p>", user=personas.editor_a)
    submit(page, personas.editor_a)
    actions.dismiss_finding(unit_head_a, ReviewFinding.objects.get(page=page))
    assert CheckException.objects.filter(site=personas.site_a, rule="P2").count() == 1


def test_an_editor_of_site_b_cannot_fix_site_a_findings(personas: Any, column_a: Any) -> None:
    page = draft(column_a, "通知", body=f"<p>身份证 {ID_A}</p>", user=personas.editor_a)
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page, rule="P1")
    before, revisions = _snapshot(), page.revisions.count()
    with pytest.raises(PermissionDenied, match="无权处理该页面的内容检查结果"):
        actions.fix_finding(personas.editor_b, finding)
    assert (_snapshot(), page.revisions.count()) == (before, revisions)
    assert len(_denied("review.fix")) == 1


def test_fixing_a_docx_attachment(personas: Any, column_a: Any) -> None:
    document = make_document(
        personas.site_a, "名单.docx", docx_bytes(before=["名单如下："], rows=PEOPLE_ROWS[:2])
    )
    page = draft(column_a, "公示", documents=[document], user=personas.editor_a)
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page, rule="P1")
    assert finding.location == "表格 1 第 2 行第 3 列"

    actions.fix_finding(personas.editor_a, finding)

    with document.open_file() as handle:
        table = Document(io.BytesIO(handle.read())).tables[0]
    assert table.rows[1].cells[2].text == MASKED_A
    assert not ReviewFinding.objects.filter(page=page, rule="P1", status="open").exists()


def test_a_pdf_attachment_cannot_be_fixed_in_place(personas: Any, column_a: Any) -> None:
    document = make_document(personas.site_a, "名单.pdf", pdf_bytes([[f"ID {ID_A}"]]))
    page = draft(column_a, "公示", documents=[document], user=personas.editor_a)
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page, rule="P1")
    with document.open_file() as handle:
        before = handle.read()

    with pytest.raises(FixError) as refused:
        actions.fix_finding(personas.reviewer_a, finding)

    assert str(refused.value) == ".pdf 格式的附件无法在原文件中直接脱敏，请信息员修改原文件后重新上传"
    assert ReviewFinding.objects.get(pk=finding.pk).status == "open"
    with document.open_file() as handle:
        assert handle.read() == before
    assert not AuditEvent.objects.filter(action="review.fix").exists()


def test_a_scanned_pdf_is_reported_as_not_checked(personas: Any, column_a: Any) -> None:
    document = make_document(personas.site_a, "扫描件.pdf", pdf_bytes([None]))
    page = draft(column_a, "公示", documents=[document], user=personas.editor_a)
    submit(page, personas.editor_a)
    [finding] = ReviewFinding.objects.filter(page=page)
    assert (finding.rule, finding.severity, finding.matched) == ("T6", "review", "")
    assert finding.message == "附件部分内容未检查：第 1 页没有文字层（可能是扫描件），未检查"
    with pytest.raises(ValidationError, match="“未检查”的附件不能加入例外"):
        actions.dismiss_finding(personas.reviewer_a, finding)


def test_site_admin_gives_a_column_its_own_workflow(personas: Any, column_a: Any, unit_head_a: Any) -> None:
    steps = [Step(Approver.REVIEWER), Step(Approver.SITE_ADMIN, secrecy=True), Step(Approver.UNIT_HEAD)]
    workflow = actions.configure_workflow(personas.site_admin_a, column_a, steps)

    assert workflow.name == f"{personas.site_a.name}·教育动态审核流程"
    assert [(t.approver, t.secrecy_attestation) for t in workflow.tasks.specific()] == [
        ("reviewer", False),
        ("site_admin", True),
        ("unit_head", False),
    ]
    page = draft(column_a, "新闻", user=personas.editor_a)
    assert page.get_workflow() == workflow
    [row] = AuditEvent.objects.filter(action="review.configure_workflow")
    assert row.detail["before"] is None
    assert [s["approver"] for s in row.detail["after"]["steps"]] == ["reviewer", "site_admin", "unit_head"]

    actions.clear_column_workflow(personas.site_admin_a, column_a)
    assert Page.objects.get(pk=page.pk).get_workflow() == personas.site_a.root_page.get_workflow()
    assert ReviewTask.objects.get(pk=workflow.tasks.first().pk).workflows.get().active is False


def test_reconfiguring_a_site_keeps_running_reviews_on_their_steps(
    personas: Any, column_a: Any, unit_head_a: Any
) -> None:
    page = draft(column_a, "新闻", user=personas.editor_a)
    submit(page, personas.editor_a)
    old = personas.site_a.root_page.get_workflow()

    new = actions.configure_workflow(personas.site_admin_a, personas.site_a, [Step(Approver.REVIEWER, True)])

    assert Page.objects.get(pk=personas.site_a.root_page.pk).get_workflow() == new
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.workflow == old
    old.refresh_from_db()
    assert old.active is True  # still carrying a running review
    row = AuditEvent.objects.get(action="review.configure_workflow")
    assert [s["approver"] for s in row.detail["before"]["steps"]] == ["reviewer", "unit_head"]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "审核流程至少要有一个步骤"),
        ([Step(Approver.REVIEWER)], "审核流程中至少要有一个保密审查步骤（“上网不涉密”）"),
        ([Step("nobody", True)], "未知的审批人类型：nobody"),
        ([Step(Approver.REVIEWER, True)] * 6, "审核流程最多 5 个步骤"),
    ],
)
def test_invalid_steps_are_refused(personas: Any, steps: list[Step], message: str) -> None:
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        actions.configure_workflow(personas.site_admin_a, personas.site_a, steps)
    assert refused.value.messages == [message]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("reviewer_a", "site_a"),
        ("editor_a", "site_a"),
        ("system_admin", "site_a"),
        ("site_admin_a", "site_b"),
    ],
)
def test_only_the_sites_admin_configures_its_workflow(personas: Any, persona: str, target: str) -> None:
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="只有本站站点管理员可以设置审核流程"):
        actions.configure_workflow(
            getattr(personas, persona), getattr(personas, target), actions.DEFAULT_STEPS
        )
    assert _snapshot() == before
    assert len(_denied("review.configure_workflow")) == 1


def test_the_title_is_checked_and_fixed_too(personas: Any, column_a: Any) -> None:
    page = draft(column_a, f"关于{ID_A}同志的公示", user=personas.editor_a)
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page, rule="P1")
    assert (finding.source, finding.location) == ("title", "标题")
    actions.fix_finding(personas.reviewer_a, finding)
    assert (
        ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().title
        == f"关于{MASKED_A}同志的公示"
    )


def test_a_near_miss_of_the_sites_own_name_is_critical_and_corrected_with_one_click(
    personas: Any, column_a: Any
) -> None:
    sponsor = personas.site_a.sponsor
    assert sponsor == "测试网站sitea主办单位"
    wrong = sponsor.replace("主办", "主力")
    page = draft(column_a, "通知", body=f"<p>{wrong}：现将有关事项通知如下。</p>", user=personas.editor_a)
    submit(page, personas.editor_a)
    finding = ReviewFinding.objects.get(page=page, rule="T1")
    assert (finding.severity, finding.matched, finding.suggestion) == ("critical", wrong, sponsor)

    actions.fix_finding(personas.reviewer_a, finding)

    body = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().body
    assert body == f"<p>{sponsor}：现将有关事项通知如下。</p>"

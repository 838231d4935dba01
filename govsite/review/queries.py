"""Read-side of review: where a page sits (site, responsible unit), its findings, the task states a user
may moderate, and the steps of a workflow. Lists run a fixed number of queries whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from wagtail.models import Page, TaskState, Workflow, WorkflowPage

from govsite.content.models import ColumnPage
from govsite.review import permissions
from govsite.review.models import ReviewFinding, ReviewTask
from govsite.sites.models import GovSite

_SCOPE_ATTR = "_govsite_review_scope"


@dataclass(frozen=True)
class PageScope:
    """A page's place: its site and the unit responsible for the column holding it."""

    page_id: int
    path: str
    site_id: int | None
    unit_id: int | None
    column_id: int | None


def _prefixes(path: str) -> list[str]:
    steplen = Page.steplen
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def page_scope(page: Any) -> PageScope:
    """Site and responsible unit of ``page`` (two queries, then kept on the page object)."""
    cached: PageScope | None = getattr(page, _SCOPE_ATTR, None)
    if cached is not None and cached.page_id == page.pk:
        return cached
    prefixes = _prefixes(page.path)
    site_id = (
        GovSite.objects.filter(wagtail_site__root_page__path__in=prefixes)
        .order_by("-wagtail_site__root_page__depth")
        .values_list("pk", flat=True)
        .first()
    )
    column = (
        ColumnPage.objects.filter(path__in=prefixes)
        .order_by("-depth")
        .values_list("pk", "responsible_unit_id")
        .first()
    )
    scope = PageScope(
        page_id=page.pk,
        path=page.path,
        site_id=site_id,
        unit_id=column[1] if column else None,
        column_id=column[0] if column else None,
    )
    setattr(page, _SCOPE_ATTR, scope)
    return scope


def has_review_workflow(page: Page) -> bool:
    """Whether the workflow that applies to ``page`` (its own or an ancestor's) has review steps."""
    workflow = page.get_workflow()
    return workflow is not None and ReviewTask.objects.filter(workflow_tasks__workflow=workflow).exists()


def page_findings(page: Page) -> QuerySet[ReviewFinding]:
    """Every finding kept for a page, open ones first (one query with the files and people)."""
    return (
        ReviewFinding.objects.filter(page=page)
        .select_related("document", "resolved_by")
        .order_by("status", "source", "document_id", "start", "id")
    )


def open_findings(page: Page) -> QuerySet[ReviewFinding]:
    return ReviewFinding.objects.filter(page=page, status=ReviewFinding.Status.OPEN)


def open_critical_count(page: Page) -> int:
    return open_findings(page).filter(severity="critical").count()


def task_states_user_can_moderate(task: ReviewTask, user: Any) -> QuerySet[TaskState]:
    """In-progress states of ``task`` on pages ``user`` approves (for the dashboard's review panel)."""
    in_progress = TaskState.objects.filter(task=task, status=TaskState.STATUS_IN_PROGRESS)
    if task.approver == "unit_head":
        units = permissions.unit_head_unit_ids(user)
        if not units:
            return TaskState.objects.none()
        paths = list(ColumnPage.objects.filter(responsible_unit_id__in=units).values_list("path", flat=True))
        if not paths:
            return TaskState.objects.none()
        under = Q()
        for path in paths:
            under |= Q(path__startswith=path)
        page_ids = [str(pk) for pk in Page.objects.filter(under).values_list("pk", flat=True)]
        return in_progress.filter(workflow_state__object_id__in=page_ids)
    kind = "reviewer" if task.approver == "reviewer" else "site_admin"
    if permissions._holds_site(user, {kind}, task.site_id):
        return in_progress
    return TaskState.objects.none()


@dataclass(frozen=True)
class StepView:
    name: str
    approver: str
    approver_label: str
    secrecy: bool


def workflow_steps(workflow: Workflow | None) -> list[StepView]:
    """The review steps of a workflow, in order (a non-govsite task shows by its name)."""
    if workflow is None:
        return []
    steps: list[StepView] = []
    for task in workflow.tasks.specific():
        if isinstance(task, ReviewTask):
            steps.append(
                StepView(task.name, task.approver, task.get_approver_display(), task.secrecy_attestation)
            )
        else:
            steps.append(StepView(task.name, "", str(task.get_verbose_name()), False))
    return steps


@dataclass(frozen=True)
class AssignedWorkflow:
    page_id: int
    page_title: str
    is_site_root: bool
    workflow: Workflow
    steps: list[StepView]


def site_workflows(site: GovSite) -> list[AssignedWorkflow]:
    """The workflows assigned on a site's tree: the site's own first, then columns with their own."""
    root = site.root_page
    rows = (
        WorkflowPage.objects.filter(page__path__startswith=root.path)
        .select_related("page", "workflow")
        .order_by("page__path")
    )
    return [
        AssignedWorkflow(
            page_id=row.page_id,
            page_title=row.page.title,
            is_site_root=row.page_id == root.pk,
            workflow=row.workflow,
            steps=workflow_steps(row.workflow),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class FindingRow:
    """A finding as the findings view shows it: with its rule explained and what can be done with it."""

    finding: ReviewFinding
    explanation: str
    can_fix: bool
    fix_note: str  # why a one-click fix is not offered ("" when it is)

    @property
    def fix_label(self) -> str:
        """一键脱敏 for personal data (P rules), 一键更正 for a text correction (T rules)."""
        return "一键脱敏" if self.finding.rule.startswith("P") else "一键更正"


def finding_rows(findings: list[ReviewFinding]) -> list[FindingRow]:
    from govsite.review.explanations import explain
    from govsite.review.fixing import can_fix_file, not_fixable_message

    rows: list[FindingRow] = []
    for finding in findings:
        note = ""
        if finding.is_open and not finding.suggestion:
            note = "无自动修改建议，请人工修改"
        elif finding.is_open and finding.source == ReviewFinding.Source.ATTACHMENT:
            name = finding.document.filename if finding.document else finding.attachment_name
            if not can_fix_file(name):
                note = not_fixable_message(name)
        rows.append(
            FindingRow(
                finding=finding,
                explanation=explain(finding.rule),
                can_fix=finding.is_open and bool(finding.suggestion) and not note,
                fix_note=note,
            )
        )
    return rows

"""Named actions of review (HOUSE_RULES §2): configuring 分级审核 workflows, running the pre-publish
checks, approving or rejecting a step (with 保密审查 and the critical-finding gate), and fixing,
dismissing or overriding findings. Each checks permission, changes state in one transaction with its
audit row, and a refused call writes one ``denied`` row and changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.checks.deployment import deployment_extra
from govsite.checks.engine import CheckContext, Severity
from govsite.checks.text import html_to_text
from govsite.content.models import ColumnPage
from govsite.review import fixing, p6, permissions, queries, runner
from govsite.review.models import Approver, CheckException, ReviewFinding, ReviewTask
from govsite.sites.models import GovSite

MAX_STEPS = 5
STEP_NAMES = {
    Approver.REVIEWER: "科室审核",
    Approver.UNIT_HEAD: "单位负责人审批",
    Approver.SITE_ADMIN: "站点管理员审批",
}


class ApprovalRefused(PermissionDenied):
    """An approval that may not go ahead (no attestation, open critical findings); the message is Chinese."""


@dataclass(frozen=True)
class Step:
    """One step of a review workflow as configured: who approves, and whether 保密审查 is attested."""

    approver: str
    secrecy: bool = False


# 信息员 submits → 科室审核人 (with 保密审查) → 单位负责人 approves and publishes.
DEFAULT_STEPS = (Step(Approver.REVIEWER, secrecy=True), Step(Approver.UNIT_HEAD))


def refuse(actor: Any, action: str, obj: Any, reason: str, **detail: Any) -> NoReturn:
    """One ``denied`` audit row (in its own transaction, so it stays) and PermissionDenied."""
    with transaction.atomic():
        record(actor, action, obj, outcome=AuditEvent.Outcome.DENIED, detail={"reason": reason, **detail})
    raise PermissionDenied(reason)


def _fail(actor: Any, action: str, obj: Any, reason: str, **detail: Any) -> NoReturn:
    """One ``failure`` audit row for a refused approval, then ApprovalRefused."""
    with transaction.atomic():
        record(actor, action, obj, outcome=AuditEvent.Outcome.FAILURE, detail={"reason": reason, **detail})
    raise ApprovalRefused(reason)


# --- workflows as data --------------------------------------------------------------------------------


def _validate_steps(steps: Sequence[Step]) -> None:
    if not steps:
        raise ValidationError("审核流程至少要有一个步骤")
    if len(steps) > MAX_STEPS:
        raise ValidationError(f"审核流程最多 {MAX_STEPS} 个步骤")
    valid = set(Approver.values)
    for step in steps:
        if step.approver not in valid:
            raise ValidationError(f"未知的审批人类型：{step.approver}")
    if not any(step.secrecy for step in steps):
        raise ValidationError("审核流程中至少要有一个保密审查步骤（“上网不涉密”）")


def build_workflow(site: GovSite, name: str, steps: Sequence[Step]) -> Workflow:
    """A new Wagtail workflow of ``ReviewTask`` steps for ``site`` (no assignment, no audit)."""
    _validate_steps(steps)
    workflow = Workflow.objects.create(name=name)
    for order, step in enumerate(steps):
        label = STEP_NAMES[Approver(step.approver)] + ("（保密审查）" if step.secrecy else "")
        task = ReviewTask.objects.create(
            name=f"{site.name}·{label}", site=site, approver=step.approver, secrecy_attestation=step.secrecy
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def site_workflow_name(site: GovSite) -> str:
    return f"{site.name}审核流程"


def install_default_workflow(site: GovSite, home: Page) -> Workflow:
    """The default two-step workflow of a new site, assigned to its home page (``create_site`` audits)."""
    workflow = build_workflow(site, site_workflow_name(site), DEFAULT_STEPS)
    WorkflowPage.objects.create(workflow=workflow, page=home)
    return workflow


def _describe(workflow: Workflow | None) -> dict[str, Any] | None:
    if workflow is None:
        return None
    return {
        "id": workflow.pk,
        "name": workflow.name,
        "steps": [
            {"name": s.name, "approver": s.approver, "secrecy": s.secrecy}
            for s in queries.workflow_steps(workflow)
        ],
    }


def _retire_if_unused(workflow: Workflow) -> None:
    """Deactivate a workflow no page uses and no item is still going through (Wagtail's ``deactivate``
    would cancel running reviews, so those keep their old steps until they finish)."""
    if WorkflowPage.objects.filter(workflow=workflow).exists():
        return
    if WorkflowState.objects.filter(workflow=workflow).active().exists():
        return
    Workflow.objects.filter(pk=workflow.pk).update(active=False)


def configure_workflow(actor: Any, target: GovSite | ColumnPage, steps: Sequence[Step]) -> Workflow:
    """Give a site (its whole tree) or one column (its subtree) a new review workflow.

    Items already in review finish on the steps they started with; new submissions use the new steps.
    """
    if isinstance(target, GovSite):
        site: GovSite | None = target
        page: Page = target.root_page
        name = site_workflow_name(target)
    else:
        page = target
        scope = queries.page_scope(target)
        site = GovSite.objects.filter(pk=scope.site_id).first() if scope.site_id else None
        name = f"{site.name}·{target.title}审核流程" if site else f"{target.title}审核流程"
    if site is None or not (actor is None or permissions.can_configure(actor, site.pk)):
        refuse(actor, "review.configure_workflow", page, "只有本站站点管理员可以设置审核流程")
    _validate_steps(steps)
    with transaction.atomic():
        assigned = WorkflowPage.objects.select_related("workflow").filter(page=page).first()
        before = assigned.workflow if assigned else None
        workflow = build_workflow(site, name, steps)
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
        if before is not None:
            _retire_if_unused(before)
        record(
            actor,
            "review.configure_workflow",
            page,
            detail={"site": site.pk, "before": _describe(before), "after": _describe(workflow)},
        )
    return workflow


def clear_column_workflow(actor: Any, column: ColumnPage) -> None:
    """Let a column use its site's workflow again."""
    scope = queries.page_scope(column)
    if scope.site_id is None or not (actor is None or permissions.can_configure(actor, scope.site_id)):
        refuse(actor, "review.clear_column_workflow", column, "只有本站站点管理员可以设置审核流程")
    with transaction.atomic():
        assigned = WorkflowPage.objects.select_related("workflow").filter(page=column).first()
        if assigned is None:
            raise ValidationError("该栏目没有单独设置审核流程")
        before = assigned.workflow
        assigned.delete()
        _retire_if_unused(before)
        record(actor, "review.clear_column_workflow", column, detail={"before": _describe(before)})


def sites_without_review_workflow() -> list[GovSite]:
    """Sites whose home page's workflow has no review steps (made before 分级审核, or set by hand)."""
    sites = GovSite.objects.select_related("wagtail_site__root_page").order_by("sort_order", "pk")
    return [site for site in sites if not queries.has_review_workflow(site.root_page)]


def install_missing_workflows(actor: Any, *, dry_run: bool = False) -> list[GovSite]:
    """Give every site without review steps the default workflow (each change audited); with
    ``dry_run`` only say which sites would change. Idempotent: a second run changes nothing."""
    sites = sites_without_review_workflow()
    if not dry_run:
        for site in sites:
            configure_workflow(actor, site, DEFAULT_STEPS)
    return sites


# --- running the checks -------------------------------------------------------------------------------


def _context_date(page: Any) -> date:
    published = getattr(page, "publish_date", None)
    return timezone.localdate(published) if published else timezone.localdate()


def run_checks(
    actor: Any, page: Page, *, trigger: str, revision: Revision | None = None
) -> list[ReviewFinding]:
    """Check the latest revision (or ``revision``) of a page and keep its findings.

    The page's open findings are replaced by this run's; fixed, dismissed and overridden ones stay as
    history. A finding matching a site exception (rule + text) is not kept; one matching a critical
    finding the 单位负责人 already overrode on this page (rule, text, place) is not reopened. Compliant
    (masked) forms are not kept. Returns the new open findings.
    """
    scope = queries.page_scope(page)
    if scope.site_id is None:
        return []
    revision = revision or page.get_latest_revision()
    obj = revision.as_object() if revision is not None else page.specific
    site_code, site_name, sponsor = (
        GovSite.objects.filter(pk=scope.site_id).values_list("code", "name", "sponsor").get()
    )
    # The site's own names are protected terms (T1) besides the national list, and so are the
    # deployment's lists (保护词表 for T1, 过时机构名称 for T3) as of the text's date.
    own_terms = list(dict.fromkeys(name for name in (site_name, sponsor) if name))
    on = _context_date(obj)
    extra = deployment_extra(on)
    extra["terms"] = [*own_terms, *extra["terms"]]
    context = CheckContext(on=on, site_code=site_code, extra=extra)
    located = p6.apply(actor, page, runner.check_page(obj, context))
    exceptions = set(CheckException.objects.filter(site_id=scope.site_id).values_list("rule", "matched"))
    overridden = set(
        ReviewFinding.objects.filter(page=page, status=ReviewFinding.Status.OVERRIDDEN).values_list(
            "rule", "matched", "document_id", "location"
        )
    )
    now = timezone.now()
    rows: list[ReviewFinding] = []
    for item in located:
        finding = item.finding
        if finding.severity is Severity.OK:
            continue
        if finding.matched and (finding.rule, finding.matched) in exceptions:
            continue
        if (finding.rule, finding.matched, item.document_id, finding.location) in overridden:
            continue
        rows.append(
            ReviewFinding(
                page_id=page.pk,
                site_id=scope.site_id,
                revision=revision,
                trigger=trigger,
                engine=finding.engine[:40],
                rule=finding.rule[:10],
                severity=str(finding.severity),
                source=item.source,
                document_id=item.document_id,
                attachment_name=item.attachment_name[:255],
                location=finding.location[:200],
                start=finding.start,
                end=finding.end,
                matched=finding.matched[:500],
                suggestion=finding.suggestion[:500],
                message=finding.message,
                context_before=item.context_before[:120],
                context_after=item.context_after[:120],
                created_at=now,
            )
        )
    counts = Counter(row.severity for row in rows)
    with transaction.atomic():
        queries.open_findings(page).delete()
        created = ReviewFinding.objects.bulk_create(rows)
        record(
            actor,
            "review.run_checks",
            page,
            detail={
                "trigger": trigger,
                "revision": revision.pk if revision else None,
                "open": len(rows),
                "by_severity": dict(sorted(counts.items())),
                "attachments": len(set(runner.attachment_document_ids(obj))),
            },
        )
    return created


def recheck(actor: Any, page: Page) -> list[ReviewFinding]:
    """Run the checks by hand (the 重新检查 button)."""
    if not permissions.can_view_findings(actor, queries.page_scope(page)):
        refuse(actor, "review.run_checks", page, "无权查看该页面的内容检查结果")
    return run_checks(actor, page, trigger=ReviewFinding.Trigger.MANUAL)


# Set on the workflow state an approval moves on, so the next step does not run the checks twice.
_CHECKED_BY_APPROVAL = "_govsite_checked_by_approval"


def note_personal_data_shown(actor: Any, page: Page, findings: Sequence[ReviewFinding]) -> None:
    """Showing unmasked personal data to a reviewer is audited (security-checklist DB-26): one row per
    view of a findings page that shows open personal-data findings."""
    shown = [f.pk for f in findings if f.is_open and f.rule.startswith("P") and f.matched]
    if not shown:
        return
    with transaction.atomic():
        record(actor, "review.view_personal_data", page, detail={"findings": shown})


def on_step_started(actor: Any, task_state: TaskState) -> None:
    """A review step began: on submission or resubmission run the checks (after an approval, which
    has just run them, not again)."""
    workflow_state = task_state.workflow_state
    if getattr(workflow_state, _CHECKED_BY_APPROVAL, False):
        return
    page = Page.objects.get(pk=workflow_state.object_id)
    run_checks(actor, page, trigger=ReviewFinding.Trigger.SUBMIT, revision=task_state.revision)


# --- approving and rejecting a step ------------------------------------------------------------------


def _task_and_page(task_state: TaskState) -> tuple[ReviewTask, Page]:
    task = task_state.task.specific
    if not isinstance(task, ReviewTask):  # pragma: no cover - only ReviewTask calls these
        raise TypeError("不是分级审核步骤")
    page = Page.objects.get(pk=task_state.workflow_state.object_id)
    return task, page


def blocking_message(count: int) -> str:
    return (
        f"内容检查发现 {count} 条严重问题，须一键脱敏或修改后方可批准；确需发布的，由单位负责人填写理由特批"
    )


def approval_gate(actor: Any, page: Page) -> list[ReviewFinding]:
    """Run the checks for an approval and return the open critical findings that block it."""
    found = run_checks(actor, page, trigger=ReviewFinding.Trigger.APPROVE)
    return [f for f in found if f.severity == Severity.CRITICAL]


def refused_approval(actor: Any, page: Page, task: ReviewTask) -> str:
    """Run the approval gate before an approval from the page editor: "" when it may go ahead, else the
    Chinese reason (and one ``failure`` audit row). ``approve_step`` runs the same gate again."""
    blocking = approval_gate(actor, page)
    if not blocking:
        return ""
    reason = blocking_message(len(blocking))
    with transaction.atomic():
        record(
            actor,
            "review.approve",
            page,
            outcome=AuditEvent.Outcome.FAILURE,
            detail={"reason": reason, "step": task.name, "findings": [f.pk for f in blocking]},
        )
    return reason


def approve_step(actor: Any, task_state: TaskState, *, secrecy_attested: bool, comment: str = "") -> None:
    """Approve the current step of a page's review.

    Refused (one audit row, nothing approved) when the actor is not this step's approver (``denied``),
    when the step requires 保密审查 and it is not attested, or when the checks — run again now — find
    open critical findings (``failure``). The attestation is recorded with the approver's name and time.
    """
    task, page = _task_and_page(task_state)
    scope = queries.page_scope(page)
    if not permissions.can_approve(actor, task, scope):
        refuse(actor, "review.approve", page, "您不是本审核步骤的审批人", step=task.name)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError("该审核步骤已处理")
    if task.secrecy_attestation and not secrecy_attested:
        _fail(actor, "review.approve", page, "未确认“经审查不涉密”，不能批准", step=task.name)
    blocking = approval_gate(actor, page)
    if blocking:
        _fail(
            actor,
            "review.approve",
            page,
            blocking_message(len(blocking)),
            step=task.name,
            findings=[f.pk for f in blocking],
        )
    with transaction.atomic():
        if task.secrecy_attestation:
            record(
                actor,
                "review.secrecy_attested",
                page,
                detail={
                    "attestation": "经审查不涉密",
                    "name": actor.get_full_name() if actor is not None else "",
                    "at": timezone.localtime().isoformat(timespec="seconds"),
                    "step": task.name,
                    "revision": task_state.revision_id,
                },
            )
        # Wagtail starts the next step on this same workflow state object.
        setattr(task_state.workflow_state, _CHECKED_BY_APPROVAL, True)
        task_state.approve(user=actor, comment=comment)


def reject_step(actor: Any, task_state: TaskState, *, comment: str = "") -> None:
    """Send the page back to its 信息员 (Wagtail's "needs changes"); Wagtail's log entry is mirrored
    into the audit log."""
    task, page = _task_and_page(task_state)
    if not permissions.can_approve(actor, task, queries.page_scope(page)):
        refuse(actor, "review.reject", page, "您不是本审核步骤的审批人", step=task.name)
    with transaction.atomic():
        task_state.reject(user=actor, comment=comment)


DIRECT_PUBLISH_REFUSED = "本站信息须按审核流程逐级审批后发布，只有站点管理员可以直接发布"


def may_publish_directly(actor: Any, page: Page) -> bool:
    """Whether ``actor`` may publish ``page`` without its review workflow: anyone where no review
    workflow applies; otherwise only the site's 站点管理员 (Wagtail's page permission is checked too)."""
    if actor is None or not queries.has_review_workflow(page):
        return True
    scope = queries.page_scope(page)
    return scope.site_id is not None and permissions.can_configure(actor, scope.site_id)


def refused_direct_publish(actor: Any, page: Page) -> str:
    """Gate a publish from the page editor that bypasses the workflow: "" when it may go ahead, else the
    Chinese reason with one audit row (``denied`` for a user who must go through review, ``failure`` for
    open critical findings — the checks run on the revision being published)."""
    if not may_publish_directly(actor, page):
        with transaction.atomic():
            record(
                actor,
                "review.publish",
                page,
                outcome=AuditEvent.Outcome.DENIED,
                detail={"reason": DIRECT_PUBLISH_REFUSED},
            )
        return DIRECT_PUBLISH_REFUSED
    if not queries.has_review_workflow(page):
        return ""
    found = run_checks(actor, page, trigger=ReviewFinding.Trigger.PUBLISH)
    blocking = [f for f in found if f.severity == Severity.CRITICAL]
    if not blocking:
        return ""
    reason = blocking_message(len(blocking)).replace("方可批准", "方可发布")
    with transaction.atomic():
        record(
            actor,
            "review.publish",
            page,
            outcome=AuditEvent.Outcome.FAILURE,
            detail={"reason": reason, "findings": [f.pk for f in blocking]},
        )
    return reason


# --- fixing, dismissing, overriding ------------------------------------------------------------------


def _locked_finding(finding: ReviewFinding) -> ReviewFinding:
    fresh = (
        ReviewFinding.objects.select_for_update(of=("self",)).select_related("document").get(pk=finding.pk)
    )
    if fresh.status != ReviewFinding.Status.OPEN:
        raise ValidationError(f"该问题已处理（{fresh.get_status_display()}）")
    return fresh


def _replace_document_file(document: Any, data: bytes) -> None:
    """Put ``data`` in place of the document's file, under the same name, so its URL serves only the
    new bytes. On local storage the file is replaced atomically (write beside, then rename)."""
    storage = document.file.storage
    name = document.file.name
    try:
        path = storage.path(name)
    except NotImplementedError:
        storage.delete(name)
        document.file.name = storage.save(name, ContentFile(data))
    else:
        directory = os.path.dirname(path)
        handle, temp_path = tempfile.mkstemp(dir=directory, prefix=".fix-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_path, path)
        except BaseException:
            if os.path.exists(temp_path):
                os.unlink(temp_path)
            raise
    document.file_size = len(data)
    # Wagtail's file_hash field is SHA-1 (a change detector, not a security control).
    document.file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    document.save(update_fields=["file", "file_size", "file_hash"])


def fix_finding(actor: Any, finding: ReviewFinding) -> ReviewFinding:
    """一键脱敏: write the finding's suggestion (the masked form) where it was found.

    Title and body: a new revision of the page (a live page stays as published until the new revision
    is approved). An attachment: a new version of the DOCX/XLSX file replaces the old one under the same
    URL. PDF and other formats cannot be fixed in place (``FixError``). The page is then checked again.
    """
    page = Page.objects.get(pk=finding.page_id)
    scope = queries.page_scope(page)
    if not permissions.can_fix(actor, scope) or scope.site_id != finding.site_id:
        refuse(actor, "review.fix", page, "无权处理该页面的内容检查结果", finding=finding.pk)
    if not finding.suggestion:
        raise fixing.FixError("该问题没有可自动应用的修改建议，请人工处理")
    with transaction.atomic():
        locked = _locked_finding(finding)
        detail: dict[str, Any] = {
            "finding": locked.pk,
            "rule": locked.rule,
            "place": locked.place,
            "suggestion": locked.suggestion,
        }
        if locked.source == ReviewFinding.Source.ATTACHMENT:
            document = locked.document
            if document is None:
                raise fixing.FixError("附件已不存在，请重新检查")
            if not fixing.can_fix_file(document.filename):
                raise fixing.FixError(fixing.not_fixable_message(document.filename))
            with document.open_file() as handle:
                old = handle.read()
            new = fixing.fix_file(document.filename, old, locked.location, locked.matched, locked.suggestion)
            detail.update(
                document=document.pk,
                old_sha256=hashlib.sha256(old).hexdigest(),
                new_sha256=hashlib.sha256(new).hexdigest(),
            )
            revision = None
        else:
            obj = page.get_latest_revision_as_object()
            if locked.source == ReviewFinding.Source.TITLE:
                obj.title = fixing.fix_plain(
                    obj.title, start=locked.start, matched=locked.matched, suggestion=locked.suggestion
                )
            else:
                body = str(getattr(obj, "body", "") or "")
                obj.body = fixing.fix_html(
                    body,
                    html_to_text(body),
                    start=locked.start,
                    matched=locked.matched,
                    suggestion=locked.suggestion,
                )
            revision = obj.save_revision(user=actor, log_action=True)
            detail["revision"] = revision.pk
        # The kept row shows the masked form: the fixed number is not left behind in the review data.
        locked.matched = locked.suggestion
        locked.status = ReviewFinding.Status.FIXED
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["matched", "status", "resolved_by", "resolved_at"])
        record(actor, "review.fix", page, detail=detail)
        if locked.source == ReviewFinding.Source.ATTACHMENT:
            # Last, so a failed write rolls the records back; the bytes are replaced atomically.
            _replace_document_file(document, new)
    run_checks(actor, page, trigger=ReviewFinding.Trigger.FIX, revision=revision)
    return locked


def dismiss_finding(actor: Any, finding: ReviewFinding, reason: str = "") -> CheckException:
    """忽略（加入本站例外）: keep the rule and text as an exception of the site; every open finding of
    the site with the same rule and text is dismissed with it."""
    page = Page.objects.get(pk=finding.page_id)
    scope = queries.page_scope(page)
    if not permissions.can_dismiss(actor, scope) or scope.site_id != finding.site_id:
        refuse(actor, "review.dismiss", page, "只有本站审核人或单位负责人可以忽略检查结果")
    if not finding.matched:
        raise ValidationError("“未检查”的附件不能加入例外，请上传可检查的文件")
    with transaction.atomic():
        locked = _locked_finding(finding)
        exception, _ = CheckException.objects.get_or_create(
            site_id=locked.site_id,
            rule=locked.rule,
            matched=locked.matched,
            defaults={"reason": reason.strip(), "created_by": actor},
        )
        dismissed = ReviewFinding.objects.filter(
            site_id=locked.site_id, rule=locked.rule, matched=locked.matched, status=ReviewFinding.Status.OPEN
        ).update(
            status=ReviewFinding.Status.DISMISSED,
            resolved_by=actor,
            resolved_at=timezone.now(),
            reason=reason.strip(),
        )
        record(
            actor,
            "review.dismiss",
            page,
            detail={
                "finding": locked.pk,
                "rule": locked.rule,
                "matched": locked.matched,
                "exception": exception.pk,
                "dismissed": dismissed,
                "reason": reason.strip(),
            },
        )
    return exception


def override_findings(actor: Any, page: Page, reason: str) -> int:
    """单位负责人特批: let the page be approved despite its open critical findings, with a reason."""
    scope = queries.page_scope(page)
    if not permissions.can_override(actor, scope):
        refuse(actor, "review.override", page, "只有栏目责任单位的负责人可以特批")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写特批理由")
    with transaction.atomic():
        critical = list(
            queries.open_findings(page)
            .select_for_update(of=("self",))
            .filter(severity=Severity.CRITICAL)
            .order_by("id")
        )
        if not critical:
            raise ValidationError("该页面没有待处理的严重问题")
        ReviewFinding.objects.filter(pk__in=[f.pk for f in critical]).update(
            status=ReviewFinding.Status.OVERRIDDEN,
            resolved_by=actor,
            resolved_at=timezone.now(),
            reason=reason,
        )
        record(
            actor,
            "review.override",
            page,
            detail={
                "reason": reason,
                "findings": [{"id": f.pk, "rule": f.rule, "place": f.place} for f in critical],
            },
        )
    return len(critical)

"""Review data: the configurable review step (``ReviewTask``, a Wagtail workflow task), the findings of
the pre-publish checks on a page (``ReviewFinding``) and the per-site exceptions reviewers keep when
they dismiss a finding (``CheckException``).

A workflow is data (HOUSE_RULES §3): a site's or a column's Wagtail ``Workflow`` is a list of
``ReviewTask`` steps, each naming who approves it (the site's 审核人, the column's 单位负责人 or the
site's 站点管理员) and whether the approver must attest 保密审查 ("经审查不涉密"). What the task does on
an action lives in ``actions.py``; the task only connects Wagtail's hooks to it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Page, Task, TaskState

from govsite.checks.engine import SEVERITY_LABELS, Severity
from govsite.sites.models import GovSite


class Approver(models.TextChoices):
    """Who approves a review step."""

    REVIEWER = "reviewer", "本站审核人（科室审核）"
    UNIT_HEAD = "unit_head", "栏目责任单位负责人"
    SITE_ADMIN = "site_admin", "本站站点管理员"


SECRECY_LABEL = "经审查不涉密"


class ApprovalForm(forms.Form):
    """The approval modal of a step without 保密审查: an optional comment."""

    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    """The "要求修改" modal: what the 信息员 should change."""

    comment = forms.CharField(label="修改意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SecrecyApprovalForm(ApprovalForm):
    """The approval modal of a 保密审查 step: the attestation is required."""

    secrecy_attested = forms.BooleanField(
        label=SECRECY_LABEL,
        required=True,
        help_text="“上网不涉密、涉密不上网”：确认本信息及其附件经保密审查不涉及国家秘密和工作秘密。",
        error_messages={"required": f"须确认“{SECRECY_LABEL}”后方可批准"},
    )


class ReviewTask(Task):
    """One step of 分级审核, approved by the holders of one role for the page's site or column."""

    # Annotated by hand: Wagtail's Task is untyped, so django-stubs cannot infer the field types here.
    # No reverse accessor ("+"): nothing reads it, and django-stubs cannot resolve one on a Task subclass.
    site: models.ForeignKey[GovSite, GovSite] = models.ForeignKey(
        "sites.GovSite", verbose_name="所属网站", on_delete=models.CASCADE, related_name="+"
    )
    approver: models.CharField[str, str] = models.CharField("审批人", max_length=20, choices=Approver.choices)
    secrecy_attestation: models.BooleanField[bool, bool] = models.BooleanField(
        "保密审查", default=False, help_text="审批人须确认“经审查不涉密”方可批准"
    )

    admin_form_fields = [*Task.admin_form_fields, "site", "approver", "secrecy_attestation"]

    class Meta:
        verbose_name = "分级审核步骤"
        verbose_name_plural = "分级审核步骤"

    # --- Wagtail's task interface; the decisions are in permissions.py and actions.py ---------------

    def user_can_approve(self, obj: Any, user: Any) -> bool:
        from govsite.review import permissions, queries

        return permissions.can_approve(user, self, queries.page_scope(obj))

    def start(self, workflow_state: Any, user: Any = None) -> TaskState:
        from govsite.review import actions

        task_state: TaskState = super().start(workflow_state, user=user)
        actions.on_step_started(user, task_state)
        return task_state

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> str | None:
        """Approve or reject through the actions. A refused approval sends the user to the page's
        内容检查结果 (Wagtail's dashboard dialog follows the returned URL); the refusal is audited there.
        The page editor never gets here with a refused approval: its gate (``wagtail_hooks``) stops first.
        """
        from django.urls import reverse

        from govsite.review import actions

        if action_name == "approve":
            try:
                actions.approve_step(
                    user,
                    task_state,
                    secrecy_attested=bool(kwargs.get("secrecy_attested")),
                    comment=str(kwargs.get("comment") or ""),
                )
            except actions.ApprovalRefused:
                return reverse("govsite_review:findings", args=[task_state.workflow_state.object_id])
        elif action_name == "reject":
            actions.reject_step(user, task_state, comment=str(kwargs.get("comment") or ""))
        return None

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self.user_can_approve(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        """While in review the page is locked to everyone but this step's approvers and the site's
        站点管理员 (as Wagtail's group approval task locks it to all but its groups)."""
        from govsite.review import permissions

        return not (self.user_can_approve(obj, user) or permissions.can_configure(user, self.site_id))

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        if not self.user_can_approve(obj, user):
            return []
        if self.secrecy_attestation:
            return [("reject", "要求修改", True), ("approve", "批准", True)]
        return [("reject", "要求修改", True), ("approve", "批准", False), ("approve", "批准并附意见", True)]

    def get_form_for_action(self, action: str) -> type[forms.Form]:
        if action == "approve":
            return SecrecyApprovalForm if self.secrecy_attestation else ApprovalForm
        return RejectForm

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> QuerySet[TaskState]:
        from govsite.review import queries

        return queries.task_states_user_can_moderate(self, user)

    @classmethod
    def get_description(cls) -> str:
        return "由本站审核人、栏目责任单位负责人或站点管理员审批；可要求保密审查；提交和每次批准时自动运行内容检查"


class ReviewFinding(models.Model):
    """A finding of the pre-publish checks on a page: in its title, body or one of its attachments."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        FIXED = "fixed", "已脱敏"
        DISMISSED = "dismissed", "已忽略"
        OVERRIDDEN = "overridden", "负责人特批"

    class Trigger(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        APPROVE = "approve", "审核批准"
        MANUAL = "manual", "手动检查"
        FIX = "fix", "脱敏后复查"
        PUBLISH = "publish", "直接发布"

    class Source(models.TextChoices):
        TITLE = "title", "标题"
        BODY = "body", "正文"
        ATTACHMENT = "attachment", "附件"

    page = models.ForeignKey(
        Page, verbose_name="页面", on_delete=models.CASCADE, related_name="review_findings"
    )
    site = models.ForeignKey(
        "sites.GovSite", verbose_name="网站", on_delete=models.CASCADE, related_name="review_findings"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name="检查的版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trigger = models.CharField("检查时机", max_length=10, choices=Trigger.choices)
    engine = models.CharField("检查引擎", max_length=40)
    rule = models.CharField("规则", max_length=10)
    severity = models.CharField(
        "严重程度", max_length=10, choices=[(s.value, SEVERITY_LABELS[s]) for s in Severity]
    )
    source = models.CharField("位置类型", max_length=12, choices=Source.choices)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="附件文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attachment_name = models.CharField("附件名称", max_length=255, blank=True)
    location = models.CharField("位置", max_length=200, blank=True)
    start = models.PositiveIntegerField("起始位置", default=0)
    end = models.PositiveIntegerField("结束位置", default=0)
    matched = models.CharField("命中文字", max_length=500, blank=True)
    suggestion = models.CharField("建议", max_length=500, blank=True)
    message = models.TextField("说明")
    context_before = models.CharField("前文", max_length=120, blank=True)
    context_after = models.CharField("后文", max_length=120, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("检查时间", default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.TextField("处理理由", blank=True)

    class Meta:
        verbose_name = "内容检查结果"
        verbose_name_plural = "内容检查结果"
        ordering = ["page_id", "source", "document_id", "start", "id"]
        indexes = [models.Index(fields=["page", "status"], name="review_finding_page_status")]

    def __str__(self) -> str:
        return f"{self.rule} {self.matched}"

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[Severity(self.severity)]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def place(self) -> str:
        """Where it is, in Chinese: "标题", "正文" or "附件《名单.xlsx》名单!B2"."""
        if self.source == self.Source.ATTACHMENT:
            return f"附件《{self.attachment_name}》{self.location}"
        return self.get_source_display()


class CheckException(models.Model):
    """A dismissed finding kept as a site's exception: the same rule and text are not reported again
    on that site."""

    site = models.ForeignKey(
        "sites.GovSite", verbose_name="网站", on_delete=models.CASCADE, related_name="check_exceptions"
    )
    rule = models.CharField("规则", max_length=10)
    matched = models.CharField("文字", max_length=500)
    reason = models.TextField("理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="添加人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        verbose_name = "本站检查例外"
        verbose_name_plural = "本站检查例外"
        constraints = [
            models.UniqueConstraint(fields=["site", "rule", "matched"], name="review_exception_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.matched}"

"""Admin pages of review: 内容检查结果 of a page (findings highlighted in place, 一键脱敏, 忽略, 特批,
重新检查) and 审核流程设置 for site administrators.

Thin callers of ``actions``: a refused visit answers 403 with one ``denied`` audit row, and the
findings list runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from govsite.content.models import ColumnPage
from govsite.core.admin_views import ForbiddenPageMixin
from govsite.review import actions, permissions, queries
from govsite.review.fixing import FixError
from govsite.review.forms import DismissForm, OverrideForm, WorkflowForm
from govsite.review.models import ReviewFinding
from govsite.sites.models import GovSite

NAMESPACE = "govsite_review"


def findings_url(page_id: int) -> str:
    return reverse(f"{NAMESPACE}:findings", args=[page_id])


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


class ReviewAdminView(ForbiddenPageMixin, WagtailAdminTemplateMixin, View):
    """Base of the review pages: a PermissionDenied becomes a 403 page naming the reason."""

    header_icon = "tasks"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


def _page(page_id: int) -> Page:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404("页面不存在")
    return page


def _finding(finding_id: int) -> ReviewFinding:
    finding = ReviewFinding.objects.filter(pk=finding_id).first()
    if finding is None:
        raise Http404("检查结果不存在")
    return finding


class FindingsView(ReviewAdminView):
    """内容检查结果 of one page."""

    template_name = "review/findings.html"
    page_title = "内容检查结果"

    def get(self, request: HttpRequest, page_id: int) -> HttpResponse:
        page = _page(page_id)
        scope = queries.page_scope(page)
        if not permissions.can_view_findings(request.user, scope):
            actions.refuse(request.user, "review.view_findings", page, "无权查看该页面的内容检查结果")
        findings = list(queries.page_findings(page))
        actions.note_personal_data_shown(request.user, page, findings)
        rows = queries.finding_rows(findings)
        open_rows = [row for row in rows if row.finding.is_open]
        critical = sum(1 for row in open_rows if row.finding.severity == "critical")
        self.page_subtitle = page.draft_title or page.title
        return self.render_to_response(
            self.get_context_data(
                item=page,
                open_rows=open_rows,
                resolved_rows=[row for row in rows if not row.finding.is_open],
                critical_count=critical,
                can_dismiss=permissions.can_dismiss(request.user, scope),
                can_override=permissions.can_override(request.user, scope) and critical > 0,
                override_form=OverrideForm(),
                edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                blocking_message=actions.blocking_message(critical) if critical else "",
            )
        )

    def get_page_subtitle(self) -> str:
        return getattr(self, "page_subtitle", "")


class FixFindingView(ReviewAdminView):
    def post(self, request: HttpRequest, finding_id: int) -> HttpResponse:
        finding = _finding(finding_id)
        try:
            fixed = actions.fix_finding(request.user, finding)
        except (FixError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            verb = "一键脱敏" if fixed.rule.startswith("P") else "一键更正"
            messages.success(request, f"已{verb}：{fixed.place}改为“{fixed.suggestion}”")
        return redirect(findings_url(finding.page_id))


class DismissFindingView(ReviewAdminView):
    def post(self, request: HttpRequest, finding_id: int) -> HttpResponse:
        finding = _finding(finding_id)
        form = DismissForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            actions.dismiss_finding(request.user, finding, reason)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"已忽略“{finding.matched}”，本站今后不再提示")
        return redirect(findings_url(finding.page_id))


class OverrideView(ReviewAdminView):
    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        page = _page(page_id)
        form = OverrideForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            count = actions.override_findings(request.user, page, reason)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"已特批 {count} 条严重问题，可继续审批")
        return redirect(findings_url(page.pk))


class RecheckView(ReviewAdminView):
    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        page = _page(page_id)
        found = actions.recheck(request.user, page)
        messages.success(request, f"已重新检查，发现 {len(found)} 条待处理问题")
        return redirect(findings_url(page.pk))


class WorkflowSettingsView(ReviewAdminView):
    """审核流程设置: the workflows of the sites the user administers, and a form to set one."""

    template_name = "review/workflows.html"
    page_title = "审核流程设置"
    header_icon = "tasks"

    def _site(self, request: HttpRequest) -> GovSite:
        site_ids = permissions.configurable_site_ids(request.user)
        if not site_ids:
            actions.refuse(request.user, "review.view_workflows", None, "只有站点管理员可以设置审核流程")
        sites = list(GovSite.objects.filter(pk__in=site_ids).select_related("wagtail_site__root_page"))
        sites.sort(key=lambda s: (s.sort_order, s.pk))
        wanted = request.GET.get("site", "")
        self.sites = sites
        return next((s for s in sites if str(s.pk) == wanted), sites[0])

    def _targets(self, site: GovSite) -> tuple[list[tuple[str, str]], dict[str, Any]]:
        root = site.root_page
        columns = list(ColumnPage.objects.descendant_of(root).order_by("path").only("pk", "title", "depth"))
        choices = [("site", f"全站（{site.name}）")]
        objects: dict[str, Any] = {"site": site}
        for column in columns:
            choices.append(
                (str(column.pk), "　" * max(column.depth - root.depth - 1, 0) + f"栏目：{column.title}")
            )
            objects[str(column.pk)] = column
        return choices, objects

    def get(self, request: HttpRequest) -> HttpResponse:
        site = self._site(request)
        choices, _ = self._targets(site)
        initial: dict[str, Any] = {"target": "site"}
        for number, step in enumerate(actions.DEFAULT_STEPS, start=1):
            initial[f"step{number}"] = step.approver
            initial[f"secrecy{number}"] = step.secrecy
        return self._render(site, WorkflowForm(initial=initial, targets=choices))

    def post(self, request: HttpRequest) -> HttpResponse:
        site = self._site(request)
        choices, objects = self._targets(site)
        form = WorkflowForm(request.POST, targets=choices)
        if form.is_valid():
            try:
                actions.configure_workflow(request.user, objects[form.cleaned_data["target"]], form.steps())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "审核流程已保存")
                return redirect(f"{reverse(f'{NAMESPACE}:workflows')}?site={site.pk}")
        return self._render(site, form)

    def _render(self, site: GovSite, form: WorkflowForm) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                site=site, sites=self.sites, assigned=queries.site_workflows(site), form=form
            )
        )


class ClearColumnWorkflowView(ReviewAdminView):
    """恢复沿用全站流程: drop a column's own workflow."""

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        column = ColumnPage.objects.filter(pk=page_id).first()
        if column is None:
            raise Http404("栏目不存在")
        try:
            actions.clear_column_workflow(request.user, column)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"栏目“{column.title}”已恢复沿用全站审核流程")
        site_id = queries.page_scope(column).site_id
        return redirect(f"{reverse(f'{NAMESPACE}:workflows')}?site={site_id}")

"""The 审计日志 pages of the Wagtail admin: the filtered list, chain verification and CSV/XLSX export.

Only the 审计管理员 gets in (``export.can_read_audit_log``); everyone else, superusers included, gets
403 and the attempt is logged. Each query, verification and export writes its audit row before any
record is shown (DB-11). Nothing here can change or delete a record.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govsite.audit.export import (
    CHINA_TZ,
    CONTENT_TYPES,
    DENIED_REASON,
    HEADERS,
    AuditFilter,
    AuditRow,
    can_read_audit_log,
    record_denied,
    record_use,
    start_export,
)
from govsite.audit.log import verify_chain
from govsite.audit.models import AuditEvent

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="操作人账号", required=False, max_length=150)
    action = forms.CharField(
        label="操作", required=False, max_length=80, help_text="包含此文字，如 accounts、login"
    )
    outcome = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), *AuditEvent.Outcome.choices]
    )
    since = forms.DateField(
        label="日期从", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    until = forms.DateField(
        label="日期到", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "结束日期不能早于开始日期")
        return cleaned

    def filters(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            username=data["username"],
            action=data["action"],
            outcome=data["outcome"],
            since=data["since"],
            until=data["until"],
        )


class AuditAdminView(WagtailAdminTemplateMixin, View):
    """Base for the audit pages: refuses, with a logged 403, everyone but the 审计管理员."""

    audit_action = ""
    header_icon = "history"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not can_read_audit_log(request.user):
            # Answer 403 here rather than raising PermissionDenied: Wagtail turns that into a redirect
            # to the dashboard, which hides the refusal from the client and from tests.
            record_denied(request.user, self.audit_action, path=request.path)
            context = {
                "page_title": "无权访问",
                "header_title": "无权访问",
                "header_icon": "warning",
                "breadcrumbs_items": [],
                "reason": DENIED_REASON,
            }
            return TemplateResponse(request, "audit/denied.html", context, status=403)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        home: list[dict[str, Any]] = list(self.breadcrumbs_items)
        return [
            *home,
            {"url": reverse("govsite_audit:index"), "label": "审计日志"},
            {"url": "", "label": self.get_page_title()},
        ]


class AuditLogIndexView(AuditAdminView):
    """Newest first, 50 a page; the page runs a fixed number of queries whatever its size."""

    template_name = "audit/index.html"
    page_title = "审计日志"
    audit_action = "audit.query"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": "审计日志"}]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        context: dict[str, Any] = {
            "form": form,
            "headers": HEADERS,
            "rows": [],
            "page_obj": None,
            "is_paginated": False,
        }
        export_query = request.GET.copy()
        export_query.pop("p", None)
        context["export_urls"] = {
            fmt: reverse("govsite_audit:export", kwargs={"fmt": fmt})
            + ("?" + export_query.urlencode() if export_query else "")
            for fmt in ("csv", "xlsx")
        }
        if not form.is_valid():
            record_use(
                request.user,
                "audit.query",
                {"errors": form.errors.get_json_data()},
                AuditEvent.Outcome.FAILURE,
            )
            return self.render_to_response(self.get_context_data(**context))
        filters = form.filters()
        page_number = request.GET.get("p", "1")[:20]
        # Recorded before the rows are read, so the auditor's own query is on the page it returns.
        record_use(request.user, "audit.query", {"filters": filters.describe(), "page": page_number})
        paginator = WagtailPaginator(filters.apply(AuditEvent.objects.order_by("-seq")), PER_PAGE)
        page = paginator.get_page(page_number)
        context.update(
            rows=[AuditRow.of(event) for event in page.object_list],
            page_obj=page,
            paginator=paginator,
            is_paginated=paginator.num_pages > 1,
            elided_page_range=list(paginator.get_elided_page_range(page.number)),
            is_filtering=bool(filters.describe()),
        )
        return self.render_to_response(self.get_context_data(**context))


class AuditVerifyView(AuditAdminView):
    """Recomputes the whole hash chain and shows the first broken record, if any (DB-13)."""

    template_name = "audit/verify.html"
    page_title = "校验哈希链"
    audit_action = "audit.verify"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        report = verify_chain()
        detail = {"checked": report.checked, "broken_seq": report.broken_seq, "reason": report.reason}
        record_use(
            request.user,
            "audit.verify",
            detail,
            AuditEvent.Outcome.SUCCESS if report.ok else AuditEvent.Outcome.FAILURE,
        )
        return self.render_to_response(self.get_context_data(report=report))


class AuditExportView(AuditAdminView):
    """Downloads the rows matching the list's filters as CSV or XLSX."""

    audit_action = "audit.export"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponseBase:
        form = AuditFilterForm(request.GET)
        if not form.is_valid():
            # Back to the list with the same filters, where the form shows what is wrong.
            return redirect(reverse("govsite_audit:index") + "?" + request.GET.urlencode())
        exported = start_export(request.user, fmt, form.filters())
        # A spooled file keeps small exports in memory and large ones on disk; FileResponse closes it.
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        exported.write(out)  # type: ignore[arg-type]  # SpooledTemporaryFile is a binary file
        out.seek(0)
        stamp = timezone.now().astimezone(CHINA_TZ).strftime("%Y%m%d-%H%M%S")
        return FileResponse(
            out, as_attachment=True, filename=f"审计日志-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt]
        )

"""Admin pages of 栏目责任: the 栏目更新责任 list and dashboard panel, and the import and export of the
责任分解表 and the 信息员备案表.

Each view checks its own rights and answers 403 with the reason (Wagtail would turn a raised
PermissionDenied into a redirect to the dashboard, hiding the refusal). A refused import or export is
logged by the action's permission check; reading one's own obligations is not an audited action.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govsite.content import responsibility as resp
from govsite.content.obligations import (
    STATUS_LABELS,
    ObligationScope,
    filter_obligations,
    obligation_scope,
    obligations_for,
    status_counts,
)

PER_PAGE = 50
PANEL_ROWS = 20
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_roles(request: HttpRequest) -> list[resp.RoleRow]:
    """The user's roles, read once per request (the menu, the panel and the view all ask)."""
    cached: list[resp.RoleRow] | None = getattr(request, "_govsite_role_rows", None)
    if cached is None:
        cached = resp.role_rows(request.user)
        request._govsite_role_rows = cached  # type: ignore[attr-defined]  # per-request memo
    return cached


def request_obligation_scope(request: HttpRequest) -> ObligationScope | None:
    return obligation_scope(request.user, request_roles(request))


def can_use_responsibility_table(request: HttpRequest) -> bool:
    return resp.responsibility_scope(request.user, request_roles(request)) is not None


def can_use_officer_register(request: HttpRequest) -> bool:
    return resp.can_manage_officers(request.user, request_roles(request))


class ResponsibilityAdminView(WagtailAdminTemplateMixin, View):
    """Base: runs ``check_access`` before anything else and answers 403 with the reason."""

    header_icon = "tasks"
    denied_reason = "无权访问此页面"

    def check_access(self, request: HttpRequest) -> bool:
        """True to go on; False or PermissionDenied (whose message is shown) for 403."""
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return self.http_method_not_allowed(request, *args, **kwargs)
        try:
            allowed = self.check_access(request)
            reason = self.denied_reason
        except PermissionDenied as exc:
            allowed, reason = False, str(exc)
        if not allowed:
            context = {
                "page_title": "无权访问",
                "header_title": "无权访问",
                "header_icon": "warning",
                "breadcrumbs_items": [],
                "reason": reason,
            }
            return TemplateResponse(request, "content/responsibility/denied.html", context, status=403)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# --- 栏目更新责任 -----------------------------------------------------------------------------------


class ObligationFilterForm(forms.Form):
    site = forms.TypedChoiceField(label="网站", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="责任单位", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATUS_LABELS.items()])

    def __init__(self, *args: Any, sites: list[tuple[int, str]], units: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        unit_field = self.fields["unit"]
        assert isinstance(site_field, forms.ChoiceField)
        assert isinstance(unit_field, forms.ChoiceField)
        site_field.choices = [("", "全部"), *sites]
        unit_field.choices = [("", "全部"), *units]


class ObligationListView(ResponsibilityAdminView):
    """Every column the user answers for, most urgent first, 50 a page, filtered by site, unit, status."""

    template_name = "content/responsibility/obligations.html"
    page_title = "栏目更新责任"
    denied_reason = "只有信息员、站点管理员和系统管理员可以查看栏目更新责任"
    scope: ObligationScope

    def check_access(self, request: HttpRequest) -> bool:
        scope = request_obligation_scope(request)
        if scope is None:
            return False
        self.scope = scope
        return True

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = obligations_for(request.user, scope=self.scope)
        sites = {row.site.pk: row.site for row in rows}
        units = {row.unit.pk: row.unit for row in rows if row.unit is not None}
        form = ObligationFilterForm(
            request.GET,
            sites=[
                (site.pk, site.name) for site in sorted(sites.values(), key=lambda s: (s.sort_order, s.pk))
            ],
            units=[
                (unit.pk, unit.name) for unit in sorted(units.values(), key=lambda u: (u.sort_order, u.pk))
            ],
        )
        shown = rows
        if form.is_valid():
            data = form.cleaned_data
            shown = filter_obligations(
                rows, site_id=data["site"], unit_id=data["unit"], status=data["status"]
            )
        paginator = WagtailPaginator(shown, PER_PAGE)
        page = paginator.get_page(request.GET.get("p", "1")[:20])
        context = {
            "form": form,
            "rows": page.object_list,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": paginator.num_pages > 1,
            "counts": [(STATUS_LABELS[key], value) for key, value in status_counts(shown).items()],
            "total": len(rows),
            "today": timezone.localdate(),
            "can_import": can_use_responsibility_table(request),
            "can_officers": can_use_officer_register(request),
        }
        return self.render_to_response(self.get_context_data(**context))


class ObligationsPanel(Component):
    """The dashboard panel: the user's 20 most urgent columns and a link to the whole list."""

    name = "obligations"
    template_name = "content/responsibility/panel.html"
    order = 50  # above Wagtail's own panels: overdue columns are what an 信息员 must see first

    def __init__(self, scope: ObligationScope) -> None:
        self.scope = scope

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        request = parent_context["request"]
        rows = obligations_for(request.user, scope=self.scope)
        return {
            "rows": rows[:PANEL_ROWS],
            "total": len(rows),
            "more": len(rows) > PANEL_ROWS,
            "counts": [(STATUS_LABELS[key], value) for key, value in status_counts(rows).items()],
            "list_url": reverse("govsite_responsibility:obligations"),
        }


# --- import and export ------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    dry_run = forms.BooleanField(label="仅校验，不导入", required=False)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(f"文件不能超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return upload


Importer = Callable[..., resp.ImportSummary]


class ImportView(ResponsibilityAdminView):
    """Upload form; every error is listed and nothing is imported, or the summary of what changed."""

    template_name = "content/responsibility/import.html"
    audit_action = ""
    headers: ClassVar[tuple[str, ...]] = ()
    sheet = ""
    export_url_name = ""
    help_lines: ClassVar[tuple[str, ...]] = ()

    def run_import(self, request: HttpRequest, upload: UploadedFile, dry_run: bool) -> resp.ImportSummary:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form)
        errors: list[resp.RowError] = []
        summary = None
        try:
            summary = self.run_import(request, form.cleaned_data["file"], form.cleaned_data["dry_run"])
        except resp.ResponsibilityImportError as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = [resp.RowError(0, "", message) for message in exc.messages]
        return self.render_page(UploadForm(), errors=errors, summary=summary)

    def render_page(self, form: UploadForm, **extra: Any) -> HttpResponse:
        context = {
            "form": form,
            "headers": self.headers,
            "sheet": self.sheet,
            "help_lines": self.help_lines,
            "export_url": reverse(self.export_url_name),
            "errors": [],
            "summary": None,
            **extra,
        }
        return self.render_to_response(self.get_context_data(**context))


class ExportView(ResponsibilityAdminView):
    """Downloads the table as XLSX (the export writes its audit row first)."""

    filename = ""

    def export(self, request: HttpRequest, out: Any) -> int:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> FileResponse:
        # A spooled file keeps small exports in memory and large ones on disk; FileResponse closes it.
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        self.export(request, out)
        out.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return FileResponse(
            out, as_attachment=True, filename=f"{self.filename}-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE
        )


RESPONSIBILITY_HELP = (
    "先导出现有的责任分解表，在 Excel 中修改后再导入；文件中没有的栏目保持不变。",
    "「栏目类别」填写：" + resp.CLASS_LABELS + "；「更新周期（天）」由栏目类别决定，导入时不读取。",
    "「责任单位」填写单位全称；「信息员」填写平台账号，多个账号用“、”或“,”分隔。",
    "「网站名称」「栏目名称」「信息员姓名」仅供对照，导入时不读取。",
    "文件中任何一行有错误时，整个文件都不会导入。",
)
OFFICER_HELP = (
    "先导出现有的信息员备案表，在 Excel 中修改后再导入；按「单位＋姓名＋联系电话」识别同一人，"
    "已有的记录更新，没有的新增，文件中没有的记录保持不变。",
    "「备案日期」格式为 YYYY-MM-DD；「平台账号」可不填；「在岗」填写“是”或“否”。",
    "文件中任何一行有错误时，整个文件都不会导入。",
)


class ResponsibilityImportView(ImportView):
    page_title = "导入责任分解表"
    headers = resp.HEADERS
    sheet = resp.SHEET
    export_url_name = "govsite_responsibility:export"
    help_lines = RESPONSIBILITY_HELP

    def check_access(self, request: HttpRequest) -> bool:
        resp.require_responsibility_scope(request.user, "content.import_responsibility")
        return True

    def run_import(self, request: HttpRequest, upload: UploadedFile, dry_run: bool) -> resp.ImportSummary:
        return resp.import_responsibility(request.user, upload, dry_run=dry_run)  # type: ignore[arg-type]


class ResponsibilityExportView(ExportView):
    filename = resp.SHEET

    def check_access(self, request: HttpRequest) -> bool:
        resp.require_responsibility_scope(request.user, "content.export_responsibility")
        return True

    def export(self, request: HttpRequest, out: Any) -> int:
        return resp.export_responsibility(request.user, out)  # type: ignore[arg-type]


class OfficerImportView(ImportView):
    page_title = "导入信息员备案表"
    headers = resp.OFFICER_HEADERS
    sheet = resp.OFFICER_SHEET
    export_url_name = "govsite_responsibility:officers_export"
    help_lines = OFFICER_HELP

    def check_access(self, request: HttpRequest) -> bool:
        resp.require_officer_right(request.user, "content.import_officers")
        return True

    def run_import(self, request: HttpRequest, upload: UploadedFile, dry_run: bool) -> resp.ImportSummary:
        return resp.import_officers(request.user, upload, dry_run=dry_run)  # type: ignore[arg-type]


class OfficerExportView(ExportView):
    filename = resp.OFFICER_SHEET

    def check_access(self, request: HttpRequest) -> bool:
        resp.require_officer_right(request.user, "content.export_officers")
        return True

    def export(self, request: HttpRequest, out: Any) -> int:
        return resp.export_officers(request.user, out)  # type: ignore[arg-type]

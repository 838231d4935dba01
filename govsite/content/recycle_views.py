"""The 回收站 pages of the admin: the list of deleted pages of the sites a user administers, restore,
and purge with a confirmation page. Thin callers of ``govsite.content.recycle``: every POST goes to
the action, which decides and audits (a refused POST leaves its ``denied`` row and changes nothing).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govsite.content import recycle
from govsite.content.models import RecycleBinEntry

PER_PAGE = 20
DENIED_VIEW = "只有站点管理员和系统管理员可以查看回收站"


def _validation_text(exc: ValidationError) -> str:
    return "；".join(str(message) for message in exc.messages)


class RecycleAdminView(WagtailAdminTemplateMixin, View):
    """Base of the 回收站 pages: answers 403 with the reason instead of Wagtail's silent redirect."""

    header_icon = "bin"

    def denied(self, reason: str) -> TemplateResponse:
        context = {
            "page_title": "无权访问",
            "header_title": "无权访问",
            "header_icon": "warning",
            "breadcrumbs_items": [],
            "reason": reason,
        }
        return TemplateResponse(self.request, "content/recycle/denied.html", context, status=403)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = list(self.breadcrumbs_items)
        if self.get_page_title() == RecycleBinIndexView.page_title:
            return [*items, {"url": "", "label": RecycleBinIndexView.page_title}]
        return [
            *items,
            {"url": reverse("govsite_recycle:index"), "label": RecycleBinIndexView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]


class RecycleBinIndexView(RecycleAdminView):
    """The entries of the user's sites, newest first, a fixed number of queries whatever the page size."""

    template_name = "content/recycle/index.html"
    page_title = "回收站"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not recycle.may_use_bin(request.user):
            return self.denied(DENIED_VIEW)
        paginator = WagtailPaginator(recycle.entries_for(request.user), PER_PAGE)
        page = paginator.get_page(request.GET.get("p", "1")[:20])
        rows = [
            {
                "entry": entry,
                "type": _type_label(entry),
                "aliases": len(recycle.alias_records(entry)),
            }
            for entry in page.object_list
        ]
        return self.render_to_response(
            self.get_context_data(
                rows=rows,
                page_obj=page,
                paginator=paginator,
                is_paginated=paginator.num_pages > 1,
            )
        )


def _type_label(entry: RecycleBinEntry) -> str:
    model = entry.page.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else "页面"


class RestoreView(RecycleAdminView):
    """POST only: restore one entry, then back to the list with the outcome."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, entry_id: int) -> HttpResponseBase:
        entry = get_object_or_404(RecycleBinEntry, pk=entry_id)
        try:
            page = recycle.restore(request.user, entry)
        except PermissionDenied as exc:
            return self.denied(str(exc))
        except ValidationError as exc:
            messages.error(request, f"“{entry.title}”未能恢复：{_validation_text(exc)}")
        else:
            messages.success(
                request,
                f"“{page.title}”已恢复到原位置",
                buttons=[
                    messages.button(reverse("wagtailadmin_explore", args=[page.get_parent().pk]), "查看"),
                ],
            )
        return redirect("govsite_recycle:index")


class PurgeView(RecycleAdminView):
    """GET asks for confirmation; POST deletes the entry's pages for good."""

    template_name = "content/recycle/purge_confirm.html"
    page_title = "彻底删除"

    def get(self, request: HttpRequest, entry_id: int) -> HttpResponse:
        entry = get_object_or_404(RecycleBinEntry.objects.select_related("site", "page"), pk=entry_id)
        if not recycle.can_manage_bin(request.user, entry.site):
            return self.denied(recycle.DENIED_PURGE)
        return self.render_to_response(
            self.get_context_data(
                entry=entry,
                descendant_count=entry.page.get_descendant_count(),
                aliases=len(recycle.alias_records(entry)),
            )
        )

    def post(self, request: HttpRequest, entry_id: int) -> HttpResponseBase:
        entry = get_object_or_404(RecycleBinEntry, pk=entry_id)
        title = entry.title
        try:
            recycle.purge(request.user, entry)
        except PermissionDenied as exc:
            return self.denied(str(exc))
        except ValidationError as exc:
            messages.error(request, f"“{title}”未能彻底删除：{_validation_text(exc)}")
        else:
            messages.success(request, f"“{title}”已彻底删除")
        return redirect("govsite_recycle:index")

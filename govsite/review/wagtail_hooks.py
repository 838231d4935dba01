"""Wagtail admin hooks of review: its pages and menu entry, the 内容检查结果 button and notice in the
page editor, the approval gate in front of Wagtail's workflow action (a blocked approval goes to the
findings page with the reason instead of a bare error), and the same gate on a direct 发布, which under a
review workflow only the 站点管理员 may use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.models import Page

from govsite.review import actions, permissions, queries, views
from govsite.review.models import ReviewTask


class SiteAdminMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(permissions.configurable_site_ids(request.user))


@hooks.register("register_admin_urls")
def register_review_urls() -> list[URLPattern | URLResolver]:
    urlpatterns = [
        path("pages/<int:page_id>/findings/", views.FindingsView.as_view(), name="findings"),
        path("pages/<int:page_id>/override/", views.OverrideView.as_view(), name="override"),
        path("pages/<int:page_id>/recheck/", views.RecheckView.as_view(), name="recheck"),
        path("findings/<int:finding_id>/fix/", views.FixFindingView.as_view(), name="fix"),
        path("findings/<int:finding_id>/dismiss/", views.DismissFindingView.as_view(), name="dismiss"),
        path("workflows/", views.WorkflowSettingsView.as_view(), name="workflows"),
        path(
            "workflows/<int:page_id>/clear/", views.ClearColumnWorkflowView.as_view(), name="clear_workflow"
        ),
    ]
    return [path("review/", include((urlpatterns, views.NAMESPACE), namespace=views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_review_menu() -> MenuItem:
    return SiteAdminMenuItem(
        "审核流程设置",
        reverse(f"{views.NAMESPACE}:workflows"),
        name="review-workflows",
        icon_name="tasks",
        order=260,
    )


@hooks.register("register_page_header_buttons")
def findings_button(page: Page, user: Any, view_name: str, next_url: str | None = None) -> Iterator[Button]:
    if view_name == "edit" and permissions.can_view_findings(user, queries.page_scope(page)):
        yield Button("内容检查结果", views.findings_url(page.pk), icon_name="warning", priority=66)


def _findings_notice(request: HttpRequest, page: Page) -> None:
    if not permissions.can_view_findings(request.user, queries.page_scope(page)):
        return
    severities = list(queries.open_findings(page).values_list("severity", flat=True))
    if not severities:
        return
    critical = severities.count("critical")
    text = actions.blocking_message(critical) if critical else f"内容检查有 {len(severities)} 条提示，请核对"
    messages.warning(
        request, text, buttons=[messages.button(views.findings_url(page.pk), "查看内容检查结果")]
    )


def _approval_gate(request: HttpRequest, page: Page) -> HttpResponse | None:
    task = page.current_workflow_task
    if not isinstance(task, ReviewTask) or not task.user_can_approve(page, request.user):
        return None
    try:
        extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        extra = {}
    if task.secrecy_attestation and not extra.get("secrecy_attested"):
        messages.error(request, "须确认“经审查不涉密”后方可批准")
        return redirect("wagtailadmin_pages:edit", page.pk)
    reason = actions.refused_approval(request.user, page, task)
    if reason:
        messages.error(request, reason)
        return redirect(views.findings_url(page.pk))
    return None


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items: list[Any], request: HttpRequest, context: dict[str, Any]) -> None:
    """Under a review workflow only the 站点管理员 sees 发布; everyone else submits for review."""
    page = context.get("page") or context.get("parent_page")
    if page is None or actions.may_publish_directly(request.user, page):
        return
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]


@hooks.register("before_publish_page")
def review_before_publish(request: HttpRequest, page: Page) -> HttpResponse | None:
    """A publish from the editor (not through the workflow) is gated like an approval."""
    reason = actions.refused_direct_publish(request.user, page)
    if not reason:
        return None
    messages.error(request, reason)
    if reason == actions.DIRECT_PUBLISH_REFUSED:
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect(views.findings_url(page.pk))


@hooks.register("before_bulk_action")
def review_before_bulk_publish(
    request: HttpRequest, action_type: str, objects: list[Any], action_class_instance: Any
) -> HttpResponse | None:
    """The explorer's bulk 发布 goes through the same gate as a publish from the editor: all or none."""
    if action_type != "publish" or not objects or not all(isinstance(obj, Page) for obj in objects):
        return None
    next_url = getattr(action_class_instance, "next_url", None) or reverse("wagtailadmin_explore_root")
    for page in objects:
        reason = actions.refused_direct_publish(request.user, page)
        if reason:
            messages.error(request, f"“{page.get_admin_display_title()}”未能发布：{reason}；所选页面均未发布")
            return redirect(next_url)
    return None


@hooks.register("before_edit_page")
def review_before_edit(request: HttpRequest, page: Page) -> HttpResponse | None:
    if request.method == "GET":
        _findings_notice(request, page)
        return None
    if (
        request.method == "POST"
        and request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    ):
        return _approval_gate(request, page)
    return None

"""Wagtail admin hooks for the resource library: its pages and menu (资源库, for 站点管理员), the
推送到下级网站 entry in the page editor, and the publish receiver that numbers items.

The receiver is connected here because Wagtail imports every ``wagtail_hooks`` module during
``django.setup()`` (``wagtail.snippets`` looks for hooks in its ``ready()``), so it is in place before
any page is published, in the server, the commands and the tests alike; the dispatch uid makes a
second connection (for example from ``ContentConfig.ready``) harmless.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from govsite.content import library, library_views

library.connect_signals()


class SiteAdminMenuItem(MenuItem):
    """Shown to 站点管理员 only (the roles are read once per request)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(library_views.admin_sites(request))


class PushToLowerSitesMenuItem(ActionMenuItem):
    """推送到下级网站, in the editor's action menu of a live library item the user may push."""

    label = "推送到下级网站"
    name = "action-push-to-lower-sites"
    icon_name = "resubmit"

    def is_shown(self, context: dict[str, Any]) -> bool:
        if context.get("view") != "edit":
            return False
        return library_views.is_pushable(context["page"], context["request"].user)

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse(f"{library_views.NAMESPACE}:push", args=[parent_context["page"].pk])


@hooks.register("register_admin_urls")
def register_library_urls() -> list[URLPattern | URLResolver]:
    views = library_views
    urlpatterns = [
        path("push/<int:page_id>/", views.PushItemView.as_view(), name="push"),
        path("pushes/", views.PushInboxView.as_view(), name="inbox"),
        path("pushes/<int:pk>/", views.PushDecisionView.as_view(), name="decide"),
        path("pushes/<int:pk>/withdraw/", views.WithdrawPushView.as_view(), name="withdraw"),
        path("repost/", views.RepostListView.as_view(), name="repost"),
        path("repost/<int:page_id>/", views.RepostItemView.as_view(), name="repost_item"),
        path("overdue/", views.OverdueRepostsView.as_view(), name="overdue"),
    ]
    return [path("library/", include((urlpatterns, views.NAMESPACE), namespace=views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_library_menu() -> MenuItem:
    namespace = library_views.NAMESPACE
    menu = Menu(
        items=[
            SiteAdminMenuItem(
                "信息推送", reverse(f"{namespace}:inbox"), name="library-pushes", icon_name="mail", order=100
            ),
            SiteAdminMenuItem(
                "转载上级信息",
                reverse(f"{namespace}:repost"),
                name="library-repost",
                icon_name="resubmit",
                order=200,
            ),
            SiteAdminMenuItem(
                "重要政策转载提醒",
                reverse(f"{namespace}:overdue"),
                name="library-overdue",
                icon_name="warning",
                order=300,
            ),
        ]
    )
    return SubmenuMenuItem("资源库", menu, name="library", icon_name="doc-full-inverse", order=250)


@hooks.register("register_page_action_menu_item")
def register_push_action() -> ActionMenuItem:
    return PushToLowerSitesMenuItem(order=60)

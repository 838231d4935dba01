"""Wagtail admin hooks for 栏目责任: the URLs, the 栏目责任 menu (each entry shown only to those who may
use it) and the 栏目更新责任 panel on the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from govsite.content import responsibility_views as views


class _CheckedMenuItem(MenuItem):
    def __init__(
        self, label: str, url_name: str, check: Callable[[HttpRequest], bool], **kwargs: Any
    ) -> None:
        self.check = check
        super().__init__(label, reverse(url_name), **kwargs)

    def is_shown(self, request: HttpRequest) -> bool:
        return self.check(request)


@hooks.register("register_admin_urls")
def register_responsibility_urls() -> list[URLPattern | URLResolver]:
    urlpatterns = [
        path("", views.ObligationListView.as_view(), name="obligations"),
        path("import/", views.ResponsibilityImportView.as_view(), name="import"),
        path("export/", views.ResponsibilityExportView.as_view(), name="export"),
        path("officers/", views.OfficerImportView.as_view(), name="officers_import"),
        path("officers/export/", views.OfficerExportView.as_view(), name="officers_export"),
    ]
    return [
        path(
            "responsibility/",
            include((urlpatterns, "govsite_responsibility"), namespace="govsite_responsibility"),
        )
    ]


def _has_obligations(request: HttpRequest) -> bool:
    return views.request_obligation_scope(request) is not None


@hooks.register("register_admin_menu_item")
def register_responsibility_menu() -> MenuItem:
    items = [
        _CheckedMenuItem(
            "栏目更新责任",
            "govsite_responsibility:obligations",
            _has_obligations,
            name="obligations",
            icon_name="tasks",
            order=100,
        ),
        _CheckedMenuItem(
            "责任分解表",
            "govsite_responsibility:import",
            views.can_use_responsibility_table,
            name="responsibility-table",
            icon_name="table",
            order=200,
        ),
        _CheckedMenuItem(
            "信息员备案表",
            "govsite_responsibility:officers_import",
            views.can_use_officer_register,
            name="officer-register",
            icon_name="user",
            order=300,
        ),
    ]
    return SubmenuMenuItem("栏目责任", Menu(items=items), name="responsibility", icon_name="tasks", order=250)


@hooks.register("construct_homepage_panels")
def add_obligations_panel(request: HttpRequest, panels: list[Any]) -> None:
    scope = views.request_obligation_scope(request)
    if scope is not None:
        panels.append(views.ObligationsPanel(scope))

"""Wagtail admin hooks for the recycle bin (回收站): Wagtail's page delete (single and bulk) moves the
page into its site's bin instead of deleting it; pages in a bin cannot be edited, moved, copied,
unpublished or deleted through Wagtail (restore and purge go through the 回收站 pages); bins are
hidden from page choosers and, except to their site administrators, from the explorer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from govsite.content import recycle, recycle_views
from govsite.content.models import RecycleBinPage
from govsite.sites.models import GovSite

IN_BIN_MESSAGE = "“{title}”在回收站中，不能在此操作；请在“回收站”中恢复或彻底删除"


class RecycleBinMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return recycle.may_use_bin(request.user)


@hooks.register("register_admin_urls")
def register_recycle_urls() -> list[URLPattern | URLResolver]:
    urlpatterns = [
        path("", recycle_views.RecycleBinIndexView.as_view(), name="index"),
        path("<int:entry_id>/restore/", recycle_views.RestoreView.as_view(), name="restore"),
        path("<int:entry_id>/purge/", recycle_views.PurgeView.as_view(), name="purge"),
    ]
    return [path("recycle-bin/", include((urlpatterns, "govsite_recycle"), namespace="govsite_recycle"))]


@hooks.register("register_admin_menu_item")
def register_recycle_menu_item() -> MenuItem:
    return RecycleBinMenuItem(
        "回收站", reverse("govsite_recycle:index"), name="recycle-bin", icon_name="bin", order=180
    )


def _refuse_in_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    if not recycle.is_in_bin(page):
        return None
    messages.error(request, IN_BIN_MESSAGE.format(title=page.get_admin_display_title()))
    return redirect("govsite_recycle:index" if recycle.may_use_bin(request.user) else "wagtailadmin_home")


def _error_text(exc: PermissionDenied | ValidationError) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(message) for message in exc.messages)
    return str(exc) or recycle.DENIED_DELETE


@hooks.register("before_delete_page")
def move_deleted_page_to_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    """GET shows Wagtail's confirmation; POST moves the page into the bin instead of deleting it."""
    refused = _refuse_in_bin(request, page)
    if refused is not None:
        return refused
    if recycle.site_of(page) is None:
        return None  # not part of any government site: Wagtail's own delete applies
    if request.method != "POST":
        messages.warning(request, "删除后页面将下线并移入本网站的回收站，站点管理员可以恢复。")
        return None
    parent_id = page.get_parent().pk
    try:
        recycle.move_to_bin(request.user, page)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, f"“{page.get_admin_display_title()}”未能删除：{_error_text(exc)}")
        return redirect("wagtailadmin_explore", parent_id)
    messages.success(request, f"“{page.get_admin_display_title()}”已移入回收站")
    return redirect("wagtailadmin_explore", parent_id)


@hooks.register("before_bulk_action")
def move_bulk_deleted_pages_to_bin(
    request: HttpRequest, action_type: str, objects: list[Any], action_class_instance: Any
) -> HttpResponse | None:
    """Wagtail's bulk delete of pages moves them into the bins too, all or none.

    Wagtail has already left out the pages the user may not delete; a page selected together with
    one of its ancestors goes into the bin with that ancestor.
    """
    if action_type != "delete" or not objects or not all(isinstance(obj, Page) for obj in objects):
        return None
    if all(recycle.site_of(page) is None for page in objects):
        return None  # none of them belongs to a government site: Wagtail's own delete applies
    next_url = getattr(action_class_instance, "next_url", None) or reverse("wagtailadmin_explore_root")
    tops: list[Page] = []
    for page in sorted(objects, key=lambda p: p.path):
        if not any(page.path.startswith(top.path) for top in tops):
            tops.append(page)
    for page in tops:
        try:
            recycle.check_move_to_bin(request.user, page)
        except (PermissionDenied, ValidationError) as exc:
            title = page.get_admin_display_title()
            messages.error(request, f"“{title}”未能删除：{_error_text(exc)}；所选页面均未删除")
            return redirect(next_url)
    for page in tops:
        recycle.move_to_bin(request.user, page)
    messages.success(request, f"{len(tops)} 个页面已移入回收站")
    return redirect(next_url)


@hooks.register("before_edit_page")
def refuse_editing_in_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    return _refuse_in_bin(request, page)


@hooks.register("before_copy_page")
def refuse_copying_from_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    return _refuse_in_bin(request, page)


@hooks.register("before_move_page")
def refuse_moving_from_bin(request: HttpRequest, page: Page, destination: Page) -> HttpResponse | None:
    return _refuse_in_bin(request, page) or _refuse_in_bin(request, destination)


@hooks.register("before_unpublish_page")
def refuse_unpublishing_in_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    return _refuse_in_bin(request, page)


@hooks.register("before_convert_alias_page")
def refuse_converting_in_bin(request: HttpRequest, page: Page) -> HttpResponse | None:
    return _refuse_in_bin(request, page)


@hooks.register("before_create_page")
def refuse_creating_bins(request: HttpRequest, parent_page: Page, page_class: type) -> HttpResponse | None:
    """Bins are made by the platform when first needed, never by hand, and hold only deleted pages."""
    if issubclass(page_class, RecycleBinPage):
        messages.error(request, "回收站由系统自动创建，不能手动新建")
        return redirect("wagtailadmin_explore", parent_page.pk)
    return _refuse_in_bin(request, parent_page)


def _exclude_bins(pages: QuerySet[Page], keep: list[str]) -> QuerySet[Page]:
    hidden = [p for p in recycle.bin_paths() if p not in keep]
    if not hidden:
        return pages
    condition = Q()
    for bin_path in hidden:
        condition |= Q(path__startswith=bin_path)
    return pages.exclude(condition)


@hooks.register("construct_explorer_page_queryset")
def hide_other_bins_in_explorer(
    parent_page: Page, pages: QuerySet[Page], request: HttpRequest
) -> QuerySet[Page]:
    """Only a bin's site administrators (and 系统管理员) see into it in the page explorer."""
    ids = recycle.administered_site_ids(request.user)
    if ids is None or request.user.is_superuser:
        return pages
    keep = _administered_bin_paths(ids)
    return _exclude_bins(pages, keep)


def _administered_bin_paths(site_ids: set[int]) -> list[str]:
    if not site_ids:
        return []
    homes = GovSite.objects.filter(pk__in=site_ids).values_list("wagtail_site__root_page__path", flat=True)
    home_paths = [h for h in homes if h]
    return [p for p in recycle.bin_paths() if any(p.startswith(h) for h in home_paths)]


@hooks.register("construct_page_chooser_queryset")
def hide_bins_in_chooser(pages: QuerySet[Page], request: HttpRequest) -> QuerySet[Page]:
    """Nothing in a bin can be linked to."""
    return _exclude_bins(pages, [])

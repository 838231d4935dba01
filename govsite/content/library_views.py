"""Admin pages of the resource library: 推送到下级网站, 信息推送 (inbox), 转载上级信息 and 重要政策转载提醒.

They are thin callers of ``govsite.content.library``: each page decides who may see it, every change
goes through an action, and a refused visit answers 403 with one ``denied`` audit row. Lists run a
fixed number of queries whatever their length.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from govsite.accounts.models import User
from govsite.content import library
from govsite.content.models import ColumnPage, LibraryItemPage, Placement, PushRequest
from govsite.content.models.library import REPOST_DEADLINE
from govsite.core.admin_views import ForbiddenPageMixin
from govsite.sites.models import GovSite

PER_PAGE = 50
NAMESPACE = "govsite_library"


def actor(request: HttpRequest) -> User:
    """The logged-in account: Wagtail lets only logged-in admin users reach these URLs."""
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - Wagtail's require_admin_access redirects first
        raise PermissionDenied("请先登录")
    return user


def admin_sites(request: HttpRequest) -> set[int]:
    """The requesting user's 站点管理员 sites, read once per request (menu items and view share it)."""
    cached: set[int] | None = getattr(request, "_govsite_admin_sites", None)
    if cached is None:
        cached = library.admin_site_ids(request.user)
        request._govsite_admin_sites = cached  # type: ignore[attr-defined]
    return cached


def _column_choices(columns: list[ColumnPage], root_depth: int) -> list[tuple[str, str]]:
    return [(str(col.pk), "　" * max(col.depth - root_depth - 1, 0) + col.title) for col in columns]


class ColumnChoiceForm(forms.Form):
    column = forms.ChoiceField(label="放入栏目", choices=())

    def __init__(
        self,
        *args: Any,
        columns: list[ColumnPage],
        root_depth: int,
        initial_column: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["column"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _column_choices(columns, root_depth)
        if initial_column is not None:
            field.initial = str(initial_column)
        self._columns = {str(col.pk): col for col in columns}

    def chosen_column(self) -> ColumnPage:
        return self._columns[self.cleaned_data["column"]]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="拒绝理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写拒绝理由"},
    )


class PushForm(forms.Form):
    sites = forms.MultipleChoiceField(label="推送到", widget=forms.CheckboxSelectMultiple, choices=())
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="可写明推送原因或建议放入的栏目"
    )

    def __init__(self, *args: Any, sites: list[library.SiteNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sites"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(site.id), site.name) for site in sites]
        field.error_messages["required"] = "请选择要推送到的下级网站"


class LibraryAdminView(ForbiddenPageMixin, WagtailAdminTemplateMixin, View):
    """Base of the library pages: a PermissionDenied raised by a check or an action becomes a 403 page."""

    header_icon = "doc-full-inverse"
    section_label = ""  # a parent page in the breadcrumbs, with its URL name
    section_url = ""

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = list(self.breadcrumbs_items)
        if self.section_label:
            items.append({"url": reverse(f"{NAMESPACE}:{self.section_url}"), "label": self.section_label})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def require_site_admin(self, request: HttpRequest, action: str) -> set[int]:
        sites = admin_sites(request)
        if not sites:
            library.refuse(actor(request), action, None, "只有站点管理员可以使用此功能", path=request.path)
        return sites


# --- 推送到下级网站 ----------------------------------------------------------------------------------


class PushItemView(LibraryAdminView):
    """Choose the lower sites to push an item to; lists the item's pushes still waiting, to withdraw."""

    template_name = "content/library/push_form.html"
    page_title = "推送到下级网站"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        page = Page.objects.filter(pk=kwargs["page_id"]).first()
        if page is None:
            raise Http404("页面不存在")
        self.page = page

    def _prepare(self, request: HttpRequest) -> None:
        try:
            self.item = library.original_item(self.page)
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from exc
        self.tree = library.SiteTree.load()
        owner = self.tree.site_of_path(self.item.path)
        if owner is None:
            raise Http404("该信息不属于任何网站")
        self.owner = owner
        if not library.can_push_from(actor(request), owner.id):
            library.refuse(
                actor(request),
                "content.push_item",
                self.item,
                "只有信息所在网站的站点管理员、审核人或系统管理员可以推送信息",
            )
        self.pending = list(library.pushes_from([owner.id]).filter(item_id=self.item.pk))
        carried = set(Placement.objects.filter(item_id=self.item.pk).values_list("site_id", flat=True))
        waiting = {push.to_site_id for push in self.pending}
        self.targets = [
            site
            for site in self.tree.descendants(owner.id)
            if site.id not in carried and site.id not in waiting
        ]

    def get_page_subtitle(self) -> str:
        return str(self.page.title)

    def get(self, request: HttpRequest, page_id: int) -> HttpResponse:
        self._prepare(request)
        return self._render(PushForm(sites=self.targets))

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        self._prepare(request)
        form = PushForm(request.POST, sites=self.targets)
        if form.is_valid():
            sites = list(GovSite.objects.filter(pk__in=[int(pk) for pk in form.cleaned_data["sites"]]))
            try:
                library.push_item(actor(request), self.item, sites, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                names = "、".join(site.name for site in sites)
                messages.success(request, f"已将“{self.item.title}”推送到：{names}")
                return redirect(reverse(f"{NAMESPACE}:push", args=[self.item.pk]))
        return self._render(form)

    def _render(self, form: PushForm) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                form=form,
                item=self.item,
                owner=self.owner,
                pending=self.pending,
                has_lower=bool(self.tree.descendants(self.owner.id)),
                edit_url=reverse("wagtailadmin_pages:edit", args=[self.item.pk]),
            )
        )


# --- 信息推送 inbox and decisions --------------------------------------------------------------------


class PushInboxView(LibraryAdminView):
    """Pushes waiting for the user's sites, and pushes the user's sites sent that are still waiting."""

    template_name = "content/library/inbox.html"
    page_title = "信息推送"

    def get(self, request: HttpRequest) -> HttpResponse:
        sites = self.require_site_admin(request, "content.view_pushes")
        paginator = WagtailPaginator(library.pending_pushes_to(sites), PER_PAGE)
        page = paginator.get_page(request.GET.get("p", "1")[:20])
        sent = list(library.pushes_from(sites)[:PER_PAGE])
        return self.render_to_response(
            self.get_context_data(
                received=page.object_list,
                page_obj=page,
                paginator=paginator,
                is_paginated=paginator.num_pages > 1,
                sent=sent,
            )
        )


class PushDecisionView(LibraryAdminView):
    """Accept a push into a column of the receiving site, or decline it with a reason."""

    template_name = "content/library/decide.html"
    page_title = "处理推送"
    section_label = "信息推送"
    section_url = "inbox"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        push = (
            PushRequest.objects.select_related("item", "from_site", "to_site", "requested_by")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if push is None:
            raise Http404("推送不存在")
        self.push = push

    def _forms(self, request: HttpRequest, data: Any = None, decline_data: Any = None) -> tuple[Any, Any]:
        if not library.can_handle_pushes_to(actor(request), self.push.to_site_id):
            action = "content.decline_push" if decline_data is not None else "content.accept_push"
            library.refuse(
                actor(request), action, self.push, "只有接收推送网站的站点管理员可以采用或拒绝推送"
            )
        tree = library.SiteTree.load()
        columns = library.site_columns(self.push.to_site_id, tree)
        root = tree.nodes[self.push.to_site_id]
        accept = ColumnChoiceForm(
            data,
            columns=columns,
            root_depth=len(root.root_path) // Page.steplen,
            initial_column=self.push.suggested_column_id,
        )
        return accept, DeclineForm(decline_data)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        accept, decline = self._forms(request)
        return self._render(accept, decline)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        deciding = request.POST.get("decision")
        if deciding == "decline":
            accept, decline = self._forms(request, decline_data=request.POST)
            if decline.is_valid():
                try:
                    library.decline_push(actor(request), self.push, decline.cleaned_data["reason"])
                except ValidationError as exc:
                    decline.add_error(None, exc)
                else:
                    messages.success(request, f"已拒绝“{self.push.item.title}”")
                    return redirect(reverse(f"{NAMESPACE}:inbox"))
            return self._render(accept, decline)
        accept, decline = self._forms(request, data=request.POST)
        if accept.is_valid():
            try:
                library.accept_push(actor(request), self.push, accept.chosen_column())
            except ValidationError as exc:
                accept.add_error(None, exc)
            else:
                messages.success(
                    request, f"已采用“{self.push.item.title}”，放入栏目“{accept.chosen_column().title}”"
                )
                return redirect(reverse(f"{NAMESPACE}:inbox"))
        return self._render(accept, decline)

    def _render(self, accept: Any, decline: Any) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(push=self.push, accept_form=accept, decline_form=decline)
        )


class WithdrawPushView(LibraryAdminView):
    """The sender withdraws a push that is still waiting."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        push = PushRequest.objects.select_related("item").filter(pk=pk).first()
        if push is None:
            raise Http404("推送不存在")
        try:
            library.withdraw_push(actor(request), push)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"已撤回对“{push.to_site}”的推送")
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect(reverse(f"{NAMESPACE}:push", args=[push.item_id]))


# --- 转载上级信息 ------------------------------------------------------------------------------------


class RepostSiteMixin:
    """Picks which of the user's lower sites the page works for (``?site=``, default the first)."""

    def lower_sites(
        self, request: HttpRequest, sites: set[int], tree: library.SiteTree
    ) -> list[library.SiteNode]:
        return [node for node in tree.nodes.values() if node.id in sites and node.parent_id is not None]

    def chosen_site(self, request: HttpRequest, lower: list[library.SiteNode]) -> library.SiteNode | None:
        wanted = request.GET.get("site") or request.POST.get("site") or ""
        for node in lower:
            if str(node.id) == wanted:
                return node
        return lower[0] if lower else None


class RepostListView(RepostSiteMixin, LibraryAdminView):
    """Recent items of the upper sites, with what this site has done about each."""

    template_name = "content/library/repost_list.html"
    page_title = "转载上级信息"

    def get(self, request: HttpRequest) -> HttpResponse:
        sites = self.require_site_admin(request, "content.view_upper_items")
        tree = library.SiteTree.load()
        lower = self.lower_sites(request, sites, tree)
        site = self.chosen_site(request, lower)
        context: dict[str, Any] = {"lower_sites": lower, "site": site, "rows": [], "page_obj": None}
        if site is not None:
            paginator = WagtailPaginator(
                library.upper_items(site.id, tree).only(
                    "title",
                    "path",
                    "depth",
                    "url_path",
                    "first_published_at",
                    "is_important_policy",
                    "index_number",
                ),
                PER_PAGE,
            )
            page = paginator.get_page(request.GET.get("p", "1")[:20])
            items = list(page.object_list)
            ids = [item.pk for item in items]
            carried = set(
                Placement.objects.filter(item_id__in=ids, site_id=site.id).values_list("item_id", flat=True)
            )
            pushed = set(
                PushRequest.objects.filter(
                    item_id__in=ids, to_site_id=site.id, status=PushRequest.Status.PENDING
                ).values_list("item_id", flat=True)
            )
            now = timezone.now()
            context.update(
                page_obj=page,
                paginator=paginator,
                is_paginated=paginator.num_pages > 1,
                rows=[
                    {
                        "item": item,
                        "owner": tree.site_of_path(item.path),
                        "carried": item.pk in carried,
                        "pushed": item.pk in pushed,
                        # The 12-hour duty is to the parent site only (library.overdue_reposts).
                        "overdue": item.is_important_policy
                        and item.pk not in carried
                        and tree.site_of_path(item.path) == tree.nodes.get(site.parent_id or 0)
                        and now - item.first_published_at > REPOST_DEADLINE,
                    }
                    for item in items
                ],
            )
        return self.render_to_response(self.get_context_data(**context))


class RepostItemView(RepostSiteMixin, LibraryAdminView):
    """Choose the column of this site to repost an upper item into."""

    template_name = "content/library/repost_form.html"
    page_title = "转载信息"
    section_label = "转载上级信息"
    section_url = "repost"

    def _prepare(self, request: HttpRequest, page_id: int) -> ColumnChoiceForm:
        sites = self.require_site_admin(request, "content.repost_item")
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise Http404("页面不存在")
        try:
            self.item = library.original_item(page)
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from exc
        tree = library.SiteTree.load()
        lower = self.lower_sites(request, sites, tree)
        site = self.chosen_site(request, lower)
        if site is None:
            library.refuse(actor(request), "content.repost_item", self.item, "本站没有上级网站，无需转载")
        self.site = site
        columns = library.site_columns(site.id, tree)
        data = request.POST if request.method == "POST" else None
        return ColumnChoiceForm(data, columns=columns, root_depth=len(site.root_path) // Page.steplen)

    def get(self, request: HttpRequest, page_id: int) -> HttpResponse:
        return self._render(self._prepare(request, page_id))

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        form = self._prepare(request, page_id)
        if form.is_valid():
            try:
                placement = library.repost_item(actor(request), self.item, form.chosen_column())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                hours = placement.delay.total_seconds() / 3600 if placement.delay is not None else 0
                messages.success(request, f"已转载“{self.item.title}”，距上级发布 {hours:.1f} 小时")
                return redirect(reverse(f"{NAMESPACE}:repost") + f"?site={self.site.id}")
        return self._render(form)

    def _render(self, form: ColumnChoiceForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, item=self.item, site=self.site))


# --- 重要政策转载提醒 ---------------------------------------------------------------------------------


class OverdueRepostsView(LibraryAdminView):
    """Important upper items not reposted within 12 hours: the user's sites' own, and their lower sites'."""

    template_name = "content/library/overdue.html"
    page_title = "重要政策转载提醒"

    def get(self, request: HttpRequest) -> HttpResponse:
        sites = self.require_site_admin(request, "content.view_overdue_reposts")
        tree = library.SiteTree.load()
        rows = [
            row
            for row in library.overdue_reposts(tree=tree)
            if row.site.id in sites or row.owner_site.id in sites
        ]
        return self.render_to_response(
            self.get_context_data(
                rows=rows,
                deadline_hours=int(REPOST_DEADLINE.total_seconds() // 3600),
                window_days=library.OVERDUE_WINDOW.days,
                own_sites=sites,
            )
        )


def is_pushable(page: Any, user: Any) -> bool:
    """Whether the editor shows 推送到下级网站 for this page: a live original item the user may push,
    whose site has lower sites."""
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, LibraryItemPage):
        return False
    if not page.live or page.alias_of_id is not None:
        return False
    tree = library.SiteTree.load()
    owner = tree.site_of_path(page.path)
    return owner is not None and bool(tree.children(owner.id)) and library.can_push_from(user, owner.id)

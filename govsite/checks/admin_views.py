"""内容检查 in the admin: 保护词表 and 过时机构名称, kept by the 系统管理员 through the actions.

Everyone else is refused on every view of the two lists with a 403 and one ``denied`` audit row; the
menu is hidden from them by the permission policy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import BasePermissionPolicy

from govsite.accounts.models import Role
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.checks import actions
from govsite.checks.models import OutdatedName, ProtectedTerm
from govsite.core.admin_views import ActionErrorsMixin, forbidden


class SystemAdminPolicy(BasePermissionPolicy):
    """Every action on the model for the 系统管理员 only."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return actions.can_manage_lists(user)

    def user_has_any_permission(self, user: Any, actions_: Any) -> bool:
        return actions.can_manage_lists(user)

    def users_with_any_permission(self, actions_: Any) -> QuerySet[Any]:
        return (
            get_user_model()
            .objects.filter(is_active=True, groups__role__kind=Role.Kind.SYSTEM_ADMIN)
            .distinct()
        )

    def users_with_permission(self, action: str) -> QuerySet[Any]:
        return self.users_with_any_permission([action])


def _denied(request: HttpRequest, audit_action: str) -> HttpResponse:
    # Answer 403 here rather than raising PermissionDenied: Wagtail turns that into a redirect to the
    # dashboard, which hides the refusal from the client and from tests.
    record(
        request.user,
        audit_action,
        outcome=AuditEvent.Outcome.DENIED,
        detail={"reason": actions.DENIED_REASON, "path": request.path, "method": request.method},
    )
    return forbidden(request, actions.DENIED_REASON)


def _changed(form: Any, stored: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if name in fields and form.cleaned_data[name] != getattr(stored, name)
    }


class CreateTermView(ActionErrorsMixin, generic.CreateView):
    def save_instance(self) -> ProtectedTerm:
        data = self.form.cleaned_data
        return actions.create_protected_term(
            self.request.user, **{name: data[name] for name in actions.TERM_FIELDS}
        )


class EditTermView(ActionErrorsMixin, generic.EditView):
    def save_instance(self) -> ProtectedTerm:
        # The form has already copied its values onto self.object: compare with the stored row.
        stored = ProtectedTerm.objects.get(pk=self.object.pk)
        changed = _changed(self.form, stored, actions.TERM_FIELDS)
        return actions.update_protected_term(self.request.user, stored, **changed) if changed else stored


class DeleteTermView(generic.DeleteView):
    def delete_action(self) -> None:
        actions.delete_protected_term(self.request.user, self.object)


class CreateOutdatedView(ActionErrorsMixin, generic.CreateView):
    def save_instance(self) -> OutdatedName:
        data = self.form.cleaned_data
        return actions.create_outdated_name(
            self.request.user, **{name: data[name] for name in actions.OUTDATED_FIELDS}
        )


class EditOutdatedView(ActionErrorsMixin, generic.EditView):
    def save_instance(self) -> OutdatedName:
        stored = OutdatedName.objects.get(pk=self.object.pk)
        changed = _changed(self.form, stored, actions.OUTDATED_FIELDS)
        return actions.update_outdated_name(self.request.user, stored, **changed) if changed else stored


class DeleteOutdatedView(generic.DeleteView):
    def delete_action(self) -> None:
        actions.delete_outdated_name(self.request.user, self.object)


class _SystemAdminViewSet(ModelViewSet):
    """Every view of the viewset refuses, with a logged 403, everyone but the 系统管理员."""

    audit_action = ""
    inspect_view_enabled = False
    copy_view_enabled = False

    def construct_view(self, view_class: Any, **kwargs: Any) -> Callable[..., HttpResponseBase]:
        view = super().construct_view(view_class, **kwargs)
        audit_action = self.audit_action

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kw: Any) -> HttpResponseBase:
            if not actions.can_manage_lists(request.user):
                return _denied(request, audit_action)
            response: HttpResponseBase = view(request, *args, **kw)
            return response

        return guarded


class ProtectedTermViewSet(_SystemAdminViewSet):
    model = ProtectedTerm
    icon = "tag"
    menu_label = "保护词表"
    menu_order = 100
    audit_action = "checks.term_access"
    add_view_class = CreateTermView
    edit_view_class = EditTermView
    delete_view_class = DeleteTermView
    form_fields = list(actions.TERM_FIELDS)
    list_display = ["__str__", "kind", "valid_from", "valid_until", "note"]
    list_filter = ["kind"]
    search_fields = ["term", "name", "title", "note"]


class OutdatedNameViewSet(_SystemAdminViewSet):
    model = OutdatedName
    icon = "history"
    menu_label = "过时机构名称"
    menu_order = 200
    audit_action = "checks.outdated_access"
    add_view_class = CreateOutdatedView
    edit_view_class = EditOutdatedView
    delete_view_class = DeleteOutdatedView
    form_fields = list(actions.OUTDATED_FIELDS)
    list_display = ["old_name", "new_name", "effective_date", "still_valid_as_brand", "source"]
    list_filter = ["still_valid_as_brand"]
    search_fields = ["old_name", "new_name", "source"]


class ChecksViewSetGroup(ModelViewSetGroup):
    menu_label = "内容检查"
    menu_icon = "search"
    menu_order = 170
    items = (ProtectedTermViewSet("protected_terms"), OutdatedNameViewSet("outdated_names"))

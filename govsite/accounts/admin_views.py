"""单位管理 in the admin (安全管理员): the unit tree, created and edited through the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from govsite.accounts.actions import UNIT_FIELDS, create_unit, update_unit
from govsite.accounts.models import Unit
from govsite.core.admin_views import ActionErrorsMixin


class CreateUnitView(ActionErrorsMixin, generic.CreateView):
    def save_instance(self) -> Unit:
        return create_unit(self.request.user, **{f: self.form.cleaned_data[f] for f in UNIT_FIELDS})


class EditUnitView(ActionErrorsMixin, generic.EditView):
    def save_instance(self) -> Unit:
        changed = {f: self.form.cleaned_data[f] for f in self.form.changed_data if f in UNIT_FIELDS}
        return update_unit(self.request.user, self.object, **changed) if changed else self.object


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = "单位管理"
    menu_order = 160
    add_to_admin_menu = True
    add_view_class = CreateUnitView
    edit_view_class = EditUnitView
    list_display = ["name", "short_name", "kind", "parent", "credit_code"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    inspect_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> Any:
        return forms.modelform_factory(Unit, fields=list(UNIT_FIELDS))

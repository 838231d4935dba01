"""网站管理 in the admin (系统管理员): list sites, create one, edit its identity — through the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.images.widgets import AdminImageChooser

from govsite.core.admin_views import ActionErrorsMixin
from govsite.core.colors import DEFAULT_THEME
from govsite.sites.actions import EDITABLE_FIELDS, create_site, update_site_identity
from govsite.sites.models import GovSite

CREATE_FIELDS = [
    "code",
    "name",
    "kind",
    "parent",
    "site_id_code",
    "sponsor",
    "sponsor_unit",
    "organizer",
    "icp_number",
    "police_number",
    "primary_domain",
    "phone",
    "address",
    "postcode",
    "sort_order",
]


class SiteEditForm(WagtailAdminModelForm):
    """The identity and appearance of a site: Wagtail's image chooser for the logo and date pickers for
    the mourning days; the theme colour is picked with the browser's colour input."""

    class Meta(WagtailAdminModelForm.Meta):
        model = GovSite
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An empty colour (a client that sends no colour input) keeps the site's current one.
        self.fields["theme_color"].required = False
        self.fields["theme_color"].widget = forms.TextInput(attrs={"type": "color"})
        # Set here: this module is imported before wagtail.images registers its chooser override.
        self.fields["logo"].widget = AdminImageChooser()

    def clean_theme_color(self) -> str:
        value: str = self.cleaned_data.get("theme_color") or ""
        return value.lower() or self.instance.theme_color or DEFAULT_THEME


class CreateSiteView(ActionErrorsMixin, generic.CreateView):
    def save_instance(self) -> GovSite:
        data = self.form.cleaned_data
        return create_site(self.request.user, **{name: data[name] for name in CREATE_FIELDS})


class EditSiteView(ActionErrorsMixin, generic.EditView):
    def save_instance(self) -> GovSite:
        # The form has already copied its values onto self.object: compare with the stored site.
        stored = GovSite.objects.get(pk=self.object.pk)
        changed = {
            name: self.form.cleaned_data[name]
            for name in self.form.changed_data
            if name in EDITABLE_FIELDS and self.form.cleaned_data[name] != getattr(stored, name)
        }
        if not changed:
            return stored
        return update_site_identity(self.request.user, stored, **changed)


class GovSiteViewSet(ModelViewSet):
    model = GovSite
    icon = "site"
    menu_label = "网站管理"
    menu_order = 150
    add_to_admin_menu = True
    add_view_class = CreateSiteView
    edit_view_class = EditSiteView
    list_display = ["name", "code", "kind", "site_id_code", "primary_domain", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "primary_domain", "site_id_code"]
    inspect_view_enabled = False

    def get_form_fields(self) -> list[str]:
        return CREATE_FIELDS

    def get_form_class(self, for_update: bool = False) -> Any:
        if for_update:
            return SiteEditForm
        return forms.modelform_factory(GovSite, fields=CREATE_FIELDS)

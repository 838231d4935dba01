"""Admin forms of the content app: the library item editor checks the 公开目录 metadata.

``LibraryItemPageForm`` is the ``base_form_class`` of ``LibraryItemPage`` (and so of every item page
type): on every save and publish in the page editor it reads the 发文字号 and stores its normalised
spelling, and refuses a 文号年份 later than the 成文日期's year or a 成文日期 later than the 发布日期
(``govsite.core.docno``). It imports nothing from the content models, so the models module may
import it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from govsite.core.docno import DocumentNumber, DocumentNumberError, parse_document_number, validate_dates


class LibraryItemPageForm(WagtailAdminPageForm):
    """The page editor form of library items, with the metadata consistency checks."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        doc = self._clean_document_number(cleaned)
        written = cleaned.get("written_date")
        published = _as_date(cleaned.get("publish_date"))
        if "written_date" in self.errors or "publish_date" in self.errors:
            return cleaned
        for message in validate_dates(doc, written, published):
            # Each message names the two values that disagree; it goes on the field most likely mistyped.
            field = "document_number" if message.startswith("发文字号") else "written_date"
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return cleaned

    def _clean_document_number(self, cleaned: dict[str, Any]) -> DocumentNumber | None:
        if "document_number" not in self.fields or "document_number" in self.errors:
            return None
        text = (cleaned.get("document_number") or "").strip()
        if not text:
            cleaned["document_number"] = ""
            return None
        try:
            doc = parse_document_number(text, today=timezone.localdate())
        except DocumentNumberError as exc:
            self.add_error("document_number", str(exc))
            return None
        cleaned["document_number"] = doc.normalised
        return doc


def _as_date(value: Any) -> date | None:
    """The 发布日期 as the reader sees it: a datetime is taken in local (China) time."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


class ColumnPageForm(WagtailAdminPageForm):
    """The column editor: only a 站点管理员 of the column's site (or the 系统管理员) may set or change
    the P6 personal-data exemption — 信息员 edit their columns but cannot exempt them."""

    EXEMPTION_FIELDS = ("disclosure_exempt", "disclosure_basis")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if not any(name in self.changed_data for name in self.EXEMPTION_FIELDS):
            return cleaned
        if not self._may_set_exemption():
            self.add_error("disclosure_exempt", "只有本网站的站点管理员可以设置个人信息公示豁免")
        elif cleaned.get("disclosure_exempt") and not (cleaned.get("disclosure_basis") or "").strip():
            self.add_error("disclosure_basis", "设置个人信息公示豁免须填写豁免依据")
        return cleaned

    def _may_set_exemption(self) -> bool:
        # Imported here: the models module imports this one.
        from govsite.accounts import roles
        from govsite.accounts.models import Role
        from govsite.content.library import site_of_page

        user = getattr(self, "for_user", None)
        if user is None:
            return False
        if roles.has_role(user, Role.Kind.SYSTEM_ADMIN):
            return True
        anchor = self.instance if self.instance.pk else getattr(self, "parent_page", None)
        site = site_of_page(anchor) if anchor is not None and anchor.path else None
        return site is not None and site.pk in roles.site_ids_with_role(user, Role.Kind.SITE_ADMIN)

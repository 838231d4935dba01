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

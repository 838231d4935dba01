"""Pieces every admin view of govsite shares: form views that call an action, and 403 pages.

A refusal is answered with a 403 page naming the reason rather than by raising PermissionDenied to
Wagtail, which would turn it into a redirect to the dashboard and hide the refusal from the client
(and from tests). The actions have already written the ``denied`` audit row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse


def forbidden(request: HttpRequest, reason: str, *, audited: bool = True) -> TemplateResponse:
    """The 403 page: the reason, and (when the refusal was audited) that it was logged."""
    context = {
        "page_title": "无权访问",
        "header_title": "无权访问",
        "header_icon": "warning",
        "breadcrumbs_items": [],
        "reason": reason or "无权访问",
        "audited": audited,
    }
    return TemplateResponse(request, "core/denied.html", context, status=403)


class ForbiddenPageMixin:
    """A PermissionDenied raised by a check or an action becomes the 403 page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        except PermissionDenied as exc:
            return forbidden(request, str(exc))
        return response


class ActionErrorsMixin:
    """For generic create/edit views that save through an action: a ValidationError the action raises
    lands on the form instead of a 500."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)  # type: ignore[attr-defined]

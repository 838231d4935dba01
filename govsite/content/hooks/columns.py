"""Keeps per-unit 信息员 rights in step with columns created or re-assigned in the admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks

from govsite.accounts.models import Unit
from govsite.content.models import ColumnPage
from govsite.content.permissions import sync_unit_editor_permissions


def _sync_for(page: Any) -> None:
    specific = page.specific
    if not isinstance(specific, ColumnPage):
        return
    # The unit that now holds the column and any unit that held it before both need recomputing.
    unit_ids = set(Unit.objects.filter(roles__kind="editor").values_list("pk", flat=True))
    if specific.responsible_unit_id:
        unit_ids.add(specific.responsible_unit_id)
    sync_unit_editor_permissions(Unit.objects.filter(pk__in=unit_ids))


@hooks.register("after_create_page")
def sync_after_create(request: HttpRequest, page: Any) -> None:
    _sync_for(page)


@hooks.register("after_publish_page")
def sync_after_publish(request: HttpRequest, page: Any) -> None:
    _sync_for(page)

"""Named actions on columns (栏目). Library items, responsibility import, the recycle bin and policy
pages have their own modules (library.py, responsibility.py, recycle.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import Page

from govsite.accounts.models import Unit, User
from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.content.models import ColumnPage
from govsite.content.permissions import sync_unit_editor_permissions


def create_column(
    actor: User | None,
    parent: Page,
    *,
    title: str,
    column_class: str,
    responsible_unit: Unit,
    info_officers: list[User] | None = None,
    slug: str = "",
    publish: bool = True,
    **fields: Any,
) -> ColumnPage:
    """Add a column under a home page, column or topic; its unit's 信息员 get rights on it."""
    if actor is not None and not parent.permissions_for_user(actor).can_add_subpage():
        with transaction.atomic():
            record(
                actor,
                "content.create_column",
                parent,
                outcome=AuditEvent.Outcome.DENIED,
                detail={"title": title, "reason": "无权在此位置新建栏目"},
            )
        raise PermissionDenied("无权在此位置新建栏目")
    column = ColumnPage(
        title=title,
        slug=slug,
        column_class=column_class,
        responsible_unit=responsible_unit,
        live=False,
        show_in_menus=True,
        **fields,
    )
    if info_officers:
        column.info_officers = info_officers
    with transaction.atomic():
        parent.add_child(instance=column)
        revision = column.save_revision(user=actor, log_action=False)
        if publish:
            revision.publish(user=actor, log_action=False)
        sync_unit_editor_permissions([responsible_unit])
        record(
            actor,
            "content.create_column",
            column,
            detail={"unit": responsible_unit.name, "class": column_class, "parent": parent.pk},
        )
    return column

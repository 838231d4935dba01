"""Audit rows for events that only arrive as framework signals: logins, and Wagtail's own
log entries (page create/edit/publish, workflow steps…), mirrored into the chain in the same
transaction as Wagtail's write. Everything govsite changes itself is audited by its actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.http import HttpRequest

from govsite.audit.log import record
from govsite.audit.models import AuditEvent


def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(user, "auth.login", user)


def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, "auth.logout", user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    username = str(credentials.get("username", ""))
    record(
        None,
        "auth.login_failed",
        outcome=AuditEvent.Outcome.FAILURE,
        username=username,
        object_type="accounts.user",
        object_repr=username,
    )


def on_wagtail_log_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    # Wagtail's own action names already carry the "wagtail." namespace (wagtail.publish, …).
    action = instance.action if instance.action.startswith("wagtail.") else f"wagtail.{instance.action}"
    record(
        instance.user,
        action,
        object_type=content_type.app_label + "." + content_type.model if content_type else "",
        object_id=str(instance.object_id),
        object_repr=instance.label,
        detail={"wagtail_log_id": instance.pk, "data": instance.data or {}},
        at=instance.timestamp,
    )


def connect() -> None:
    from wagtail.models import ModelLogEntry, PageLogEntry

    user_logged_in.connect(on_login, dispatch_uid="govsite.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="govsite.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="govsite.audit.login_failed")
    for model in (PageLogEntry, ModelLogEntry):
        post_save.connect(on_wagtail_log_entry, sender=model, dispatch_uid=f"govsite.audit.{model.__name__}")

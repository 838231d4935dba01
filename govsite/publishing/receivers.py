"""Publish on change: Wagtail's page signals queue the changed pages; one task per transaction is
enqueued when it commits.

Why signals here (HOUSE_RULES §2 prefers explicit actions): pages go live through Wagtail's own
paths — the editor's 发布 button, the review workflow's approval, scheduled publishing, alias sync,
moves and unpublishing — and the signals are the one place every one of those passes. The receivers
only remember page ids; the work happens in the task, after commit, so a rolled-back change publishes
nothing.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

_pending = threading.local()


def _queue(page_id: int | None) -> None:
    if page_id is None:
        return
    ids: set[int] = getattr(_pending, "ids", set())
    ids.add(page_id)
    _pending.ids = ids
    transaction.on_commit(_flush)


def queue_pages(page_ids: list[int]) -> None:
    """For actions that change what a site shows without a Wagtail signal (creating an alias)."""
    if not getattr(settings, "PUBLISH_ON_CHANGE", True):
        return
    for page_id in page_ids:
        _queue(page_id)


def _flush() -> None:
    ids: set[int] = getattr(_pending, "ids", set())
    if not ids:
        return
    _pending.ids = set()
    from govsite.publishing.tasks import publish_pages_task

    publish_pages_task.enqueue(sorted(ids), "页面变更")


def on_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    _queue(instance.pk)


def on_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    _queue(instance.pk)


def on_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    _queue(instance.pk)


def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page) and type(instance) is not Page:
        _queue(instance.pk)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="govsite.publishing.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="govsite.publishing.unpublished")
    post_page_move.connect(on_moved, dispatch_uid="govsite.publishing.moved")
    post_delete.connect(on_deleted, dispatch_uid="govsite.publishing.deleted")

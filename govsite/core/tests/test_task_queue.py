"""Embedded background work: with the database backend, work enqueued after commit waits in the
queue until the worker (started by `govsite serve`) runs it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from govsite.testing import factories as f

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_page_save_is_indexed_by_the_database_worker(personas) -> None:
    # django-tasks rebuilds its backends when TASKS changes (its setting_changed receiver).
    with override_settings(TASKS=DB_TASKS):
        col = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
        queued = DBTaskResult.objects.filter(status="READY").count()
        assert queued > 0
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert DBTaskResult.objects.filter(status="READY").count() == 0
        assert DBTaskResult.objects.filter(status="FAILED").count() == 0
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == queued
        assert ReferenceIndex.objects.filter(object_id=str(col.pk)).exists()

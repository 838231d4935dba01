"""`govsite review install-workflows`: sites made before 分级审核 get the default workflow; --dry-run
changes nothing; a second run changes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from govsite.audit.models import AuditEvent
from govsite.review.models import ReviewTask

pytestmark = pytest.mark.django_db


def _old_style(site: Any) -> Workflow:
    """The one-step workflow ``create_site`` made before the review app."""
    workflow = Workflow.objects.create(name=f"{site.name}审核流程")
    task = GroupApprovalTask.objects.create(name=f"{site.name}审核")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.filter(page=site.root_page).update(workflow=workflow)
    return workflow


def _run(*args: str) -> str:
    out = StringIO()
    call_command("review", "install-workflows", *args, stdout=out)
    return out.getvalue()


def test_install_workflows(personas: Any) -> None:
    old = _old_style(personas.site_b)

    assert _run("--dry-run") == (
        f"将安装默认审核流程：{personas.site_b.name}（siteb）\n演练模式，未写入数据库。共 1 个网站。\n"
    )
    assert Page.objects.get(pk=personas.site_b.root_page.pk).get_workflow() == old
    assert not AuditEvent.objects.filter(action="review.configure_workflow").exists()

    assert _run() == f"已安装默认审核流程：{personas.site_b.name}（siteb）\n共 1 个网站。\n"
    workflow = Page.objects.get(pk=personas.site_b.root_page.pk).get_workflow()
    assert [type(t) for t in workflow.tasks.specific()] == [ReviewTask, ReviewTask]
    old.refresh_from_db()
    assert old.active is False
    [row] = AuditEvent.objects.filter(action="review.configure_workflow")
    assert (row.actor_username, row.object_id) == ("", str(personas.site_b.root_page.pk))

    assert _run() == "所有网站均已使用分级审核流程，无需修改。\n"

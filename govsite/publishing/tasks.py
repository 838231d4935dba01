"""Background publishing (django-tasks): enqueued after the commit that changed the pages, run by the
worker (``govsite serve`` starts one; tests run tasks inline). Both tasks are idempotent: running one
twice renders the same files and writes nothing the second time."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from govsite.publishing import actions
from govsite.sites.models import GovSite


@task()
def publish_pages_task(page_ids: list[int], reason: str = "") -> list[dict[str, Any]]:
    """Re-render what these pages touch on every site that shows them."""
    return [actions.summary(result) for result in actions.publish_pages(page_ids, reason=reason)]


@task()
def publish_site_task(site_id: int, reason: str = "") -> dict[str, Any]:
    """A full publish of one site (after a change of its structure or identity)."""
    site = GovSite.objects.get(pk=site_id)
    return actions.summary(actions.publish_site(site, reason=reason))


@task()
def publish_all_task(reason: str = "") -> list[dict[str, Any]]:
    """A whole-site publish of every site: the fingerprints decide what is rendered (the daily run)."""
    return actions.publish_sites(None, reason=reason)


@task()
def verify_sites_task() -> list[dict[str, Any]]:
    """The scheduled tamper check: verify and restore every site, alert on differences."""
    from govsite.publishing.monitor import check_sites

    return [
        {"site": report.site_code, "differences": report.has_differences, "summary": report.summary()}
        for report in check_sites(restore=True)
    ]

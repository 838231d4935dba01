"""The scheduled tamper check (issue 5 item 5): verify every site's live tree against its manifest,
restore what differs, and leave an audit row and a ``TamperAlert`` for each site that differed.

``govsite serve`` enqueues ``verify_sites_task`` every ``GOVSITE_VERIFY_MINUTES`` minutes (see
``schedule_loop``); production runs ``govsite publish verify --restore`` from cron or the same task
from any scheduler.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction

from govsite.audit.log import record
from govsite.audit.models import AuditEvent
from govsite.publishing.models import TamperAlert
from govsite.publishing.verify import VerifyReport, verify_site
from govsite.sites.models import GovSite

logger = logging.getLogger(__name__)


def check_sites(*, restore: bool = True) -> list[VerifyReport]:
    """Verify (and by default restore) every published site; alert on each difference."""
    reports = []
    for site in GovSite.objects.order_by("sort_order", "pk"):
        if not (Path(settings.PUBLISH_ROOT) / site.code / "current").exists():
            continue

        def alert(report: VerifyReport, site: GovSite = site) -> None:
            with transaction.atomic():
                TamperAlert.objects.create(
                    site=site,
                    release=report.release_id or "",
                    modified=list(report.modified),
                    added=list(report.added),
                    missing=list(report.missing),
                    restored=list(report.restored),
                    summary=report.summary(),
                )
                record(
                    None,
                    "publishing.tamper_detected",
                    site,
                    outcome=AuditEvent.Outcome.FAILURE,
                    detail={
                        "release": report.release_id,
                        "modified": list(report.modified),
                        "added": list(report.added),
                        "missing": list(report.missing),
                        "restored": list(report.restored),
                    },
                )
            logger.warning("网站 %s 的发布文件与发布清单不一致：%s", site.code, report.summary())

        reports.append(
            verify_site(Path(settings.PUBLISH_ROOT), site.code, restore=restore, on_difference=alert)
        )
    return reports


def schedule_loop(stop: threading.Event, minutes: float) -> None:
    """Enqueue the tamper check every ``minutes`` until ``stop`` is set (run in a daemon thread)."""
    from govsite.publishing.tasks import verify_sites_task

    while not stop.wait(minutes * 60):
        try:
            verify_sites_task.enqueue()
        except Exception:  # a failed enqueue must not end the loop; the next tick tries again
            logger.exception("无法加入防篡改校验任务")

"""The scheduled tamper check (issue 5 item 5): verify every site's live tree against its manifest,
restore what differs, and leave an audit row and a ``TamperAlert`` for each site that differed.

``govsite serve`` enqueues ``verify_sites_task`` every ``GOVSITE_VERIFY_MINUTES`` minutes, and a
republish of every site at each new day (see ``Schedule``); production runs
``govsite publish verify --restore`` and ``govsite publish run`` from cron, or the same tasks from any
scheduler.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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


@dataclass
class Schedule:
    """What the embedded server's clock thread runs: the tamper check every ``verify_minutes`` (0: never)
    and, on each new day, a republish of every site. A day's change can change pages with no edit —
    a mourning period begins or ends, a notice passes its deadline (已截止) — and the fingerprints
    hold the day's state, so the republish renders just those pages (and finds nothing to do on the
    other days in about a second for 100,000 pages)."""

    verify_minutes: float
    last_verify: float  # time.monotonic() of the last check (or of the start)
    day: date

    def due(self, now: float, today: date) -> list[str]:
        """The jobs due at monotonic time ``now`` on local date ``today``; marks them done."""
        jobs = []
        if self.verify_minutes > 0 and now - self.last_verify >= self.verify_minutes * 60:
            jobs.append("verify")
            self.last_verify = now
        if today != self.day:
            jobs.append("republish")
            self.day = today
        return jobs

    def seconds_to_next(self, now: float, local_now: datetime) -> float:
        """How long to sleep: until the next check or just past the next local midnight."""
        midnight = datetime.combine(
            local_now.date() + timedelta(days=1), datetime.min.time(), local_now.tzinfo
        )
        wait = (midnight - local_now).total_seconds() + 1
        if self.verify_minutes > 0:
            wait = min(wait, self.last_verify + self.verify_minutes * 60 - now)
        return max(wait, 0.001)


def schedule_loop(stop: threading.Event, minutes: float) -> None:
    """Run ``Schedule`` until ``stop`` is set (in a daemon thread of ``govsite serve``): enqueue the
    tamper check and the daily republish when they are due."""
    from govsite.publishing.tasks import publish_all_task, verify_sites_task

    schedule = Schedule(minutes, time.monotonic(), timezone.localdate())
    while not stop.wait(schedule.seconds_to_next(time.monotonic(), timezone.localtime())):
        for job in schedule.due(time.monotonic(), timezone.localdate()):
            try:
                if job == "verify":
                    verify_sites_task.enqueue()
                else:
                    publish_all_task.enqueue("日期变更")
            except Exception:  # a failed enqueue must not end the loop; the next tick tries again
                logger.exception("无法加入定时任务：%s", job)

"""The scheduled tamper check: a modified, an added and a deleted file are found, restored byte for
byte, and leave one alert and one audit row for the site; a clean site leaves nothing."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from govsite.audit.log import verify_chain
from govsite.audit.models import AuditEvent
from govsite.publishing import actions, monitor
from govsite.publishing.models import TamperAlert
from govsite.publishing.tasks import verify_sites_task
from govsite.testing import factories as f

CHINA = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def test_tampering_is_found_restored_alerted_and_audited(personas: Any) -> None:
    f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    actions.publish_site(personas.site_a)
    live = Path(settings.PUBLISH_ROOT) / personas.site_a.code / "current"
    original = (live / "index.html").read_bytes()
    with (live / "index.html").open("r+b") as page:  # edited in place, as an intruder would
        page.write(b"<!-- hacked -->")
    (live / "robots.txt").unlink()
    (live / "shell.php").write_text("<?php system($_GET['c']); ?>")

    results = verify_sites_task.enqueue().return_value

    assert results == [
        {
            "site": personas.site_a.code,
            "differences": True,
            "summary": results[0]["summary"],
        }
    ]
    assert (live / "index.html").read_bytes() == original
    assert (live / "robots.txt").is_file()
    assert not (live / "shell.php").exists()
    alert = TamperAlert.objects.get()
    assert (alert.site, alert.modified, alert.added, alert.missing) == (
        personas.site_a,
        ["index.html"],
        ["shell.php"],
        ["robots.txt"],
    )
    assert sorted(alert.restored) == ["index.html", "robots.txt", "shell.php"]
    event = AuditEvent.objects.get(action="publishing.tamper_detected")
    assert (event.outcome, event.object_id) == (AuditEvent.Outcome.FAILURE, str(personas.site_a.pk))
    assert verify_chain().ok
    # Restored: the next check is clean and raises nothing.
    assert [r.has_differences for r in monitor.check_sites()] == [False]
    assert TamperAlert.objects.count() == 1


def test_the_schedule_enqueues_the_check_until_stopped() -> None:
    stop = threading.Event()
    calls: list[int] = []

    def enqueue() -> None:
        calls.append(1)
        stop.set()

    task = mock.Mock()
    task.enqueue.side_effect = enqueue
    with mock.patch("govsite.publishing.tasks.verify_sites_task", task):
        monitor.schedule_loop(stop, minutes=0.0001)
    assert calls == [1]


def test_the_schedule_runs_the_check_on_time_and_the_republish_once_a_day() -> None:
    day = date(2026, 4, 4)
    schedule = monitor.Schedule(verify_minutes=60, last_verify=0.0, day=day)

    assert schedule.due(59 * 60, day) == []
    assert schedule.due(60 * 60, day) == ["verify"]
    assert schedule.due(61 * 60, day) == []
    assert schedule.due(62 * 60, day + timedelta(days=1)) == ["republish"]
    assert schedule.due(63 * 60, day + timedelta(days=1)) == []
    # It sleeps until the next check, or until just past midnight when that comes first.
    late = datetime(2026, 4, 5, 23, 59, 30, tzinfo=CHINA)
    assert schedule.seconds_to_next(63 * 60, late) == 31
    assert schedule.seconds_to_next(63 * 60, late.replace(hour=9)) == 57 * 60
    never = monitor.Schedule(verify_minutes=0, last_verify=0.0, day=day)
    assert never.due(10**9, day) == []


def test_a_mourning_day_turns_every_page_grey_with_the_daily_republish(personas: Any) -> None:
    from govsite.publishing.tasks import publish_all_task

    site = personas.site_a
    site.mourning_from = site.mourning_until = date(2026, 4, 4)
    site.save()
    with time_machine.travel(datetime(2026, 4, 3, 12, tzinfo=CHINA), tick=False):
        actions.publish_site(site)
    home = Path(settings.PUBLISH_ROOT) / site.code / "current" / "index.html"
    assert 'class="mourning"' not in home.read_text()

    with time_machine.travel(datetime(2026, 4, 4, 0, 0, 5, tzinfo=CHINA), tick=False):
        publish_all_task.enqueue("日期变更")
    assert 'class="mourning"' in home.read_text()
    with time_machine.travel(datetime(2026, 4, 5, 0, 0, 5, tzinfo=CHINA), tick=False):
        publish_all_task.enqueue("日期变更")
    assert 'class="mourning"' not in home.read_text()


def test_the_dashboard_shows_alerts_to_those_who_run_the_site(personas: Any) -> None:
    from django.test import Client

    TamperAlert.objects.create(
        site=personas.site_a, modified=["index.html"], restored=["index.html"], summary="被篡改 1 个"
    )
    from govsite.accounts.models import Role
    from govsite.sites.actions import site_group

    site_admin_b = f.account(
        "siteadmin_b", unit_obj=personas.unit_b, groups=[site_group(personas.site_b, Role.Kind.SITE_ADMIN)]
    )
    people = {
        name: getattr(personas, name) for name in ("system_admin", "site_admin_a", "editor_a", "reviewer_a")
    }
    seen = {}
    for name, user in {**people, "site_admin_b": site_admin_b}.items():
        client = Client()
        client.force_login(user)
        seen[name] = "防篡改告警" in client.get("/admin/").content.decode()
    assert seen == {
        "system_admin": True,
        "site_admin_a": True,
        "editor_a": False,
        "reviewer_a": False,
        "site_admin_b": False,  # another site's alert is not theirs
    }

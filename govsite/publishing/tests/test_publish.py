"""Publishing a site into releases: a full publish, then incremental publishes that re-render exactly
the targets a change touches (the dependency record plus where the page is now) and write only files
whose bytes changed; unpublishing and moving remove the old files; every publish is audited."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page

from govsite.audit.models import AuditEvent
from govsite.content.models import ArticlePage
from govsite.publishing import actions, receivers
from govsite.publishing.models import Dependency, PublishRun, RenderedPath, RenderedTarget
from govsite.publishing.renderer import PAGE_SIZE, relative_url
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA)


def live(site: Any) -> Path:
    return Path(settings.PUBLISH_ROOT) / site.code / "current"


def tree(site: Any) -> dict[str, bytes]:
    """The live tree as a reader sees it (unchanged directories are shared as symlinks: followed)."""
    root = live(site)
    found: dict[str, bytes] = {}
    for directory, _, names in os.walk(root, followlinks=True):
        for name in names:
            if not name.endswith(".gz"):
                path = Path(directory) / name
                found[str(path.relative_to(root))] = path.read_bytes()
    return dict(sorted(found.items()))


@pytest.fixture
def site_a(personas: Any) -> dict[str, Any]:
    news = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    notices = f.column(
        personas.site_a, "通知公告", responsible_unit=personas.unit_a, slug="tzgg", column_class="notice"
    )
    items = [f.dated_item(news, f"要闻{n:02d}", T0 + timedelta(hours=n)) for n in range(PAGE_SIZE + 5)]
    notice = f.dated_item(notices, "通知一则", T0)
    return {"site": personas.site_a, "news": news, "notices": notices, "items": items, "notice": notice}


def test_a_full_publish_writes_the_site_and_records_what_each_file_shows(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    result = actions.publish_site(site, reason="测试")

    run = result.run
    files = tree(site)
    assert (run.kind, run.status, run.rendered, run.written, run.removed) == (
        PublishRun.Kind.FULL,
        PublishRun.Status.DONE,
        len(files),
        len(files),
        0,
    )
    assert {"index.html", "zwyw/index_2.html", "404.html"} <= set(files)
    assert files["zwyw/index.html"].decode().count("<li>") == PAGE_SIZE
    assert set(RenderedPath.objects.filter(site=site).values_list("path", flat=True)) == set(files)
    oldest = site_a["items"][0]
    assert set(
        Dependency.objects.filter(site=site, page_id=oldest.pk).values_list("target_kind", "target_id")
    ) >= {("item", oldest.pk), ("column", site_a["news"].pk)}
    event = AuditEvent.objects.filter(action="publishing.publish_site").get()
    assert event.detail["kind"] == "full"
    assert event.detail["rendered"] == len(files)
    # Nothing changed: the next whole-site publish finds every fingerprint unchanged and renders
    # nothing; forced, it renders everything and still writes nothing.
    release = run.release
    assert result.to_swap is not None
    assert 0 < result.to_swap <= result.seconds  # the switch comes before pruning and the commit
    unchanged = actions.publish_site(site)
    assert unchanged.to_swap is None  # no release made, nothing switched
    again = unchanged.run
    assert (again.rendered, again.written, again.removed, again.release) == (0, 0, 0, release)
    forced = actions.publish_site(site, force=True).run
    assert (forced.rendered, forced.written, forced.removed) == (len(files), 0, 0)
    assert tree(site) == files
    assert "zh-hant/index.html" in files  # every page has its 繁體 copy


def test_editing_an_item_rerenders_only_what_shows_it(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    before = tree(site)
    oldest = site_a["items"][0]  # on the second list page only
    inode = (live(site) / "tzgg" / "index.html").stat().st_ino

    oldest.title = "要闻00（更正）"
    oldest.save_revision().publish()
    run = actions.publish_site(site, page_ids=[oldest.pk]).run

    after = tree(site)
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed == {
        f.published_path(oldest),
        "zwyw/index_2.html",  # the list page that shows it; page 1 is untouched
        "zwyw/rss.xml",  # the feed carries the 30 newest items
        "zh-hant/" + f.published_path(oldest),  # and the 繁體 copies of the pages
        "zh-hant/zwyw/index_2.html",
    }
    assert run.kind == PublishRun.Kind.INCREMENTAL
    assert run.written == len(changed)
    # Rendered: the item and the one list page showing it (page 1's fingerprint did not move: kept, not
    # rendered), each with its 繁體 copy, and the feed. The home page lists only the newest items: its
    # fingerprint did not move, so it was not rendered either.
    assert run.rendered == 2 + 2 + 1
    assert RenderedPath.objects.filter(site=site, path="zwyw/index.html").exclude(fingerprint="").exists()
    # What was kept and what was rendered make exactly the tree a forced full render makes.
    actions.publish_site(site, force=True)
    assert tree(site) == after
    # Other columns were not even rendered, and their files are the same inodes.
    rendered_targets = {
        (k, t) for k, t in RenderedPath.objects.filter(site=site).values_list("target_kind", "target_id")
    }
    assert ("column", site_a["notices"].pk) in rendered_targets
    assert run.rendered < len(after) / 2
    assert (live(site) / "tzgg" / "index.html").stat().st_ino == inode


def test_a_new_item_appears_in_its_list_home_and_feed(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    fresh = f.dated_item(site_a["notices"], "新通知", T0 + timedelta(days=3))

    actions.publish_site(site, page_ids=[fresh.pk])

    files = tree(site)
    assert f.published_path(fresh) in files
    link = relative_url("tzgg/", f.published_path(fresh))
    assert f'<a href="{link}">新通知</a>' in files["tzgg/index.html"].decode()
    assert "新通知" in files["index.html"].decode()
    assert "新通知" in files["tzgg/rss.xml"].decode()


def test_unpublishing_removes_the_page_and_its_list_entry(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    notice = site_a["notice"]
    path = f.published_path(notice)
    notice.unpublish()

    run = actions.publish_site(site, page_ids=[notice.pk]).run

    files = tree(site)
    assert path.startswith("tzgg/")
    assert path not in files
    assert "通知一则" not in files["tzgg/index.html"].decode()
    assert run.removed == 2  # the page and its 繁體 copy
    assert "zh-hant/" + path not in files
    assert not RenderedPath.objects.filter(site=site, path=path).exists()


def test_incremental_publishes_leave_the_record_a_complete_publish_writes(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)

    def record() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
        return (
            set(Dependency.objects.filter(site=site).values_list("page_id", "target_kind", "target_id")),
            set(RenderedPath.objects.filter(site=site).values_list("path", "target_kind", "target_id")),
        )

    def fingerprints() -> dict[tuple[str, int], str]:
        rows = RenderedTarget.objects.filter(site=site).values_list("target_kind", "target_id", "fingerprint")
        return {(kind, pk): fingerprint for kind, pk, fingerprint in rows}

    newest, oldest = site_a["items"][-1], site_a["items"][0]
    # The newest item drops to the end of its column: the first list page and the home page stop
    # showing it and show an older one; the last list page shows it instead.
    newest.publish_date = T0 - timedelta(days=30)
    newest.save_revision().publish()
    actions.publish_site(site, page_ids=[newest.pk])
    oldest.unpublish()
    actions.publish_site(site, page_ids=[oldest.pk])
    incremental, incremental_prints = record(), fingerprints()

    actions.publish_site(site, force=True)

    assert incremental == record()
    shown = {(kind, target) for page, kind, target in incremental[0] if page == newest.pk}
    assert shown == {("item", newest.pk), ("column", site_a["news"].pk), ("rss", site_a["news"].pk)}
    assert not any(page == oldest.pk for page, _, _ in incremental[0])
    # Each target's fingerprint is the one a complete publish computes, but the sitemap's: an edit's
    # publish leaves it empty, for the next whole-site publish to render it once.
    complete = {t: fp for t, fp in fingerprints().items() if t != ("sitemap", 0)}
    assert {t: incremental_prints[t] for t in complete} == complete


def test_moving_an_item_moves_its_file(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    notice = site_a["notice"]
    before = f.published_path(notice)
    MovePageAction(notice, site_a["news"], pos="last-child").execute(skip_permission_checks=True)

    actions.publish_site(site, page_ids=[notice.pk])

    files = tree(site)
    after = f.published_path(Page.objects.get(pk=notice.pk))
    assert (before.split("/")[0], after.split("/")[0]) == ("tzgg", "zwyw")
    assert before not in files
    assert after in files
    assert "通知一则" not in files["tzgg/index.html"].decode()


def test_an_item_lives_in_its_columns_month_directory_and_moves_with_its_publish_date(
    site_a: dict[str, Any],
) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    notice = site_a["notice"]
    # 发布日期 2026-03-02 09:30 (China time): the March directory of 通知公告, named by date and id.
    before = f"tzgg/202603/t20260302_{notice.pk}.html"
    assert f.published_path(notice) == before
    assert before in tree(site)
    assert (
        f'<a href="202603/t20260302_{notice.pk}.html">通知一则</a>' in tree(site)["tzgg/index.html"].decode()
    )

    notice.publish_date = T0 - timedelta(days=40)  # 2026-01-21
    notice.save_revision().publish()
    run = actions.publish_site(site, page_ids=[notice.pk]).run

    files = tree(site)
    after = f"tzgg/202601/t20260121_{notice.pk}.html"
    assert (after in files, before in files, "zh-hant/" + before in files) == (True, False, False)
    assert f'<a href="202601/t20260121_{notice.pk}.html">通知一则</a>' in files["tzgg/index.html"].decode()
    assert f"/tzgg/202601/t20260121_{notice.pk}.html</loc>" in files["sitemap.xml"].decode()
    assert run.removed == 2  # the old page and its 繁體 copy
    # The page's relative links start from the month directory.
    assert (
        '<p class="crumb">当前位置：<a href="../../">首页</a> &gt; <a href="../">通知公告</a>'
        in files[after].decode()
    )


def test_a_publish_date_changed_without_a_revision_moves_the_page_on_the_next_publish(
    site_a: dict[str, Any],
) -> None:
    # An import or a bulk fix may change 发布日期 without publishing a revision: the item's version
    # (its fingerprint) covers the date, so the whole-site publish still moves the page.
    site = site_a["site"]
    actions.publish_site(site)
    notice = site_a["notice"]
    ArticlePage.objects.filter(pk=notice.pk).update(publish_date=T0 - timedelta(days=40))

    actions.publish_site(site)

    files = tree(site)
    assert f"tzgg/202601/t20260121_{notice.pk}.html" in files
    assert f"tzgg/202603/t20260302_{notice.pk}.html" not in files
    assert f'<a href="202601/t20260121_{notice.pk}.html">通知一则</a>' in files["tzgg/index.html"].decode()


def test_a_column_change_republishes_the_whole_site(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    news = site_a["news"]
    news.title = "要闻动态"
    news.save_revision().publish()

    run = actions.publish_site(site, page_ids=[news.pk]).run

    assert run.kind == PublishRun.Kind.FULL
    pages = {path: html.decode() for path, html in tree(site).items() if path.endswith(".html")}
    assert all("要闻动态" in html for path, html in pages.items() if not path.startswith("zh-hant/"))
    assert all("要聞動態" in html for path, html in pages.items() if path.startswith("zh-hant/"))


def test_publishing_follows_pages_to_every_site_that_shows_them(
    personas: Any, site_a: dict[str, Any]
) -> None:
    from govsite.content import library

    lower = f.column(personas.site_b, "上级文件", responsible_unit=personas.unit_b, slug="sjwj")
    item = site_a["items"][-1]
    placement = library.place_item(None, item, lower)
    for site in (personas.site_a, personas.site_b):
        actions.publish_site(site)

    item.title = "要闻（修改后）"
    item.save_revision().publish()  # Wagtail re-publishes the alias too
    results = actions.publish_pages([item.pk])

    assert sorted(r.run.site.code for r in results) == sorted([personas.site_a.code, personas.site_b.code])
    lower_files = tree(personas.site_b)
    assert "要闻（修改后）" in lower_files[f.published_path(placement.page)].decode()
    assert "要闻（修改后）" in lower_files["sjwj/index.html"].decode()


def test_the_publish_command_runs_and_reports(site_a: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("publish", "run", "--site", site_a["site"].code, stdout=out)
    text = out.getvalue()
    run = PublishRun.objects.get()
    assert run.kind == PublishRun.Kind.FULL
    assert f"│ {site_a['site'].name} │ 全量发布 │ {run.release} │" in text.replace("  ", " ").replace(
        "  ", " "
    )
    assert (live(site_a["site"]) / "index.html").is_file()

    status = StringIO()
    call_command("publish", "status", stdout=status)
    assert run.release in status.getvalue()
    assert "完成" in status.getvalue()

    dry = StringIO()
    call_command("publish", "run", "--dry-run", stdout=dry)
    assert dry.getvalue().startswith("演练模式，未做修改：将发布 2 个网站的全部文件。")
    assert PublishRun.objects.count() == 1


def test_a_whole_site_publish_renders_only_targets_whose_inputs_changed(site_a: dict[str, Any]) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    notice = site_a["notice"]
    notice.title = "通知一则（修改）"
    notice.save_revision().publish()

    run = actions.publish_site(site).run  # no page ids: the fingerprints decide

    rendered = set(
        RenderedPath.objects.filter(site=site, path__in=list(tree(site))).values_list("path", flat=True)
    )
    assert run.kind == PublishRun.Kind.FULL
    # The notice, its list and feed, and the site-wide lists (home, sitemap); each HTML with its 繁體 copy.
    assert run.rendered == 2 + 2 + 1 + 2 + 1
    assert f.published_path(notice) in rendered
    assert "通知一则（修改）" in tree(site)["tzgg/index.html"].decode()
    assert "通知一则（修改）" in tree(site)["index.html"].decode()


def test_a_rollback_forgets_the_record_and_the_next_publish_renders_everything(
    site_a: dict[str, Any],
) -> None:
    site = site_a["site"]
    actions.publish_site(site)
    first = tree(site)
    item = site_a["items"][-1]
    item.title = "要闻（改过）"
    item.save_revision().publish()
    actions.publish_site(site, page_ids=[item.pk])
    assert tree(site) != first

    release = actions.rollback_site(site)

    assert tree(site) == first
    assert not RenderedPath.objects.filter(site=site).exists()
    assert not Dependency.objects.filter(site=site).exists()
    event = AuditEvent.objects.filter(action="publishing.rollback_site").get()
    assert event.detail["to"] == release.id
    # The record described the release that was left: the next publish renders the site completely
    # and the live tree is what the database says now, not what the rolled-back files say.
    run = actions.publish_site(site, page_ids=[site_a["notice"].pk]).run
    assert run.kind == PublishRun.Kind.FULL
    assert "要闻（改过）" in tree(site)["zwyw/index.html"].decode()
    assert run.rendered == len(tree(site))


def test_a_publish_holds_the_sites_lock_while_it_decides(
    site_a: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from govsite.publishing.fingerprints import Fingerprints

    site = site_a["site"]
    actions.publish_site(site)
    held: list[bool] = []
    real_of = Fingerprints.of

    def probing_of(self: Fingerprints, *args: Any, **kwargs: Any) -> Any:
        # Another publish of the site (another descriptor of the lock file) must have to wait here.
        fd = os.open(Path(settings.PUBLISH_ROOT) / site.code / ".lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held.append(False)
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BlockingIOError:
            held.append(True)
        finally:
            os.close(fd)
        return real_of(self, *args, **kwargs)

    monkeypatch.setattr(Fingerprints, "of", probing_of)
    item = site_a["items"][-1]
    item.title = "要闻（再改）"
    item.save_revision().publish()
    actions.publish_site(site, page_ids=[item.pk])
    actions.publish_site(site)

    assert held == [True, True]


def test_publishing_an_edit_updates_the_live_page_through_the_signal_and_the_task(
    site_a: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The path an editor's 发布 takes: Wagtail's signal queues the page, the commit enqueues the
    publishing task (run at once by the test settings' immediate backend), and the live release has
    the new text, in both scripts, with nothing else rewritten."""
    site = site_a["site"]
    actions.publish_site(site)
    item = site_a["items"][-1]
    address = f.published_path(item)
    runs = PublishRun.objects.count()
    # The fixture's publishes queued their pages for a commit that never comes (the test runs in one
    # transaction): forget them, so that only the edit below is published.
    receivers._pending.ids = set()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item.title = "要闻已更正"
        item.save_revision().publish()
    assert callbacks  # the publish was queued for after the commit, not run inside the transaction

    page = (live(site) / address).read_text()
    assert '<h1 class="item-title">要闻已更正</h1>' in page
    assert '<h1 class="item-title">要聞已更正</h1>' in (live(site) / "zh-hant" / address).read_text()
    assert "要闻已更正" in (live(site) / "zwyw" / "index.html").read_text()
    run = PublishRun.objects.order_by("pk").last()
    assert run is not None
    assert PublishRun.objects.count() == runs + 1
    assert (run.kind, run.status) == (PublishRun.Kind.INCREMENTAL, PublishRun.Status.DONE)
    assert run.pages == [item.pk]

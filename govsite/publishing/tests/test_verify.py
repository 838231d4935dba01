"""Tamper verifier: finds modified, added and missing files (and .gz siblings) and restores them exactly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from govsite.publishing.releases import Release, ReleaseStore, gzip_bytes, iter_tree
from govsite.publishing.verify import VerifyReport, restore, verify, verify_site

FILES = {
    "index.html": b"<html>home</html>",
    "static/logo.png": b"\x89PNG logo",
    "news/index.html": b"<html>news</html>",
    "news/2026/1.html": b"<html>article 1</html>",
    "news/2026/2.html": b"<html>article 2</html>",
}


def tree(path: Path) -> dict[str, bytes]:
    return {p: f.read_bytes() for p, f in iter_tree(path)}


def publish(store: ReleaseStore, files: dict[str, bytes], *, full: bool = True) -> Release:
    with store.begin() as builder:
        for path, data in files.items():
            builder.put(path, data)
        return builder.commit(full=full)


@pytest.fixture
def store(tmp_path: Path) -> ReleaseStore:
    return ReleaseStore(tmp_path / "public", "portal")


@pytest.fixture
def live(store: ReleaseStore) -> Path:
    """Two releases, so the live tree has linked files and a shared directory (news/2026)."""
    publish(store, FILES)
    publish(store, {"index.html": b"<html>home 2</html>"}, full=False)
    return store.current_link


def test_a_clean_tree_has_no_differences(store: ReleaseStore, live: Path) -> None:
    report = verify(store)
    assert report == VerifyReport(site_code="portal", release_id=store.current_id(), checked=9)
    assert report.summary() == f"站点 portal 当前版本 {store.current_id()}：校验 9 个文件，与发布清单一致。"


def test_an_unpublished_site() -> None:
    store = ReleaseStore(Path("/nonexistent"), "portal")
    report = verify(store)
    assert report == VerifyReport(site_code="portal", release_id=None)
    assert report.summary() == "站点 portal 尚未发布，没有可校验的文件。"


def test_modified_added_and_missing_files_are_found_and_restored_byte_exactly(
    store: ReleaseStore, live: Path
) -> None:
    pristine = tree(live)
    (live / "index.html").write_bytes(b"<html>defaced</html>")
    (live / "news/2026/1.html.gz").write_bytes(gzip_bytes(b"<html>defaced</html>"))
    (live / "news/2026/evil.html").write_bytes(b"<script>")
    (live / "news/index.html").unlink()
    (live / "static/logo.png").unlink()

    report = verify(store)
    assert report.modified == ("index.html", "news/2026/1.html.gz")
    assert report.added == ("news/2026/evil.html",)
    assert report.missing == ("news/index.html", "static/logo.png")
    assert report.summary() == (
        f"站点 portal 当前版本 {store.current_id()}：校验 9 个文件，被篡改 2 个、多出 1 个、缺失 2 个。"
    )

    fixed = restore(store, report)
    assert fixed.restored == (
        "index.html",
        "news/2026/1.html.gz",
        "news/2026/evil.html",
        "news/index.html",
        "static/logo.png",
    )
    assert fixed.unrestorable == ()
    assert fixed.summary().endswith("被篡改 2 个、多出 1 个、缺失 2 个；已恢复 5 个。")
    assert tree(live) == pristine
    assert not verify(store).has_differences


def test_a_file_edited_in_place_through_a_hard_link_is_restored_from_the_object_store(
    store: ReleaseStore, live: Path
) -> None:
    first, second = (r.id for r in reversed(store.releases()))
    shared = store.releases_dir / second / "news" / "index.html"
    assert shared.stat().st_ino == (store.releases_dir / first / "news" / "index.html").stat().st_ino
    # In place: the same inode, so the older release's copy changes too — it cannot be the source.
    with open(live / "news" / "index.html", "r+b") as handle:
        handle.write(b"<HTML>")
    assert (store.releases_dir / first / "news" / "index.html").read_bytes().startswith(b"<HTML>")

    report = verify(store)
    assert report.modified == ("news/index.html",)
    restore(store, report)
    assert (live / "news" / "index.html").read_bytes() == FILES["news/index.html"]
    assert not verify(store).has_differences


def test_a_gzip_sibling_that_is_not_gzip_is_modified(store: ReleaseStore, live: Path) -> None:
    (live / "index.html.gz").write_bytes(b"not gzip")
    (live / "news/2026/2.html.gz").unlink()
    report = verify(store)
    assert report.modified == ("index.html.gz",)
    assert report.missing == ("news/2026/2.html.gz",)
    restore(store, report)
    assert (live / "index.html.gz").read_bytes() == gzip_bytes(b"<html>home 2</html>")
    assert (live / "news/2026/2.html.gz").read_bytes() == gzip_bytes(FILES["news/2026/2.html"])


def test_a_planted_symlink_leading_outside_is_not_written_through(
    store: ReleaseStore, live: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "1.html").write_bytes(b"x")
    real = Path(os.path.realpath(live / "news" / "2026"))
    for name in os.listdir(real):
        (real / name).unlink()
    real.rmdir()
    real.symlink_to(outside)

    report = verify(store)
    assert "news/2026/1.html" in report.modified
    fixed = restore(store, report)
    assert "news/2026/1.html" in fixed.unrestorable
    assert (outside / "1.html").read_bytes() == b"x"


def test_added_directories_links_loops_and_dangling_links(store: ReleaseStore, live: Path) -> None:
    pristine = tree(live)
    first = store.releases()[-1]
    first_files = tree(first.path)
    (live / "news" / "loop").symlink_to("..")
    (live / "news" / "2026" / "1.html").unlink()
    (live / "news" / "2026" / "1.html").symlink_to("/nonexistent/file")
    (live / "dangling.html").symlink_to("nowhere.html")
    (live / "planted" / "deep").mkdir(parents=True)
    (live / "planted" / "deep" / "x.html").write_bytes(b"spam")

    report = verify(store)
    assert report.modified == ("news/2026/1.html",)
    assert report.added == ("dangling.html", "news/loop", "planted")
    assert report.missing == ()
    fixed = restore(store, report)
    assert fixed.restored == ("dangling.html", "news/2026/1.html", "news/loop", "planted")
    assert tree(live) == pristine
    assert not (live / "news" / "2026" / "1.html").is_symlink()
    # Nothing was deleted through the planted link.
    assert tree(first.path) == first_files


def test_verify_site_restores_and_hands_the_report_to_the_callback(store: ReleaseStore, live: Path) -> None:
    seen: list[VerifyReport] = []
    assert verify_site(store.root, "portal", restore=True, on_difference=seen.append).has_differences is False
    assert seen == []

    (live / "index.html").write_bytes(b"defaced")
    report = verify_site(store.root, "portal", restore=False, on_difference=seen.append)
    assert (report.modified, report.restored) == (("index.html",), ())
    assert (live / "index.html").read_bytes() == b"defaced"

    report = verify_site(store.root, "portal", restore=True, on_difference=seen.append)
    assert (report.modified, report.restored) == (("index.html",), ("index.html",))
    assert seen == [seen[0], report]
    assert (live / "index.html").read_bytes() == b"<html>home 2</html>"


def test_command_reports_and_restores(personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "public"
    store = ReleaseStore(root, "sitea")
    release = publish(store, FILES)
    call_command("publish", "verify", "--root", str(root))
    out = capsys.readouterr().out
    assert out == (
        f"站点 sitea 当前版本 {release.id}：校验 9 个文件，与发布清单一致。\n"
        "站点 siteb 尚未发布，没有可校验的文件。\n"
    )

    (store.current_link / "news" / "2026" / "1.html").write_bytes(b"defaced")
    with pytest.raises(SystemExit) as exit_info:
        call_command("publish", "verify", "--site", "sitea", "--root", str(root))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert f"站点 sitea 当前版本 {release.id}：校验 9 个文件，被篡改 1 个、多出 0 个、缺失 0 个。" in out
    assert "news/2026/1.html" in out
    assert "可加 --restore 按发布清单恢复。" in out

    with pytest.raises(SystemExit):
        call_command("publish", "verify", "--site", "sitea", "--root", str(root), "--restore")
    out = capsys.readouterr().out
    assert "；已恢复 1 个。" in out
    assert "已恢复" in next(line for line in out.splitlines() if "news/2026/1.html" in line)
    call_command("publish", "verify", "--site", "sitea", "--root", str(root))
    assert "与发布清单一致" in capsys.readouterr().out

"""Release store: what is written, linked and shared; manifests; atomic switch; rollback; prune."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import threading
from pathlib import Path
from typing import Literal

import pytest
from django.core.management import CommandError, call_command

from govsite.publishing.releases import (
    ManifestEntry,
    Release,
    ReleaseStore,
    _is_boundary,
    gzip_bytes,
    iter_tree,
    validate_path,
)

SITE_FILES = {
    "index.html": b"<html>home</html>",
    "404.html": b"<html>not found</html>",
    "robots.txt": b"User-agent: *\n",
    "static/site.css": b"body{color:#333}",
    "static/logo.png": b"\x89PNG fake",
    "news/index.html": b"<html>news list</html>",
    "news/2026/1.html": b"<html>article 1</html>",
    "news/2026/2.html": b"<html>article 2</html>",
    "notice/index.html": b"<html>notice list</html>",
    "notice/2026/9.html": b"<html>notice 9</html>",
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(
    store: ReleaseStore,
    files: dict[str, bytes],
    *,
    full: bool = True,
    base: Release | Literal["current"] | None = "current",
) -> Release:
    with store.begin(base=base) as builder:
        for path, data in files.items():
            builder.put(path, data)
        return builder.commit(full=full)


def tree(path: Path) -> dict[str, bytes]:
    return {p: f.read_bytes() for p, f in iter_tree(path)}


@pytest.fixture
def store(tmp_path: Path) -> ReleaseStore:
    return ReleaseStore(tmp_path / "public", "portal", keep=3)


def test_first_release_writes_every_file_with_gzip_siblings_objects_and_manifest(store: ReleaseStore) -> None:
    release = build(store, SITE_FILES)

    assert release.stats.as_dict() == {
        "written": 10,
        "unchanged": 0,
        "linked": 0,
        "shared_dirs": 0,
        "removed": 0,
        "files": 10,
        "bytes_written": sum(len(d) for d in SITE_FILES.values()),
        "objects_written": 10,
    }
    assert dict(release.manifest) == {
        p: ManifestEntry(p, sha(d), len(d)) for p, d in sorted(SITE_FILES.items())
    }
    assert list(release.manifest) == sorted(SITE_FILES)
    served = tree(store.current_link)
    siblings = {f"{p}.gz": gzip_bytes(d) for p, d in SITE_FILES.items() if not p.endswith(".png")}
    assert served == {**SITE_FILES, **siblings}
    assert gzip.decompress(served["index.html.gz"]) == SITE_FILES["index.html"]
    assert served["index.html.gz"][4:8] == b"\0\0\0\0"  # mtime 0: deterministic bytes
    assert os.readlink(store.current_link) == f"releases/{release.id}"
    assert store.current_id() == release.id
    for data in SITE_FILES.values():
        assert store.read_object(sha(data)) == data
        assert store.has_object(sha(data))
    # One pack and its index for the release, separate inodes from every served file.
    assert sorted(os.listdir(store.packs_dir)) == [f"{release.id}.idx", f"{release.id}.pack"]
    assert (store.packs_dir / f"{release.id}.pack").stat().st_ino not in {
        f.stat().st_ino for _, f in iter_tree(release.path)
    }
    assert os.listdir(store.incoming_dir) == []

    meta = json.loads((store.releases_dir / f"{release.id}.manifest.json").read_text())
    assert meta["format"] == "govsite-release/1"
    assert (meta["site"], meta["base"], meta["full"], meta["files"], meta["links"]) == (
        "portal",
        None,
        True,
        10,
        {},
    )
    rows = [
        row
        for first, last, chunk_sha, count in meta["chunks"]
        for row in json.loads((store.chunk_dir / f"{chunk_sha}.json").read_bytes())
    ]
    assert rows == [[p, sha(d), len(d)] for p, d in sorted(SITE_FILES.items())]
    assert sorted(os.listdir(store.releases_dir)) == sorted([release.id, f"{release.id}.manifest.json"])


def test_incremental_release_writes_changes_links_unchanged_files_and_shares_unchanged_dirs(
    store: ReleaseStore,
) -> None:
    first = build(store, SITE_FILES)
    old_home = first.path / "news" / "index.html"
    mtime_before = (first.path / "news" / "2026" / "1.html").stat().st_mtime_ns

    with store.begin() as builder:
        assert builder.put("news/2026/1.html", b"<html>article 1</html>") is False
        assert builder.put("news/2026/2.html", b"<html>article 2, corrected</html>") is True
        assert builder.put("news/index.html", b"<html>news list v2</html>") is True
        second = builder.commit(full=False)

    assert second.stats.written == 2
    assert second.stats.unchanged == 1
    # Spine: "", "news", "news/2026". Linked one by one: the root's 3 files and news/2026/1.html.
    assert second.stats.linked == 4
    # Shared whole: static/ and notice/ (one symlink each).
    assert second.stats.shared_dirs == 2
    assert second.links == {"notice": first.id, "static": first.id}
    assert os.readlink(second.path / "static") == f"../{first.id}/static"
    assert os.readlink(second.path / "notice") == f"../{first.id}/notice"
    assert not (second.path / "news").is_symlink()

    for path in ("index.html", "index.html.gz", "404.html", "news/2026/1.html", "news/2026/1.html.gz"):
        assert (second.path / path).stat().st_ino == (first.path / path).stat().st_ino, path
    assert (second.path / "news/2026/1.html").stat().st_mtime_ns == mtime_before
    assert (second.path / "news/2026/2.html").stat().st_ino != (first.path / "news/2026/2.html").stat().st_ino
    # The previous release is immutable: its files keep their bytes.
    assert old_home.read_bytes() == b"<html>news list</html>"
    assert tree(first.path) == tree(second.path) | {
        "news/2026/2.html": b"<html>article 2</html>",
        "news/2026/2.html.gz": gzip_bytes(b"<html>article 2</html>"),
        "news/index.html": b"<html>news list</html>",
        "news/index.html.gz": gzip_bytes(b"<html>news list</html>"),
    }
    expected = dict(
        SITE_FILES,
        **{
            "news/2026/2.html": b"<html>article 2, corrected</html>",
            "news/index.html": b"<html>news list v2</html>",
        },
    )
    assert {p: e.sha256 for p, e in second.manifest.items()} == {
        p: sha(d) for p, d in sorted(expected.items())
    }
    assert store.current_id() == second.id


def test_release_built_on_a_shared_directory_links_to_its_owner_not_through_a_chain(
    store: ReleaseStore,
) -> None:
    first = build(store, SITE_FILES)
    second = build(store, {"index.html": b"home 2"}, full=False)
    third = build(store, {"news/index.html": b"news 3"}, full=False)

    assert second.links == {"news": first.id, "notice": first.id, "static": first.id}
    # news/ became real in the third release; its unchanged sub-directory points at the first release.
    assert third.links == {"news/2026": first.id, "notice": first.id, "static": first.id}
    assert os.readlink(third.path / "notice") == f"../{first.id}/notice"
    assert os.readlink(third.path / "news" / "2026") == f"../../{first.id}/news/2026"
    assert store.physical_dir(third, "news/2026") == store.releases_dir / first.id / "news" / "2026"
    assert store.physical_dir(third, "news") == third.path / "news"
    assert store.physical_dir(third, "") == third.path
    assert (third.path / "index.html").stat().st_ino == (second.path / "index.html").stat().st_ino
    assert tree(third.path)["news/2026/1.html"] == SITE_FILES["news/2026/1.html"]


def test_links_planted_in_the_base_tree_are_not_carried_into_the_next_release(store: ReleaseStore) -> None:
    first = build(store, SITE_FILES)
    (first.path / "evil").symlink_to("/etc")
    (first.path / "news" / "evil.html").symlink_to("/etc/passwd")
    release = build(store, {"index.html": b"v2", "news/index.html": b"news 2"}, full=False)
    assert sorted(os.listdir(release.path)) == sorted(
        [
            "404.html",
            "404.html.gz",
            "index.html",
            "index.html.gz",
            "news",
            "notice",
            "robots.txt",
            "robots.txt.gz",
            "static",
        ]
    )
    assert not (release.path / "news" / "evil.html").exists()


def test_full_commit_drops_files_not_put_and_incremental_commit_carries_them(store: ReleaseStore) -> None:
    build(store, SITE_FILES)
    partial = {p: d for p, d in SITE_FILES.items() if not p.startswith("notice/")}

    carried = build(store, {"index.html": b"home 2"}, full=False)
    assert set(carried.manifest) == set(SITE_FILES)
    assert carried.stats.removed == 0

    dropped = build(store, {**partial, "index.html": b"home 3"}, full=True)
    assert set(dropped.manifest) == set(partial)
    assert dropped.stats.removed == 2
    assert dropped.stats.written == 1
    assert dropped.stats.unchanged == len(partial) - 1
    assert not (dropped.path / "notice").exists()
    assert set(tree(dropped.path)) == set(partial) | {f"{p}.gz" for p in partial if not p.endswith(".png")}


def test_remove_file_and_directory(store: ReleaseStore) -> None:
    build(store, SITE_FILES)
    with store.begin() as builder:
        builder.remove("news/2026/1.html")
        builder.remove("notice")
        builder.remove("never/existed.html")
        release = builder.commit(full=False)

    assert release.stats.removed == 3
    assert set(release.manifest) == set(SITE_FILES) - {
        "news/2026/1.html",
        "notice/index.html",
        "notice/2026/9.html",
    }
    assert not (release.path / "news/2026/1.html").exists()
    assert not (release.path / "news/2026/1.html.gz").exists()
    assert not (release.path / "notice").exists()
    assert (release.path / "news/2026/2.html").read_bytes() == SITE_FILES["news/2026/2.html"]


def test_put_then_put_back_the_base_content_links_the_base_file(store: ReleaseStore) -> None:
    first = build(store, SITE_FILES)
    with store.begin() as builder:
        assert builder.put("index.html", b"draft") is True
        assert builder.put("index.html", SITE_FILES["index.html"]) is False
        assert builder.put("extra.html", b"new") is True
        release = builder.commit(full=False)
    assert release.stats.written == 1
    assert (release.path / "index.html").stat().st_ino == (first.path / "index.html").stat().st_ino
    assert release.manifest["index.html"].sha256 == sha(SITE_FILES["index.html"])


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "发布路径不能为空"),
        ("/etc/passwd", "发布路径应为相对路径，不能以 / 开头：/etc/passwd"),
        ("../outside.html", "发布路径不能含有空段、. 或 ..：../outside.html"),
        ("news/../../x.html", "发布路径不能含有空段、. 或 ..：news/../../x.html"),
        ("news//x.html", "发布路径不能含有空段、. 或 ..：news//x.html"),
        ("news/./x.html", "发布路径不能含有空段、. 或 ..：news/./x.html"),
        ("news/", "发布路径不能含有空段、. 或 ..：news/"),
        ("a\x00b.html", "发布路径含有空字符：'a\\x00b.html'"),
        ("a\nb.html", "发布路径含有控制字符：'a\\nb.html'"),
        ("news\\x.html", "发布路径应使用 / 分隔，不能含有反斜杠：news\\x.html"),
        ("index.html.gz", "index.html.gz 与预压缩文件同名，预压缩文件由发布程序自动生成"),
        ("current/x.html", "发布路径使用了保留名称：current/x.html"),
    ],
)
def test_bad_paths_are_refused_and_nothing_is_written(store: ReleaseStore, path: str, message: str) -> None:
    with store.begin() as builder:
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            builder.put(path, b"evil")
        assert os.listdir(builder.staging) == []
        assert sorted(os.listdir(store.objects_dir)) == [".incoming", "packs"]
        assert os.listdir(store.incoming_dir) == []
        assert os.listdir(store.packs_dir) == []
        builder.abort()
    assert store.releases() == []
    assert store.current() is None


def test_staged_files_are_written_in_place_and_a_second_put_replaces_the_first(
    store: ReleaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staging tree is private and thrown away whole on a crash: no temp name, no rename."""
    renamed: list[str] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        renamed.append(str(dst))
        real_replace(src, dst)

    with store.begin() as builder:
        monkeypatch.setattr(os, "replace", replace)
        builder.put("news/1.html", b"<p>first</p>")
        builder.put("news/1.html", b"<p>second</p>")
        builder.put("logo.png", b"png")
        assert [p for p in renamed if ".staging-" in p] == []
        assert sorted(os.listdir(builder.staging / "news")) == ["1.html", "1.html.gz"]
        monkeypatch.undo()
        release = builder.commit(full=True)
    assert tree(release.path) == {
        "logo.png": b"png",
        "news/1.html": b"<p>second</p>",
        "news/1.html.gz": gzip_bytes(b"<p>second</p>"),
    }
    assert release.stats.bytes_written == len(b"<p>second</p>") + 3


def test_a_file_put_then_removed_in_a_small_durable_build_commits(store: ReleaseStore) -> None:
    assert store.durable
    with store.begin() as builder:
        builder.put("index.html", b"home")
        builder.put("draft.html", b"draft")
        builder.remove("draft.html")
        release = builder.commit(full=True)
    assert set(tree(release.path)) == {"index.html", "index.html.gz"}
    assert list(release.manifest) == ["index.html"]


def test_a_path_cannot_be_both_a_file_and_a_directory(store: ReleaseStore) -> None:
    build(store, SITE_FILES)
    with store.begin() as builder:
        with pytest.raises(ValueError, match=r"^路径冲突：index.html 已是文件，不能再作为目录$"):
            builder.put("index.html/x.html", b"x")
        with pytest.raises(ValueError, match=r"^路径冲突：news 已是目录$"):
            builder.put("news", b"x")
        builder.put("a.html", b"a")
        with pytest.raises(ValueError, match=r"^路径冲突：a.html 已是文件，不能再作为目录$"):
            builder.put("a.html/b.html", b"b")
        # A second file in a directory staged already (its ancestors are not checked again).
        builder.put("x/y/a.html", b"a")
        assert builder.put("x/y/b.html", b"b") is True
        with pytest.raises(ValueError, match=r"^路径冲突：x/y 已是目录$"):
            builder.put("x/y", b"c")
        with pytest.raises(ValueError, match=r"^路径冲突：x 已是目录$"):
            builder.put("x", b"c")
        builder.remove("notice")
        assert builder.put("notice", b"a file where the directory was") is True
        release = builder.commit(full=False)
    assert (release.path / "notice").read_bytes() == b"a file where the directory was"
    assert "notice/index.html" not in release.manifest


def test_a_prepared_release_is_on_disk_but_not_live_until_committed(store: ReleaseStore) -> None:
    first = build(store, SITE_FILES)
    changed = {**SITE_FILES, "news/2026/1.html": b"<html>article 1, corrected</html>"}
    with store.begin() as builder:
        for path, data in changed.items():
            builder.put(path, data)
        builder.prepare(full=True)
        # Flushed and linked, but the live site is still the first release.
        assert store.current_id() == first.id
        assert (store.current_link / "news/2026/1.html").read_bytes() == SITE_FILES["news/2026/1.html"]
        with pytest.raises(ValueError, match="已准备提交"):
            builder.put("late.html", b"late")
        with pytest.raises(ValueError, match="不一致"):
            builder.commit(full=False)
    # Leaving the block without a commit aborts: nothing of the prepared build went live.
    assert store.current_id() == first.id
    assert tree(store.current_link) == tree(first.path)

    with store.begin() as builder:
        for path, data in changed.items():
            builder.put(path, data)
        builder.prepare(full=True)
        second = builder.commit(full=True)
    assert store.current_id() == second.id
    assert (store.current_link / "news/2026/1.html").read_bytes() == changed["news/2026/1.html"]
    assert second.stats.written == 1
    assert set(second.timings) >= {"manifest", "tree", "fsync", "switch", "prune"}
    # The second build's new content is in the object store (the aborted build's pack did not stand
    # in for it).
    assert store.read_object(sha(changed["news/2026/1.html"])) == changed["news/2026/1.html"]


def test_a_large_build_flushes_to_disk_while_it_is_written(
    store: ReleaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govsite.publishing.releases import builder as builder_module
    from govsite.publishing.releases import files

    flushed: list[Path] = []
    real_syncfs = files.syncfs

    def counting_syncfs(directory: Path) -> None:
        flushed.append(directory)
        real_syncfs(directory)

    monkeypatch.setattr(files, "syncfs", counting_syncfs)
    monkeypatch.setattr(builder_module, "syncfs", counting_syncfs)
    monkeypatch.setattr(files.BackgroundFlush, "EVERY_BYTES", 1)
    many = {f"news/2026/{n}.html": f"<html>article {n}</html>".encode() for n in range(200)}
    with store.begin() as builder:
        for path, data in many.items():
            builder.put(path, data)
        assert builder._flush is not None
        background = builder._flush.started
        release = builder.commit(full=True)
    # Flushes ran while the files were put (one at a time), and the final one before the switch.
    assert background >= 1
    assert len(flushed) == background + 1
    assert tree(release.path) == {
        **many,
        **{f"{path}.gz": gzip_bytes(data) for path, data in many.items()},
    }


def test_nothing_changed_makes_no_release(store: ReleaseStore) -> None:
    first = build(store, SITE_FILES)
    again = build(store, SITE_FILES, full=True)
    assert again.id == first.id
    assert again.stats.written == 0
    assert again.stats.unchanged == 10
    assert [r.id for r in store.releases()] == [first.id]
    assert [n for n in os.listdir(store.releases_dir) if n.startswith(".staging-")] == []


def test_exception_inside_the_builder_aborts_and_keeps_the_live_release(store: ReleaseStore) -> None:
    first = build(store, SITE_FILES)

    def failing_render() -> None:
        with store.begin() as builder:
            builder.put("index.html", b"half done")
            raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError, match=r"^renderer failed$"):
        failing_render()
    assert store.current_id() == first.id
    assert (store.current_link / "index.html").read_bytes() == SITE_FILES["index.html"]
    assert [n for n in os.listdir(store.releases_dir) if n.startswith(".")] == []
    # The lock was released: the next build starts.
    assert build(store, {"index.html": b"v2"}, full=False).stats.written == 1


def test_leaving_the_block_without_commit_aborts(store: ReleaseStore) -> None:
    build(store, SITE_FILES)
    with store.begin() as builder:
        builder.put("index.html", b"forgotten")
    assert not builder.staging.exists()
    with pytest.raises(ValueError, match=r"^该发布版本已提交或已放弃，不能再修改$"):
        builder.put("x.html", b"x")


def test_begin_removes_leftovers_of_a_killed_build(store: ReleaseStore) -> None:
    first = build(store, SITE_FILES)
    (store.releases_dir / ".staging-20200101T000000.000000Z-0000" / "news").mkdir(parents=True)
    (store.releases_dir / ".staging-20200101T000000.000000Z-0000" / "news" / "x.html").write_bytes(b"x")
    (store.releases_dir / "20990101T000000.000000Z-0000.manifest.json").write_text("{}")  # dir never renamed
    (store.releases_dir / ".x.manifest.json.tmp-123").write_text("partial")
    (store.site_dir / "current.tmp-123").symlink_to("releases/nowhere")
    (store.incoming_dir / "20990101T000000.000000Z-0000.pack").write_bytes(b"half a pack")
    # A pack whose index was never renamed into place, and the complete pack of a build that never
    # made a release (named after an id newer than every release): no manifest can refer to either.
    (store.packs_dir / "20200101T000000.000000Z-0000.pack").write_bytes(b"pack without index")
    (store.packs_dir / "20990101T000000.000000Z-0000.pack").write_bytes(b"")
    (store.packs_dir / "20990101T000000.000000Z-0000.idx").write_bytes(b"")
    with store.begin() as builder:
        assert sorted(os.listdir(store.releases_dir)) == sorted(
            [first.id, f"{first.id}.manifest.json", builder.staging.name]
        )
        assert not (store.site_dir / "current.tmp-123").is_symlink()
        assert os.listdir(store.incoming_dir) == []
        assert sorted(os.listdir(store.packs_dir)) == [f"{first.id}.idx", f"{first.id}.pack"]
        builder.abort()


def test_release_ids_sort_by_time_and_stay_unique(store: ReleaseStore) -> None:
    ids = [build(store, {"index.html": f"v{i}".encode()}, full=True).id for i in range(4)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 4
    assert [r.id for r in store.releases()] == sorted(ids, reverse=True)[:3]


def test_rollback_goes_back_one_release_at_a_time_and_keeps_newer_ones(store: ReleaseStore) -> None:
    r1 = build(store, {"index.html": b"v1"})
    r2 = build(store, {"index.html": b"v2"})
    r3 = build(store, {"index.html": b"v3"})

    assert store.rollback().id == r2.id
    assert (store.current_link / "index.html").read_bytes() == b"v2"
    assert store.rollback().id == r1.id
    assert (store.current_link / "index.html").read_bytes() == b"v1"
    with pytest.raises(ValueError, match=rf"^站点 portal 的当前版本 {r1.id} 之前没有可回退的发布版本$"):
        store.rollback()
    assert [r.id for r in store.releases()] == [r3.id, r2.id, r1.id]

    # The next publish builds on what is live and becomes the newest release.
    r4 = build(store, {"index.html": b"v4"}, full=False)
    assert r4.base_id == r1.id
    assert [r.id for r in store.releases()] == [r4.id, r3.id, r2.id]


def test_rollback_without_any_release(store: ReleaseStore) -> None:
    with pytest.raises(ValueError, match=r"^站点 portal 尚未发布，无法回退$"):
        store.rollback()


def test_prune_keeps_the_newest_and_hollows_releases_whose_directories_are_still_shared(
    store: ReleaseStore,
) -> None:
    first = build(store, SITE_FILES)  # keep=3
    releases = [build(store, {"index.html": f"home {i}".encode()}, full=False) for i in range(4)]

    assert [r.id for r in store.releases()] == [r.id for r in reversed(releases[1:])]
    # The first release is no longer a release, but the directories the kept ones share stay.
    assert not (store.releases_dir / f"{first.id}.manifest.json").exists()
    assert sorted(os.listdir(first.path)) == ["news", "notice", "static"]
    # The second release held only its root files and symlinks: nothing kept refers to it.
    assert not releases[0].path.exists()
    assert tree(store.current_link) == {
        **{p: d for p, d in SITE_FILES.items()},
        **{f"{p}.gz": gzip_bytes(d) for p, d in SITE_FILES.items() if not p.endswith(".png")},
        "index.html": b"home 3",
        "index.html.gz": gzip_bytes(b"home 3"),
    }
    # Objects of contents no kept release has are collected; the rest stay.
    assert not store.has_object(sha(SITE_FILES["index.html"]))
    assert not store.has_object(sha(b"home 0"))
    assert store.has_object(sha(b"home 1"))
    assert store.has_object(sha(SITE_FILES["news/2026/1.html"]))
    # The pack of the release that wrote only "home 0" held nothing live any more: it is gone.
    assert not (store.packs_dir / f"{releases[0].id}.pack").exists()
    chunks = {c.sha256 for r in store.releases() for c in r.manifest.chunks}
    assert {n.removesuffix(".json") for n in os.listdir(store.chunk_dir)} == chunks

    # Once news/ is rewritten in every kept release, the first release's copy of it goes too.
    for i in range(3):
        build(
            store,
            {"news/index.html": f"news {i}".encode(), "notice/index.html": f"n {i}".encode()},
            full=False,
        )
    # news/ and notice/ are real in every kept release now; only their 2026/ sub-directories are shared.
    assert sorted(os.listdir(first.path)) == ["news", "notice", "static"]
    assert os.listdir(first.path / "news") == ["2026"]
    assert os.listdir(first.path / "notice") == ["2026"]


def test_prune_never_drops_the_current_release_after_a_rollback(tmp_path: Path) -> None:
    store = ReleaseStore(tmp_path, "portal", keep=1)
    r1 = build(store, {"index.html": b"v1", "a/x.html": b"x"})
    r2 = build(store, {"index.html": b"v2"}, full=False)
    assert [r.id for r in store.releases()] == [r2.id]
    store2 = ReleaseStore(tmp_path, "portal", keep=2)
    r3 = build(store2, {"index.html": b"v3"}, full=False)
    assert store2.rollback().id == r2.id
    store.prune()  # keep=1 would keep only r3, but r2 is live
    assert [r.id for r in store.releases()] == [r3.id, r2.id]
    assert (store.current_link / "a" / "x.html").read_bytes() == b"x"
    assert not (r1.path / "index.html").exists()


def test_random_history_keeps_every_kept_release_whole(tmp_path: Path) -> None:
    """Builds, removals, rollbacks and prunes in a seeded random order: every listed release still serves
    exactly its manifest, its content objects exist, and nothing else is left on disk."""
    rnd = random.Random(5)
    store = ReleaseStore(tmp_path, "portal", keep=2)
    paths = [f"{a}/{b}/{n}.html" for a in "xyz" for b in "pq" for n in range(4)] + [
        "index.html",
        "x/list.html",
    ]
    content = {p: b"v0 " + p.encode() for p in paths}
    build(store, content)
    expected: dict[str, dict[str, bytes]] = {store.current_id() or "": dict(content)}
    for step in range(40):
        action = rnd.random()
        if action < 0.15 and len(store.releases()) > 1 and store.current_id() != store.release_ids()[-1]:
            store.rollback()
            content = dict(expected[store.current_id() or ""])
            continue
        if action < 0.3:
            # A full build: everything put again but one page dropped and one changed.
            dropped = rnd.choice(sorted(content))
            content = {p: d for p, d in content.items() if p != dropped}
            content[rnd.choice(paths)] = f"v{step} full".encode()
            release = build(store, content, full=True)
        else:
            with store.begin() as builder:
                for path in rnd.sample(paths, rnd.randint(1, 4)):
                    if rnd.random() < 0.25:
                        builder.remove(path)
                        content.pop(path, None)
                    else:
                        data = f"v{step} {path}".encode()
                        builder.put(path, data)
                        content[path] = data
                release = builder.commit(full=False)
        expected[release.id] = dict(content)
        for kept in store.releases():
            served = {p: d for p, d in tree(kept.path).items() if not p.endswith(".gz")}
            assert served == expected[kept.id], (step, kept.id)
            assert {p: e.sha256 for p, e in kept.manifest.items()} == {
                p: sha(d) for p, d in expected[kept.id].items()
            }
            for entry in kept.manifest.entries():
                assert store.read_object(entry.sha256) == expected[kept.id][entry.path]
    used_objects = {e.sha256 for r in store.releases() for e in r.manifest.entries()}
    assert {raw.hex() for raw in store.objects.live_shas()} == used_objects
    # No pack is left with more garbage than live objects.
    for index in store.objects.indexes():
        assert 2 * len(index.dead()) <= index.count, index.name
    chunks = {c.sha256 for r in store.releases() for c in r.manifest.chunks}
    assert {n.removesuffix(".json") for n in os.listdir(store.chunk_dir)} == chunks


def test_incremental_manifest_chunks_equal_a_clean_build(tmp_path: Path) -> None:
    files = {f"col{i % 13}/{i // 13 % 7}/p{i}.html": f"page {i}".encode() for i in range(3000)}
    paths = sorted(files)
    boundaries = [p for p in paths if _is_boundary(p)]
    assert len(boundaries) >= 3
    store = ReleaseStore(tmp_path / "a", "portal")
    first = build(store, files)
    assert len(first.manifest.chunks) == len(boundaries) + (0 if _is_boundary(paths[-1]) else 1)

    with store.begin() as builder:
        builder.remove(boundaries[0])  # merges two chunks
        builder.remove(paths[0])
        builder.put(paths[1], b"changed")
        builder.put("aaa/first.html", b"new first")
        builder.put("zzz/last.html", b"new last")
        builder.put(boundaries[1][:-5] + "-new.html", b"beside a boundary")
        incremental = builder.commit(full=False)

    expected = dict(files)
    del expected[boundaries[0]], expected[paths[0]]
    expected.update(
        {
            paths[1]: b"changed",
            "aaa/first.html": b"new first",
            "zzz/last.html": b"new last",
            boundaries[1][:-5] + "-new.html": b"beside a boundary",
        }
    )
    clean = build(ReleaseStore(tmp_path / "b", "portal"), expected)
    assert incremental.manifest.chunks == clean.manifest.chunks
    assert dict(incremental.manifest) == dict(clean.manifest)
    assert tree(incremental.path) == tree(clean.path)
    # Chunks away from the changes are reused as they are.
    assert set(incremental.manifest.chunks) & set(first.manifest.chunks)


def test_a_second_publisher_of_the_same_site_waits_for_the_first(tmp_path: Path) -> None:
    first_store, second_store = ReleaseStore(tmp_path, "portal"), ReleaseStore(tmp_path, "portal")
    seen_bases: list[str | None] = []
    builder = first_store.begin()
    builder.put("index.html", b"first")

    def second() -> None:
        with second_store.begin() as other:
            seen_bases.append(other.base.id if other.base else None)
            other.put("index.html", b"second")
            other.commit(full=False)

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=0.3)
    assert thread.is_alive()  # blocked on the site lock
    assert seen_bases == []
    first = builder.commit(full=True)
    thread.join(timeout=10)
    # The second build started only after the first was live, on top of it.
    assert seen_bases == [first.id]
    assert (first_store.current_link / "index.html").read_bytes() == b"second"


def test_two_sites_do_not_see_each_other(tmp_path: Path) -> None:
    a = ReleaseStore(tmp_path, "sitea")
    b = ReleaseStore(tmp_path, "siteb")
    ra = build(a, {"index.html": b"A"})
    assert b.current() is None
    assert b.releases() == []
    rb = build(b, {"index.html": b"B"})
    assert (a.current_link / "index.html").read_bytes() == b"A"
    assert (b.current_link / "index.html").read_bytes() == b"B"
    assert [r.id for r in a.releases()] == [ra.id]
    assert [r.id for r in b.releases()] == [rb.id]


def test_site_code_and_path_validation() -> None:
    with pytest.raises(ValueError, match=r"^站点代号不合法：'../x'$"):
        ReleaseStore(Path("/nonexistent"), "../x")
    assert validate_path("新闻/要闻 1.html") == "新闻/要闻 1.html"


# ----- the command


@pytest.fixture
def published(personas, tmp_path: Path) -> tuple[Path, list[Release]]:
    root = tmp_path / "public"
    store = ReleaseStore(root, personas.site_a.code)
    releases = [build(store, {"index.html": b"v1", "a/b.html": b"b"})]
    releases.append(build(store, {"index.html": b"v2"}, full=False))
    return root, releases


def test_command_lists_releases(
    published: tuple[Path, list[Release]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, (r1, r2) = published
    call_command("publish", "releases", "--root", str(root))
    out = capsys.readouterr().out
    assert f"站点 sitea 的发布版本（{root / 'sitea'}）" in out
    assert "站点 siteb：尚未发布。" in out
    row1 = next(line for line in out.splitlines() if r1.id in line)
    row2 = next(line for line in out.splitlines() if r2.id in line)
    assert [cell.strip() for cell in row1.split("│")[3:9]] == ["2", "2", "0", "0", "全量", ""]
    assert [cell.strip() for cell in row2.split("│")[3:9]] == ["2", "1", "0", "1", "增量", "当前"]


def test_command_rolls_back(
    published: tuple[Path, list[Release]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, (r1, r2) = published
    call_command("publish", "rollback", "--site", "sitea", "--root", str(root), "--dry-run")
    assert capsys.readouterr().out == f"演练模式，未做修改：站点 sitea 将从 {r2.id} 回退到 {r1.id}。\n"
    assert ReleaseStore(root, "sitea").current_id() == r2.id

    call_command("publish", "rollback", "--site", "sitea", "--root", str(root))
    assert capsys.readouterr().out == f"站点 sitea 已从 {r2.id} 回退到 {r1.id}（2 个文件）。\n"
    assert ReleaseStore(root, "sitea").current_id() == r1.id

    with pytest.raises(CommandError, match=rf"^站点 sitea 的当前版本 {r1.id} 之前没有可回退的发布版本$"):
        call_command("publish", "rollback", "--site", "sitea", "--root", str(root))
    with pytest.raises(CommandError, match=r"^请用 --site 指定网站代号$"):
        call_command("publish", "rollback", "--root", str(root))
    with pytest.raises(CommandError, match=r"^没有代号为 nosuch 的网站$"):
        call_command("publish", "rollback", "--site", "nosuch", "--root", str(root))

"""The packed object store: one pack per release with only its new objects, reads checked against the
hash, garbage collection of dead and half-dead packs, and crashes around the publication of a pack."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import signal
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govsite.publishing.releases import Release, ReleaseStore, gzip_bytes, iter_tree
from govsite.publishing.releases import builder as builder_module
from govsite.publishing.releases import objects as objects_module
from govsite.publishing.verify import restore, verify

REPO = Path(__file__).resolve().parents[3]
RECORD = struct.Struct(">32sQI")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(store: ReleaseStore, files: dict[str, bytes], *, full: bool = False) -> Release:
    with store.begin() as builder:
        for path, data in files.items():
            builder.put(path, data)
        return builder.commit(full=full)


def pack_files(store: ReleaseStore) -> list[str]:
    return sorted(os.listdir(store.packs_dir))


def pack_contents(store: ReleaseStore, name: str, *, unindexed: int = 0) -> dict[str, bytes]:
    """The objects of one pack read straight from its index and pack (sha → content); the pack holds
    nothing else but ``unindexed`` bytes."""
    index = (store.packs_dir / f"{name}.idx").read_bytes()
    pack = (store.packs_dir / f"{name}.pack").read_bytes()
    records = list(RECORD.iter_unpack(index))
    assert len(index) == len(records) * RECORD.size
    assert [raw for raw, _, _ in records] == sorted(raw for raw, _, _ in records)
    assert sum(length for _, _, length in records) + unindexed == len(pack)
    return {raw.hex(): gzip.decompress(pack[offset : offset + length]) for raw, offset, length in records}


FILES = {f"col{c}/{n}.html": f"<p>page {c}-{n} v1</p>".encode() for c in range(2) for n in range(5)}


@pytest.fixture
def store(tmp_path: Path) -> ReleaseStore:
    return ReleaseStore(tmp_path / "public", "portal", keep=2)


def test_each_release_writes_one_pack_holding_only_its_new_objects(store: ReleaseStore) -> None:
    first = build(store, FILES, full=True)
    assert first.stats.objects_written == 10
    assert pack_files(store) == [f"{first.id}.idx", f"{first.id}.pack"]
    assert pack_contents(store, first.id) == {sha(d): d for d in FILES.values()}

    with store.begin() as builder:
        builder.put("col0/0.html", b"<p>changed</p>")
        builder.put("col1/new.html", b"<p>new</p>")
        builder.put("col1/copy.html", FILES["col0/1.html"])  # stored already, under another path
        builder.put("col1/same.html", b"<p>changed</p>")  # the same new content twice
        builder.put("col1/draft.html", b"<p>draft</p>")
        builder.remove("col1/draft.html")  # its object is left out of the index
        second = builder.commit(full=False)

    assert second.stats.objects_written == 2
    assert pack_files(store) == sorted(
        [f"{first.id}.idx", f"{first.id}.pack", f"{second.id}.idx", f"{second.id}.pack"]
    )
    # The draft's bytes were appended before it was removed: they stay in the pack, unindexed.
    draft = len(gzip_bytes(b"<p>draft</p>"))
    assert pack_contents(store, second.id, unindexed=draft) == {
        sha(b"<p>changed</p>"): b"<p>changed</p>",
        sha(b"<p>new</p>"): b"<p>new</p>",
    }
    assert not store.has_object(sha(b"<p>draft</p>"))
    assert os.listdir(store.incoming_dir) == []


def test_a_release_without_new_content_writes_no_pack(store: ReleaseStore) -> None:
    first = build(store, FILES, full=True)
    # Every content is stored already: a move of every page (more puts than the indexes are searched
    # for one by one, so the set of stored hashes is used) and a change back to an older content.
    moved = {f"moved/{n:03d}/{path}": data for n in range(10) for path, data in FILES.items()}
    second = build(store, moved, full=True)
    assert second.stats.written == 100
    assert second.stats.objects_written == 0
    build(store, {"col0/0.html": b"<p>v2</p>"})
    back = build(store, {"col0/0.html": FILES["col0/0.html"]})
    assert back.stats.objects_written == 0
    assert not (store.packs_dir / f"{second.id}.pack").exists()
    assert not (store.packs_dir / f"{back.id}.pack").exists()
    assert (store.packs_dir / f"{first.id}.pack").exists()


def test_read_object_checks_the_hash_of_what_it_reads(store: ReleaseStore) -> None:
    release = build(store, FILES, full=True)
    target = FILES["col1/3.html"]
    index = (store.packs_dir / f"{release.id}.idx").read_bytes()
    offset, length = next((o, n) for raw, o, n in RECORD.iter_unpack(index) if raw.hex() == sha(target))
    pack = store.packs_dir / f"{release.id}.pack"
    with open(pack, "r+b") as handle:  # a damaged copy: one byte flipped inside the entry
        handle.seek(offset + length // 2)
        byte = handle.read(1)
        handle.seek(offset + length // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))

    with pytest.raises(ValueError, match=rf"^内容对象 {sha(target)} 已损坏$"):
        store.read_object(sha(target))
    assert store.read_object(sha(FILES["col1/2.html"])) == FILES["col1/2.html"]
    with pytest.raises(ValueError, match=rf"^内容对象 {'0' * 64} 不在对象库中$"):
        store.read_object("0" * 64)
    with pytest.raises(ValueError, match=r"^内容对象的哈希值不合法：'../x'$"):
        store.read_object("../x")

    # The verifier reports the file it cannot restore and restores the others.
    (store.current_link / "col1" / "3.html").unlink()
    (store.current_link / "col1" / "2.html").unlink()
    fixed = restore(store, verify(store))
    assert fixed.restored == ("col1/2.html",)
    assert fixed.unrestorable == ("col1/3.html",)


def restore_everything(store: ReleaseStore, release: Release, expected: dict[str, bytes]) -> None:
    """Make ``release`` live, delete every file it serves and have the verifier restore them all."""
    store.switch(release.id)
    for _, path in iter_tree(store.current_link):
        path.unlink()
    report = verify(store)
    assert len(report.missing) == 2 * len(expected)
    fixed = restore(store, report)
    assert fixed.unrestorable == ()
    served = {p: f.read_bytes() for p, f in iter_tree(store.current_link)}
    assert {p: d for p, d in served.items() if not p.endswith(".gz")} == expected
    assert {p: gzip.decompress(d) for p, d in served.items() if p.endswith(".gz")} == {
        f"{p}.gz": d for p, d in expected.items()
    }


def test_gc_deletes_dead_packs_and_rewrites_half_dead_ones(store: ReleaseStore) -> None:
    """keep=2, pages a..j. r1 writes 10 objects, r2 changes a-f, r3 changes g: dropping r1 kills a-f v1,
    6 of the 10 objects of r1's pack, which is rewritten with its 4 live ones. r4 changes a-f again:
    dropping r2 kills g v1 only (r3 still has a-f v2), listed as dead beside r1's rewritten pack. r5
    changes h: dropping r3 kills a-f v2, every object of r2's pack, which is deleted."""
    paths = sorted(FILES)
    a_to_f, g, h = paths[:6], paths[6], paths[7]
    r1 = build(store, FILES, full=True)
    r2 = build(store, {p: f"<p>{p} v2</p>".encode() for p in a_to_f})
    r3 = build(store, {g: b"<p>g v3</p>"})

    assert [r.id for r in store.releases()] == [r3.id, r2.id]
    rewritten = f"{r1.id}.r1"
    assert pack_files(store) == sorted(
        f"{name}.{suffix}" for name in (rewritten, r2.id, r3.id) for suffix in ("idx", "pack")
    )
    assert pack_contents(store, rewritten) == {sha(FILES[p]): FILES[p] for p in paths[6:]}
    for path in a_to_f:
        assert not store.has_object(sha(FILES[path]))

    r4 = build(store, {p: f"<p>{p} v4</p>".encode() for p in a_to_f})
    assert (store.packs_dir / f"{rewritten}.dead").read_bytes() == bytes.fromhex(sha(FILES[g]))
    assert not store.has_object(sha(FILES[g]))
    assert store.has_object(sha(FILES[h]))
    assert (store.packs_dir / f"{r2.id}.pack").exists()

    r5 = build(store, {h: b"<p>h v5</p>"})
    assert [r.id for r in store.releases()] == [r5.id, r4.id]
    assert pack_files(store) == sorted(
        [f"{rewritten}.dead"]
        + [f"{name}.{suffix}" for name in (rewritten, r3.id, r4.id, r5.id) for suffix in ("idx", "pack")]
    )
    live = {e.sha256 for r in store.releases() for e in r.manifest.entries()}
    assert {raw.hex() for raw in store.objects.live_shas()} == live

    expected_r4 = FILES | {p: f"<p>{p} v4</p>".encode() for p in a_to_f} | {g: b"<p>g v3</p>"}
    restore_everything(store, r5, expected_r4 | {h: b"<p>h v5</p>"})
    restore_everything(store, r4, expected_r4)


def test_many_small_packs_are_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(objects_module, "MAX_PACKS", 3)
    store = ReleaseStore(tmp_path, "portal", keep=10)
    files = dict(FILES)
    build(store, files, full=True)
    for n in range(3):
        files[f"extra/{n}.html"] = f"<p>extra {n}</p>".encode()
        build(store, {f"extra/{n}.html": files[f"extra/{n}.html"]})
    # The fourth pack made four: they were merged into one, named after the newest.
    newest = store.current_id()
    assert pack_files(store) == [f"{newest}.r1.idx", f"{newest}.r1.pack"]
    assert pack_contents(store, f"{newest}.r1") == {sha(d): d for d in files.values()}
    assert not verify(store).has_differences


def test_loose_objects_of_an_older_store_are_packed_by_begin(store: ReleaseStore) -> None:
    release = build(store, FILES, full=True)
    for name in pack_files(store):
        (store.packs_dir / name).unlink()
    for data in FILES.values():
        loose = store.objects_dir / sha(data)[:2] / f"{sha(data)}.gz"
        loose.parent.mkdir(exist_ok=True)
        loose.write_bytes(gzip.compress(data))
    assert not store.has_object(sha(FILES["col0/0.html"]))

    with store.begin() as builder:
        builder.abort()
    assert sorted(os.listdir(store.objects_dir)) == [".incoming", "packs"]
    assert pack_contents(store, "00000000T000000.000000Z-0000") == {sha(d): d for d in FILES.values()}
    assert store.current_id() == release.id
    assert build(store, {"col0/0.html": b"<p>v2</p>"}).stats.objects_written == 1


def assert_usable_after_a_crash_between_pack_and_manifest(store: ReleaseStore, live: Release) -> None:
    """The live release is untouched, the next build removes the stray pack and publishes normally."""
    assert store.current_id() == live.id
    assert not verify(store).has_differences
    stray = [n for n in pack_files(store) if not n.startswith(live.id)]
    assert len(stray) == 2  # the crashed build's pack and index, complete but named after no release
    with store.begin() as builder:
        assert pack_files(store) == [f"{live.id}.idx", f"{live.id}.pack"]
        builder.put("col0/0.html", b"<p>after the crash</p>")
        release = builder.commit(full=False)
    assert release.stats.objects_written == 1
    assert store.read_object(sha(b"<p>after the crash</p>")) == b"<p>after the crash</p>"
    assert not verify(store).has_differences


def test_an_exception_between_pack_and_manifest_leaves_a_usable_store(
    store: ReleaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = build(store, FILES, full=True)
    real_write_atomic = builder_module.write_atomic

    def failing_write_atomic(path: str, data: bytes, **kwargs: Any) -> None:
        if path.endswith(".manifest.json"):
            raise OSError("disk full")
        real_write_atomic(path, data, **kwargs)

    monkeypatch.setattr(builder_module, "write_atomic", failing_write_atomic)
    with store.begin() as builder:
        builder.put("col0/0.html", b"<p>never published</p>")
        with pytest.raises(OSError, match=r"^disk full$"):
            builder.commit(full=False)
    monkeypatch.undo()
    assert_usable_after_a_crash_between_pack_and_manifest(store, live)


KILLED_CHILD = r"""
import os, signal, sys
from pathlib import Path
from govsite.publishing.releases import ReleaseStore

real_rename = os.rename


def rename(src, dst, *args, **kwargs):
    real_rename(src, dst, *args, **kwargs)
    if str(dst).endswith(".idx") and "/packs/" in str(dst):
        os.kill(os.getpid(), signal.SIGKILL)  # the pack is in place, the manifest is not written yet


os.rename = rename
store = ReleaseStore(Path(sys.argv[1]), "portal", keep=2)
with store.begin() as builder:
    builder.put("col0/0.html", b"<p>killed</p>")
    builder.commit(full=False)
"""


def test_a_kill_between_pack_and_manifest_leaves_a_usable_store(store: ReleaseStore, tmp_path: Path) -> None:
    live = build(store, FILES, full=True)
    script = tmp_path / "child.py"
    script.write_text(KILLED_CHILD)
    child = subprocess.run(
        [sys.executable, str(script), str(store.root)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert [n for n in os.listdir(store.releases_dir) if re.match(r"^\.staging-", n)]
    assert_usable_after_a_crash_between_pack_and_manifest(store, live)

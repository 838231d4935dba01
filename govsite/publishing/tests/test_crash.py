"""A publisher killed with SIGKILL at any point leaves the previous release live and intact, and the next
run produces output byte-identical to a clean full build.

A child process builds a ~2,000-file site from a seeded generator; it is killed at seeded random moments
and, to hit the narrow windows for sure, right before the staging rename, right before the swap of
``current`` and right after it. After each kill ``current`` must resolve to a complete release whose files
all match its manifest.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from govsite.publishing.releases import ReleaseStore, iter_tree
from govsite.publishing.verify import verify

REPO = Path(__file__).resolve().parents[3]

CHILD = r'''
import os, random, signal, sys, time
from pathlib import Path
from govsite.publishing import releases

root, generation, crash_at = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


if crash_at != "none":
    real_rename, real_replace = os.rename, os.replace

    def rename(src, dst, *args, **kwargs):
        if crash_at == "before-rename" and ".staging-" in str(src):
            die()
        return real_rename(src, dst, *args, **kwargs)

    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith("/current"):
            if crash_at == "before-swap":
                die()
            real_replace(src, dst, *args, **kwargs)
            if crash_at == "after-swap":
                die()
            return None
        return real_replace(src, dst, *args, **kwargs)

    os.rename, os.replace = rename, replace


def site(generation):
    """About 2,000 files; each generation changes a tenth of the pages, drops some and adds some."""
    files = {}
    for column in range(20):
        for number in range(95):
            if (number + generation) % 31 == 0:
                continue  # unpublished in this generation
            rnd = random.Random(column * 1000 + number)
            version = generation if (column * 95 + number) % 10 == generation % 10 else 0
            words = " ".join(str(rnd.randrange(10**6)) for _ in range(60))
            files[f"col{column:02d}/{number // 10}/{number}.html"] = f"<p>{column}-{number} v{version} {words}</p>".encode()
        files[f"col{column:02d}/index.html"] = f"<ul>column {column} generation {generation}</ul>".encode()
    files["index.html"] = f"<html>home {generation}</html>".encode()
    files["static/site.css"] = b"body{margin:0}"
    files["static/logo.png"] = bytes(range(256)) * 4
    files[f"extra/{generation}.html"] = b"added in this generation"
    return files


pages = site(generation)
store = releases.ReleaseStore(root, "portal", keep=3)
print("begin", flush=True)
started = time.perf_counter()
with store.begin() as builder:
    for path, data in pages.items():
        builder.put(path, data)
    builder.commit(full=True)
print(f"done {time.perf_counter() - started:.6f}", flush=True)
'''


def run_child(script: Path, root: Path, generation: int, crash_at: str = "none") -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(script), str(root), str(generation), crash_at],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(process: subprocess.Popen[bytes]) -> float:
    """Wait for a child to complete; the seconds its build took (start-up excluded)."""
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    return float(out.decode().split()[-1])


def snapshot(store: ReleaseStore) -> dict[str, bytes]:
    return {p: f.read_bytes() for p, f in iter_tree(store.current_link)}


def manifest_meta(store: ReleaseStore) -> dict[str, object]:
    """The current manifest without what differs between runs (id, timestamps, base, statistics, links)."""
    meta = json.loads((store.releases_dir / f"{store.current_id()}.manifest.json").read_bytes())
    for key in ("id", "created_at", "base", "stats", "links"):
        del meta[key]
    return meta


def assert_live_and_intact(store: ReleaseStore, allowed: set[str]) -> str:
    current = store.current_id()
    assert current in allowed
    report = verify(store)
    assert report.release_id == current
    assert (report.modified, report.added, report.missing) == ((), (), ())
    assert report.checked > 3000
    return current


def test_sigkill_at_any_point_keeps_the_previous_release_and_the_next_run_equals_a_clean_build(
    tmp_path: Path,
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    root = tmp_path / "public"
    store = ReleaseStore(root, "portal", keep=3)

    finish(run_child(script, root, 1))
    # Kill points are spread over the length of a rebuild on top of a release (the case being killed),
    # counted from the moment the child starts building, so interpreter start-up does not matter.
    duration = finish(run_child(script, root, 2))
    live = assert_live_and_intact(store, {store.current_id() or ""})

    rnd = random.Random(20261123)
    generation = 2
    mid_build_kills = 0
    attempts: list[tuple[str, float | None]] = [("none", rnd.uniform(0.0, 0.8) * duration) for _ in range(6)]
    attempts += [("before-rename", None), ("before-swap", None), ("after-swap", None)]
    for crash_at, delay in attempts:
        generation += 1
        child = run_child(script, root, generation, crash_at)
        if delay is not None:
            assert child.stdout is not None
            assert child.stdout.readline() == b"begin\n"
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        staging_left = any(n.startswith(".staging-") for n in os.listdir(store.releases_dir))
        if child.returncode == -signal.SIGKILL and store.current_id() == live:
            mid_build_kills += staging_left
        new_ids = set(store.release_ids()) - {live}
        now_live = assert_live_and_intact(store, {live, *new_ids})
        if crash_at in ("before-rename", "before-swap"):
            assert now_live == live
        if crash_at == "after-swap":
            assert now_live != live
        live = now_live

    # Most random kills land inside the build (the others after the swap).
    assert mid_build_kills >= 4

    finish(run_child(script, root, generation + 1))
    fresh = ReleaseStore(tmp_path / "fresh", "portal", keep=3)
    finish(run_child(script, tmp_path / "fresh", generation + 1))

    assert snapshot(store) == snapshot(fresh)
    assert manifest_meta(store) == manifest_meta(fresh)
    assert dict(store.current().manifest) == dict(fresh.current().manifest)
    leftovers = [path for path, _ in iter_tree(store.site_dir) if ".tmp-" in path or ".staging-" in path]
    assert leftovers == []
    assert not verify(store).has_differences

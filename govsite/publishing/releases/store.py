"""The release store of one site: reading releases, the site lock, ``begin()``, switch, rollback and prune."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from govsite.publishing.releases.builder import ReleaseBuilder
from govsite.publishing.releases.files import GZIP_LEVEL, STAGING_PREFIX, fsync_path, parent_dir
from govsite.publishing.releases.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_SUFFIX,
    ChunkRef,
    Manifest,
    ManifestEntry,
    Release,
    ReleaseStats,
)
from govsite.publishing.releases.objects import ObjectStore

SITE_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
RELEASE_ID_RE = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-\d{4}$")


def _new_release_id(now: datetime, newest: str | None) -> str:
    stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
    counter = 0
    if newest is not None:
        newest_stamp, _, newest_counter = newest.rpartition("-")
        if stamp <= newest_stamp:
            stamp, counter = newest_stamp, int(newest_counter) + 1
    return f"{stamp}-{counter:04d}"


class ReleaseStore:
    """The releases of one site under ``root / site_code``."""

    def __init__(
        self,
        root: Path,
        site_code: str,
        *,
        keep: int = 5,
        gzip_level: int = GZIP_LEVEL,
        durable: bool = True,
    ) -> None:
        if not SITE_CODE_RE.match(site_code):
            raise ValueError(f"站点代号不合法：{site_code!r}")
        if keep < 1:
            raise ValueError("至少保留 1 个发布版本")
        self.root = Path(root)
        self.site_code = site_code
        self.keep = keep
        self.gzip_level = gzip_level
        self.durable = durable
        self.site_dir = self.root / site_code
        self.releases_dir = self.site_dir / "releases"
        self.chunk_dir = self.site_dir / "manifests"
        self.objects_dir = self.site_dir / "objects"
        self.objects = ObjectStore(self.objects_dir, durable=durable)
        self.packs_dir = self.objects.packs_dir
        self.incoming_dir = self.objects.incoming_dir
        self.current_link = self.site_dir / "current"
        self._lock_fd: int | None = None
        self._lock_depth = 0

    # ----- locking

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the site's exclusive lock (re-entrant within this store object)."""
        self._acquire()
        try:
            yield
        finally:
            self._release()

    def _acquire(self) -> None:
        if self._lock_depth == 0:
            self.site_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.site_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_fd = fd
        self._lock_depth += 1

    def _release(self) -> None:
        self._lock_depth -= 1
        if self._lock_depth == 0 and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # ----- reading

    def read_object(self, sha256: str) -> bytes:
        """The pristine bytes of a published content, checked against its hash (ValueError if the
        object is missing or damaged)."""
        return self.objects.read(sha256)

    def has_object(self, sha256: str) -> bool:
        """Whether the object store holds the content (and the garbage collector has not found it unused)."""
        return self.objects.has(sha256)

    def current_id(self) -> str | None:
        try:
            target = os.readlink(self.current_link)
        except FileNotFoundError:
            return None
        return target.rpartition("/")[2]

    def current(self) -> Release | None:
        release_id = self.current_id()
        return None if release_id is None else self.release(release_id)

    def release_ids(self) -> list[str]:
        """Ids of complete releases (manifest and tree both present), newest first."""
        try:
            names = os.listdir(self.releases_dir)
        except FileNotFoundError:
            return []
        present = set(names)
        ids = [
            name[: -len(MANIFEST_SUFFIX)]
            for name in names
            if name.endswith(MANIFEST_SUFFIX) and name[: -len(MANIFEST_SUFFIX)] in present
        ]
        return sorted((i for i in ids if RELEASE_ID_RE.match(i)), reverse=True)

    def releases(self) -> list[Release]:
        return [self.release(release_id) for release_id in self.release_ids()]

    def release(self, release_id: str) -> Release:
        if not RELEASE_ID_RE.match(release_id):
            raise ValueError(f"发布版本号不合法：{release_id!r}")
        meta_path = self.releases_dir / f"{release_id}{MANIFEST_SUFFIX}"
        try:
            meta = json.loads(meta_path.read_bytes())
        except FileNotFoundError:
            raise ValueError(f"站点 {self.site_code} 没有发布版本 {release_id}") from None
        if meta.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"发布清单格式不受支持：{meta_path}")
        chunks = [ChunkRef(*row) for row in meta["chunks"]]
        return Release(
            id=release_id,
            path=self.releases_dir / release_id,
            created_at=datetime.fromisoformat(meta["created_at"]),
            manifest=Manifest(self.chunk_dir, chunks),
            stats=ReleaseStats(**meta["stats"]),
            base_id=meta["base"],
            full=meta["full"],
            links=dict(meta["links"]),
        )

    def physical_dir(self, release: Release, directory: str) -> Path:
        """The real directory holding ``directory`` of ``release`` (which may borrow it from an older one)."""
        return self.releases_dir / self._owner(release, directory) / directory if directory else release.path

    @staticmethod
    def _owner(release: Release, directory: str) -> str:
        probe = directory
        while probe:
            owner = release.links.get(probe)
            if owner is not None:
                return owner
            probe = parent_dir(probe)
        return release.id

    # ----- writing

    def begin(self, *, base: Release | Literal["current"] | None = "current") -> ReleaseBuilder:
        """Start a release; takes the site lock until the builder commits or aborts."""
        self._acquire()
        try:
            self.releases_dir.mkdir(parents=True, exist_ok=True)
            self.chunk_dir.mkdir(exist_ok=True)
            self.objects.create_dirs()
            self._remove_leftovers()
            # Hollowed releases count too: a new id must sort after every directory already there.
            taken = [n for n in os.listdir(self.releases_dir) if RELEASE_ID_RE.match(n)]
            # Packs named after a newer id belong to builds that never made a release: they go too.
            self.objects.remove_leftovers(max(taken) if taken else None)
            self.objects.adopt_loose()
            base_release = self.current() if base == "current" else base
            release_id = _new_release_id(datetime.now(UTC), max(taken) if taken else None)
            return ReleaseBuilder(self, base_release, release_id)
        except BaseException:
            self._release()
            raise

    def _remove_leftovers(self) -> None:
        """Remove what a killed builder left behind: staging trees, temp files, orphan manifests."""
        for entry in os.scandir(self.releases_dir):
            name = entry.name
            temp_file = name.startswith(".") and ".tmp-" in name
            orphan_manifest = name.endswith(MANIFEST_SUFFIX) and not os.path.isdir(
                self.releases_dir / name[: -len(MANIFEST_SUFFIX)]
            )
            if name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            elif name.startswith(STAGING_PREFIX) or temp_file or orphan_manifest:
                os.unlink(entry.path)
        for directory in (self.site_dir, self.chunk_dir):
            for entry in os.scandir(directory):
                if ".tmp-" in entry.name and (entry.name.startswith((".", "current.tmp-"))):
                    os.unlink(entry.path)

    def switch(self, release_id: str) -> None:
        """Point ``current`` at ``release_id`` atomically (a new symlink renamed over the old one)."""
        temp = self.site_dir / f"current.tmp-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        os.symlink(f"releases/{release_id}", temp)
        os.replace(temp, self.current_link)
        if self.durable:
            fsync_path(self.site_dir)

    def rollback(self) -> Release:
        """Point ``current`` at the newest kept release older than the current one."""
        with self.locked():
            current_id = self.current_id()
            if current_id is None:
                raise ValueError(f"站点 {self.site_code} 尚未发布，无法回退")
            older = [i for i in self.release_ids() if i < current_id]
            if not older:
                raise ValueError(f"站点 {self.site_code} 的当前版本 {current_id} 之前没有可回退的发布版本")
            self.switch(older[0])
            return self.release(older[0])

    def prune(self) -> list[str]:
        """Keep the newest ``keep`` releases and ``current``; drop the rest, hollowing any release whose
        directories a kept release still links to. Returns the ids no longer listed as releases."""
        with self.locked():
            ids = self.release_ids()
            current_id = self.current_id()
            kept_ids = set(ids[: self.keep])
            if current_id is not None and current_id in ids:
                kept_ids.add(current_id)
            kept = [self.release(i) for i in sorted(kept_ids, reverse=True)]
            referenced: dict[str, set[str]] = {}
            for release in kept:
                for path, owner in release.links.items():
                    if owner not in kept_ids:
                        referenced.setdefault(owner, set()).add(path)
            dropped = [i for i in ids if i not in kept_ids]
            dropped_chunks: set[str] = set()
            for release_id in dropped:
                dropped_chunks.update(c.sha256 for c in self.release(release_id).manifest.chunks)
            for release_id in dropped:
                os.unlink(self.releases_dir / f"{release_id}{MANIFEST_SUFFIX}")
            # Hollow releases (a tree without manifest) from earlier prunes are re-examined too.
            for entry in os.scandir(self.releases_dir):
                name = entry.name
                if (
                    name in kept_ids
                    or not RELEASE_ID_RE.match(name)
                    or not entry.is_dir(follow_symlinks=False)
                ):
                    continue
                keep_paths = referenced.get(name, set())
                if keep_paths:
                    _hollow(Path(entry.path), "", keep_paths)
                else:
                    shutil.rmtree(entry.path)
            if dropped_chunks:
                self._collect_garbage(kept, dropped_chunks)
            self.objects.consolidate()
            return dropped

    def _collect_garbage(self, kept: list[Release], dropped_chunks: set[str]) -> None:
        """Delete manifest chunks only dropped releases referred to, and hand the content objects only
        they referred to to the object store's collector."""
        kept_chunks = {c.sha256 for release in kept for c in release.manifest.chunks}
        unreferenced = dropped_chunks - kept_chunks
        if not unreferenced:
            return
        # Most rows of a dropped chunk are still in a kept release at the same path (the chunk was only
        # re-cut around a change); only the others can have lost their last reference.
        candidates: set[str] = set()
        for sha in unreferenced:
            for path, row_sha, _size in json.loads((self.chunk_dir / f"{sha}.json").read_bytes()):
                if not any(_same(release.manifest.get(path), row_sha) for release in kept):
                    candidates.add(row_sha)
        if candidates:
            # The same content may sit at another path: look for the hash in every kept chunk.
            kept_blob = b"".join((self.chunk_dir / f"{sha}.json").read_bytes() for sha in sorted(kept_chunks))
            if len(candidates) > 64:
                still_used = set(re.findall(rb'"([0-9a-f]{64})"', kept_blob))
                orphans = {c for c in candidates if c.encode() not in still_used}
            else:
                orphans = {c for c in candidates if f'"{c}"'.encode() not in kept_blob}
            self.objects.forget(orphans)
        for sha in unreferenced:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.chunk_dir / f"{sha}.json")


def _same(entry: ManifestEntry | None, sha256: str) -> bool:
    return entry is not None and entry.sha256 == sha256


def _hollow(directory: Path, prefix: str, keep_paths: set[str]) -> None:
    """Delete everything under ``directory`` except the sub-trees in ``keep_paths`` and their ancestors."""
    for entry in os.scandir(directory):
        path = f"{prefix}{entry.name}"
        if path in keep_paths:
            continue
        if entry.is_dir(follow_symlinks=False) and any(k.startswith(path + "/") for k in keep_paths):
            _hollow(Path(entry.path), path + "/", keep_paths)
        elif entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)

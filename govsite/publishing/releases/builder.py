"""Building one release: staging the files put, re-cutting the manifest, and the atomic commit."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from govsite.publishing.releases.files import (
    FSYNC_EACH_LIMIT,
    STAGING_PREFIX,
    BackgroundFlush,
    fsync_all,
    fsync_path,
    gzip_bytes,
    has_gzip_sibling,
    parent_dir,
    path_ancestors,
    syncfs,
    validate_path,
    write_atomic,
    write_new,
)
from govsite.publishing.releases.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_SUFFIX,
    ChunkRef,
    Manifest,
    ManifestEntry,
    Release,
    ReleaseStats,
    encode_chunk,
    is_chunk_boundary,
    split_into_chunks,
)
from govsite.publishing.releases.objects import StoredObjects
from govsite.publishing.releases.tree import materialise

if TYPE_CHECKING:
    from govsite.publishing.releases.store import ReleaseStore

logger = logging.getLogger("govsite.publishing.releases")


class ReleaseBuilder:
    """Collects the files of one release in a staging directory; ``commit()`` publishes it atomically.

    Use it as a context manager: an exception (or leaving the block without committing) aborts the build
    and leaves the previous release untouched.
    """

    def __init__(self, store: ReleaseStore, base: Release | None, release_id: str) -> None:
        self.store = store
        self.base = base
        self.id = release_id
        self.staging = store.releases_dir / f"{STAGING_PREFIX}{release_id}"
        self.staging.mkdir()
        self._staging_str = str(self.staging)
        self._written: dict[str, ManifestEntry] = {}
        self._unchanged: set[str] = set()
        self._removed: set[str] = set()
        self._dirs: set[str] = {""}
        self._written_dirs: set[str] = {""}
        self._bytes = 0
        self._spine: set[str] = {""}
        # New content objects go to one pack for the release; those stored already are not written again.
        self._pack = store.objects.writer(release_id)
        self._stored = StoredObjects(store.objects)
        self._unstaged_any = False
        self._finished = False
        # Set by prepare(): its ``full``, and what commit() writes.
        self._prepared: bool | None = None
        self._full = False
        self._nothing_changed = False
        self._chunks: list[ChunkRef] = []
        self._file_count = 0
        self._links: dict[str, str] = {}
        self._linked = self._shared = 0
        self._timings: dict[str, float] = {}
        self._clock = 0.0  # when the last ``_lap`` ended
        self._flush = BackgroundFlush(store.site_dir) if store.durable else None

    def __enter__(self) -> ReleaseBuilder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._finished:
            self.abort()

    # ----- collecting

    def _check_open(self) -> None:
        if self._finished:
            raise ValueError("该发布版本已提交或已放弃，不能再修改")

    def _check_changeable(self) -> None:
        self._check_open()
        if self._prepared is not None:
            raise ValueError("该发布版本已准备提交，不能再修改")

    def _base_has_file(self, path: str) -> bool:
        return self.base is not None and path not in self._removed and path in self.base.manifest

    def _base_has_dir(self, path: str) -> bool:
        if self.base is None:
            return False
        return any(e.path not in self._removed for e in self.base.manifest.iter_prefix(path + "/"))

    def _check_no_clash(self, path: str) -> None:
        """A path cannot be a file and a directory at once, in this build or against the base."""
        if path in self._written_dirs or self._base_has_dir(path):
            raise ValueError(f"路径冲突：{path} 已是目录")
        if parent_dir(path) in self._written_dirs:
            # A file was staged in this directory already: its ancestors were checked then, and none
            # can have become a file since (a file cannot be put at a staged directory's path).
            return
        for ancestor in path_ancestors(path):
            if not ancestor:
                break
            if ancestor in self._written or self._base_has_file(ancestor):
                raise ValueError(f"路径冲突：{ancestor} 已是文件，不能再作为目录")

    def put(self, path: str, data: bytes) -> bool:
        """Add ``path`` with ``data``; True if the content differs from the base release (it is written)."""
        self._check_changeable()
        path = validate_path(path)
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"{path} 的内容应为 bytes")
        data = bytes(data)
        digest = hashlib.sha256(data).digest()
        sha = digest.hex()
        self._removed.discard(path)
        base_entry = self.base.manifest.get(path) if self.base is not None else None
        if base_entry is not None and base_entry.sha256 == sha:
            if path in self._written:
                self._unstage(path)
            self._unchanged.add(path)
            return False
        previous = self._written.get(path)
        if previous is not None and previous.sha256 == sha:
            return True
        if previous is None:
            self._check_no_clash(path)
        else:
            self._unstage(path)  # staged files are created afresh, never overwritten
        self._unchanged.discard(path)
        self._stage(path, data, sha, digest)
        return True

    def _stage(self, path: str, data: bytes, sha: str, digest: bytes) -> None:
        directory = parent_dir(path)
        if directory not in self._dirs:
            os.makedirs(f"{self._staging_str}/{directory}", exist_ok=True)
            for ancestor in (directory, *path_ancestors(directory)):
                self._dirs.add(ancestor)
                self._written_dirs.add(ancestor)
        # Written in place: the staging tree is private, and a crash throws it away whole.
        target = f"{self._staging_str}/{path}"
        write_new(target, data)
        compressed: bytes | None = None
        if has_gzip_sibling(path):
            compressed = gzip_bytes(data, self.store.gzip_level)
            write_new(target + ".gz", compressed)
        if digest not in self._pack and digest not in self._stored:
            compressed = compressed or gzip_bytes(data, self.store.gzip_level)
            self._pack.add(digest, compressed)
        self._written[path] = ManifestEntry(path, sha, len(data))
        self._bytes += len(data)
        if self._flush is not None:
            self._flush.wrote(len(data) + (2 * len(compressed) if compressed else 0))

    def _unstage(self, path: str) -> None:
        entry = self._written.pop(path)
        self._unstaged_any = True
        self._bytes -= entry.size
        target = f"{self._staging_str}/{path}"
        os.unlink(target)
        if has_gzip_sibling(path):
            os.unlink(target + ".gz")

    def remove(self, path: str) -> None:
        """Leave ``path`` (a file, or a directory and everything under it) out of the new release."""
        self._check_changeable()
        path = validate_path(path)
        targets = [path]
        if self.base is not None:
            targets += [e.path for e in self.base.manifest.iter_prefix(path + "/")]
        targets += [p for p in self._written if p.startswith(path + "/")]
        for target in targets:
            if target in self._written:
                self._unstage(target)
            self._unchanged.discard(target)
            if self.base is not None and target in self.base.manifest:
                self._removed.add(target)

    # ----- committing

    def abort(self) -> None:
        """Throw the staging tree away; the live release is untouched."""
        if self._finished:
            return
        self._finished = True
        try:
            self._pack.discard()
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self.store._release()

    def prepare(self, *, full: bool) -> None:
        """Make everything of the release durable except the switch: its manifest, its tree (links to
        the base's unchanged directories) and its new objects, flushed to disk. ``commit()`` then only
        writes the release's record, renames it into place and switches ``current``: a caller that
        commits inside a database transaction keeps the transaction short (the flush of a full
        publish's files takes seconds). Optional: ``commit()`` prepares if this was not called.

        ``full`` as for ``commit()``; it must be the same in both calls. Nothing is live until
        ``commit()``: a crash or an abort after this leaves the previous release as it was."""
        self._check_open()
        if self._prepared is not None:
            if self._prepared != full:
                raise ValueError("prepare() 与 commit() 的 full 参数不一致")
            return
        try:
            self._prepare(full)
        except BaseException:
            self.abort()
            raise
        self._prepared = full

    def commit(self, *, full: bool) -> Release:
        """Publish the release and switch ``current`` to it.

        ``full=True``: the release holds exactly the files put in this build (files of the base that were
        not put are removed). ``full=False``: files of the base that were not put or removed are carried
        over. When nothing differs from a base that is live, no release is made and the live one is
        returned with this build's statistics.
        """
        self.prepare(full=full)
        try:
            release = self._commit()
        except BaseException:
            self.abort()
            raise
        self._finished = True
        self.store._release()
        return release

    def _prepare(self, full: bool) -> None:
        store, base = self.store, self.base
        if full and base is not None:
            for entry in base.manifest.entries():
                if entry.path not in self._written and entry.path not in self._unchanged:
                    self._removed.add(entry.path)
        changes: dict[str, ManifestEntry | None] = dict(self._written)
        changes.update(dict.fromkeys(self._removed))
        self._full = full
        if base is not None and not changes and base.id == store.current_id():
            self._nothing_changed = True
            return
        self._clock = time.perf_counter()
        self._chunks, new_chunks, self._file_count = self._build_manifest(changes)
        self._lap("manifest")
        if base is not None:
            spine = materialise(store, base, self._staging_str, changes, self._written, self._dirs)
            self._links, self._linked, self._shared, self._spine = spine
        self._lap("tree")
        # An object written for a file then removed or put back again is left out of the index.
        referenced = {bytes.fromhex(e.sha256) for e in self._written.values()} if self._unstaged_any else None
        pack_files = self._pack.finish(referenced)
        self._make_durable(new_chunks + pack_files)
        # The pack is complete and durable before any manifest can refer to it.
        self._pack.publish(durable=store.durable)
        self._lap("fsync")

    def _lap(self, step: str) -> None:
        """Record in ``timings`` the seconds since the last lap (or since ``_clock`` was set)."""
        now = time.perf_counter()
        self._timings[step] = round(now - self._clock, 6)
        self._clock = now

    def _commit(self) -> Release:
        store, base, full = self.store, self.base, self._full
        if self._nothing_changed:
            assert base is not None
            self._pack.discard()
            shutil.rmtree(self.staging)
            stats = ReleaseStats(unchanged=len(self._unchanged), files=len(base.manifest))
            return replace(base, stats=stats)
        self._clock = time.perf_counter()
        chunks, links, file_count = self._chunks, self._links, self._file_count
        stats = ReleaseStats(
            written=len(self._written),
            unchanged=len(self._unchanged),
            linked=self._linked,
            shared_dirs=self._shared,
            removed=len(self._removed),
            files=file_count,
            bytes_written=self._bytes,
            objects_written=len(self._pack.objects),
        )
        created_at = datetime.now(UTC)
        meta = {
            "format": MANIFEST_FORMAT,
            "id": self.id,
            "site": store.site_code,
            "created_at": created_at.isoformat(),
            "base": base.id if base is not None else None,
            "full": full,
            "stats": stats.as_dict(),
            "files": file_count,
            "chunks": [list(c) for c in chunks],
            "links": dict(sorted(links.items())),
        }
        meta_path = store.releases_dir / f"{self.id}{MANIFEST_SUFFIX}"
        write_atomic(
            str(meta_path),
            json.dumps(meta, ensure_ascii=False, indent=1).encode(),
            durable=store.durable,
        )
        final = store.releases_dir / self.id
        os.rename(self.staging, final)
        if store.durable:
            fsync_path(store.releases_dir)
        store.switch(self.id)
        switched_at = time.perf_counter()
        self._lap("switch")
        try:
            store.prune()
        except OSError:
            logger.exception("站点 %s 清理旧发布版本失败", store.site_code)
        self._lap("prune")
        return Release(
            id=self.id,
            path=final,
            created_at=created_at,
            manifest=Manifest(store.chunk_dir, chunks),
            stats=stats,
            base_id=base.id if base is not None else None,
            full=full,
            links=links,
            timings=self._timings,
            switched_at=switched_at,
        )

    def _build_manifest(
        self, changes: dict[str, ManifestEntry | None]
    ) -> tuple[list[ChunkRef], list[Path], int]:
        """Chunks of the new manifest: the base's chunks with the changed ones re-cut and rewritten.

        Every chunk but the last ends with a boundary row, so re-cutting the rows of the changed chunks
        (extended to the next boundary) yields exactly the chunks a build from scratch would make.
        """
        base_manifest = self.base.manifest if self.base is not None else None
        if base_manifest is None or not base_manifest.chunks:
            rows = [e for _, e in sorted(changes.items()) if e is not None]
            refs, files = self._write_chunks(split_into_chunks(rows))
            return refs, files, len(rows)

        base_chunks = base_manifest.chunks
        by_chunk: dict[int, dict[str, ManifestEntry | None]] = {}
        for path, entry in changes.items():
            by_chunk.setdefault(base_manifest._locate(path), {})[path] = entry
        result: list[ChunkRef] = []
        written: list[Path] = []
        index = 0
        for start in sorted(by_chunk):
            if start < index:
                continue  # already re-cut as part of the previous region
            result.extend(base_chunks[index:start])
            region: dict[str, ManifestEntry] = {}
            end = start
            while True:
                region.update((e.path, e) for e in base_manifest.chunk_entries(end))
                for path, change in by_chunk.get(end, {}).items():
                    if change is None:
                        region.pop(path, None)
                    else:
                        region[path] = change
                end += 1
                if end >= len(base_chunks):
                    break
                if end not in by_chunk and region and is_chunk_boundary(max(region)):
                    break
            refs, files = self._write_chunks(split_into_chunks([region[p] for p in sorted(region)]))
            result.extend(refs)
            written.extend(files)
            index = end
        result.extend(base_chunks[index:])
        return result, written, sum(c.rows for c in result)

    def _write_chunks(self, pieces: list[list[ManifestEntry]]) -> tuple[list[ChunkRef], list[Path]]:
        refs: list[ChunkRef] = []
        written: list[Path] = []
        for piece in pieces:
            raw = encode_chunk(piece)
            sha = hashlib.sha256(raw).hexdigest()
            target = self.store.chunk_dir / f"{sha}.json"
            if not target.exists():
                write_atomic(str(target), raw)
                written.append(target)
            refs.append(ChunkRef(piece[0].path, piece[-1].path, sha, len(piece)))
        return refs, written

    def _make_durable(self, new_files: list[Path]) -> None:
        store = self.store
        if not store.durable:
            return
        # The files staged now: a file put and then removed or put back is gone from staging.
        files = [f"{self._staging_str}/{p}" for p in self._written]
        files += [f"{self._staging_str}/{p}.gz" for p in self._written if has_gzip_sibling(p)]
        files += [str(p) for p in new_files]
        if self._flush is not None:
            self._flush.wait()
        if len(files) > FSYNC_EACH_LIMIT:
            syncfs(store.site_dir)
            return
        directories = {os.path.dirname(p) for p in files} | {str(store.objects_dir), str(store.chunk_dir)}
        directories.update(f"{self._staging_str}/{d}" if d else self._staging_str for d in self._spine)
        fsync_all(files + sorted(d for d in directories if os.path.isdir(d)))

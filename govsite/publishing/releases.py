"""Release store: immutable, atomically switched releases of one site's static files (files only).

The renderer hands ``(path, bytes)`` pairs to a :class:`ReleaseBuilder`; committing it produces a new
release directory, a manifest (path, sha256, size) and an atomic switch of ``current``. Nothing here
renders or touches the database, so the store is usable from a task, a command or a test alike.

Layout per site (``<root>/<site>/``)::

    releases/<id>/                the tree served (nginx root is ``current``, which points here)
    releases/<id>.manifest.json   the release's meta and the ordered list of its manifest chunks
    releases/.staging-<id>/       a release being built; removed by the next ``begin()`` if abandoned
    manifests/<sha256>.json       manifest chunks: sorted ``[path, sha256, size]`` rows, content-addressed
    objects/<sha[:2]>/<sha>.gz    pristine copy of every content ever published (gzip), for the verifier
    objects/.incoming/            objects being written (temp names), cleared by ``begin()``
    current                       relative symlink ``releases/<id>``, switched with ``os.replace``
    .lock                         ``flock`` held by a builder, rollback, prune and restore

Why it is shaped like this (numbers measured on the 2-core project machine, ext4, 4 KB pages):

* **Unchanged data is shared, never rewritten.** Hard-linking costs ~16 µs a file, so re-linking a
  100,000-file site would take ~1.6 s per release, ten times the 150 ms budget for publishing one edited
  article. A new release therefore only materialises the *spine*: the directories that contain a changed
  or removed file (and their ancestors). Inside a spine directory unchanged files are hard links to the
  base release's inode (mtime untouched); every unchanged sub-directory is a *relative symlink* to the
  directory that physically holds it — always ``releases/<owner>/<same path>``, so links never chain
  through another link at the same path. The cost of a release is the fan-out of the spine directories,
  not the size of the site. ``bench/publish_releases.py --files 100000`` (105,002 files, load average ~5
  from other work on the 2 cores): 1 article + 3 list pages + the home page went from ``begin()`` to the
  switch of ``current`` in 31 ms (tree 4 ms for 180 hard links and 73 directory symlinks, fsync 9 ms,
  manifest write and switch 14 ms), where hard-linking every file (210,004 with the .gz siblings) took
  5.6 s. Renderers should keep directories small (one per column and month, say): a changed directory
  costs one hard link per file in it.
* **The manifest is chunked the same way.** A flat 100,000-row manifest takes ~40 ms to write and ~25 ms to
  read back. Rows are cut into chunks after every row whose path's CRC-32 ends in eight 1-bits (on average
  256 rows a chunk); since the cut points depend only on the rows, an incremental release rewrites just the
  chunks around its changes, and the chunk list is the same whether a release was built incrementally or
  from scratch. ``Release.manifest`` is a lazy read-only mapping over the chunks.
* **Each release records every symlink reachable in its tree** (``links``: path → owner release). ``prune``
  keeps the newest ``keep`` releases and ``current``; an older release whose directories are still linked
  from a kept release is *hollowed*: its manifest goes (it is no longer listed or a rollback target) and
  everything except the linked sub-trees is deleted. Nothing a kept release serves is ever deleted.
* **Pre-compressed siblings.** Every written HTML/XML/CSS/JS/TXT/JSON/SVG file gets ``<path>.gz`` (gzip,
  level 9, mtime 0: deterministic bytes) for nginx ``gzip_static``. The manifest lists only the real files;
  a sibling is derived (its expected content is the decompressed real file), and the verifier checks both.
* **Full releases** cost one gzip and three file creations per new content (page, ``.gz`` sibling,
  object): 105,002 pages took 65 s on the loaded machine (~0.6 ms a page, most of it creating files),
  ~2 s of it one ``syncfs``. Putting every page again with nothing changed decides ~70,000 pages/s and
  writes nothing (no release is made).
* **Crash safety.** A builder writes only under ``.staging-<id>/`` (each file via a temp name and a
  rename), writes content objects and chunks, makes everything durable (``fsync`` of each file and
  directory for small releases, issued concurrently so they share journal commits; one ``syncfs`` for
  large ones: 100,000 ``fsync`` calls would take ~20 s), writes the manifest (temp + rename), renames the staging directory into place and only then switches
  ``current``. A process killed at any point leaves the previous release live and intact; the next
  ``begin()`` removes the leftovers.
* **Rollback** moves ``current`` to the newest kept release older than the current one; releases newer
  than ``current`` stay until ``prune`` drops them (they count among the newest ``keep``).
* **Serving and copying.** nginx follows the directory symlinks (``disable_symlinks off``); a server that
  checks that a resolved path stays inside the tree must use ``<root>/<site>/`` as the boundary, not
  ``current`` (the embedded server does). Copy a site to a front node with ``rsync -aH``: links are
  relative and stay inside the site directory, and hard links are kept.
* **Never write a release file in place**: its inode may be shared with older releases. That is also why
  the verifier restores from ``objects/`` (see ``verify.py``).
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import ctypes.util
import fcntl
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import time
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "govsite-release/1"
# Files nginx may serve pre-compressed; images, fonts and archives are compressed already.
COMPRESSIBLE_SUFFIXES = frozenset({".html", ".htm", ".xml", ".css", ".js", ".mjs", ".txt", ".json", ".svg"})
# A chunk ends after a row whose path's CRC-32 has these low bits set: 256 rows a chunk on average.
CHUNK_MASK = 0xFF
# Up to this many written files are fsync'ed one by one; above it one syncfs is cheaper.
FSYNC_EACH_LIMIT = 128
SITE_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
RELEASE_ID_RE = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-\d{4}$")
STAGING_PREFIX = ".staging-"
MANIFEST_SUFFIX = ".manifest.json"


# --------------------------------------------------------------------------------------------- paths


# Anything validate_path might refuse; most paths are fine and pass this one C-speed test only.
_SUSPECT_PATH = re.compile(
    r'[\x00-\x1f\x7f"\\]|^/|^\.\.?(?:/|$)|/\.\.?(?:/|$)|//|/$|^$|\.gz$|^current/|^\.staging-'
)


def validate_path(path: str) -> str:
    """Return ``path`` if it is a safe relative POSIX file path for a release; raise ValueError otherwise."""
    if isinstance(path, str) and _SUSPECT_PATH.search(path) is None:
        return path
    if not isinstance(path, str) or not path:
        raise ValueError("发布路径不能为空")
    if "\x00" in path:
        raise ValueError(f"发布路径含有空字符：{path!r}")
    if any(ord(char) < 0x20 or char == "\x7f" for char in path):
        raise ValueError(f"发布路径含有控制字符：{path!r}")
    if "\\" in path:
        raise ValueError(f"发布路径应使用 / 分隔，不能含有反斜杠：{path}")
    if '"' in path:
        raise ValueError(f"发布路径不能含有双引号：{path}")
    if path.startswith("/"):
        raise ValueError(f"发布路径应为相对路径，不能以 / 开头：{path}")
    parts = path.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise ValueError(f"发布路径不能含有空段、. 或 ..：{path}")
    if parts[0] == "current" or parts[0].startswith(STAGING_PREFIX):
        raise ValueError(f"发布路径使用了保留名称：{path}")
    if path.endswith(".gz") and has_gzip_sibling(path[:-3]):
        raise ValueError(f"{path} 与预压缩文件同名，预压缩文件由发布程序自动生成")
    return path


def has_gzip_sibling(path: str) -> bool:
    """Whether a release stores a pre-compressed ``<path>.gz`` next to ``path``."""
    return os.path.splitext(path)[1].lower() in COMPRESSIBLE_SUFFIXES


def gzip_bytes(data: bytes, level: int = 9) -> bytes:
    """Deterministic gzip (mtime 0, no file name) so two builds of the same content are byte-identical."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _ancestors(path: str) -> Iterator[str]:
    """The directories containing ``path``, innermost first, ending with the root ``""``."""
    while path:
        path = _parent(path)
        yield path


def _is_boundary(path: str) -> bool:
    return zlib.crc32(path.encode()) & CHUNK_MASK == CHUNK_MASK


# ------------------------------------------------------------------------------------- durability

_libc: Any = None


def _syncfs(directory: Path) -> None:
    """Flush the whole filesystem holding ``directory`` (one call instead of one fsync per file)."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    fd = os.open(directory, os.O_RDONLY)
    try:
        syncfs = getattr(_libc, "syncfs", None)
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _fsync_path(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_fsync_pool: ThreadPoolExecutor | None = None


def _fsync_all(paths: list[str]) -> None:
    """fsync many files at once: concurrent calls share journal commits (30 files one after the other
    took ~90 ms on the loaded project machine, together a few ms)."""
    global _fsync_pool
    if _fsync_pool is None:
        _fsync_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="govsite-fsync")
    list(_fsync_pool.map(_fsync_path, paths))


def write_atomic(path: str, data: bytes, *, durable: bool = False, temp_dir: str | None = None) -> None:
    """Write ``data`` to a temp name beside ``path`` (or in ``temp_dir``, on the same filesystem) and
    rename it into place."""
    directory, _, name = path.rpartition("/")
    temp = f"{temp_dir or directory}/.{name}.tmp-{os.getpid()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)


# --------------------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    sha256: str
    size: int


class ChunkRef(NamedTuple):
    """One manifest chunk: its first and last path, the sha256 of its file and its number of rows."""

    first: str
    last: str
    sha256: str
    rows: int


def encode_chunk(entries: list[ManifestEntry]) -> bytes:
    # Valid JSON without json.dumps (8 µs a row, the largest cost of a small release): validate_path
    # refuses the characters that would need escaping (quotes, backslashes, control characters).
    rows = ",\n".join(f'["{e.path}","{e.sha256}",{e.size}]' for e in entries)
    return f"[\n{rows}\n]\n".encode()


def split_into_chunks(entries: list[ManifestEntry]) -> list[list[ManifestEntry]]:
    """Cut sorted rows after every boundary row; the result depends only on the rows themselves."""
    chunks: list[list[ManifestEntry]] = []
    current: list[ManifestEntry] = []
    for entry in entries:
        current.append(entry)
        if _is_boundary(entry.path):
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


class _Chunk:
    __slots__ = ("entries", "paths")

    def __init__(self, entries: list[ManifestEntry]) -> None:
        self.entries = entries
        self.paths = [e.path for e in entries]


class Manifest(Mapping[str, ManifestEntry]):
    """A release's files (path → entry), sorted by path, read lazily chunk by chunk from ``manifests/``."""

    def __init__(self, chunk_dir: Path, chunks: list[ChunkRef]) -> None:
        self.chunk_dir = chunk_dir
        self.chunks = chunks
        self._firsts = [c.first for c in chunks]
        self._loaded: dict[int, _Chunk] = {}

    def _chunk(self, index: int) -> _Chunk:
        chunk = self._loaded.get(index)
        if chunk is None:
            ref = self.chunks[index]
            raw = (self.chunk_dir / f"{ref.sha256}.json").read_bytes()
            if hashlib.sha256(raw).hexdigest() != ref.sha256:
                raise ValueError(f"发布清单分块 {ref.sha256} 已损坏")
            chunk = _Chunk([ManifestEntry(p, s, n) for p, s, n in json.loads(raw)])
            self._loaded[index] = chunk
        return chunk

    def chunk_entries(self, index: int) -> list[ManifestEntry]:
        return self._chunk(index).entries

    def _locate(self, path: str) -> int:
        return max(bisect.bisect_right(self._firsts, path) - 1, 0)

    def __getitem__(self, path: str) -> ManifestEntry:
        if not self.chunks:
            raise KeyError(path)
        chunk = self._chunk(self._locate(path))
        position = bisect.bisect_left(chunk.paths, path)
        if position < len(chunk.paths) and chunk.paths[position] == path:
            return chunk.entries[position]
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        try:
            self[path]
        except KeyError:
            return False
        return True

    def __len__(self) -> int:
        return sum(c.rows for c in self.chunks)

    def __iter__(self) -> Iterator[str]:
        for index in range(len(self.chunks)):
            yield from self._chunk(index).paths

    def entries(self) -> Iterator[ManifestEntry]:
        for index in range(len(self.chunks)):
            yield from self._chunk(index).entries

    def iter_prefix(self, prefix: str) -> Iterator[ManifestEntry]:
        """Entries whose path starts with ``prefix``, in order."""
        if not self.chunks:
            return
        index = self._locate(prefix)
        while index < len(self.chunks):
            chunk = self._chunk(index)
            for position in range(bisect.bisect_left(chunk.paths, prefix), len(chunk.paths)):
                if not chunk.paths[position].startswith(prefix):
                    return
                yield chunk.entries[position]
            index += 1

    def has_prefix(self, prefix: str) -> bool:
        return next(self.iter_prefix(prefix), None) is not None


# ---------------------------------------------------------------------------------------- release


@dataclass(frozen=True)
class ReleaseStats:
    """What a build did: files written (new content), unchanged puts, files hard-linked one by one,
    directories shared whole through a symlink, files removed, files in the release, bytes written
    (real files, not counting .gz siblings) and new content objects stored."""

    written: int = 0
    unchanged: int = 0
    linked: int = 0
    shared_dirs: int = 0
    removed: int = 0
    files: int = 0
    bytes_written: int = 0
    objects_written: int = 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Release:
    id: str
    path: Path
    created_at: datetime
    manifest: Manifest
    stats: ReleaseStats
    base_id: str | None = None
    full: bool = True
    links: dict[str, str] = field(default_factory=dict)
    # Seconds spent in each step of the commit that made it (not stored; empty for a loaded release).
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def file_count(self) -> int:
        return len(self.manifest)


def _new_release_id(now: datetime, newest: str | None) -> str:
    stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
    counter = 0
    if newest is not None:
        newest_stamp, _, newest_counter = newest.rpartition("-")
        if stamp <= newest_stamp:
            stamp, counter = newest_stamp, int(newest_counter) + 1
    return f"{stamp}-{counter:04d}"


# -------------------------------------------------------------------------------------------- store


class ReleaseStore:
    """The releases of one site under ``root / site_code``."""

    def __init__(
        self,
        root: Path,
        site_code: str,
        *,
        keep: int = 5,
        gzip_level: int = 9,
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
        self.incoming_dir = self.objects_dir / ".incoming"
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

    def object_path(self, sha256: str) -> Path:
        return self.objects_dir / sha256[:2] / f"{sha256}.gz"

    def read_object(self, sha256: str) -> bytes:
        """The pristine bytes of a published content, checked against its hash."""
        data = gzip.decompress(self.object_path(sha256).read_bytes())
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"内容对象 {sha256} 已损坏")
        return data

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
            probe = _parent(probe)
        return release.id

    # ----- writing

    def begin(self, *, base: Release | Literal["current"] | None = "current") -> ReleaseBuilder:
        """Start a release; takes the site lock until the builder commits or aborts."""
        self._acquire()
        try:
            self.releases_dir.mkdir(parents=True, exist_ok=True)
            self.chunk_dir.mkdir(exist_ok=True)
            self.objects_dir.mkdir(exist_ok=True)
            self.incoming_dir.mkdir(exist_ok=True)
            self._remove_leftovers()
            base_release = self.current() if base == "current" else base
            # Hollowed releases count too: a new id must sort after every directory already there.
            taken = [n for n in os.listdir(self.releases_dir) if RELEASE_ID_RE.match(n)]
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
        for entry in os.scandir(self.incoming_dir):
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
            _fsync_path(self.site_dir)

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
            return dropped

    def _collect_garbage(self, kept: list[Release], dropped_chunks: set[str]) -> None:
        """Delete manifest chunks and content objects only dropped releases referred to."""
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
            for sha in orphans:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.object_path(sha))
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


# ------------------------------------------------------------------------------------------ builder


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
        self._synced_files: list[str] = []
        self._new_objects: list[Path] = []
        self._bytes = 0
        self._spine: set[str] = {""}
        self._object_dirs: set[str] = set()
        self._incoming = str(store.incoming_dir)
        self._finished = False

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
        for ancestor in _ancestors(path):
            if not ancestor:
                break
            if ancestor in self._written or self._base_has_file(ancestor):
                raise ValueError(f"路径冲突：{ancestor} 已是文件，不能再作为目录")

    def put(self, path: str, data: bytes) -> bool:
        """Add ``path`` with ``data``; True if the content differs from the base release (it is written)."""
        self._check_open()
        path = validate_path(path)
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"{path} 的内容应为 bytes")
        data = bytes(data)
        sha = hashlib.sha256(data).hexdigest()
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
            self._bytes -= previous.size
        self._unchanged.discard(path)
        self._stage(path, data, sha)
        return True

    def _stage(self, path: str, data: bytes, sha: str) -> None:
        directory = _parent(path)
        if directory not in self._dirs:
            os.makedirs(f"{self._staging_str}/{directory}", exist_ok=True)
            for ancestor in (directory, *_ancestors(directory)):
                self._dirs.add(ancestor)
                self._written_dirs.add(ancestor)
        target = f"{self._staging_str}/{path}"
        write_atomic(target, data)
        self._synced_files.append(target)
        compressed: bytes | None = None
        if has_gzip_sibling(path):
            compressed = gzip_bytes(data, self.store.gzip_level)
            write_atomic(target + ".gz", compressed)
            self._synced_files.append(target + ".gz")
        object_path = self.store.object_path(sha)
        if not object_path.exists():
            if sha[:2] not in self._object_dirs:
                object_path.parent.mkdir(exist_ok=True)
                self._object_dirs.add(sha[:2])
            # Temp files go to one directory that begin() can clear, not to 256 shard directories.
            write_atomic(
                str(object_path),
                compressed or gzip_bytes(data, self.store.gzip_level),
                temp_dir=self._incoming,
            )
            self._new_objects.append(object_path)
        self._written[path] = ManifestEntry(path, sha, len(data))
        self._bytes += len(data)

    def _unstage(self, path: str) -> None:
        entry = self._written.pop(path)
        self._bytes -= entry.size
        target = f"{self._staging_str}/{path}"
        os.unlink(target)
        if has_gzip_sibling(path):
            os.unlink(target + ".gz")

    def remove(self, path: str) -> None:
        """Leave ``path`` (a file, or a directory and everything under it) out of the new release."""
        self._check_open()
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
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self.store._release()

    def commit(self, *, full: bool) -> Release:
        """Publish the release and switch ``current`` to it.

        ``full=True``: the release holds exactly the files put in this build (files of the base that were
        not put are removed). ``full=False``: files of the base that were not put or removed are carried
        over. When nothing differs from a base that is live, no release is made and the live one is
        returned with this build's statistics.
        """
        self._check_open()
        try:
            release = self._commit(full)
        except BaseException:
            self.abort()
            raise
        self._finished = True
        self.store._release()
        return release

    def _commit(self, full: bool) -> Release:
        store, base = self.store, self.base
        if full and base is not None:
            for entry in base.manifest.entries():
                if entry.path not in self._written and entry.path not in self._unchanged:
                    self._removed.add(entry.path)
        changes: dict[str, ManifestEntry | None] = dict(self._written)
        changes.update(dict.fromkeys(self._removed))
        if base is not None and not changes and base.id == store.current_id():
            shutil.rmtree(self.staging)
            stats = ReleaseStats(unchanged=len(self._unchanged), files=len(base.manifest))
            return replace(base, stats=stats)

        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(step: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[step] = round(now - clock, 6)
            clock = now

        chunks, new_chunks, file_count = self._build_manifest(changes)
        lap("manifest")
        links, linked, shared = self._materialise(changes) if base is not None else ({}, 0, 0)
        lap("tree")
        self._make_durable(new_chunks)
        lap("fsync")

        stats = ReleaseStats(
            written=len(self._written),
            unchanged=len(self._unchanged),
            linked=linked,
            shared_dirs=shared,
            removed=len(self._removed),
            files=file_count,
            bytes_written=self._bytes,
            objects_written=len(self._new_objects),
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
            _fsync_path(store.releases_dir)
        store.switch(self.id)
        lap("switch")
        try:
            store.prune()
        except OSError:
            logger.exception("站点 %s 清理旧发布版本失败", store.site_code)
        lap("prune")
        return Release(
            id=self.id,
            path=final,
            created_at=created_at,
            manifest=Manifest(store.chunk_dir, chunks),
            stats=stats,
            base_id=base.id if base is not None else None,
            full=full,
            links=links,
            timings=timings,
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
                if end not in by_chunk and region and _is_boundary(max(region)):
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

    def _materialise(self, changes: dict[str, ManifestEntry | None]) -> tuple[dict[str, str], int, int]:
        """Fill the spine directories from the base: hard-link unchanged files, symlink unchanged
        sub-directories to the release that physically holds them. Returns (links, linked, shared)."""
        base = self.base
        assert base is not None
        store = self.store
        spine: set[str] = {""}
        for path in changes:
            spine.update(_ancestors(path))
        base_links = base.links
        base_link_paths = sorted(base_links)
        links: dict[str, str] = {}
        linked = shared = 0
        staging = self._staging_str
        # A directory whose contents were removed and replaced by a file of the same name is skipped.
        replaced = {d for d in spine if d in self._written}
        for directory in sorted(spine, key=lambda d: (d.count("/"), d)):
            target_dir = f"{staging}/{directory}" if directory else staging
            if replaced and any(d in replaced for d in (directory, *_ancestors(directory))):
                continue
            if directory not in self._dirs:
                os.makedirs(target_dir, exist_ok=True)
                self._dirs.add(directory)
            owner = store._owner(base, directory)
            source_dir = store.releases_dir / owner / directory if directory else store.releases_dir / owner
            try:
                entries = list(os.scandir(source_dir))
            except (FileNotFoundError, NotADirectoryError):
                continue  # a new directory (possibly where the base had a file)
            prefix = f"{directory}/" if directory else ""
            depth = directory.count("/") + 1 if directory else 0
            for entry in entries:
                name = entry.name
                child = prefix + name
                is_link = entry.is_symlink()
                if is_link or entry.is_dir(follow_symlinks=False):
                    # A link the base did not make was planted in its tree: it is not carried over.
                    if child in spine or (is_link and child not in base_links):
                        continue
                    child_owner = base_links.get(child, owner)
                    os.symlink("../" * (depth + 1) + f"{child_owner}/{child}", f"{target_dir}/{name}")
                    links[child] = child_owner
                    start = bisect.bisect_left(base_link_paths, child + "/")
                    for inherited in base_link_paths[start:]:
                        if not inherited.startswith(child + "/"):
                            break
                        links[inherited] = base_links[inherited]
                    shared += 1
                    continue
                logical = child
                if name.endswith(".gz") and has_gzip_sibling(child[:-3]):
                    logical = child[:-3]
                if logical in changes:
                    continue
                os.link(entry.path, f"{target_dir}/{name}", follow_symlinks=False)
                if logical == child:
                    linked += 1
        # Directories emptied by removals disappear, deepest first.
        for directory in sorted(spine, key=lambda d: -d.count("/") if d else 1):
            if (
                directory
                and os.path.isdir(f"{staging}/{directory}")
                and not os.listdir(f"{staging}/{directory}")
            ):
                os.rmdir(f"{staging}/{directory}")
        self._spine = spine
        return links, linked, shared

    def _make_durable(self, new_chunks: list[Path]) -> None:
        store = self.store
        if not store.durable:
            return
        files = self._synced_files + [str(p) for p in self._new_objects] + [str(p) for p in new_chunks]
        if len(files) > FSYNC_EACH_LIMIT:
            _syncfs(store.site_dir)
            return
        directories = {os.path.dirname(p) for p in files} | {str(store.objects_dir), str(store.chunk_dir)}
        directories.update(f"{self._staging_str}/{d}" if d else self._staging_str for d in self._spine)
        _fsync_all(files + sorted(d for d in directories if os.path.isdir(d)))


def iter_tree(directory: Path) -> Iterator[tuple[str, Path]]:
    """Everything but directories under ``directory`` (directory symlinks followed; a link back to one of
    its own ancestors is not followed, so a loop cannot trap the walk) as (relative POSIX path, path)."""

    def walk(current: str, prefix: str, ancestors: frozenset[tuple[int, int]]) -> Iterator[tuple[str, Path]]:
        try:
            info = os.stat(current)
        except OSError:
            return
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            return
        with os.scandir(current) as entries:
            listed = sorted(entries, key=lambda e: e.name)
        for entry in listed:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from walk(entry.path, f"{prefix}{entry.name}/", ancestors | {key})
            else:
                yield f"{prefix}{entry.name}", Path(entry.path)

    yield from walk(str(directory), "", frozenset())

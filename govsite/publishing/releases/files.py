"""Files of the release store: path validation, deterministic gzip, durability (fsync, syncfs) and writes."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import deflate

# Files nginx may serve pre-compressed; images, fonts and archives are compressed already.
COMPRESSIBLE_SUFFIXES = frozenset({".html", ".htm", ".xml", ".css", ".js", ".mjs", ".txt", ".json", ".svg"})
# Up to this many written files are fsync'ed one by one; above it one syncfs is cheaper.
FSYNC_EACH_LIMIT = 128
STAGING_PREFIX = ".staging-"
# libdeflate's level 1, nginx's own default for gzip on the fly (gzip_comp_level 1): on 3,100 bench pages
# of 6.4 KB it made 1,947 bytes a page in 45 µs, level 6 1,885 bytes in 65–83 µs, zlib's level 1 1,986
# bytes in 96 µs. Every page is compressed twice (its 繁體 copy too), so the level is a visible share of
# a full publish; 3% more bytes is not. Levels go from 1 to 12; the verifier decompresses, so a change of
# level leaves older releases valid.
GZIP_LEVEL = 1


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


def gzip_bytes(data: bytes, level: int = GZIP_LEVEL) -> bytes:
    """Deterministic gzip (libdeflate: mtime 0, no file name) so two builds of the same content are
    byte-identical; any gzip reader (nginx, browsers, Python's ``gzip``) reads it."""
    return bytes(deflate.gzip_compress(data, level))


def parent_dir(path: str) -> str:
    return path.rpartition("/")[0]


def path_ancestors(path: str) -> Iterator[str]:
    """The directories containing ``path``, innermost first, ending with the root ``""``."""
    while path:
        path = parent_dir(path)
        yield path


# ------------------------------------------------------------------------------------- durability

_libc: Any = None


def syncfs(directory: Path) -> None:
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


class BackgroundFlush:
    """``syncfs`` in a thread, started while a large build is still writing: the disk writes what was
    staged so far while the process goes on rendering, and the flush before the switch finds little
    left to do (a 10,000-page site waited ~2 s there for ~300 MB; two publishing processes that both
    wait leave a core idle). It only adds durability: the flush before the switch still happens."""

    # Started after this many bytes written since the last one (and only if none is running).
    EVERY_BYTES = 32 * 1024 * 1024

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pending = 0
        self.started = 0  # flushes started (reported in tests)
        self._thread: threading.Thread | None = None

    def wrote(self, size: int) -> None:
        self.pending += size
        if self.pending < self.EVERY_BYTES or (self._thread is not None and self._thread.is_alive()):
            return
        self.pending = 0
        self.started += 1
        self._thread = threading.Thread(target=self._flush, daemon=True, name="govsite-flush")
        self._thread.start()

    def _flush(self) -> None:
        # A failed flush is the final flush's to report: that one runs in the caller's thread.
        with contextlib.suppress(OSError):
            syncfs(self.directory)

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def fsync_path(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_fsync_pool: ThreadPoolExecutor | None = None


def fsync_all(paths: list[str]) -> None:
    """fsync many files at once: concurrent calls share journal commits (30 files one after the other
    took ~90 ms on the loaded project machine, together a few ms)."""
    global _fsync_pool
    if _fsync_pool is None:
        _fsync_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="govsite-fsync")
    list(_fsync_pool.map(fsync_path, paths))


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


def write_new(path: str, data: bytes) -> None:
    """Create ``path``, which must not exist, and write ``data`` into it directly.

    Only for files of a private tree that a crash throws away whole (a release's staging directory):
    there no reader can see a half-written file, so the temp name and rename of :func:`write_atomic`
    (about half the cost of a small file) buy nothing.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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

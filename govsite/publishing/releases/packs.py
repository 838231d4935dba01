"""Pack files of the object store: one ``.pack`` (gzip objects back to back) and one sorted ``.idx`` per
release that added objects, written under ``.incoming/`` and renamed into ``packs/`` once durable.

An index is a run of fixed records — raw sha256 (32 bytes), offset (8), length (4), big-endian — sorted
by hash, searched in place through an ``mmap``. A ``.dead`` file beside a pack lists (sorted raw hashes)
the objects of that pack that the garbage collector found referenced by no kept release.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from govsite.publishing.releases.files import fsync_all, fsync_path

RECORD = struct.Struct(">32sQI")
SHA_SIZE = 32
PACK_SUFFIX, INDEX_SUFFIX, DEAD_SUFFIX = ".pack", ".idx", ".dead"
# ``<release id>`` for the pack a release wrote, ``<release id>.r<n>`` for its n-th rewrite by the GC.
PACK_NAME_RE = re.compile(r"^(\d{8}T\d{6}\.\d{6}Z-\d{4})(?:\.r([1-9]\d*))?$")
# Objects are appended to a pack through a buffer of this size.
WRITE_BUFFER = 1 << 20


class PackIndex:
    """The index of one complete pack (immutable once renamed into ``packs/``)."""

    def __init__(self, directory: Path, name: str) -> None:
        self.name = name
        self.pack_path = directory / f"{name}{PACK_SUFFIX}"
        self.dead_path = directory / f"{name}{DEAD_SUFFIX}"
        with open(directory / f"{name}{INDEX_SUFFIX}", "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size % RECORD.size:
                raise ValueError(f"对象索引 {name} 已损坏")
            self._data: bytes | mmap.mmap = (
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            )
        self.count = size // RECORD.size

    def find(self, raw: bytes) -> tuple[int, int] | None:
        """(offset, length) of the object with hash ``raw`` in the pack, by binary search."""
        data, size = self._data, RECORD.size
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            if data[middle * size : middle * size + SHA_SIZE] < raw:
                low = middle + 1
            else:
                high = middle
        if low < self.count and data[low * size : low * size + SHA_SIZE] == raw:
            _, offset, length = RECORD.unpack_from(data, low * size)
            return offset, length
        return None

    def shas(self) -> list[bytes]:
        data, size = self._data, RECORD.size
        return [data[start : start + SHA_SIZE] for start in range(0, self.count * size, size)]

    def records(self) -> list[tuple[bytes, int, int]]:
        return list(RECORD.iter_unpack(self._data[: self.count * RECORD.size]))

    def dead(self) -> set[bytes]:
        """Objects of this pack known to be garbage (not cached: the collector rewrites the list)."""
        try:
            data = self.dead_path.read_bytes()
        except FileNotFoundError:
            return set()
        return {data[start : start + SHA_SIZE] for start in range(0, len(data) - SHA_SIZE + 1, SHA_SIZE)}

    def close(self) -> None:
        if isinstance(self._data, mmap.mmap):
            self._data.close()


class PackWriter:
    """A pack being written: objects are appended to ``.incoming/<name>.pack``; ``finish`` writes the
    index beside it and ``publish`` renames both into ``packs/`` (the pack first: an index always has
    its pack, and a pack without index is invisible and removed as a leftover)."""

    def __init__(self, incoming_dir: Path, packs_dir: Path, name: str) -> None:
        self.name = name
        self.packs_dir = packs_dir
        self.pack_temp = incoming_dir / f"{name}{PACK_SUFFIX}"
        self.index_temp = incoming_dir / f"{name}{INDEX_SUFFIX}"
        self.objects: dict[bytes, tuple[int, int]] = {}
        self._handle: Any = None
        self._offset = 0
        self.published = False

    def __contains__(self, raw: object) -> bool:
        return raw in self.objects

    def add(self, raw: bytes, compressed: bytes) -> None:
        if self._handle is None:
            # Closed by finish() or discard(): objects are appended one put at a time, not in one block.
            self._handle = open(self.pack_temp, "wb", buffering=WRITE_BUFFER)  # noqa: SIM115
        self._handle.write(compressed)
        self.objects[raw] = (self._offset, len(compressed))
        self._offset += len(compressed)

    def finish(self, keep: set[bytes] | None = None) -> list[Path]:
        """Close the pack and write its index (only the objects in ``keep``, if given: an object written
        for a file that was then removed again is left out). Returns the files to make durable."""
        if self._handle is None:
            return []
        self._handle.close()
        self._handle = None
        if keep is not None:
            self.objects = {raw: where for raw, where in self.objects.items() if raw in keep}
        if not self.objects:
            self.discard()
            return []
        index = b"".join(RECORD.pack(raw, *self.objects[raw]) for raw in sorted(self.objects))
        with open(self.index_temp, "wb") as handle:
            handle.write(index)
        return [self.pack_temp, self.index_temp]

    def publish(self, *, durable: bool) -> None:
        """Rename the finished pack and index into ``packs/`` (their data must be durable already)."""
        if not self.objects or self.published:
            return
        os.rename(self.pack_temp, self.packs_dir / f"{self.name}{PACK_SUFFIX}")
        os.rename(self.index_temp, self.packs_dir / f"{self.name}{INDEX_SUFFIX}")
        self.published = True
        if durable:
            fsync_path(self.packs_dir)

    def discard(self) -> None:
        """Drop an unpublished pack (a published one that no release came of goes at the next ``begin()``)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if not self.published:
            for path in (self.pack_temp, self.index_temp):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)


def write_pack(
    incoming_dir: Path, packs_dir: Path, name: str, objects: Iterable[tuple[bytes, bytes]], *, durable: bool
) -> None:
    """Write a whole pack of (raw hash, gzip bytes) and publish it: for rewrites by the collector."""
    writer = PackWriter(incoming_dir, packs_dir, name)
    for raw, compressed in objects:
        if raw not in writer:
            writer.add(raw, compressed)
    files = writer.finish()
    if durable and files:
        fsync_all([str(path) for path in files])
    writer.publish(durable=durable)

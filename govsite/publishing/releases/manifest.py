"""Release manifests: rows (path, sha256, size) cut into content-addressed chunks, and the release record."""

from __future__ import annotations

import bisect
import hashlib
import json
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

MANIFEST_FORMAT = "govsite-release/1"
MANIFEST_SUFFIX = ".manifest.json"
# A chunk ends after a row whose path's CRC-32 has these low bits set: 256 rows a chunk on average.
CHUNK_MASK = 0xFF


def is_chunk_boundary(path: str) -> bool:
    return zlib.crc32(path.encode()) & CHUNK_MASK == CHUNK_MASK


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
        if is_chunk_boundary(entry.path):
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
    # time.perf_counter() when ``current`` was switched to it (0.0 for a loaded release).
    switched_at: float = 0.0

    @property
    def file_count(self) -> int:
        return len(self.manifest)

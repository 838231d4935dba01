"""Content objects: a pristine gzip copy of every content a site publishes, by sha256, kept in packs (for
the tamper verifier, which must not restore from a release's own, possibly edited, inodes)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

from govsite.publishing.releases.files import write_atomic
from govsite.publishing.releases.packs import (
    DEAD_SUFFIX,
    INDEX_SUFFIX,
    PACK_NAME_RE,
    PACK_SUFFIX,
    PackIndex,
    PackWriter,
    write_pack,
)

logger = logging.getLogger("govsite.publishing.releases")

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# Above this many packs, the packs holding fewer live objects than SMALL_PACK are merged into one.
MAX_PACKS = 32
SMALL_PACK = 2048
# A builder looks its first objects up in the indexes; past this many it builds one set of all hashes.
DIRECT_LOOKUPS = 64
# The pack made of the loose objects (``<sha[:2]>/<sha>.gz``) of a store written before packs existed.
LEGACY_PACK = "00000000T000000.000000Z-0000"


def _pack_order(name: str) -> tuple[str, int]:
    match = PACK_NAME_RE.match(name)
    assert match is not None
    return match.group(1), int(match.group(2) or 0)


class ObjectStore:
    """The packs of one site under ``objects/packs/``; packs being written live in ``objects/.incoming/``."""

    def __init__(self, directory: Path, *, durable: bool = True) -> None:
        self.directory = directory
        self.packs_dir = directory / "packs"
        self.incoming_dir = directory / ".incoming"
        self.durable = durable
        self._indexes: dict[str, PackIndex] = {}

    def create_dirs(self) -> None:
        self.directory.mkdir(exist_ok=True)
        self.incoming_dir.mkdir(exist_ok=True)
        self.packs_dir.mkdir(exist_ok=True)

    # ----- reading

    def pack_names(self) -> list[str]:
        """Names of the complete packs (pack and index both present), newest first."""
        try:
            names = set(os.listdir(self.packs_dir))
        except FileNotFoundError:
            return []
        stems = [
            name.removesuffix(INDEX_SUFFIX)
            for name in names
            if name.endswith(INDEX_SUFFIX) and name.removesuffix(INDEX_SUFFIX) + PACK_SUFFIX in names
        ]
        return sorted((s for s in stems if PACK_NAME_RE.match(s)), key=_pack_order, reverse=True)

    def indexes(self) -> list[PackIndex]:
        """The index of every complete pack, newest first (opened once per store object; pack names are
        never reused, so a cached index stays right)."""
        names = self.pack_names()
        for gone in self._indexes.keys() - set(names):
            self._indexes.pop(gone).close()
        result: list[PackIndex] = []
        for name in names:
            index = self._indexes.get(name)
            if index is None:
                try:
                    index = PackIndex(self.packs_dir, name)
                except (OSError, ValueError):
                    # Its objects count as absent: a builder stores them again.
                    logger.warning("对象索引 %s 无法读取，已跳过", self.packs_dir / f"{name}{INDEX_SUFFIX}")
                    continue
                self._indexes[name] = index
            result.append(index)
        return result

    def read(self, sha256: str) -> bytes:
        """The pristine bytes of a published content, checked against its hash (a damaged copy is
        skipped if another pack holds the object too)."""
        raw = _raw(sha256)
        found = False
        for index in self.indexes():
            where = index.find(raw)
            if where is None:
                continue
            found = True
            offset, length = where
            try:
                fd = os.open(index.pack_path, os.O_RDONLY)
                try:
                    data = gzip.decompress(os.pread(fd, length, offset))
                finally:
                    os.close(fd)
            except (OSError, EOFError, zlib.error):
                continue
            if hashlib.sha256(data).hexdigest() == sha256:
                return data
        if found:
            raise ValueError(f"内容对象 {sha256} 已损坏")
        raise ValueError(f"内容对象 {sha256} 不在对象库中")

    def has(self, sha256: str) -> bool:
        """Whether a copy of the object is stored that the garbage collector has not found unused."""
        raw = _raw(sha256)
        return any(index.find(raw) is not None and raw not in index.dead() for index in self.indexes())

    def live_shas(self) -> set[bytes]:
        """Raw hashes of every stored object not known to be garbage."""
        known: set[bytes] = set()
        for index in self.indexes():
            shas, dead = index.shas(), index.dead()
            known.update(shas if not dead else (raw for raw in shas if raw not in dead))
        return known

    # ----- writing

    def writer(self, name: str) -> PackWriter:
        return PackWriter(self.incoming_dir, self.packs_dir, name)

    def _free_name(self, base: str) -> str:
        generations = [_pack_order(n)[1] for n in self.pack_names() if _pack_order(n)[0] == base]
        return f"{base}.r{max(generations) + 1}" if generations else base

    # ----- upkeep (under the site lock)

    def remove_leftovers(self, newest_release: str | None) -> None:
        """Remove what a killed builder or collector left: files in ``.incoming/``, a pack without index
        (or the reverse), and the packs of releases that never came to exist — named after an id newer
        than every release directory (no manifest can refer to them)."""
        for entry in os.scandir(self.incoming_dir):
            os.unlink(entry.path)
        suffixes: dict[str, set[str]] = {}
        for name in os.listdir(self.packs_dir):
            stem, suffix = os.path.splitext(name)
            if suffix in (PACK_SUFFIX, INDEX_SUFFIX, DEAD_SUFFIX) and PACK_NAME_RE.match(stem):
                suffixes.setdefault(stem, set()).add(suffix)
        for stem, present in suffixes.items():
            stray = newest_release is None or _pack_order(stem)[0] > newest_release
            if stray or not {PACK_SUFFIX, INDEX_SUFFIX} <= present:
                if stem in self._indexes:
                    self._indexes.pop(stem).close()
                for suffix in (INDEX_SUFFIX, DEAD_SUFFIX, PACK_SUFFIX):  # the index first, as in _delete
                    if suffix in present:
                        os.unlink(self.packs_dir / f"{stem}{suffix}")

    def adopt_loose(self) -> None:
        """Move the loose objects of a store written before packs existed into one pack."""
        shards = [
            entry.path
            for entry in os.scandir(self.directory)
            if len(entry.name) == 2 and re.match(r"^[0-9a-f]{2}$", entry.name) and entry.is_dir()
        ]
        if not shards:
            return
        known = self.live_shas()

        def loose() -> Iterator[tuple[bytes, bytes]]:
            for shard in shards:
                for entry in os.scandir(shard):
                    sha = entry.name.removesuffix(".gz")
                    if (
                        entry.name.endswith(".gz")
                        and SHA256_RE.match(sha)
                        and bytes.fromhex(sha) not in known
                    ):
                        yield bytes.fromhex(sha), Path(entry.path).read_bytes()

        write_pack(
            self.incoming_dir, self.packs_dir, self._free_name(LEGACY_PACK), loose(), durable=self.durable
        )
        for shard in shards:
            shutil.rmtree(shard)

    def forget(self, orphans: set[str]) -> None:
        """Record that ``orphans`` are referenced by no kept release: each pack holding some lists them
        as dead; a pack left with no live object is deleted, one with fewer live than dead objects is
        rewritten with its live ones only."""
        raws = {bytes.fromhex(sha) for sha in orphans}
        if not raws:
            return
        for index in self.indexes():
            if len(raws) <= DIRECT_LOOKUPS:
                hit = {raw for raw in raws if index.find(raw) is not None}
            else:
                hit = raws.intersection(index.shas())
            if not hit:
                continue
            dead = index.dead() | hit
            if len(dead) >= index.count:
                self._delete(index)
            elif 2 * len(dead) > index.count:
                self._rewrite([(index, dead)])
            else:
                write_atomic(str(index.dead_path), b"".join(sorted(dead)), temp_dir=str(self.incoming_dir))

    def consolidate(self) -> None:
        """Merge the small packs once there are many (each release that adds objects makes one)."""
        indexes = self.indexes()
        if len(indexes) <= MAX_PACKS:
            return
        small = [(index, dead) for index in indexes if index.count - len(dead := index.dead()) < SMALL_PACK]
        if len(small) > 1:
            self._rewrite(small)

    def _rewrite(self, sources: list[tuple[PackIndex, set[bytes]]]) -> None:
        """Copy the live objects of ``sources`` into a new pack, then delete them. The new pack is durable
        and published first: a crash in between leaves two copies of some objects, which is harmless."""
        base = max(_pack_order(index.name)[0] for index, _ in sources)

        def live() -> Iterator[tuple[bytes, bytes]]:
            for index, dead in sources:
                fd = os.open(index.pack_path, os.O_RDONLY)
                try:
                    for raw, offset, length in index.records():
                        if raw not in dead:
                            yield raw, os.pread(fd, length, offset)
                finally:
                    os.close(fd)

        write_pack(self.incoming_dir, self.packs_dir, self._free_name(base), live(), durable=self.durable)
        for index, _ in sources:
            self._delete(index)

    def _delete(self, index: PackIndex) -> None:
        """Index first: a pack left without index by a crash is invisible and removed as a leftover."""
        self._indexes.pop(index.name, None)
        index.close()
        for path in (self.packs_dir / f"{index.name}{INDEX_SUFFIX}", index.dead_path, index.pack_path):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _raw(sha256: str) -> bytes:
    if not isinstance(sha256, str) or not SHA256_RE.match(sha256):
        raise ValueError(f"内容对象的哈希值不合法：{sha256!r}")
    return bytes.fromhex(sha256)


class StoredObjects:
    """For a builder: whether an object is stored already. Its first lookups search the indexes (an
    incremental release adds a handful of objects); past ``DIRECT_LOOKUPS`` one set of every stored hash
    is built (~40 ms for 100,000 objects) and used from then on."""

    def __init__(self, objects: ObjectStore) -> None:
        self._objects = objects
        self._indexes: list[PackIndex] | None = None
        self._dead: dict[str, set[bytes]] = {}
        self._all: set[bytes] | None = None
        self._lookups = 0

    def __contains__(self, raw: bytes) -> bool:
        if self._all is None and self._lookups >= DIRECT_LOOKUPS:
            self._all = self._objects.live_shas()
        if self._all is not None:
            return raw in self._all
        self._lookups += 1
        if self._indexes is None:
            self._indexes = self._objects.indexes()
        for index in self._indexes:
            if index.find(raw) is not None:
                dead = self._dead.get(index.name)
                if dead is None:
                    dead = self._dead[index.name] = index.dead()
                if raw not in dead:
                    return True
        return False

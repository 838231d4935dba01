"""Release store: immutable, atomically switched releases of one site's static files (files only).

The renderer hands ``(path, bytes)`` pairs to a :class:`ReleaseBuilder`; committing it produces a new
release directory, a manifest (path, sha256, size) and an atomic switch of ``current``. Nothing here
renders or touches the database, so the store is usable from a task, a command or a test alike.

Layout per site (``<root>/<site>/``)::

    releases/<id>/                the tree served (nginx root is ``current``, which points here)
    releases/<id>.manifest.json   the release's meta and the ordered list of its manifest chunks
    releases/.staging-<id>/       a release being built; removed by the next ``begin()`` if abandoned
    manifests/<sha256>.json       manifest chunks: sorted ``[path, sha256, size]`` rows, content-addressed
    objects/packs/<id>.pack       the contents new in release <id>, gzip, back to back: pristine copies
                                  for the verifier (a rewrite by the collector is ``<id>.r<n>.pack``)
    objects/packs/<id>.idx        its index: (sha256, offset, length) records sorted by hash
    objects/packs/<id>.dead       the objects of that pack no kept release refers to any more
    objects/.incoming/            a pack and index being written, cleared by ``begin()``
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
* **Pre-compressed siblings.** Every written HTML/XML/CSS/JS/TXT/JSON/SVG file gets ``<path>.gz`` (gzip by
  libdeflate, level 1, mtime 0: deterministic bytes) for nginx ``gzip_static``. The manifest lists only the real files;
  a sibling is derived (its expected content is the decompressed real file), and the verifier checks both.
* **Full releases** cost one gzip and two file creations per new content (the page and its ``.gz``
  sibling, written in place in the staging tree) plus an append to the release's pack. The third file per
  content of the loose object store (``objects/<sha[:2]>/<sha>.gz``, each via a temp name and a rename)
  is gone. ``bench/publish_releases.py --files 100000`` (105,002 pages; two runs of each version,
  interleaved): 43.7 s and 40.8 s with loose objects and temp names (2,400 and 2,576 pages/s), 28.7 s and
  27.8 s now (3,664 and 3,771 pages/s), ~4 s of it the commit (one ``syncfs``). The filesystem here is
  ext4 without a journal, whose inode allocator skips recently deleted inodes one by one: for minutes after
  a tree of some 500,000 files is deleted, creating a file costs 140-800 µs instead of ~35 µs (``perf``:
  ``recently_deleted`` under ``ext4_create``), so benchmarks must not follow a large deletion (the runs
  above kept their work directories) — and nor should a full publish that needs to be fast. Putting every
  page again with nothing changed decides ~90,000 pages/s and writes nothing (no release is made).
* **One pack of objects per release.** A release appends its new contents to one pack and writes one
  index of fixed 44-byte records; finding an object is a binary search in the ``mmap``'ed index of each
  pack, newest first (~7 µs a pack), and ``read_object`` checks the sha256 of what it decompresses. A
  builder never stores an object twice: its first 64 lookups search the indexes, then it builds one set
  of every stored hash (20 ms for 105,007 objects). Pack and index are written in ``.incoming/``,
  made durable with the rest of the release, renamed into ``packs/`` (pack first) and only then is the
  manifest written, so a crash leaves no pack or a complete one that no manifest refers to; ``begin()``
  deletes the packs named after an id newer than every release directory (builds that never made a
  release), a pack without its index, and ``.incoming/``. Loose objects of an older store are packed by
  ``begin()``.
* **Garbage collection of objects** (in ``prune``). The objects only dropped releases referred to are
  found from the dropped manifest chunks, as before; each pack holding some lists them in its ``.dead``
  file. A pack with no live object is deleted; a pack with fewer live than dead objects is rewritten with
  the live ones as ``<id>.r<n>`` (durable and published before the old pack goes: a crash in between
  leaves two copies, which is harmless); above 32 packs, those with fewer than 2,048 live objects are
  merged into one. Keeping the dead lists makes a prune cost what died, not the size of the site:
  counting the live objects of a 100,000-object pack against every kept manifest row would take ~140 ms
  on this machine, while a prune that drops a release of the 100,000-page bench site takes 38-55 ms, as
  it did with loose objects (39-64 ms; most of it finding the dead objects from the chunks). The bytes of
  an object put and then removed in the same build stay in its pack, unindexed, until the pack is
  rewritten; a ``.dead`` update lost in a power cut leaves some garbage, never a missing object.
* **Crash safety.** A builder writes only under ``.staging-<id>/``, writes its pack and the chunks,
  makes everything durable (``fsync`` of each file and directory for small releases, issued concurrently
  so they share journal commits; one ``syncfs`` for large ones: 100,000 ``fsync`` calls would take
  ~20 s), writes the manifest (temp + rename), renames the staging directory into place and only then
  switches ``current``. A large build also flushes in a background thread while it is still being
  written (``BackgroundFlush``: one ``syncfs`` at a time, every 32 MB), so the final ``syncfs`` finds
  little left to write: on the 100,000-page bench the ten sites' final flushes took 1.6 s in all instead
  of 17 s, time in which a publishing process's core sat idle. The flushing half of the commit is
  ``ReleaseBuilder.prepare()``; the publisher calls it before the database transaction that records
  the release, so that transaction (and SQLite's one write lock) lasts only as long as the records and
  the switch. A process killed at any point leaves the previous release live and intact; the
  next ``begin()`` removes the leftovers. Files under ``.staging-<id>/`` are created and written in place,
  with no temp name and rename (a small file costs ~35 µs that way, ~65 µs with them): nothing reads the
  staging tree, a crash throws it away whole, and it is renamed into place only once it is durable.
* **Rollback** moves ``current`` to the newest kept release older than the current one; releases newer
  than ``current`` stay until ``prune`` drops them (they count among the newest ``keep``).
* **Serving and copying.** nginx follows the directory symlinks (``disable_symlinks off``); a server that
  checks that a resolved path stays inside the tree must use ``<root>/<site>/`` as the boundary, not
  ``current`` (the embedded server does). Copy a site to a front node with ``rsync -aH``: links are
  relative and stay inside the site directory, and hard links are kept.
* **Never write a release file in place**: its inode may be shared with older releases. That is also why
  the verifier restores from the packs in ``objects/`` (see ``verify.py``).

Modules: ``files`` (paths, gzip, durability, writes), ``manifest`` (chunks, ``Manifest``, ``Release``),
``packs`` (pack and index files), ``objects`` (the object store and its collector), ``tree`` (filling a
spine from the base), ``builder`` (``ReleaseBuilder``)
and ``store`` (``ReleaseStore``); every name is importable from this package.
"""

from __future__ import annotations

from govsite.publishing.releases.builder import ReleaseBuilder
from govsite.publishing.releases.files import (
    COMPRESSIBLE_SUFFIXES,
    FSYNC_EACH_LIMIT,
    STAGING_PREFIX,
    gzip_bytes,
    has_gzip_sibling,
    iter_tree,
    validate_path,
    write_atomic,
)
from govsite.publishing.releases.manifest import (
    CHUNK_MASK,
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
from govsite.publishing.releases.objects import ObjectStore
from govsite.publishing.releases.store import RELEASE_ID_RE, SITE_CODE_RE, ReleaseStore

# The name the tests have always used for the chunk boundary rule.
_is_boundary = is_chunk_boundary

__all__ = [
    "CHUNK_MASK",
    "COMPRESSIBLE_SUFFIXES",
    "FSYNC_EACH_LIMIT",
    "MANIFEST_FORMAT",
    "MANIFEST_SUFFIX",
    "RELEASE_ID_RE",
    "SITE_CODE_RE",
    "STAGING_PREFIX",
    "ChunkRef",
    "Manifest",
    "ManifestEntry",
    "ObjectStore",
    "Release",
    "ReleaseBuilder",
    "ReleaseStats",
    "ReleaseStore",
    "encode_chunk",
    "gzip_bytes",
    "has_gzip_sibling",
    "is_chunk_boundary",
    "iter_tree",
    "split_into_chunks",
    "validate_path",
    "write_atomic",
]

"""Tamper verifier: re-hash the live tree of a site against its manifest and put back the original bytes.

The live tree is ``<root>/<site>/current`` (directory symlinks followed). Every manifest file is hashed;
its pre-compressed ``.gz`` sibling is checked too, by decompressing it and hashing the result, because
nginx ``gzip_static`` serves the sibling to most browsers — a defaced ``.gz`` is a defaced page.

Restoring never copies from another release: an attacker who edits a file in place changes every hard
link of that inode, so the pristine bytes come from the content-addressed object store (packs under
``objects/packs/``, files apart from every release's inodes, written once at publish time), are checked
against the manifest hash, and are written beside the live file and renamed over it (readers never see a
half file).
Added files are deleted, and so are added directories and directory links (reported as one entry, never
walked into). Hard links of a tampered inode in *other* releases are not touched here; they
are checked when such a release becomes live again (after a rollback) on the next scheduled run.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from govsite.publishing.releases import (
    Release,
    ReleaseStore,
    gzip_bytes,
    has_gzip_sibling,
    write_atomic,
)

READ_BLOCK = 1 << 20


@dataclass(frozen=True)
class VerifyReport:
    """Differences between a site's live tree and its manifest (paths relative to the site root)."""

    site_code: str
    release_id: str | None
    checked: int = 0
    modified: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    unrestorable: tuple[str, ...] = field(default=())

    @property
    def has_differences(self) -> bool:
        return bool(self.modified or self.added or self.missing)

    def summary(self) -> str:
        if self.release_id is None:
            return f"站点 {self.site_code} 尚未发布，没有可校验的文件。"
        head = f"站点 {self.site_code} 当前版本 {self.release_id}：校验 {self.checked} 个文件"
        if not self.has_differences:
            return f"{head}，与发布清单一致。"
        text = (
            f"{head}，被篡改 {len(self.modified)} 个、多出 {len(self.added)} 个、缺失 {len(self.missing)} 个"
        )
        if self.restored or self.unrestorable:
            text += f"；已恢复 {len(self.restored)} 个"
            if self.unrestorable:
                text += f"，无法恢复 {len(self.unrestorable)} 个"
        return text + "。"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _matches(path: Path, size: int, sha256: str) -> bool:
    """Whether the live file has the expected bytes (a dangling or unreadable entry does not)."""
    try:
        return path.stat().st_size == size and _sha256_file(path) == sha256
    except OSError:
        return False


def _gzip_content_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
    except (OSError, EOFError, zlib.error):
        return None


def _live_entries(root: Path, expected_dirs: set[str]) -> tuple[dict[str, Path], list[str]]:
    """The live files under the directories the manifest has, and the unexpected directories (reported
    whole, never walked into: an added link may lead anywhere, even back up the tree)."""
    files: dict[str, Path] = {}
    added_dirs: list[str] = []
    pending = [""]
    while pending:
        directory = pending.pop()
        prefix = f"{directory}/" if directory else ""
        try:
            entries = list(os.scandir(root / directory if directory else root))
        except OSError:
            continue
        for entry in entries:
            path = prefix + entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                files[path] = Path(entry.path)
            elif path in expected_dirs:
                pending.append(path)
            else:
                added_dirs.append(path)
    return files, added_dirs


def verify(store: ReleaseStore) -> VerifyReport:
    """Compare the live tree of ``store`` (what ``current`` points to) with its manifest."""
    release_id = store.current_id()
    if release_id is None:
        return VerifyReport(site_code=store.site_code, release_id=None)
    release = store.release(release_id)
    expected_dirs = {""}
    for path in release.manifest:
        parent = path.rpartition("/")[0]
        while parent not in expected_dirs:
            expected_dirs.add(parent)
            parent = parent.rpartition("/")[0]
    present, added_dirs = _live_entries(release.path, expected_dirs)
    expected_siblings: set[str] = set()
    modified: list[str] = []
    missing: list[str] = []
    checked = 0
    for entry in release.manifest.entries():
        checked += 1
        live = present.get(entry.path)
        if live is None:
            missing.append(entry.path)
        elif not _matches(live, entry.size, entry.sha256):
            modified.append(entry.path)
        if has_gzip_sibling(entry.path):
            sibling = entry.path + ".gz"
            expected_siblings.add(sibling)
            checked += 1
            live_sibling = present.get(sibling)
            if live_sibling is None:
                missing.append(sibling)
            elif _gzip_content_sha(live_sibling) != entry.sha256:
                modified.append(sibling)
    added = [p for p in present if p not in release.manifest and p not in expected_siblings]
    added += added_dirs
    return VerifyReport(
        site_code=store.site_code,
        release_id=release_id,
        checked=checked,
        modified=tuple(sorted(modified)),
        added=tuple(sorted(added)),
        missing=tuple(sorted(missing)),
    )


def _real_parent(store: ReleaseStore, release: Release, path: str) -> Path | None:
    """The real directory the live ``path`` lives in, created if missing; None if it leads outside the
    site's releases (a planted symlink), which is reported instead of written through."""
    served = release.path / path
    parent = served.parent
    missing_parts: list[str] = []
    while not parent.exists():
        missing_parts.append(parent.name)
        parent = parent.parent
    real = Path(os.path.realpath(parent))
    releases_dir = Path(os.path.realpath(store.releases_dir))
    if real != releases_dir and releases_dir not in real.parents:
        return None
    for part in reversed(missing_parts):
        real = real / part
        real.mkdir(exist_ok=True)
    return real


def restore(store: ReleaseStore, report: VerifyReport) -> VerifyReport:
    """Put back the original bytes of modified and missing files and delete added ones."""
    return _restore(store, report)


def _restore(store: ReleaseStore, report: VerifyReport) -> VerifyReport:
    if report.release_id is None or not report.has_differences:
        return report
    restored: list[str] = []
    unrestorable: list[str] = []
    with store.locked():
        release = store.release(report.release_id)
        for path in (*report.modified, *report.missing):
            logical = path
            if path.endswith(".gz") and has_gzip_sibling(path[:-3]) and path[:-3] in release.manifest:
                logical = path[:-3]
            entry = release.manifest[logical]
            parent = _real_parent(store, release, path)
            if parent is None:
                unrestorable.append(path)
                continue
            try:
                data = store.read_object(entry.sha256)
            except (OSError, ValueError, EOFError, zlib.error):
                unrestorable.append(path)
                continue
            if logical != path:
                data = gzip_bytes(data, store.gzip_level)
            target = parent / Path(path).name
            if target.is_dir() and not target.is_symlink():
                unrestorable.append(path)
                continue
            write_atomic(str(target), data, durable=store.durable)
            restored.append(path)
        for path in report.added:
            parent = _real_parent(store, release, path)
            if parent is None:
                unrestorable.append(path)
                continue
            target = parent / Path(path).name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
            restored.append(path)
    return replace(report, restored=tuple(sorted(restored)), unrestorable=tuple(sorted(unrestorable)))


def verify_site(
    root: Path,
    site_code: str,
    *,
    restore: bool,
    on_difference: Callable[[VerifyReport], None] | None = None,
) -> VerifyReport:
    """The scheduled check: verify a site, restore it if asked, and hand any difference to
    ``on_difference`` (the caller writes the audit row and raises the alert)."""
    store = ReleaseStore(Path(root), site_code)
    # Holding the site lock keeps a publish from switching releases between the check and the repair.
    with store.locked() if restore and store.site_dir.is_dir() else contextlib.nullcontext():
        report = verify(store)
        if report.has_differences and restore:
            report = _restore(store, report)
    if report.has_differences and on_difference is not None:
        on_difference(report)
    return report

"""A release's spine: the directories holding a change, filled from the base release with hard links to
unchanged files and relative symlinks to unchanged sub-directories."""

from __future__ import annotations

import bisect
import os
from typing import TYPE_CHECKING, NamedTuple

from govsite.publishing.releases.files import has_gzip_sibling, path_ancestors
from govsite.publishing.releases.manifest import ManifestEntry, Release

if TYPE_CHECKING:
    from govsite.publishing.releases.store import ReleaseStore


class Spine(NamedTuple):
    """What filling the spine made: the directory links of the release (path → owner release), the files
    hard-linked one by one, the directories shared whole, and the spine directories themselves."""

    links: dict[str, str]
    linked: int
    shared: int
    directories: set[str]


def materialise(
    store: ReleaseStore,
    base: Release,
    staging: str,
    changes: dict[str, ManifestEntry | None],
    written: dict[str, ManifestEntry],
    made_dirs: set[str],
) -> Spine:
    """Fill the spine directories of ``staging`` from ``base``: hard-link unchanged files, symlink
    unchanged sub-directories to the release that physically holds them. ``written`` are the files this
    build staged, ``made_dirs`` the staging directories that exist already (updated)."""
    spine: set[str] = {""}
    for path in changes:
        spine.update(path_ancestors(path))
    base_links = base.links
    base_link_paths = sorted(base_links)
    links: dict[str, str] = {}
    linked = shared = 0
    # A directory whose contents were removed and replaced by a file of the same name is skipped.
    replaced = {d for d in spine if d in written}
    for directory in sorted(spine, key=lambda d: (d.count("/"), d)):
        target_dir = f"{staging}/{directory}" if directory else staging
        if replaced and any(d in replaced for d in (directory, *path_ancestors(directory))):
            continue
        if directory not in made_dirs:
            os.makedirs(target_dir, exist_ok=True)
            made_dirs.add(directory)
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
        if directory and os.path.isdir(f"{staging}/{directory}") and not os.listdir(f"{staging}/{directory}"):
            os.rmdir(f"{staging}/{directory}")
    return Spine(links, linked, shared, spine)

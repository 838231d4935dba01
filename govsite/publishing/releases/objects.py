"""Content objects: a pristine gzip copy of every content a site ever published, by sha256 (for the
tamper verifier, which must not restore from a release's own, possibly edited, inodes)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
from pathlib import Path


class ObjectStore:
    """Loose objects ``<objects>/<sha[:2]>/<sha>.gz``; temp files are written to ``.incoming/``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.incoming_dir = directory / ".incoming"

    def path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / f"{sha256}.gz"

    def read(self, sha256: str) -> bytes:
        """The pristine bytes of a published content, checked against its hash."""
        data = gzip.decompress(self.path(sha256).read_bytes())
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"内容对象 {sha256} 已损坏")
        return data

    def delete(self, sha256s: set[str]) -> None:
        for sha in sha256s:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path(sha))

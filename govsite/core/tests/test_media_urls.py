"""Embedded serving of pictures: image files under MEDIA_ROOT are served, raw document files never are
(documents go through Wagtail's view, which applies collection privacy)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def media_files() -> Iterator[dict[str, Path]]:
    name = f"t{uuid.uuid4().hex}"
    files = {
        folder: Path(settings.MEDIA_ROOT) / folder / f"{name}.{ext}"
        for folder, ext in (("original_images", "png"), ("images", "png"), ("documents", "pdf"))
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG-test-bytes")
    yield files
    for path in files.values():
        path.unlink(missing_ok=True)


@pytest.mark.django_db
def test_pictures_are_served_and_raw_documents_are_not(media_files: dict[str, Path]) -> None:
    client = Client()
    for folder in ("original_images", "images"):
        response = client.get(f"{settings.MEDIA_URL}{folder}/{media_files[folder].name}")
        assert response.status_code == 200, folder
        assert b"".join(response.streaming_content) == b"\x89PNG-test-bytes"
    assert client.get(f"{settings.MEDIA_URL}documents/{media_files['documents'].name}").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}original_images/../documents/x.pdf").status_code == 404

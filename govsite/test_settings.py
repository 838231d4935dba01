"""Settings for the test suite: the real settings, plus a fast hasher and tasks run inline
(HOUSE_RULES §9). DATABASE_URL chooses SQLite (default) or PostgreSQL exactly as in production."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("GOVSITE_DATA_DIR", os.path.join(tempfile.gettempdir(), "govsite-test-data"))
os.environ.setdefault("GOVSITE_SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from govsite.settings import *  # noqa: F403
from govsite.settings import DATA_DIR, STATIC_ROOT, TASKS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS["default"] = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Each xdist worker publishes into its own tree: test sites share codes across workers.
PUBLISH_ROOT = DATA_DIR / f"public-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"

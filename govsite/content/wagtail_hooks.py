"""Wagtail discovers hooks here; each feature keeps its own in ``content/hooks/``."""

from govsite.content.hooks import columns, library, policy, recycle, responsibility  # noqa: F401

"""Wagtail discovers hooks here; each feature keeps its own in ``content/hooks/``."""

from govsite.content.hooks import library, policy, recycle, responsibility  # noqa: F401

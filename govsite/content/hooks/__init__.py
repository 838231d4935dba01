"""Wagtail admin hooks of the content app, one module per feature (imported by wagtail_hooks.py)."""

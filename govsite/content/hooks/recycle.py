"""Wagtail admin hooks for recycle."""

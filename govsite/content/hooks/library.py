"""Wagtail admin hooks for library."""

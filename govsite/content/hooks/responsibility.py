"""Wagtail admin hooks for responsibility."""

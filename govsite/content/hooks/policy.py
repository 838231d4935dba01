"""Wagtail admin hooks for policy."""

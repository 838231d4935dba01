"""Test support shared by every app's tests: personas and factories built with the real actions."""

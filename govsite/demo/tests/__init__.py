"""Tests of the demo builder and its text generator."""

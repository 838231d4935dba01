"""Shared pure code used by every app: no models of its own."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govsite.core"
    label = "core"
    verbose_name = "公共组件"

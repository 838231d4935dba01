"""App config of the demo builder; it has no models of its own."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govsite.demo"
    label = "demo"
    verbose_name = "演示数据"

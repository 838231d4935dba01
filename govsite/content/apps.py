"""Page types (home, column, article) and, later, the unified resource library."""

from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govsite.content"
    label = "content"
    verbose_name = "内容"

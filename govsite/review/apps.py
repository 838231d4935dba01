"""App config of the review app (workflows, 保密审查, pre-publish checks)."""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "govsite.review"
    verbose_name = "审核"

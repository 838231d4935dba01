from django.apps import AppConfig
from django.conf import settings


class PublishingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "govsite.publishing"
    verbose_name = "静态发布"

    def ready(self) -> None:
        if getattr(settings, "PUBLISH_ON_CHANGE", True):
            from govsite.publishing import receivers

            receivers.connect()

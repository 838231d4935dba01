"""People, units (单位) and roles (三权分立), with the password policy."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "govsite.accounts"
    label = "accounts"
    verbose_name = "账号与单位"

    def ready(self) -> None:
        from govsite.accounts.setup import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="govsite.accounts.platform_roles")

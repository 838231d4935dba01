"""Append-only, hash-chained audit log of every state change and security event."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "govsite.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from govsite.audit import receivers

        receivers.connect()

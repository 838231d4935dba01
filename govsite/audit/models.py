"""The audit log: one row per action, each carrying the hash of the row before it (DB-13).

Rows are only ever inserted. The model, its queryset and database triggers (migration 0002) all
refuse UPDATE and DELETE; ``chain.verify_chain`` recomputes the hashes and finds the first broken row.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AuditLogImmutableError(Exception):
    """Raised on any attempt to change or delete an audit row."""

    def __init__(self, what: str = "审计日志只能追加，不能修改或删除") -> None:
        super().__init__(what)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutableError()

    def delete(self) -> NoReturn:  # NoReturn is a valid override: the log is append-only
        raise AuditLogImmutableError()

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutableError()

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutableError("审计日志只能通过 govsite.audit.record() 逐条写入")


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    seq = models.PositiveBigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间", db_index=True)
    actor_id = models.PositiveBigIntegerField("操作人ID", null=True, blank=True)
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    actor_name = models.CharField("操作人", max_length=100, blank=True)
    actor_roles = models.CharField("操作人角色", max_length=500, blank=True)
    source_ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("上一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-seq"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutableError()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutableError()

"""What the publisher keeps in the database: the dependency record and the history of runs.

``RenderedPath`` says which target produced each file of a site's tree and ``Dependency`` which pages
each target showed when it was last rendered. Both are rewritten with every publish in the same
transaction as the release is committed, so they always describe the live release: incremental
publishing follows them (the pages a change touches), not a guess.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RenderedPath(models.Model):
    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="+")
    path = models.CharField("文件路径", max_length=400)
    target_kind = models.CharField("目标类型", max_length=10)
    target_id = models.BigIntegerField("目标编号", default=0)
    # A list page's own fingerprint (``SiteRenderer.list_fingerprint``): the pagination pages of a
    # column whose fingerprint did not move are not rendered again. "" for every other file.
    fingerprint = models.CharField("指纹", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "发布文件"
        verbose_name_plural = "发布文件"
        constraints = [
            models.UniqueConstraint(fields=["site", "path"], name="publishing_path_unique_per_site")
        ]
        indexes = [models.Index(fields=["site", "target_kind", "target_id"], name="publishing_path_target")]


class Dependency(models.Model):
    """Target (``target_kind``, ``target_id``) of ``site`` showed page ``page_id`` when last rendered."""

    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="+")
    page_id = models.BigIntegerField("页面编号")  # not a foreign key: the record outlives deleted pages
    target_kind = models.CharField("目标类型", max_length=10)
    target_id = models.BigIntegerField("目标编号", default=0)

    class Meta:
        verbose_name = "发布依赖"
        verbose_name_plural = "发布依赖"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "page_id", "target_kind", "target_id"], name="publishing_dependency_unique"
            )
        ]
        indexes = [
            # Page first: "which sites showed these pages" asks by page alone.
            models.Index(fields=["page_id", "site"], name="publishing_dep_page_site"),
            # Re-rendering a target replaces its rows: without this the DELETE scans the whole table.
            models.Index(fields=["site", "target_kind", "target_id"], name="publishing_dependency_target"),
        ]


class PublishRun(models.Model):
    """One publish of one site: what started it, what it rendered and wrote, and how it ended."""

    class Kind(models.TextChoices):
        FULL = "full", "全量发布"
        INCREMENTAL = "incremental", "增量发布"

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"

    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="publish_runs")
    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    pages = models.JSONField("触发页面", default=list, blank=True)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    release = models.CharField("版本", max_length=64, blank=True)
    rendered = models.PositiveIntegerField("生成文件", default=0)
    written = models.PositiveIntegerField("写入文件", default=0)
    removed = models.PositiveIntegerField("删除文件", default=0)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "发布记录"
        verbose_name_plural = "发布记录"
        ordering = ["-started_at", "-id"]


class RenderedTarget(models.Model):
    """The fingerprint of a target's inputs when its files were last written (see ``fingerprints``)."""

    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="+")
    target_kind = models.CharField("目标类型", max_length=10)
    target_id = models.BigIntegerField("目标编号", default=0)
    fingerprint = models.CharField("指纹", max_length=64)

    class Meta:
        verbose_name = "发布目标"
        verbose_name_plural = "发布目标"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "target_kind", "target_id"], name="publishing_target_unique_per_site"
            )
        ]


class TamperAlert(models.Model):
    """A difference the tamper verifier found between a live tree and its release manifest."""

    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="tamper_alerts")
    found_at = models.DateTimeField("发现时间", default=timezone.now)
    release = models.CharField("版本", max_length=64, blank=True)
    modified = models.JSONField("被篡改", default=list)
    added = models.JSONField("多出", default=list)
    missing = models.JSONField("缺失", default=list)
    restored = models.JSONField("已恢复", default=list)
    summary = models.TextField("说明")
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "篡改告警"
        verbose_name_plural = "篡改告警"
        ordering = ["-found_at", "-id"]

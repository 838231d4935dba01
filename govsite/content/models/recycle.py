"""The recycle bin: a deleted page is unpublished and moved under its site's hidden 回收站 page, with
a record of where it was and which placements it had, so a site administrator can restore it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from wagtail.models import Page


class RecycleBinPage(Page):
    """A site's 回收站: never live, never in menus; only site administrators see into it."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "回收站"
        verbose_name_plural = "回收站"


class RecycleBinEntry(models.Model):
    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="recycle_entry")
    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="recycle_entries")
    title = models.CharField("标题", max_length=255)
    original_parent = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="原位置"
    )
    was_live = models.BooleanField("删除前已发布", default=False)
    placements = models.JSONField(
        "删除前的引用", default=list, help_text="[{page, parent}] of the item's aliases"
    )
    deleted_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    deleted_at = models.DateTimeField("删除时间", default=timezone.now)

    class Meta:
        verbose_name = "回收站记录"
        verbose_name_plural = "回收站记录"
        ordering = ["-deleted_at"]

"""The unified resource library (统一信息资源库, "先入库、后使用").

An item is a page written once in its owner's column; it appears in other columns and on other
sites as Wagtail alias pages, which Wagtail keeps identical on every publish and which cannot be
edited on their own — a placement is a reference, not a copy. ``Placement`` records where an item
is shown and how it got there (owner / push / repost) with the timings; ``PushRequest`` records an
upper site offering an item to a lower one. 索引号 are allocated per site from a counter and logged,
so a number is never issued twice (national-specs §5.1–5.2).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from govsite.content.forms import LibraryItemPageForm

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image", "hr"]

# 主题分类: the top level of gov.cn's two-level list (national-specs §5.3, RECALLED there); a site may
# add second levels as "一级\二级" text.
TOPIC_CATEGORIES = [
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]
# 体裁: the 15 公文种类 of 《党政机关公文处理工作条例》 plus common non-公文 genres.
GENRES = [
    "决议",
    "决定",
    "命令（令）",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
    "规划",
    "计划",
    "总结",
    "工作动态",
    "解读",
    "其他",
]
EFFECT_LEVELS = ["法律", "行政法规", "地方性法规", "部门规章", "地方政府规章", "行政规范性文件", "其他文件"]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


REPOST_DEADLINE = timedelta(hours=12)  # seed 004: upper sites' important policies reposted within 12 h


def item_address(url_path: str, published: datetime | None, pk: int | None) -> str:
    """Where an item's page is published: in a directory of its column per month of its 发布日期, as
    ``t<date>_<id>.html`` — ``/zwyw/xinwen/`` + ``202611/t20261122_417.html`` for the item whose Wagtail
    ``url_path`` is ``/zwyw/xinwen/<slug>/`` (the address form of most government sites).

    A file, not a directory of its own: publishing 100,000 items makes 100,000 fewer directories (a
    directory costs the filesystem several times a file), and a month directory holds a few dozen
    items, so re-publishing one item re-links a small directory. The id keeps the name unique and
    stable; a change of 发布日期 moves the page, which the publisher treats like any move.
    """
    column = url_path.rstrip("/").rpartition("/")[0] + "/"
    if published is None:
        return f"{column}t_{pk or 0}.html"
    # Called for every item a list shows: the zone is converted directly (Django's localtime() costs
    # several times more) and the digits are formatted without strftime.
    day = published.astimezone(_local_zone()) if published.tzinfo is not None else published
    month = f"{day.year:04d}{day.month:02d}"
    return f"{column}{month}/t{month}{day.day:02d}_{pk or 0}.html"


@cache
def _local_zone() -> tzinfo:
    return timezone.get_default_timezone()


class LibraryItemPage(Page):
    """Base of every page type that is a library item, with the 公开目录 metadata.

    Concrete (multi-table) on purpose: lists, the 公开目录 and the publisher query every item type in
    one table, ordered by 发布日期.
    """

    publish_date = models.DateTimeField("发布日期", default=timezone.now, db_index=True)
    source = models.CharField("来源", max_length=100, blank=True)
    body = RichTextField("正文", features=RICH_TEXT_FEATURES, blank=True)
    index_number = models.CharField("索引号", max_length=40, blank=True, db_index=True, editable=False)
    publisher = models.CharField("发布机构", max_length=100, blank=True)
    written_date = models.DateField("成文日期", null=True, blank=True)
    document_number = models.CharField("发文字号", max_length=60, blank=True)
    topic_category = models.CharField(
        "主题分类", max_length=60, blank=True, choices=_choices(TOPIC_CATEGORIES)
    )
    genre = models.CharField("体裁", max_length=20, blank=True, choices=_choices(GENRES))
    audience = models.CharField("服务对象", max_length=60, blank=True)
    effect_level = models.CharField("效力", max_length=20, blank=True, choices=_choices(EFFECT_LEVELS))
    keywords = models.CharField("主题词", max_length=200, blank=True)
    is_important_policy = models.BooleanField(
        "重要政策", default=False, help_text="上级网站发布的重要政策，下级网站须在 12 小时内转载"
    )

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FieldPanel("written_date"),
                FieldPanel("document_number"),
                FieldPanel("topic_category"),
                FieldPanel("genre"),
                FieldPanel("audience"),
                FieldPanel("effect_level"),
                FieldPanel("keywords"),
                FieldPanel("is_important_policy"),
            ],
            heading="公开目录信息",
        )
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("publish_date"), FieldPanel("source")], heading="发布信息"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
        *metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("body"), index.FilterField("publish_date")]
    base_form_class = LibraryItemPageForm
    parent_page_types = ["content.ColumnPage"]
    subpage_types: list[str] = []
    is_creatable = False

    class Meta:
        verbose_name = "资源库信息"
        verbose_name_plural = "资源库信息"

    def get_url_parts(self, request: Any = None) -> tuple[int, str, str] | None:
        """Wagtail's URL of the page (``page.url``, the admin's "view live") is its published address
        (``item_address``), not its ``url_path``."""
        parts = super().get_url_parts(request)
        if parts is None or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, item_address(page_path, self.publish_date, self.pk)

    def serve_preview(self, request: Any, mode_name: str) -> Any:
        """Preview = published (issue 5): the publisher's renderer draws the preview."""
        from govsite.publishing.preview import preview_response

        return preview_response(self) or super().serve_preview(request, mode_name)


class IndexNumberCounter(models.Model):
    """The last serial issued for a site and year; only ever incremented under a row lock."""

    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    last_serial = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "索引号计数器"
        verbose_name_plural = "索引号计数器"
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="content_indexcounter_site_year")
        ]


class IndexNumberAllocation(models.Model):
    """Every 索引号 ever issued; unique per site, kept even when its page is purged."""

    site = models.ForeignKey("sites.GovSite", on_delete=models.PROTECT, related_name="+")
    index_number = models.CharField("索引号", max_length=40)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("标题", max_length=255)
    allocated_at = models.DateTimeField("分配时间", default=timezone.now)

    class Meta:
        verbose_name = "索引号登记"
        verbose_name_plural = "索引号登记"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "index_number"], name="content_indexalloc_unique_per_site"
            )
        ]


class Placement(models.Model):
    """Where a library item is shown: its own page (owner) or an alias page (push / repost)."""

    class Kind(models.TextChoices):
        OWNER = "owner", "本站发布"
        PUSH = "push", "上级推送"
        REPOST = "repost", "转载"

    item = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="placements")
    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="placement")
    site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="placements")
    column = models.ForeignKey(
        "content.ColumnPage", on_delete=models.CASCADE, related_name="column_placements"
    )
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    source_published_at = models.DateTimeField("原文发布时间", null=True, blank=True)
    placed_at = models.DateTimeField("上线时间", default=timezone.now)
    placed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "信息引用"
        verbose_name_plural = "信息引用"
        constraints = [
            models.UniqueConstraint(fields=["item", "column"], name="content_placement_once_per_column")
        ]

    @property
    def delay(self) -> timedelta | None:
        if self.source_published_at is None:
            return None
        return self.placed_at - self.source_published_at


class PushRequest(models.Model):
    """An upper site offers an item to a lower site, which accepts (choosing a column) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        ACCEPTED = "accepted", "已采用"
        DECLINED = "declined", "已拒绝"
        WITHDRAWN = "withdrawn", "已撤回"

    item = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="push_requests")
    from_site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="pushes_sent")
    to_site = models.ForeignKey("sites.GovSite", on_delete=models.CASCADE, related_name="pushes_received")
    suggested_column = models.ForeignKey(
        "content.ColumnPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.CharField("说明", max_length=200, blank=True)
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("推送时间", default=timezone.now)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理意见", max_length=200, blank=True)
    placement = models.OneToOneField(
        Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "信息推送"
        verbose_name_plural = "信息推送"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "to_site"],
                condition=models.Q(status="pending"),
                name="content_push_one_pending",
            )
        ]

"""Page types of a government site: its home page, columns (栏目) and articles.

Every column has an update class (national-specs §1.3: 动态要闻 14 days, 通知公告/政策文件 6 months,
other updatable columns 1 year, event-driven columns none), a responsible unit and an 信息员.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from govsite.content.forms import ColumnPageForm
from govsite.content.models.library import RICH_TEXT_FEATURES, LibraryItemPage, item_address

# The file part of an item's address, as ``item_address`` writes it.
ITEM_FILE_RE = re.compile(r"^(?:\d{6}/t\d{8}|t)_(\d+)\.html$")


class HomePage(Page):
    """The root page of one site; its title is the site name shown in the header."""

    intro = models.TextField("网站简介", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.ColumnPage",
        "content.TopicPage",
        "content.DisclosureCatalogPage",
        "content.RecycleBinPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "网站首页"
        verbose_name_plural = "网站首页"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        columns = ColumnPage.objects.child_of(self).live().in_menu().specific()
        context["columns"] = columns
        context["latest"] = (
            LibraryItemPage.objects.live()
            .descendant_of(self)
            .order_by("-publish_date")
            .only("title", "url_path", "publish_date")[:12]
        )
        return context


class ColumnClass(models.TextChoices):
    DYNAMIC = "dynamic", "动态要闻"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"
    OTHER = "other", "其他可更新"
    EVENT = "event", "事件驱动"


UPDATE_PERIOD_DAYS: dict[str, int | None] = {
    ColumnClass.DYNAMIC: 14,
    ColumnClass.NOTICE: 183,
    ColumnClass.POLICY: 183,
    ColumnClass.OTHER: 365,
    ColumnClass.EVENT: None,
}


class ColumnPage(Page):
    """A 栏目: lists its articles; owned by a responsible unit and an 信息员."""

    column_class = models.CharField(
        "栏目类别", max_length=20, choices=ColumnClass.choices, default=ColumnClass.OTHER
    )
    description = models.CharField("栏目描述", max_length=200, blank=True)
    keywords = models.CharField("栏目关键词", max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name="责任单位",
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="columns",
    )
    info_officers = ParentalManyToManyField(
        "accounts.User", verbose_name="信息员", blank=True, related_name="columns"
    )
    # P6 (inspection-rules §7): columns whose law requires publishing personal data (惩戒公示, 行政处罚
    # 公示 …) are exempt from the personal-data checks by configuration only, with the legal basis;
    # every exempted finding is logged (``review.p6``). Only a 站点管理员 sets it (``ColumnPageForm``).
    disclosure_exempt = models.BooleanField(
        "个人信息公示豁免",
        default=False,
        help_text="依法须公开个人信息的栏目（如失信惩戒、行政处罚公示）：身份证号、手机号等不作为问题拦截，每次豁免记入审计日志",
    )
    disclosure_basis = models.CharField(
        "豁免依据", max_length=200, blank=True, help_text="法律法规或文件名称及条款，如《……》第十条"
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("column_class"), FieldPanel("responsible_unit"), FieldPanel("info_officers")],
            heading="栏目责任",
        ),
        FieldPanel("description"),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [FieldPanel("disclosure_exempt"), FieldPanel("disclosure_basis")],
            heading="个人信息公示豁免（P6）",
        ),
    ]
    base_form_class = ColumnPageForm
    parent_page_types = ["content.HomePage", "content.ColumnPage", "content.TopicPage"]
    subpage_types = [
        "content.ColumnPage",
        "content.ArticlePage",
        "content.NoticePage",
        "content.PolicyDocumentPage",
        "content.InterpretationPage",
        "content.ServiceGuidePage",
        "content.TopicPage",
    ]

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def clean(self) -> None:
        super().clean()
        if self.disclosure_exempt and not self.disclosure_basis.strip():
            raise ValidationError({"disclosure_basis": "设置个人信息公示豁免须填写豁免依据"})

    @property
    def update_period(self) -> timedelta | None:
        days = UPDATE_PERIOD_DAYS[self.column_class]
        return timedelta(days=days) if days is not None else None

    def route(self, request: Any, path_components: list[str]) -> Any:
        """An item's published address (``item_address``: ``<yyyymm>/t<date>_<id>.html`` under its
        column) leads to the item, when Wagtail serves the site; anything else routes by slug."""
        match = ITEM_FILE_RE.match("/".join(path_components))
        if match is None:
            return super().route(request, path_components)
        item = LibraryItemPage.objects.child_of(self).filter(pk=int(match.group(1))).first()
        if item is None:
            raise Http404
        if item_address(item.url_path, item.publish_date, item.pk) != self.url_path + match.group(0):
            raise Http404  # the id with another date: not this item's address
        return item.specific.route(request, [])

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            LibraryItemPage.objects.child_of(self)
            .live()
            .order_by("-publish_date")
            .only("title", "url_path", "publish_date")[:50]
        )
        context["subcolumns"] = ColumnPage.objects.child_of(self).live()
        return context


class ArticlePage(LibraryItemPage):
    """An item of news or information: title, 发布日期, 来源, body, attachments and 公开目录 metadata."""

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"


class NoticePage(LibraryItemPage):
    """A 通知公告, optionally with a closing date after which it is marked 已截止."""

    deadline = models.DateField("截止日期", null=True, blank=True)

    content_panels = [*LibraryItemPage.content_panels, FieldPanel("deadline")]

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"


class TopicPage(Page):
    """A 专题: a themed section of a site with its own columns (47号: topics, not separate sites)."""

    intro = RichTextField("专题简介", features=RICH_TEXT_FEATURES, blank=True)
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="专题题图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("banner"),
        FieldPanel("responsible_unit"),
    ]
    parent_page_types = ["content.HomePage", "content.ColumnPage"]
    subpage_types = ["content.ColumnPage"]

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"


class ItemAttachment(Orderable):
    """A file attached to any library item page (attachments are checked like the body)."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="附件文件", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("附件名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.title or str(self.document)

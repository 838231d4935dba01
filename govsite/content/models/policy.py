"""Policy lifecycle: 政策文件 with validity states, 政策解读 linked to the document it interprets
(the reverse link is derived, never typed twice), 办事指南 with its 10 key elements, and the
政府信息公开目录 page of a site."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from govsite.content.models.library import LibraryItemPage


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"
    REVISED = "revised", "已修订"


class PolicyDocumentPage(LibraryItemPage):
    """A 政策文件 (规章, 行政规范性文件 …) with its validity and, once revised, its successor."""

    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    effective_from = models.DateField("施行日期", null=True, blank=True)
    validity_changed_on = models.DateField("失效/废止/修订日期", null=True, blank=True)
    successor = models.ForeignKey(
        "content.PolicyDocumentPage",
        verbose_name="修订后的文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    register_number = models.CharField(
        "统一编号", max_length=60, blank=True, help_text="行政规范性文件登记号"
    )

    content_panels = [
        *LibraryItemPage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("validity"),
                FieldPanel("effective_from"),
                FieldPanel("validity_changed_on"),
                FieldPanel("successor"),
                FieldPanel("register_number"),
            ],
            heading="有效性",
        ),
    ]

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.validity != Validity.VALID and self.validity_changed_on is None:
            errors["validity_changed_on"] = f"文件状态为“{self.get_validity_display()}”时须填写日期"
        if self.validity == Validity.REVISED and self.successor_id is None:
            errors["successor"] = "已修订的文件须指明修订后的文件"
        if self.successor_id is not None and self.successor_id == self.pk:
            errors["successor"] = "修订后的文件不能是本文件"
        if errors:
            raise ValidationError(errors)


class InterpretationPage(LibraryItemPage):
    """A 政策解读 of one 政策文件 (文字, 图解 or 视频)."""

    class Form(models.TextChoices):
        TEXT = "text", "文字解读"
        GRAPHIC = "graphic", "图解"
        VIDEO = "video", "视频解读"

    form = models.CharField("解读形式", max_length=10, choices=Form.choices, default=Form.TEXT)
    policy = models.ForeignKey(
        PolicyDocumentPage,
        verbose_name="所解读的政策文件",
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="图解图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="视频文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *LibraryItemPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("form"), FieldPanel("policy"), FieldPanel("image"), FieldPanel("video")],
            heading="解读",
        ),
    ]

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"

    def clean(self) -> None:
        super().clean()
        if self.form == self.Form.GRAPHIC and self.image_id is None:
            raise ValidationError({"image": "图解须上传图片"})
        if self.form == self.Form.VIDEO and self.video_id is None:
            raise ValidationError({"video": "视频解读须上传视频文件"})


SERVICE_GUIDE_ELEMENTS = [
    ("item_name", "事项名称"),
    ("legal_basis", "设定依据"),
    ("conditions", "受理条件"),
    ("materials", "申请材料"),
    ("process", "办理流程"),
    ("time_limit", "办理时限"),
    ("fees", "收费标准"),
    ("location", "办理地点"),
    ("consult_phone", "咨询电话"),
    ("complaint_phone", "监督电话"),
]


class ServiceGuidePage(LibraryItemPage):
    """A 办事指南 with the 10 key elements the 检查指标 test for (national-specs §1.3 row 6)."""

    item_name = models.CharField("事项名称", max_length=200)
    legal_basis = models.TextField("设定依据")
    conditions = models.TextField("受理条件")
    materials = models.TextField("申请材料")
    process = models.TextField("办理流程")
    time_limit = models.CharField("办理时限", max_length=100)
    fees = models.CharField("收费标准", max_length=200)
    location = models.CharField("办理地点", max_length=200)
    consult_phone = models.CharField("咨询电话", max_length=50)
    complaint_phone = models.CharField("监督电话", max_length=50)
    online_url = models.URLField("在线办理地址", blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel(name) for name, _ in SERVICE_GUIDE_ELEMENTS] + [FieldPanel("online_url")],
            heading="办事指南要素",
        ),
        FieldPanel("body"),
        *LibraryItemPage.metadata_panels,
    ]

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"

    def missing_elements(self) -> list[str]:
        return [label for name, label in SERVICE_GUIDE_ELEMENTS if not str(getattr(self, name) or "").strip()]


class DisclosureCatalogPage(Page):
    """A site's 政府信息公开目录: browse its library items by 主题分类, 体裁, 发布机构 and year."""

    intro = models.TextField("说明", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "政府信息公开目录"
        verbose_name_plural = "政府信息公开目录"

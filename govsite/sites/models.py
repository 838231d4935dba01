"""A government site on the platform: its identity, its place in the site tree and its Wagtail site.

Identity fields are validated on every save (``full_clean``), so no code path can store an invalid
网站标识码 or a domain another site already uses.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from govsite.core import colors, index_numbers, validators


class GovSite(models.Model):
    class Kind(models.TextChoices):
        PORTAL = "portal", "政府门户网站"
        COUNTY = "county", "县（区）政府门户网站"
        DEPARTMENT = "department", "部门网站"
        TOPIC = "topic", "专题网站"

    code = models.SlugField(
        "站点代号",
        max_length=40,
        unique=True,
        help_text="英文小写字母、数字和连字符，用于内部路径，如 portal、jyj",
    )
    name = models.CharField("网站名称", max_length=100)
    kind = models.CharField("网站类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级网站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    site_id_code = models.CharField(
        "网站标识码", max_length=10, unique=True, validators=[validators.validate_site_id_code]
    )
    sponsor = models.CharField("主办单位", max_length=100)
    sponsor_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name="主办单位（账号体系）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sites",
    )
    organizer = models.CharField("承办单位", max_length=100, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=40, validators=[validators.validate_icp_number])
    police_number = models.CharField(
        "公安机关备案号", max_length=40, validators=[validators.validate_police_number]
    )
    primary_domain = models.CharField(
        "主域名",
        max_length=200,
        unique=True,
        validators=[validators.validate_gov_domain],
        help_text="如 www.example.gov.cn；部门网站用门户域名的下级域名",
    )
    phone = models.CharField("联系电话", max_length=50, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=6, blank=True)
    org_code = models.CharField(
        "机构代码",
        max_length=18,
        blank=True,
        help_text="主办单位统一社会信用代码（或 9 位组织机构代码），用于生成索引号",
    )
    index_rule = models.CharField(
        "索引号规则",
        max_length=60,
        default="{机构代码}/{年}-{五位序号}",
        help_text="可用占位符：{机构代码} {年} {五位序号} {六位序号} {序号:N}",
    )
    wagtail_site = models.OneToOneField(
        "wagtailcore.Site", verbose_name="Wagtail 站点", on_delete=models.PROTECT, related_name="govsite"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    # Appearance of the published pages (publishing.variants); a change needs a full republish.
    theme_color = models.CharField(
        "主题色",
        max_length=7,
        default=colors.DEFAULT_THEME,
        validators=[colors.validate_theme_color],
        help_text="页头、导航和按钮的颜色，#rrggbb 格式；白色文字在其上的对比度须达到 4.5:1",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="网站标识（Logo）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="页头显示的网站标识图片，应含网站中文名称；不设置则显示网站名称文字",
    )
    mourning_from = models.DateField("哀悼日开始日期", null=True, blank=True)
    mourning_until = models.DateField(
        "哀悼日结束日期", null=True, blank=True, help_text="在此期间（含首尾两天）发布的页面以灰色显示"
    )
    mourning_includes_subsites = models.BooleanField(
        "下级网站同时变灰",
        default=False,
        help_text="勾选后，本网站的全部下级网站在哀悼日期间同样以灰色显示（在门户网站设置即对全站群生效）",
    )

    class Meta:
        verbose_name = "网站"
        verbose_name_plural = "网站"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(Lower("primary_domain"), name="sites_govsite_domain_ci_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def root_page(self) -> Any:
        return self.wagtail_site.root_page

    @property
    def police_record_code(self) -> str:
        return validators.police_record_code(self.police_number)

    def clean(self) -> None:
        self.primary_domain = validators.normalise_domain(self.primary_domain)
        errors: dict[str, str] = {}
        if self.primary_domain:
            clash = GovSite.objects.filter(primary_domain__iexact=self.primary_domain).exclude(pk=self.pk)
            if clash.exists():
                errors["primary_domain"] = f"主域名 {self.primary_domain} 已被网站“{clash.first()}”使用"
        if self.kind == self.Kind.PORTAL and self.parent_id is not None:
            errors["parent"] = "政府门户网站是站群的根，不能有上级网站"
        if self.kind != self.Kind.PORTAL and self.parent_id is None:
            errors["parent"] = "除政府门户网站外，每个网站都要指定上级网站"
        node = self.parent
        while node is not None and self.pk is not None:
            if node.pk == self.pk:
                errors["parent"] = "上级网站不能是本网站或其下级网站"
                break
            node = node.parent
        if self.org_code:
            try:
                index_numbers.validate_publisher_code(self.org_code)
            except ValueError as exc:
                errors["org_code"] = str(exc)
        try:
            index_numbers.validate_rule(self.index_rule)
        except ValueError as exc:
            errors["index_rule"] = str(exc)
        if self.theme_color:
            self.theme_color = self.theme_color.lower()
        if (self.mourning_from is None) != (self.mourning_until is None):
            errors["mourning_until"] = "哀悼日的开始日期和结束日期须同时填写"
        elif self.mourning_from and self.mourning_until and self.mourning_from > self.mourning_until:
            errors["mourning_until"] = "哀悼日的结束日期不能早于开始日期"
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude: Any = None) -> None:
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError(_chinese_unique_errors(exc)) from exc

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        super().save(*args, **kwargs)


_UNIQUE_MESSAGES = {
    "code": "站点代号已被其他网站使用",
    "site_id_code": "网站标识码已被其他网站使用",
    "primary_domain": "主域名已被其他网站使用",
    "wagtail_site": "该 Wagtail 站点已关联其他网站",
}


def _chinese_unique_errors(exc: ValidationError) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for field, errors in exc.message_dict.items():
        result[field] = [_UNIQUE_MESSAGES.get(field, message) for message in errors]
    return result

"""The deployment's own lists for the text checks (inspection-rules.md §7 T1, T3): protected terms (its
institutions, its leaders' names and titles with their terms of office, fixed expressions) and outdated
institution names. One deployment is one platform, so the lists are platform-wide and kept by the
系统管理员 (``govsite.checks.actions``); ``govsite.checks.deployment`` hands them to the engines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class ProtectedTerm(models.Model):
    class Kind(models.TextChoices):
        INSTITUTION = "机构名称", "机构名称"
        LEADER = "领导姓名职务", "领导姓名职务"
        EXPRESSION = "固定表述", "固定表述"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.INSTITUTION)
    term = models.CharField("词条", max_length=100, blank=True, help_text="机构名称或固定表述；领导无需填写")
    name = models.CharField("姓名", max_length=20, blank=True, help_text="仅领导姓名职务填写")
    title = models.CharField(
        "职务",
        max_length=100,
        blank=True,
        help_text="仅领导姓名职务填写；多个职务用“、”分隔，如：市长、市委副书记",
    )
    valid_from = models.DateField("起始日期", null=True, blank=True, help_text="留空表示不限")
    valid_until = models.DateField(
        "截止日期", null=True, blank=True, help_text="留空表示不限；领导离任后填写"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "保护词"
        verbose_name_plural = "保护词表"
        ordering = ["kind", "term", "name"]

    def __str__(self) -> str:
        if self.kind == self.Kind.LEADER:
            return f"{self.name}（{self.title}）"
        return self.term

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.term, self.name, self.title = self.term.strip(), self.name.strip(), self.title.strip()
        if self.kind == self.Kind.LEADER:
            if not self.name:
                errors["name"] = "领导姓名职务须填写姓名"
            if not self.title:
                errors["title"] = "领导姓名职务须填写职务"
        elif not self.term:
            errors["term"] = "请填写词条"
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "截止日期不能早于起始日期"
        if errors:
            raise ValidationError(errors)


class OutdatedName(models.Model):
    old_name = models.CharField("原名称", max_length=100)
    new_name = models.CharField("现名称", max_length=100)
    effective_date = models.DateField("更名日期", help_text="此日期之后发布的内容使用原名称将被标出")
    still_valid_as_brand = models.BooleanField(
        "原名称仍作牌子保留", default=False, help_text="如“国家海洋局”：保留牌子的原名称不标出"
    )
    source = models.CharField("依据", max_length=200, blank=True, help_text="机构改革方案或更名文件")

    class Meta:
        verbose_name = "过时机构名称"
        verbose_name_plural = "过时机构名称"
        ordering = ["-effective_date", "old_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_name", "effective_date"],
                name="checks_outdated_name_once_per_date",
                violation_error_message="该原名称在同一更名日期已有记录",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"

    def clean(self) -> None:
        self.old_name, self.new_name = self.old_name.strip(), self.new_name.strip()
        if self.old_name and self.old_name == self.new_name:
            raise ValidationError({"new_name": "现名称不能与原名称相同"})

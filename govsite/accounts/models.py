"""Units (单位), accounts and roles.

A role is a Django ``Group`` with a ``Role`` row saying which of the six kinds it is and, for the
site-scoped kinds, which site it applies to. Who may grant which role is decided in ``roles.py``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


class Unit(models.Model):
    """A 单位: a government office, department or institution; units form a tree."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        OFFICE = "office", "政府办公室"
        DEPARTMENT = "department", "政府部门"
        INSTITUTION = "institution", "事业单位"
        TOWNSHIP = "township", "乡镇街道"

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("单位类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="accounts_unit_unique_name")]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Unit]:
        """The chain from the top of the tree down to (not including) this unit."""
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def clean(self) -> None:
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})
            node = node.parent


class GovUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # DB-01: account names are unique regardless of case.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """One account per person (DB-05); every account belongs to a unit."""

    full_name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="members")
    post = models.CharField("职务/岗位", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    objects: ClassVar[GovUserManager] = GovUserManager()
    REQUIRED_FIELDS = ["full_name", "unit"]

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        constraints = [models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique")]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.first_name and self.full_name:
            self.first_name = self.full_name
        super().save(*args, **kwargs)


class Role(models.Model):
    """Marks a Group as one of govsite's roles; site roles carry the site they apply to, unit roles
    (信息员, 单位负责人) the unit."""

    class Kind(models.TextChoices):
        SYSTEM_ADMIN = "system_admin", "系统管理员"
        SECURITY_ADMIN = "security_admin", "安全管理员"
        AUDIT_ADMIN = "audit_admin", "审计管理员"
        SITE_ADMIN = "site_admin", "站点管理员"
        EDITOR = "editor", "信息员"
        REVIEWER = "reviewer", "审核人"
        UNIT_HEAD = "unit_head", "单位负责人"

    group = models.OneToOneField(Group, verbose_name="用户组", on_delete=models.CASCADE, related_name="role")
    kind = models.CharField("角色", max_length=20, choices=Kind.choices)
    site = models.ForeignKey(
        "sites.GovSite",
        verbose_name="适用站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="适用单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        help_text="单位角色：信息员在本单位负责的栏目中编写信息，单位负责人审批本单位栏目的信息",
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["kind", "site"], name="accounts_role_unique_kind_site"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(site__isnull=True, unit__isnull=True),
                name="accounts_role_unique_global_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit"],
                condition=models.Q(unit__isnull=False),
                name="accounts_role_unique_unit_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.group.name

    @property
    def is_site_role(self) -> bool:
        return self.kind in SITE_ROLE_KINDS


SEPARATED_ADMIN_KINDS = frozenset({Role.Kind.SYSTEM_ADMIN, Role.Kind.SECURITY_ADMIN, Role.Kind.AUDIT_ADMIN})
SITE_ROLE_KINDS = frozenset({Role.Kind.SITE_ADMIN, Role.Kind.EDITOR, Role.Kind.REVIEWER, Role.Kind.UNIT_HEAD})
# Roles held for a unit (``Role.unit``): rights on the columns the unit is responsible for.
UNIT_ROLE_KINDS = frozenset({Role.Kind.EDITOR, Role.Kind.UNIT_HEAD})


class InfoOfficerRecord(models.Model):
    """A row of the 信息员备案表 (seed 000 附件2): who collects and submits content for a unit."""

    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="info_officer_records"
    )
    post = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    duties = models.CharField("负责工作", max_length=200, blank=True)
    since = models.DateField("备案日期")
    account = models.ForeignKey(
        User,
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_records",
    )
    active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "信息员备案"
        verbose_name_plural = "信息员备案表"
        ordering = ["unit__sort_order", "unit_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name", "phone"], name="accounts_officer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"

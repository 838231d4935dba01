"""`govsite setup`: create or repair the platform-wide roles (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govsite.accounts.setup import ensure_platform_roles


class Command(BaseCommand):
    help = "创建或修复平台基础数据：系统管理员、安全管理员、审计管理员三个角色及其权限（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_platform_roles()
        self.stdout.write("平台角色已就绪：" + "、".join(g.name for g in groups.values()))

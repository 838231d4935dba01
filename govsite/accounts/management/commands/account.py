"""`govsite account`: server-side account operations that the web admin deliberately cannot do:
creating the first accounts, granting the three separated admin roles, and superuser status."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.accounts import actions
from govsite.accounts.models import Role, Unit, User
from govsite.accounts.setup import ensure_platform_roles

ADMIN_ROLES = {
    "system": Role.Kind.SYSTEM_ADMIN,
    "security": Role.Kind.SECURITY_ADMIN,
    "audit": Role.Kind.AUDIT_ADMIN,
}


class Command(BaseCommand):
    help = "账号管理（服务器命令行专用）：create 新建账号，grant 授予三员角色，superuser 设置超级用户"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        create = sub.add_parser("create", help="新建账号")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="姓名")
        create.add_argument("--unit", required=True, help="所属单位名称（不存在时新建）")
        create.add_argument("--role", choices=sorted(ADMIN_ROLES), help="同时授予的三员角色")
        create.add_argument("--password", help="密码；缺省时交互输入")
        grant = sub.add_parser("grant", help="授予三员角色")
        grant.add_argument("username")
        grant.add_argument("role", choices=sorted(ADMIN_ROLES))
        su = sub.add_parser("superuser", help="设置或取消超级用户")
        su.add_argument("username")
        su.add_argument("--off", action="store_true", help="取消超级用户")

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_platform_roles()
        try:
            if options["op"] == "create":
                password = options["password"] or getpass.getpass("密码：")
                unit = Unit.objects.filter(name=options["unit"]).first() or actions.create_unit(
                    None, name=options["unit"]
                )
                role_groups = [groups[ADMIN_ROLES[options["role"]]]] if options["role"] else []
                user = actions.create_account(
                    None,
                    username=options["username"],
                    full_name=options["name"],
                    unit=unit,
                    password=password,
                    groups=role_groups,
                )
                self.stdout.write(f"已新建账号 {user}")
                return
            user = User.objects.get_by_natural_key(options["username"])
            if options["op"] == "grant":
                actions.grant_role(None, user, groups[ADMIN_ROLES[options["role"]]])
                self.stdout.write(f"已授予 {user} 角色：{groups[ADMIN_ROLES[options['role']]].name}")
            else:
                actions.set_superuser(None, user, not options["off"])
                self.stdout.write(f"{user} 超级用户：{'否' if options['off'] else '是'}")
        except User.DoesNotExist as exc:
            raise CommandError(f"账号 {options['username']} 不存在") from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

"""`govsite site`: list sites and create a site from the server's command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.sites.actions import create_site
from govsite.sites.models import GovSite


class Command(BaseCommand):
    help = "站点管理：list 列出网站，create 新建网站"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("list", help="列出全部网站")
        create = sub.add_parser("create", help="新建网站")
        create.add_argument("code", help="站点代号（英文小写、数字、连字符）")
        create.add_argument("--name", required=True, help="网站名称")
        create.add_argument("--kind", required=True, choices=[k.value for k in GovSite.Kind], help="网站类型")
        create.add_argument("--parent", help="上级网站代号")
        create.add_argument("--site-id-code", required=True, help="网站标识码")
        create.add_argument("--sponsor", required=True, help="主办单位")
        create.add_argument("--icp", required=True, help="ICP备案号")
        create.add_argument("--police", required=True, help="公安机关备案号")
        create.add_argument("--domain", required=True, help="主域名")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["op"] == "list":
            for site in GovSite.objects.select_related("parent"):
                note = f"（上级：{site.parent.name}）" if site.parent else ""
                self.stdout.write(
                    f"{site.code:<12}{site.site_id_code}  {site.primary_domain:<28}{site.name}{note}"
                )
            return
        parent: GovSite | None = None
        if options["parent"]:
            parent = GovSite.objects.filter(code=options["parent"]).first()
            if parent is None:
                raise CommandError(f"上级网站 {options['parent']} 不存在")
        try:
            site = create_site(
                None,
                code=options["code"],
                name=options["name"],
                kind=options["kind"],
                parent=parent,
                site_id_code=options["site_id_code"],
                sponsor=options["sponsor"],
                icp_number=options["icp"],
                police_number=options["police"],
                primary_domain=options["domain"],
            )
        except ValidationError as exc:
            raise CommandError("网站未创建：\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(f"已新建网站 {site.name}（{site.primary_domain}）")

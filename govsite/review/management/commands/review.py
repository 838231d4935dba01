"""`govsite review install-workflows [--dry-run]`: give every site that has no 分级审核 steps yet (sites
made before the review app) the default workflow: 信息员 → 科室审核人（保密审查）→ 单位负责人.

A thin shell over ``review.actions.install_missing_workflows``; every change writes its audit row.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govsite.review.actions import install_missing_workflows


class Command(BaseCommand):
    help = "分级审核：install-workflows 为尚未设置分级审核的网站安装默认审核流程"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        install = sub.add_parser(
            "install-workflows",
            help="为尚未设置分级审核的网站安装默认审核流程（科室审核含保密审查 → 单位负责人）",
        )
        install.add_argument("--dry-run", action="store_true", help="只列出将要修改的网站，不写入数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        sites = install_missing_workflows(None, dry_run=dry_run)
        if not sites:
            self.stdout.write("所有网站均已使用分级审核流程，无需修改。")
            return
        verb = "将安装" if dry_run else "已安装"
        for site in sites:
            self.stdout.write(f"{verb}默认审核流程：{site.name}（{site.code}）")
        if dry_run:
            self.stdout.write(f"演练模式，未写入数据库。共 {len(sites)} 个网站。")
        else:
            self.stdout.write(f"共 {len(sites)} 个网站。")

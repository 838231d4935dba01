"""`govsite responsibility`: export and import the 责任分解表 (or, with ``--officers``, the 信息员备案表).

A thin shell over ``govsite.content.responsibility``, run as the server operator (actor None). An
import with errors prints each as "第 N 行「列名」：原因", imports nothing and exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.content import responsibility as resp


class Command(BaseCommand):
    help = "栏目责任分解表：export 导出、import 导入（--officers 为信息员备案表）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True, metavar="{export,import}", title="子命令")
        export = sub.add_parser("export", help="导出为 XLSX 文件")
        export.add_argument("file", help="要写入的 .xlsx 文件")
        export.add_argument("--officers", action="store_true", help="导出信息员备案表（默认导出责任分解表）")
        imp = sub.add_parser("import", help="从 XLSX 文件导入；任何一行有错误时不导入")
        imp.add_argument("file", help="要读取的 .xlsx 文件")
        imp.add_argument("--officers", action="store_true", help="导入信息员备案表（默认导入责任分解表）")
        imp.add_argument("--dry-run", action="store_true", help="只校验，不导入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        officers = options["officers"]
        table = resp.OFFICER_SHEET if officers else resp.SHEET
        if options["op"] == "export":
            count = (resp.export_officers if officers else resp.export_responsibility)(None, path)
            self.stdout.write(f"已导出{table} {count} 行到 {path}")
            return
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        importer = resp.import_officers if officers else resp.import_responsibility
        try:
            summary = importer(None, path, dry_run=options["dry_run"])
        except resp.ResponsibilityImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{table}有 {len(exc.errors)} 处错误，没有导入任何数据", returncode=1) from exc
        for item in summary.items:
            self.stdout.write(f"  {item}")
        created = f"新增 {summary.created} 条，" if officers else ""
        counts = f"{created}修改 {summary.changed} 条，{summary.unchanged} 条没有变化"
        if summary.dry_run:
            self.stdout.write(f"校验通过（未导入）：导入后将{counts}")
        else:
            self.stdout.write(f"已导入{table}：{counts}")

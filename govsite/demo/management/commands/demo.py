"""`govsite demo`: builds the demo 站群 (a thin shell over ``govsite.demo.build.build_demo``) and prints
where to find it and how to log in."""

from __future__ import annotations

import time
from datetime import date
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from govsite.demo.build import DEFAULT_ARTICLES, DEFAULT_SEED, ITEM_LABELS, DemoResult, build_demo

CREATED_LABELS = {"units": "单位", "sites": "网站", "accounts": "账号", "columns": "栏目", "articles": "文章"}


class RichReporter:
    """Shows build stages as lines and the article insertion as a progress bar."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def stage(self, text: str) -> None:
        self.console.print(f"[dim]· {text}[/dim]")

    def start_articles(self, total: int) -> None:
        if total == 0:
            return
        self.progress = Progress(
            TextColumn("[bold]写入文章"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("articles", total=total)

    def advance(self, step: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task, step)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _anchor(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--anchor 应为日期，如 2026-03-01，收到：{value}") from exc


class Command(BaseCommand):
    help = (
        "生成演示站群：市门户、两个县门户、三个部门网站及其单位、栏目、账号和文章（可重复执行，只补缺失部分）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--articles", type=int, default=DEFAULT_ARTICLES, help=f"文章篇数，缺省 {DEFAULT_ARTICLES}"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，缺省 {DEFAULT_SEED}")
        parser.add_argument(
            "--anchor", default=None, help="基准日期（YYYY-MM-DD），文章发布日期分布在此前两年内；缺省为今天"
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计将要创建的内容，不写入数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["articles"] < 0:
            raise CommandError("--articles 不能为负数")
        # Rich writes partial lines (the live progress bar); Django's wrapper would end each with "\n".
        self.stdout.ending = ""
        console = Console(file=cast(IO[str], self.stdout), highlight=False)
        if not console.is_terminal:
            # Piped or captured output: rich would assume 80 columns and cut the URLs.
            console.width = 120
        reporter = RichReporter(console)
        started = time.perf_counter()
        try:
            result = build_demo(
                articles=options["articles"],
                seed=options["seed"],
                anchor=_anchor(options["anchor"]),
                dry_run=options["dry_run"],
                reporter=reporter,
            )
        finally:
            reporter.finish()
        self._report(console, result, time.perf_counter() - started, options["dry_run"])

    def _report(self, console: Console, result: DemoResult, seconds: float, dry_run: bool) -> None:
        counts = "、".join(
            [f"{CREATED_LABELS[k]} {v}" for k, v in result.created.items() if v]
            + [f"{ITEM_LABELS[k]} {v}" for k, v in result.created_items.items() if v]
        )
        if dry_run:
            planned = counts or "无（演示数据已齐全）"
            console.print(f"[yellow]演练模式，未写入数据库。[/yellow]将创建：{planned}", soft_wrap=True)
        elif result.created_anything:
            console.print(
                f"[green]演示站群已生成[/green]（{seconds:.1f} 秒）：新建 {counts}。", soft_wrap=True
            )
        else:
            console.print("演示站群已存在，本次未做任何修改。")
        console.print(f"随机种子 {result.seed}，基准日期 {result.anchor.isoformat()}。")

        sites = Table(title="演示网站", title_justify="left")
        for column in ("网站名称", "类型", "地址"):
            sites.add_column(column)
        sites.add_row("后台管理", "—", result.admin_url)
        for site in result.sites:
            sites.add_row(site.name, site.kind, site.url)
            if site.is_default:
                sites.add_row(f"{site.name}（默认站点）", site.kind, result.base_url + "/")
        console.print(sites)

        logins = Table(title="登录账号（演示密码，请勿用于生产环境）", title_justify="left")
        for column in ("账号", "姓名", "角色", "适用站点", "密码"):
            logins.add_column(column)
        for login in result.logins:
            logins.add_row(login.username, login.full_name, login.role, login.site, login.password)
        console.print(logins)

"""`govsite publish`: operate the published static sites — list releases, roll back, verify against the
manifest (and restore), print the nginx configuration.

A thin shell over ``govsite.publishing.releases``, ``verify`` and ``nginx``. Each sub-command is one
handler in ``HANDLERS``, so adding a sub-command is a parser entry and a function. ``verify`` exits with
status 1 when it finds a difference, so cron or monitoring can alert on it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from govsite.publishing.nginx import DEFAULT_DYNAMIC_PREFIXES, DEFAULT_UPSTREAM, NginxSite, nginx_config
from govsite.publishing.releases import ReleaseStore
from govsite.publishing.verify import VerifyReport, verify_site
from govsite.sites.models import GovSite

Handler = Callable[["Command", Console, dict[str, Any]], None]
STAT_COLUMNS = (("files", "文件数"), ("written", "写入"), ("linked", "硬链接"), ("shared_dirs", "共享目录"))


def publish_root() -> Path:
    """Where the static sites are published: ``settings.PUBLISH_ROOT``, else ``<DATA_DIR>/public``."""
    return Path(getattr(settings, "PUBLISH_ROOT", Path(settings.DATA_DIR) / "public"))


def _store(options: dict[str, Any], code: str) -> ReleaseStore:
    return ReleaseStore(options["root"], code, keep=getattr(settings, "PUBLISH_KEEP", 5))


def _site_codes(options: dict[str, Any], *, all_when_omitted: bool) -> list[str]:
    code = options["site"]
    if code is not None:
        if not GovSite.objects.filter(code=code).exists():
            raise CommandError(f"没有代号为 {code} 的网站")
        return [code]
    if not all_when_omitted:
        raise CommandError("请用 --site 指定网站代号")
    return list(GovSite.objects.values_list("code", flat=True))


def handle_releases(command: Command, console: Console, options: dict[str, Any]) -> None:
    for code in _site_codes(options, all_when_omitted=True):
        store = _store(options, code)
        current_id = store.current_id()
        releases = store.releases()
        if not releases:
            console.print(f"站点 {code}：尚未发布。")
            continue
        # The title is printed on its own: a table title wraps at the table's width.
        console.print(f"站点 {code} 的发布版本（{store.site_dir}）", soft_wrap=True)
        table = Table()
        table.add_column("版本号")
        table.add_column("创建时间（UTC）")
        for _, label in STAT_COLUMNS:
            table.add_column(label, justify="right")
        table.add_column("方式")
        table.add_column("状态")
        for release in releases:
            stats = release.stats.as_dict()
            table.add_row(
                release.id,
                release.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                *(str(stats[name]) for name, _ in STAT_COLUMNS),
                "全量" if release.full else "增量",
                "[green]当前[/green]" if release.id == current_id else "",
            )
        console.print(table)


def handle_rollback(command: Command, console: Console, options: dict[str, Any]) -> None:
    from govsite.publishing.actions import rollback_site

    (code,) = _site_codes(options, all_when_omitted=False)
    store = _store(options, code)
    current_id = store.current_id()
    if options["dry_run"]:
        older = [i for i in store.release_ids() if current_id is not None and i < current_id]
        if not older:
            raise CommandError(f"站点 {code} 没有可回退的发布版本")
        console.print(f"演练模式，未做修改：站点 {code} 将从 {current_id} 回退到 {older[0]}。")
        return
    try:
        release = rollback_site(GovSite.objects.get(code=code), store=store)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    console.print(
        f"[green]站点 {code} 已从 {current_id} 回退到 {release.id}[/green]（{len(release.manifest)} 个文件）。"
    )


def _print_report(console: Console, report: VerifyReport) -> None:
    style = "yellow" if report.has_differences else "green"
    console.print(f"[{style}]{report.summary()}[/{style}]", soft_wrap=True)
    if not report.has_differences:
        return
    restored = set(report.restored)
    table = Table(show_header=True)
    table.add_column("文件")
    table.add_column("问题")
    table.add_column("处理")
    for label, paths in (("被篡改", report.modified), ("多出", report.added), ("缺失", report.missing)):
        for path in paths:
            action = "已恢复" if path in restored else ("无法恢复" if path in report.unrestorable else "")
            table.add_row(path, label, action)
    console.print(table)


def handle_verify(command: Command, console: Console, options: dict[str, Any]) -> None:
    differences = False
    for code in _site_codes(options, all_when_omitted=True):
        with console.status(f"正在校验站点 {code}…"):
            report = verify_site(options["root"], code, restore=options["restore"])
        _print_report(console, report)
        differences = differences or report.has_differences
    if differences:
        if not options["restore"]:
            console.print("可加 --restore 按发布清单恢复。")
        # Exit status 1 without Django's English "CommandError:" prefix; call_command raises SystemExit.
        sys.exit(1)


def handle_nginx_config(command: Command, console: Console, options: dict[str, Any]) -> None:
    codes = _site_codes(options, all_when_omitted=True)
    sites = [
        NginxSite(code=code, domain=domain)
        for code, domain in GovSite.objects.filter(code__in=codes).values_list("code", "primary_domain")
    ]
    try:
        text = nginx_config(
            sites,
            root=Path(options["root"]).resolve(),
            admin_prefix="/" + settings.ADMIN_URL.strip("/") + "/",
            dynamic_prefixes=options["dynamic"] or DEFAULT_DYNAMIC_PREFIXES,
            upstream=options["upstream"],
            listen=options["listen"],
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    # Plain text, not rich markup: the output is meant to be redirected into a file.
    command.stdout.write(text)


def handle_run(command: Command, console: Console, options: dict[str, Any]) -> None:
    from govsite.publishing import actions
    from govsite.publishing.models import PublishRun

    codes = _site_codes(options, all_when_omitted=True)
    sites = list(GovSite.objects.filter(code__in=codes).order_by("sort_order", "pk"))
    pages = options["page"] or None
    if options["dry_run"]:
        what = f"页面 {', '.join(map(str, pages))} 影响的文件" if pages else "全部文件"
        console.print(f"演练模式，未做修改：将发布 {len(sites)} 个网站的{what}。")
        return
    table = Table(title="发布结果", title_justify="left")
    for column in ("网站", "方式", "版本", "生成", "写入", "删除", "耗时（秒）"):
        table.add_column(
            column, justify="right" if column in ("生成", "写入", "删除", "耗时（秒）") else "left"
        )
    names = {site.code: site.name for site in sites}
    if pages:
        summaries = [
            actions.summary(actions.publish_site(site, page_ids=pages, reason="命令行发布")) for site in sites
        ]
    else:
        with console.status(f"正在发布 {len(sites)} 个网站…"):
            summaries = actions.publish_sites(
                sites, workers=options["workers"], force=options["force"], reason="命令行发布"
            )
    kinds = dict(PublishRun.Kind.choices)
    for row in summaries:
        table.add_row(
            names[row["site"]],
            str(kinds[row["kind"]]),
            row["release"],
            str(row["rendered"]),
            str(row["written"]),
            str(row["removed"]),
            f"{row['seconds']:.2f}",
        )
    console.print(table)
    console.print(f"发布目录：{options['root']}")


def handle_status(command: Command, console: Console, options: dict[str, Any]) -> None:
    from govsite.publishing.models import PublishRun

    runs = PublishRun.objects.select_related("site").order_by("-started_at", "-id")
    if options["site"] is not None:
        runs = runs.filter(site__code=_site_codes(options, all_when_omitted=False)[0])
    table = Table(title="最近的发布记录", title_justify="left")
    for column in ("开始时间", "网站", "方式", "状态", "版本", "生成", "写入", "删除", "错误"):
        table.add_column(column)
    for run in runs[: options["limit"]]:
        table.add_row(
            run.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            run.site.name,
            run.get_kind_display(),
            run.get_status_display(),
            run.release,
            str(run.rendered),
            str(run.written),
            str(run.removed),
            run.error[:60],
        )
    console.print(table)


HANDLERS: dict[str, Handler] = {
    "run": handle_run,
    "status": handle_status,
    "releases": handle_releases,
    "rollback": handle_rollback,
    "verify": handle_verify,
    "nginx-config": handle_nginx_config,
}


class Command(BaseCommand):
    help = (
        "静态发布：run 发布，status 发布记录，releases 列出发布版本，rollback 回退，"
        "verify 防篡改校验，nginx-config 生成 nginx 配置"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def add(name: str, text: str) -> CommandParser:
            child = cast(CommandParser, sub.add_parser(name, help=text, description=text))
            child.add_argument(
                "--site", help="网站代号；缺省为全部网站" if name != "rollback" else "网站代号"
            )
            child.add_argument("--root", type=Path, default=None, help="发布目录，缺省为 PUBLISH_ROOT")
            return child

        run = add("run", "发布网站：缺省全量发布全部网站；--page 只重新生成这些页面影响的文件")
        run.add_argument("--page", type=int, action="append", metavar="ID", help="页面编号，可重复")
        run.add_argument("--dry-run", action="store_true", help="只显示将发布什么")
        run.add_argument("--force", action="store_true", help="全部重新生成（缺省只生成内容有变化的页面）")
        run.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="并行发布的进程数，缺省为处理器核数"
        )
        status = add("status", "列出最近的发布记录")
        status.add_argument("--limit", type=int, default=20, help="条数，缺省 20")
        add("releases", "列出各网站的发布版本")
        rollback = add("rollback", "把网站回退到上一个发布版本（可再次执行继续回退）")
        rollback.add_argument("--dry-run", action="store_true", help="只显示将回退到哪个版本")
        verify = add("verify", "按发布清单校验线上文件，报告被篡改、多出和缺失的文件；有差异时退出码为 1")
        verify.add_argument("--restore", action="store_true", help="按发布清单恢复原始文件并删除多出的文件")
        nginx = add("nginx-config", "生成每个网站的 nginx server 配置（输出到标准输出）")
        nginx.add_argument(
            "--dynamic",
            action="append",
            metavar="PREFIX",
            help=f"转发给应用的动态接口路径，可重复；缺省 {' '.join(DEFAULT_DYNAMIC_PREFIXES)}",
        )
        nginx.add_argument("--upstream", default=DEFAULT_UPSTREAM, help=f"应用地址，缺省 {DEFAULT_UPSTREAM}")
        nginx.add_argument("--listen", default="80", help="listen 参数，缺省 80")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["root"] is None:
            options["root"] = publish_root()
        self.stdout.ending = ""
        console = Console(file=cast(IO[str], self.stdout), highlight=False)
        if not console.is_terminal:
            console.width = 200  # piped: long paths in titles must not wrap
        HANDLERS[options["action"]](self, console, options)

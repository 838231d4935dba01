"""Benchmark of the static publisher on a generated site group, printing one JSON object.

    .venv/bin/python bench/publish_site.py [--pages 100000] [--sites 10] [--columns 50] [--workers 2]
                                           [--edits 5] [--no-hugo]

Builds (once, cached under var/ by size) a SQLite database with ``--sites`` sites of ``--columns``
columns and ``--pages`` article pages in all, then measures on a fresh publish directory:

- full publish of every site, context loading included, with ``--workers`` processes: HTML pages/s
  (every article, list, home and other page, and the 繁體 copy of each — a page of its own at its own
  address) and, apart, the simplified pages/s; every file (feeds, sitemaps, assets) is in ``files``;
- one article edited and republished, as the publishing task runs it (``publish_pages``): the first
  edit in the process (templates compiled, dictionaries loaded) and then ``--edits`` edits of other
  articles in other columns and sites: milliseconds from the task start to the swap (the issue's
  measure) and to the task's end (old releases pruned, records committed), files rendered;
- a whole-group republish with nothing changed (after one that settles what the edits left): targets
  decided per second, files rendered and written (0);
- peak memory (max RSS) of the parent and of the publishing worker processes;
- Hugo (Debian's ``hugo``; ``make bench`` installs it) on the same article and list pages, with
  templates of the same elements (meta tags, navigation, breadcrumb, body, footer; 20 to a list page):
  its pages/s and our ratio. Hugo writes no 繁體 copies, so the ratio compares the simplified pages/s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(data_dir: Path) -> None:
    os.environ["GOVSITE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
    import django

    django.setup()


def _build(args: argparse.Namespace) -> None:
    """Sites, columns (real actions) and articles (raw bulk insert: 100k Wagtail saves take minutes)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from govsite.accounts.actions import create_unit
    from govsite.accounts.models import Unit
    from govsite.content.actions import create_column
    from govsite.content.models import ArticlePage, LibraryItemPage
    from govsite.sites.actions import create_site
    from govsite.sites.models import GovSite

    call_command("migrate", verbosity=0)
    call_command("setup", verbosity=0, stdout=io.StringIO())
    per_column = args.pages // (args.sites * args.columns)
    locale = Locale.get_default()
    article_type = ContentType.objects.get_for_model(ArticlePage).pk
    started = timezone.now()
    with transaction.atomic():
        unit = create_unit(None, name="基准测试单位", short_name="基准", kind=Unit.Kind.DEPARTMENT)
        first: GovSite | None = None
        for s in range(args.sites):
            site = create_site(
                None,
                code=f"b{s:02d}",
                name=f"基准网站{s:02d}",
                kind=GovSite.Kind.PORTAL if s == 0 else GovSite.Kind.DEPARTMENT,
                parent=None if s == 0 else first,
                site_id_code=f"99{s:08d}",
                sponsor="基准测试主办单位",
                sponsor_unit=unit,
                icp_number="京ICP备00000000号",
                police_number="京公网安备11000000000000号",
                primary_domain=f"b{s:02d}.bench.gov.cn",
            )
            first = first or site
            for c in range(args.columns):
                column = create_column(
                    None,
                    site.root_page,
                    title=f"栏目{c:02d}",
                    column_class="dynamic",
                    responsible_unit=unit,
                    slug=f"c{c:02d}",
                )
                pages = []
                for n in range(per_column):
                    when = started - timezone.timedelta(hours=n * 7 + c)
                    page = ArticlePage(
                        title=f"基准网站{s:02d}栏目{c:02d}的第{n}篇文章：关于做好相关工作的通知",
                        slug=f"a{n:05d}",
                        body="<p>"
                        + "为深入贯彻落实上级决策部署，进一步做好相关工作，现将有关事项通知如下。" * 12
                        + "</p>",
                        source="基准测试单位",
                        publish_date=when,
                        first_published_at=when,
                        last_published_at=when,
                        live=True,
                        has_unpublished_changes=False,
                        depth=column.depth + 1,
                        path=Page._get_path(column.path, column.depth + 1, n + 1),
                        url_path=f"{column.url_path}a{n:05d}/",
                        draft_title="",
                        locale=locale,
                        numchild=0,
                    )
                    page.draft_title = page.title
                    page.content_type_id = article_type
                    pages.append(page)
                _raw_insert(connection, pages, (Page, LibraryItemPage, ArticlePage))
                Page.objects.filter(pk=column.pk).update(numchild=per_column)


def _raw_insert(connection: Any, pages: list[Any], chain: tuple[type[Any], ...]) -> None:
    """INSERT the rows of a multi-table page model: base rows first, then each child table."""
    with connection.cursor() as cursor:
        for model in chain:
            fields = [
                f for f in model._meta.local_concrete_fields if not (f.primary_key and model is chain[0])
            ]
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            sql = (
                f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from model metadata, values bound
            )
            rows = [[f.get_db_prep_save(f.pre_save(p, True), connection) for f in fields] for p in pages]
            cursor.executemany(sql, rows)
            if model is chain[0]:
                ids = dict(model.objects.filter(path__in=[p.path for p in pages]).values_list("path", "id"))
                for p in pages:
                    p.pk = p.id = p.page_ptr_id = ids[p.path]
                    p.libraryitempage_ptr_id = ids[p.path]


def _publish_all(workers: int) -> dict[str, Any]:
    from govsite.publishing.actions import publish_sites
    from govsite.publishing.models import RenderedTarget

    started = time.perf_counter()
    results = publish_sites(None, workers=workers, reason="基准测试")
    seconds = time.perf_counter() - started
    files = sum(r["rendered"] for r in results)
    written = sum(r["written"] for r in results)
    targets = RenderedTarget.objects.count()  # every page, list and site file, decided (rendered or not)
    return {
        "seconds": round(seconds, 2),
        "files": files,
        "written": written,
        "targets": targets,
        "targets_decided_per_s": round(targets / seconds),
    }


def _count_pages(root: Path) -> tuple[int, int]:
    """(HTML pages, of which 繁體 copies) in the live trees under ``root``."""
    html = traditional = 0
    for site in root.iterdir():
        for directory, _, names in os.walk(site / "current", followlinks=True):
            found = sum(1 for n in names if n.endswith(".html"))
            html += found
            if "/zh-hant" in directory:
                traditional += found
    return html, traditional


def _edit_and_publish(article: Any) -> dict[str, Any]:
    from govsite.publishing.actions import publish_pages

    article.title += "（修订）"
    article.save_revision().publish()
    started = time.perf_counter()
    results = publish_pages([article.pk], reason="基准测试")
    ms = (time.perf_counter() - started) * 1000
    # The measure: from the task start to the switch of ``current`` of the last site it
    # published, which is the task's time less what that site's publish did after its switch (pruning
    # old releases, the run's row and audit, the database commit).
    last = results[-1] if results else None
    after_swap = (last.seconds - last.to_swap) * 1000 if last and last.to_swap is not None else None
    return {
        "ms": round(ms, 1),
        "ms_to_swap": round(ms - after_swap, 1) if after_swap is not None else None,
        "rendered": sum(r.run.rendered for r in results),
        "written": sum(r.run.written for r in results),
    }


def _hugo(args: argparse.Namespace, cache: Path) -> dict[str, Any]:
    """Hugo on the same article and list pages (generated once into ``cache``/hugo)."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return {"note": "hugo 未安装（make bench 会安装 Debian 的 hugo）"}
    # Both calls run the hugo binary found on PATH with arguments from this script.
    version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)  # noqa: S603
    site = cache / "hugo"
    if not (site / ".complete").exists():
        shutil.rmtree(site, ignore_errors=True)
        _write_hugo_site(site, args)
    shutil.rmtree(site / "public", ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [hugo, "--source", str(site), "--quiet"], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"version": version.stdout.strip(), "error": done.stderr[-2000:]}
    pages = sum(1 for _, _, names in os.walk(site / "public") for name in names if name.endswith(".html"))
    shutil.rmtree(site / "public", ignore_errors=True)
    return {
        "version": version.stdout.strip(),
        "seconds": round(seconds, 2),
        "pages": pages,
        "pages_per_s": round(pages / seconds),
    }


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}_{{ .Site.Title }}</title>
<meta name="SiteName" content="{{ .Site.Title }}">
<meta name="SiteDomain" content="bench.gov.cn">
<meta name="SiteIDCode" content="9900000000">
{{ block "meta" . }}{{ end }}
<link rel="stylesheet" href="/static/govsite.css">
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header class="site-header"><div class="wrap"><a class="site-name" href="/">{{ .Site.Title }}</a></div></header>
<nav class="site-nav" aria-label="栏目导航"><div class="wrap"><a href="/">首页</a>{{ range .Site.Params.columns }}<a href="/{{ . }}/">栏目{{ . }}</a>{{ end }}</div></nav>
<main id="main" class="wrap">
<p class="crumb">当前位置：<a href="/">首页</a>{{ with .Parent }} &gt; <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} &gt; {{ .Title }}</p>
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap"><p>主办单位：基准测试主办单位　网站标识码：9900000000</p><p>京ICP备00000000号　京公网安备11000000000000号</p></div></footer>
</body>
</html>
"""
HUGO_SINGLE = """{{ define "meta" }}<meta name="ColumnName" content="{{ .Parent.Title }}">
<meta name="ArticleTitle" content="{{ .Title }}">
<meta name="PubDate" content="{{ .Date.Format "2006-01-02 15:04" }}">
<meta name="ContentSource" content="{{ .Params.source }}">{{ end }}
{{ define "main" }}<article><h1 class="item-title">{{ .Title }}</h1>
<p class="meta">发布日期：<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>　来源：{{ .Params.source }}</p>
<div class="body">{{ .Content }}</div></article>{{ end }}
"""
HUGO_LIST = """{{ define "meta" }}<meta name="ColumnName" content="{{ .Title }}">{{ end }}
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}<ul class="list">{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ if gt $pager.TotalPages 1 }}<nav class="pager" aria-label="分页">共 {{ $pager.TotalNumberOfElements }} 条，第 {{ $pager.PageNumber }}/{{ $pager.TotalPages }} 页
{{ with $pager.Prev }}<a href="{{ .URL }}" rel="prev">上一页</a>{{ end }}{{ with $pager.Next }}<a href="{{ .URL }}" rel="next">下一页</a>{{ end }}</nav>{{ end }}{{ end }}
"""


def _write_hugo_site(site: Path, args: argparse.Namespace) -> None:
    """One Hugo project per bench site would start Hugo ten times; one project whose sections are the
    sites' columns renders the same pages (articles, paginated lists, a home, feeds, a sitemap)."""
    per_column = args.pages // (args.sites * args.columns)
    columns = [f"s{s:02d}c{c:02d}" for s in range(args.sites) for c in range(args.columns)]
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "baseof.html").write_text(HUGO_BASEOF)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    nav = ", ".join(f'"{c}"' for c in columns[: args.columns])
    (site / "config.toml").write_text(
        'baseURL = "https://bench.gov.cn/"\nlanguageCode = "zh-CN"\ntitle = "基准网站"\npaginate = 20\n'
        'disableKinds = ["taxonomy", "term"]\n'
        f"[params]\ncolumns = [{nav}]\n"
    )
    body = "<p>" + "为深入贯彻落实上级决策部署，进一步做好相关工作，现将有关事项通知如下。" * 12 + "</p>"
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for column in columns:
        folder = site / "content" / column
        folder.mkdir(parents=True)
        (folder / "_index.html").write_text(f'---\ntitle: "栏目{column}"\n---\n')
        for n in range(per_column):
            when = (start - timedelta(hours=n * 7)).isoformat()
            (folder / f"a{n:05d}.html").write_text(
                f'---\ntitle: "{column}的第{n}篇文章：关于做好相关工作的通知"\ndate: {when}\n'
                f'source: "基准测试单位"\n---\n{body}\n'
            )
    (site / ".complete").write_text("")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--columns", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args()
    # Under the project's var/ (ignored by git): the generated database is reused by later runs.
    cache = ROOT / "var" / f"bench-{args.pages}-{args.sites}-{args.columns}"
    fresh = not (cache / "govsite.sqlite3").exists()
    if fresh:
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
    _setup(cache)
    from django.conf import settings

    settings.PUBLISH_ON_CHANGE = False
    build_seconds = 0.0
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if fresh:
        started = time.perf_counter()
        _build(args)
        build_seconds = time.perf_counter() - started
    # A fresh output directory, and the previous runs' trees deleted only at the end: on this machine's
    # ext4 (no journal) creating files is up to 20× slower for minutes after a large deletion, which
    # would be measured instead of the publisher.
    old_trees = [p for p in cache.glob("public*") if p.is_dir()]
    settings.PUBLISH_ROOT = cache / f"public-{os.getpid()}"

    from govsite.content.models import ArticlePage

    full = _publish_all(args.workers)
    html, traditional = _count_pages(Path(settings.PUBLISH_ROOT))
    full["html_pages"] = html
    full["html_pages_per_s"] = round(html / full["seconds"])
    full["simplified_pages"] = html - traditional
    full["simplified_pages_per_s"] = round((html - traditional) / full["seconds"])
    # Edits: the 4th newest article of a column (on the first list page and in the feed), each time in
    # another column of another site.
    picks = [
        (f"/b{n % args.sites:02d}/", f"/c{(7 + 3 * n) % args.columns:02d}/") for n in range(args.edits + 1)
    ]
    edits = []
    for site_part, column_part in picks:
        article = ArticlePage.objects.filter(
            url_path__contains=column_part, pk__in=_site_article_ids(site_part)
        ).order_by("-publish_date")[3]
        edits.append(_edit_and_publish(article))
    timed = sorted(e["ms"] for e in edits[1:])
    to_swap = sorted(e["ms_to_swap"] for e in edits[1:] if e["ms_to_swap"] is not None)
    settle = _publish_all(args.workers)
    nothing = _publish_all(args.workers)
    result: dict[str, Any] = {
        "bench": "publish_site",
        "pages": args.pages,
        "sites": args.sites,
        "columns": args.columns,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "database_built_s": round(build_seconds, 1),
        "full_publish": full,
        "edit_one_article": {
            "first_in_process": edits[0],
            "then": edits[1:],
            "median_ms": timed[len(timed) // 2] if timed else None,
            "max_ms": timed[-1] if timed else None,
            "median_ms_to_swap": to_swap[len(to_swap) // 2] if to_swap else None,
            "max_ms_to_swap": to_swap[-1] if to_swap else None,
        },
        "republish_after_edits": {"seconds": settle["seconds"], "files": settle["files"]},
        "republish_unchanged": nothing,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_workers_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
    if not args.no_hugo:
        hugo = _hugo(args, cache)
        result["hugo"] = hugo
        if "pages_per_s" in hugo:
            result["ratio_simplified_pages_per_s_to_hugo"] = round(
                full["simplified_pages_per_s"] / hugo["pages_per_s"], 2
            )
    print(json.dumps(result, ensure_ascii=False), flush=True)
    if old_trees:
        # Minutes for a few trees of 400,000 files; the next run must not overlap it (see README).
        print(
            f"正在删除之前运行留下的 {len(old_trees)} 个输出目录，请等待本进程结束后再运行下一次基准测试……",
            file=sys.stderr,
        )
    for tree in old_trees:
        shutil.rmtree(tree, ignore_errors=True)


def _site_article_ids(site_part: str) -> Any:
    from govsite.content.models import ArticlePage
    from govsite.sites.models import GovSite

    site = GovSite.objects.get(code=site_part.strip("/"))
    root = site.root_page
    return ArticlePage.objects.filter(path__startswith=root.path).values("pk")


if __name__ == "__main__":
    main()

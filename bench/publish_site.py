"""Benchmark of the static publisher on a generated site group, printing one JSON object.

    .venv/bin/python bench/publish_site.py [--pages 100000] [--sites 10] [--columns 50] [--workers 2]

Builds (once, cached under /tmp by size) a SQLite database with ``--sites`` sites of ``--columns``
columns and ``--pages`` article pages in all, then measures on a fresh publish directory:

- full publish of every site, context loading included: pages/s (HTML pages: items, list pages,
  home, 公开目录 and the rest; every file counted in ``files``), with ``--workers`` processes;
- one article edited and republished: milliseconds from the task start to the swap, files rendered
  and written;
- a second full publish with nothing changed: pages/s rendered and decided, files written (0);
- peak memory (max RSS) of the publishing process.

Hugo is not installed on the project machine (Debian's package is not in its mirror); when a ``hugo``
binary is on PATH the bench notes its version but does not run it (the same-page Hugo site is not
generated yet).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import sys
import time
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

    started = time.perf_counter()
    results = publish_sites(None, workers=workers, reason="基准测试")
    seconds = time.perf_counter() - started
    files = sum(r["rendered"] for r in results)
    written = sum(r["written"] for r in results)
    from govsite.publishing.models import RenderedTarget

    targets = RenderedTarget.objects.count()  # every page, list and site file, decided (rendered or not)
    return {
        "seconds": round(seconds, 2),
        "files": files,
        "written": written,
        "files_per_s": round(files / seconds),
        "targets_decided_per_s": round(targets / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--columns", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
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
    shutil.rmtree(settings.PUBLISH_ROOT, ignore_errors=True)

    from govsite.content.models import ArticlePage
    from govsite.publishing.actions import publish_site
    from govsite.sites.models import GovSite

    full = _publish_all(args.workers)
    # One article edited and republished.
    article = ArticlePage.objects.filter(url_path__contains="/c07/").order_by("-publish_date")[3]
    article.title += "（修订）"
    article.save_revision().publish()
    site = next(s for s in GovSite.objects.all() if article.url_path.startswith(s.root_page.url_path))
    started = time.perf_counter()
    result = publish_site(site, page_ids=[article.pk], reason="基准测试")
    edit_ms = (time.perf_counter() - started) * 1000
    nothing = _publish_all(args.workers)
    print(
        json.dumps(
            {
                "bench": "publish_site",
                "pages": args.pages,
                "sites": args.sites,
                "columns": args.columns,
                "workers": args.workers,
                "cpus": os.cpu_count(),
                "database_built_s": round(build_seconds, 1),
                "full_publish": full,
                "edit_one_article": {
                    "ms": round(edit_ms, 1),
                    "rendered": result.run.rendered,
                    "written": result.run.written,
                },
                "republish_unchanged": nothing,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "peak_rss_children_mb": round(
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
                ),
                "hugo": shutil.which("hugo") or "not installed",
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

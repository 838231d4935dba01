"""The public-site renderer: one site's pages as files, from a few bulk queries, through Jinja2.

A site is a set of *targets* — the home page, each column (all its list pages), each item, each 专题,
the 公开目录, the search shell, 404, sitemap, robots.txt and one RSS feed per column. Rendering a
target yields ``Output`` files (a path inside the site's tree and the bytes) together with the ids of
the pages the output *showed*: that record, written by the publisher when the files are written, is
the dependency graph incremental publishing follows (DESIGN §3 "Publishing reads in bulk").

Links between pages of one site are relative (``../zcwj/``), so the same tree works at a site's own
domain, under ``/s/<code>/`` in embedded mode and in the 繁體 copy under ``zh-hant/``. Output is a pure
function of the database (and the date used for "已截止" marks): no timestamps, no random ids.

The package: ``targets`` (kinds, ``Output``, ``Link``), ``queries`` (bulk reads), ``templating`` (Jinja2
and formatting), ``index`` (what a site holds), ``pages`` (rendering).
"""

from govsite.publishing.renderer.pages import SiteRenderer, render_site
from govsite.publishing.renderer.queries import (
    VERSION_FIELDS,
    ItemRow,
    in_tree,
    raw_rows,
    row_fields,
    sql_rows,
    versioned_items_sql,
)
from govsite.publishing.renderer.targets import (
    ASSET_DIR,
    ASSETS,
    ASSETS_FILES,
    CATALOG,
    COLUMN,
    HOME,
    HOME_COLUMN_ITEMS,
    HOME_LATEST,
    ITEM,
    LOCAL_TZ,
    NOT_FOUND,
    PAGE_SIZE,
    ROBOTS,
    RSS,
    RSS_ITEMS,
    SEARCH,
    SITE_TARGETS,
    SITEMAP,
    SITEMAP_CHUNK,
    TEMPLATE_DIR,
    TOPIC,
    TOPIC_LATEST,
    ColumnNode,
    Link,
    Output,
    Target,
)
from govsite.publishing.renderer.templating import environment, format_date, local_time, relative_url

__all__ = [
    "ASSETS",
    "ASSETS_FILES",
    "ASSET_DIR",
    "CATALOG",
    "COLUMN",
    "HOME",
    "HOME_COLUMN_ITEMS",
    "HOME_LATEST",
    "ITEM",
    "LOCAL_TZ",
    "NOT_FOUND",
    "PAGE_SIZE",
    "ROBOTS",
    "RSS",
    "RSS_ITEMS",
    "SEARCH",
    "SITEMAP",
    "SITEMAP_CHUNK",
    "SITE_TARGETS",
    "TEMPLATE_DIR",
    "TOPIC",
    "TOPIC_LATEST",
    "VERSION_FIELDS",
    "ColumnNode",
    "ItemRow",
    "Link",
    "Output",
    "SiteRenderer",
    "Target",
    "environment",
    "format_date",
    "in_tree",
    "local_time",
    "raw_rows",
    "relative_url",
    "render_site",
    "row_fields",
    "sql_rows",
    "versioned_items_sql",
]

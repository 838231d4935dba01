"""What a site is made of for the renderer: the target kinds, the files (``Output``), the links lists
show, the column tree, and the sizes of lists and feeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings

from govsite.content.models import (
    ColumnClass,
)

if TYPE_CHECKING:
    pass


TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "publishing"
LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
PAGE_SIZE = 20  # items per column list page
HOME_LATEST = 12  # items in the home page's 最新信息
HOME_COLUMN_ITEMS = 8  # items of each column section on the home page
TOPIC_LATEST = 8  # items per column on a 专题 page
RSS_ITEMS = 30
SITEMAP_CHUNK = 45_000  # URLs per sitemap file (the protocol allows 50,000)

# Targets, as (kind, page id); the site-wide ones carry 0.
HOME, COLUMN, ITEM, TOPIC, CATALOG, SEARCH, NOT_FOUND, SITEMAP, ROBOTS, RSS, ASSETS = (
    "home",
    "column",
    "item",
    "topic",
    "catalog",
    "search",
    "404",
    "sitemap",
    "robots",
    "rss",
    "assets",
)
Target = tuple[str, int]
SITE_TARGETS: tuple[Target, ...] = ((ASSETS, 0), (SEARCH, 0), (NOT_FOUND, 0), (SITEMAP, 0), (ROBOTS, 0))
# Served at /static/ both from the site tree (nginx) and by the app (embedded mode, admin preview).
ASSET_DIR = Path(__file__).resolve().parents[1] / "static"
ASSETS_FILES = ("govsite.css", "govsite.js", "dzjg.svg")


@dataclass(frozen=True, slots=True)
class Output:
    """One file of a site's tree: ``path`` relative to the site root, e.g. ``zcwj/index_2.html``."""

    path: str
    data: bytes
    target: Target
    shows: frozenset[int] = frozenset()  # ids of the pages whose data the file shows
    # A list page's own fingerprint (what it shows, see ``SiteRenderer.list_fingerprint``), "" for the
    # rest; ``keep``: the file of the live release already has this content and is not rendered again
    # (``data`` is empty).
    fingerprint: str = ""
    keep: bool = False
    # The page as text, when the renderer has it (``data`` is its UTF-8): the 繁體 copy starts from it
    # instead of decoding ``data`` again. Not part of the file's identity.
    text: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Link:
    """A page as a list shows it."""

    id: int
    title: str
    url: str  # the page's directory inside the site, "zcwj/abc/" ("" for the home page)
    publish_date: datetime | None = None
    extra: str = ""


@dataclass(slots=True)
class ColumnNode:
    id: int
    path: str
    depth: int
    url: str
    title: str
    description: str
    keywords: str
    column_class: str
    in_menu: bool
    parent_id: int | None
    children: list[ColumnNode] = field(default_factory=list)

    @property
    def column_type(self) -> str:
        return str(ColumnClass(self.column_class).label) if self.column_class else "专题"


# What makes an item's version (``fingerprints``): its title, address, publish time and revisions, and

"""The Jinja2 environment of the public pages and the formatting its templates use: dates as the
网页设计规范 wants them, relative links, rich text."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import jinja2
from django.conf import settings
from markupsafe import Markup, escape
from wagtail.rich_text import expand_db_html

if TYPE_CHECKING:
    pass
from govsite.publishing.renderer.targets import LOCAL_TZ, TEMPLATE_DIR


def local_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(LOCAL_TZ) if value.tzinfo is not None else value


DAY = "%Y-%m-%d"
MINUTE = "%Y-%m-%d %H:%M"


def format_date(value: date | datetime | None, fmt: str = DAY) -> str:
    """Dates as the 网页设计规范 wants them (YYYY-MM-DD; PubDate with HH:mm), in China time."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ)
    # The two formats of the templates are built without strftime, which on an aware datetime asks
    # the time zone for its DST offset (~2 µs, twice for every item of every list); strftime leaves
    # years before 1000 unpadded, so those take it.
    if value.year >= 1000:
        if fmt == DAY:
            return date.isoformat(value)
        if fmt == MINUTE and isinstance(value, datetime):
            return f"{date.isoformat(value)} {value.hour:02}:{value.minute:02}"
    return value.strftime(fmt)


def relative_url(current: str, target: str) -> str:
    """The link from the page at directory ``current`` to the directory or file ``target`` (both
    relative to the site root; directories end in "/"). String work only: it runs for every link."""
    if current[-1:] in ("/", ""):
        if target.startswith(current):  # in the page's directory or below it: a list's items
            return target[len(current) :] or "./"
        if target[-1:] in ("/", "") and current.startswith(target):  # a directory above: 首页, crumbs
            return "../" * (current.count("/") - target.count("/"))
    here = current.split("/")[:-1] if current else []
    there = target.split("/")
    name = there.pop()  # "" for a directory
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "../" * (len(here) - common) + "".join(part + "/" for part in there[common:]) + name
    return rel or "./"


def _relative_to(target: str, current: str) -> str:
    # ``link(target)`` as a filter, for the loops of lists: Jinja calls a filter directly, a function
    # of the context through ``Context.call`` (~1.5 µs, 20 times a list page).
    return relative_url(current, target)


def _richtext(html: str | None) -> Markup:
    # Rich text is stored by Wagtail's editor, which keeps only whitelisted elements and attributes;
    # expanding it turns its page/document/image references into HTML. Those references are only ever
    # <a linktype=…> and <embed …/> tags (Wagtail's rewriters look at nothing else): text without
    # either comes back as it went in, and is not parsed (~25 µs a page).
    html = html or ""
    if "<a" in html or "<embed" in html:
        html = expand_db_html(html)
    return Markup(html)  # noqa: S704 - sanitised at input by the rich-text editor


def _linebreaksbr(text: str | None) -> Markup:
    return Markup("<br>").join(escape(line) for line in (text or "").split("\n"))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=settings.DEBUG,
    )
    env.filters["date"] = format_date
    env.filters["richtext"] = _richtext
    env.filters["linebreaksbr"] = _linebreaksbr
    env.filters["relative_to"] = _relative_to
    return env


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """The one Jinja2 environment (templates are compiled once per process)."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV

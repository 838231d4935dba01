"""Citizen-facing variants of a site's pages: the theme colour and logo, the mourning grey mode and the
繁體 copy of every page (DESIGN §2 item 5; issue 5 item 2).

The renderer asks :func:`template_context` for the per-site values its templates use (``theme_style``,
``logo``, ``mourning``); the publisher passes the rendered files through :func:`traditional_outputs`
to add the 繁體 tree under ``zh-hant/``. The 无障碍/长者 toolbar itself is static (``static/govsite.js``
and the classes in ``govsite.css``): it needs nothing from here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import opencc

from govsite.core.colors import DEFAULT_THEME, darken
from govsite.publishing.renderer import Output, relative_url

if TYPE_CHECKING:
    from govsite.sites.models import GovSite

TRADITIONAL_DIR = "zh-hant/"
LOGO_RENDITION = "height-80"
# Characters only (Taiwan standard glyphs: 裡, 為), no regional phrase substitution: "s2twp" would turn
# 政策文件 into 政策檔案, 服务对象 into 服務物件 and 政府信息公开 into 政府資訊公開 — terms of art and
# names of institutions a government page must keep.
OPENCC_CONFIG = "s2tw"
# Joins the text segments of one page for a single OpenCC call: a private-use character, which no
# dictionary entry contains, so no phrase match can cross it and it comes back unchanged.
SEGMENT_SEPARATOR = "\ue000"
TRANSLATABLE_ATTRIBUTES = ("alt", "title", "content", "aria-label")


# --- theme, logo, mourning ------------------------------------------------------------------------


def theme_style(color: str) -> str:
    """The ``style`` of ``<html>`` for a theme colour; "" for the default, which the stylesheet holds."""
    color = (color or DEFAULT_THEME).lower()
    if color == DEFAULT_THEME:
        return ""
    return f"--theme:{color};--theme-dark:{darken(color)}"


def _in_range(start: date | None, end: date | None, today: date) -> bool:
    return start is not None and end is not None and start <= today <= end


def mourning_active(site: GovSite, today: date) -> bool:
    """Whether pages published on ``today`` are grey: the site's own range, or the range of an
    upper site (up to the portal) that set it for its lower sites too. Both ends are inclusive."""
    if _in_range(site.mourning_from, site.mourning_until, today):
        return True
    seen = {site.pk}
    node = site.parent
    while node is not None and node.pk not in seen:
        if node.mourning_includes_subsites and _in_range(node.mourning_from, node.mourning_until, today):
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def template_context(site: GovSite, today: date) -> dict[str, Any]:
    """The per-site values every page template reads: ``theme_style`` (CSS custom properties for
    ``<html style>``, "" for the default colour), ``logo`` (a rendition or None) and ``mourning``."""
    image = site.logo if site.logo_id else None
    logo = image.get_rendition(LOGO_RENDITION) if image is not None else None
    return {
        "theme_style": theme_style(site.theme_color),
        "logo": logo,
        "mourning": mourning_active(site, today),
    }


# --- 简/繁 switch links ------------------------------------------------------------------------------


def _page_location(path: str) -> tuple[str, str]:
    """(directory the page's relative links start from, the link target naming the page): a page
    ``a/b/index.html`` is linked as its directory ``a/b/``, any other file by its own path."""
    directory = posixpath.dirname(path)
    directory = directory + "/" if directory else ""
    target = directory if posixpath.basename(path) == "index.html" else path
    return directory, target


def switch_href(path: str) -> str:
    """The link from the page at ``path`` (inside the site tree) to the same page in the other
    script: ``zcwj/a/index.html`` → ``../../zh-hant/zcwj/a/``, ``zh-hant/zcwj/a/index.html`` →
    ``../../../zcwj/a/``."""
    directory, target = _page_location(path)
    traditional = path.startswith(TRADITIONAL_DIR)
    other = target[len(TRADITIONAL_DIR) :] if traditional else TRADITIONAL_DIR + target
    return relative_url(directory, other)


_SWITCH_RE = re.compile(r'<a class="variant-switch"[^>]*>.*?</a>', re.S)


def _back_link(path: str) -> str:
    return f'<a class="variant-switch" href="{switch_href(path)}" hreflang="zh-CN" lang="zh-CN">简体</a>'


# --- 繁體 conversion --------------------------------------------------------------------------------


@cache
def converter() -> opencc.OpenCC:
    """One OpenCC converter per process (loading its dictionaries takes a few milliseconds)."""
    return opencc.OpenCC(OPENCC_CONFIG)


# Markup that is kept as is (comments, script and style bodies) or whose attributes are looked at
# (tags); text between matches is a text node. The pages are the renderer's own output: attribute
# values are escaped, so a raw ">" never appears inside a tag.
_MARKUP_RE = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>",
    re.S | re.I,
)
_ATTRIBUTE_RE = re.compile(
    r"(\s(?:" + "|".join(TRANSLATABLE_ATTRIBUTES) + r")\s*=\s*)(\"[^\"]*\"|'[^']*')",
    re.I,
)
_LANG_RE = re.compile(r'(\slang=)"zh-CN"', re.I)
_LINK_RE = re.compile(r"(\s(?:href|src)=\")([^\"#?]+)([^\"]*\")", re.I)
_EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/)", re.I)


def _convert_segments(segments: list[str]) -> list[str]:
    if not segments:
        return []
    cc = converter()
    if any(SEGMENT_SEPARATOR in s for s in segments):
        return [cc.convert(s) for s in segments]
    converted = cc.convert(SEGMENT_SEPARATOR.join(segments)).split(SEGMENT_SEPARATOR)
    if len(converted) != len(segments):  # never seen; kept so a dictionary change cannot shift text
        return [cc.convert(s) for s in segments]
    return converted


def _rehome_links(tag: str, directory: str) -> str:
    """Relative links of a 繁體 page to files that have no 繁體 copy (RSS feeds, anything not a page)
    go to the simplified file, one level further up."""

    def rewrite(match: re.Match[str]) -> str:
        url = match.group(2)
        if _EXTERNAL_RE.match(url) or url.endswith("/") or url.endswith(".html") or url in (".", ".."):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(directory, url))
        if not resolved.startswith(TRADITIONAL_DIR):
            return match.group(0)
        return match.group(1) + relative_url(directory, resolved[len(TRADITIONAL_DIR) :]) + match.group(3)

    return _LINK_RE.sub(rewrite, tag)


def to_traditional(html: str, path: str) -> str:
    """The 繁體 version of the page that lives at ``path``; the result belongs at ``zh-hant/<path>``.

    Only text nodes and the values of ``alt``, ``title``, ``content`` and ``aria-label`` are converted,
    in one OpenCC call for the whole page; URLs, tag names and ``<script>``/``<style>`` bodies are
    left alone. ``lang="zh-CN"`` becomes ``zh-Hant`` and the 简/繁 switch points back to ``path``.
    """
    new_path = TRADITIONAL_DIR + path
    directory, _ = _page_location(new_path)
    parts: list[str] = []
    slots: list[int] = []  # indexes into ``parts`` of the pieces to convert
    segments: list[str] = []

    def text(piece: str) -> None:
        if piece and not piece.isascii():
            slots.append(len(parts))
            segments.append(piece)
        parts.append(piece)

    position = 0
    for match in _MARKUP_RE.finditer(html):
        text(html[position : match.start()])
        markup = match.group(0)
        position = match.end()
        if match.group(1) is not None or markup.startswith("<!--") or markup.startswith("</"):
            parts.append(markup)
            continue
        markup = _LANG_RE.sub(r'\1"zh-Hant"', markup)
        markup = _rehome_links(markup, directory)
        last = 0
        for attribute in _ATTRIBUTE_RE.finditer(markup):
            value_start, value_end = attribute.start(2) + 1, attribute.end(2) - 1
            parts.append(markup[last:value_start])
            text(markup[value_start:value_end])
            last = value_end
        parts.append(markup[last:])
    text(html[position:])

    for slot, converted in zip(slots, _convert_segments(segments), strict=True):
        parts[slot] = converted
    return _SWITCH_RE.sub(lambda _: _back_link(new_path), "".join(parts), count=1)


def traditional_outputs(outputs: Iterable[Output]) -> Iterator[Output]:
    """The 繁體 copy of each HTML file, at ``zh-hant/<path>`` with the same target and dependency
    record; other files (feeds, sitemap, assets) have none."""
    for output in outputs:
        if not output.path.endswith(".html") or output.path.startswith(TRADITIONAL_DIR):
            continue
        html = to_traditional(output.data.decode(), output.path)
        yield Output(TRADITIONAL_DIR + output.path, html.encode(), output.target, output.shows)

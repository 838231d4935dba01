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
from dataclasses import replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import opencc

from govsite.core.colors import DEFAULT_THEME, darken

# The module, not its names: the renderer may import this module while it is itself being imported.
from govsite.publishing import renderer

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
    return renderer.relative_url(directory, other)


_SWITCH_RE = re.compile(r'<a class="variant-switch"[^>]*>.*?</a>', re.S)


def _back_link(path: str) -> str:
    return f'<a class="variant-switch" href="{switch_href(path)}" hreflang="zh-CN" lang="zh-CN">简体</a>'


# --- 繁體 conversion --------------------------------------------------------------------------------


@cache
def converter() -> opencc.OpenCC:
    """One OpenCC converter per process (loading its dictionaries takes a few milliseconds)."""
    return opencc.OpenCC(OPENCC_CONFIG)


# Kept byte for byte: comments and the bodies of <script> and <style>. The pages are the renderer's own
# output: text and attribute values are escaped, so a raw "<", ">" or '"' never appears inside them and
# the patterns below can work on a whole chunk of markup at once, without a tokenizer loop.
_KEPT_RE = re.compile(
    r"(<!--.*?-->|<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>)", re.S | re.I
)
# An attribute value holding a non-ASCII character (a URL with a Chinese file name, say); the name is
# read back from the text before it. Values of the translatable attributes are converted with the text,
# any other such value is kept as it is. The renderer writes lower-case attribute names and double
# quotes; patterns that start with a literal are searched at C speed (a leading "\s" or an ignored case
# would make them ~3× slower, and they run over every page).
_NON_ASCII_VALUE_RE = re.compile(r'="([^"]*[^\x00-\x7f"][^"]*)"')
_ATTRIBUTE_NAME_RE = re.compile(r"\s([A-Za-z][\w:.-]*)$")
_TRANSLATABLE = frozenset(TRANSLATABLE_ATTRIBUTES)
# Relative links that name a file other than a page (a page is a directory "…/" or "….html").
_FILE_LINK_RES = tuple(
    re.compile(rf'( {name}=")(?![a-z][a-z0-9+.-]*:|/|#)([^"#?]*[^"#?/])(?=["#?])') for name in ("href", "src")
)


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


def _rehome_links(markup: str, directory: str) -> str:
    """Relative links of a 繁體 page to files that have no 繁體 copy (RSS feeds, anything not a page)
    go to the simplified file, one level further up."""

    def rewrite(match: re.Match[str]) -> str:
        url = match.group(2)
        if url.endswith(".html") or url in (".", ".."):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(directory, url))
        if not resolved.startswith(TRADITIONAL_DIR):
            return match.group(0)
        return match.group(1) + renderer.relative_url(directory, resolved[len(TRADITIONAL_DIR) :])

    for pattern in _FILE_LINK_RES:
        markup = pattern.sub(rewrite, markup)
    return markup


def to_traditional(html: str, path: str) -> str:
    """The 繁體 version of the page that lives at ``path``; the result belongs at ``zh-hant/<path>``.

    Text nodes and the values of ``alt``, ``title``, ``content`` and ``aria-label`` are converted;
    URLs and other attribute values with Chinese in them, and ``<script>``/``<style>`` bodies and
    comments, are left alone. The markup between them goes to OpenCC with the text, in one call for the
    whole page: OpenCC maps only Chinese characters and phrases, so tags and ASCII attributes come
    back unchanged, and no dictionary phrase contains a "<", so no match can cross a tag — a page in a
    few large pieces converts ~5× faster than one cut into its hundred text nodes.
    ``lang="zh-CN"`` becomes ``zh-Hant`` and the 简/繁 switch points back to ``path``.
    """
    new_path = TRADITIONAL_DIR + path
    directory, _ = _page_location(new_path)
    chunks = _KEPT_RE.split(html)  # even indexes: markup to convert; odd: kept as is
    # The page is converted[0] kept[0] converted[1] kept[1] … converted[-1].
    to_convert: list[str] = []
    kept: list[str] = []
    current: list[str] = []
    for index, chunk in enumerate(chunks):
        if index % 2:
            to_convert.append("".join(current))
            kept.append(chunk)
            current = []
            continue
        chunk = _rehome_links(chunk.replace(' lang="zh-CN"', ' lang="zh-Hant"'), directory)
        last = 0
        for match in _NON_ASCII_VALUE_RE.finditer(chunk):
            name = _ATTRIBUTE_NAME_RE.search(chunk, max(0, match.start() - 40), match.start())
            if name is not None and name.group(1).lower() in _TRANSLATABLE:
                continue
            start, end = match.span(1)
            current.append(chunk[last:start])
            to_convert.append("".join(current))
            kept.append(chunk[start:end])
            current = []
            last = end
        current.append(chunk[last:])
    to_convert.append("".join(current))
    converted = _convert_segments(to_convert)
    parts = [converted[0]]
    for kept_piece, converted_piece in zip(kept, converted[1:], strict=True):
        parts += [kept_piece, converted_piece]
    return _SWITCH_RE.sub(lambda _: _back_link(new_path), "".join(parts), count=1)


def traditional_outputs(outputs: Iterable[renderer.Output]) -> Iterator[renderer.Output]:
    """The 繁體 copy of each HTML file, at ``zh-hant/<path>`` with the same target and dependency
    record; other files (feeds, sitemap, assets) have none."""
    for output in outputs:
        if not output.path.endswith(".html") or output.path.startswith(TRADITIONAL_DIR):
            continue
        if output.keep:  # the simplified page is unchanged, and so is its copy
            yield replace(output, path=TRADITIONAL_DIR + output.path)
            continue
        html = to_traditional(output.data.decode(), output.path)
        yield replace(output, path=TRADITIONAL_DIR + output.path, data=html.encode())

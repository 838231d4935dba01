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
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, cast

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
# Stands in for the 简/繁 switch link while a page is converted (another private-use character): the
# link is the only part of the toolbar's line that names the page, so without it that line is the
# same on every page and converted once.
SWITCH_MARK = "\ue001"
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
# the patterns below can cut a page into tags and text without a tokenizer.
_KEPT_RE = re.compile(
    r"(<!--.*?-->|<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>)", re.S | re.I
)
# Text between tags with a Chinese (non-ASCII) character in it, and attribute values with one. The
# renderer writes lower-case attribute names and double quotes; the name of a value is read back from
# the text before it. Both patterns start with a literal, which the regex engine finds at C speed, so
# the ASCII markup in between costs next to nothing.
_CHINESE_TEXT_RE = re.compile(r">([^<]*[^\x00-\x7f][^<]*)")
_CHINESE_VALUE_RE = re.compile(r'="([^"]*[^\x00-\x7f"][^"]*)"')
_ATTRIBUTE_NAME_RE = re.compile(r"\s([A-Za-z][\w:.-]*)$")
_TRANSLATABLE = frozenset(TRANSLATABLE_ATTRIBUTES)
# Relative links that name a file other than a page (a page is a directory "…/" or "….html").
_FILE_LINK_RES = tuple(
    re.compile(rf'( {name}=")(?![a-z][a-z0-9+.-]*:|/|#)([^"#?]*[^"#?/])(?=["#?])') for name in ("href", "src")
)
# Conversions already made in this process, of whole lines and of short pieces: most of a page's Chinese
# is its chrome (navigation, toolbar, footer), the same lines on every page of a column, so it goes to
# OpenCC once. The templates put each block of the page on a line of its own.
# Bounded by the characters it holds (a page's own lines, its title and body, are stored too and
# never asked for again): when full it starts afresh, and the chrome is converted once more.
_CONVERTED: dict[str, str] = {}
CACHED_PIECE_MAX = 200
CACHED_LINE_MAX = 8_000
CACHE_CHARS = 2_000_000
_cached_chars = 0


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


def _rehome_links(markup: str, directory: str) -> tuple[str, bool]:
    """Relative links of a 繁體 page to files that have no 繁體 copy (RSS feeds, anything not a page)
    go to the simplified file, one level further up. Also returns whether ``markup`` has such a link
    at all: where it has none, the result is the same in every directory."""
    relative = False

    def rewrite(match: re.Match[str]) -> str:
        nonlocal relative
        url = match.group(2)
        if url.endswith(".html") or url in (".", ".."):
            return match.group(0)
        relative = True
        resolved = posixpath.normpath(posixpath.join(directory, url))
        if not resolved.startswith(TRADITIONAL_DIR):
            return match.group(0)
        return match.group(1) + renderer.relative_url(directory, resolved[len(TRADITIONAL_DIR) :])

    for pattern in _FILE_LINK_RES:
        markup = pattern.sub(rewrite, markup)
    return markup, relative


def _remember(simplified: str, traditional: str) -> None:
    global _cached_chars
    if _cached_chars > CACHE_CHARS:
        _CONVERTED.clear()
        _cached_chars = 0
    _CONVERTED[simplified] = traditional
    _cached_chars += len(simplified)


def _convert_line(line: str, parts: list[str], convert: Callable[[list[str]], None]) -> None:
    """Append the pieces of one line of markup to ``parts``: ASCII as it is, text and translatable
    attribute values with Chinese in them through ``convert`` (which is handed ``parts`` and looks at
    the piece last appended)."""
    # A ">" in front, so that text at the start of the line is found like any other text node.
    line = ">" + line
    spans = [m.span(1) for m in _CHINESE_TEXT_RE.finditer(line)]
    for match in _CHINESE_VALUE_RE.finditer(line):
        name = _ATTRIBUTE_NAME_RE.search(line, max(0, match.start() - 40), match.start())
        if name is not None and name.group(1).lower() in _TRANSLATABLE:
            spans.append(match.span(1))
    last = 1
    for start, end in sorted(spans) if len(spans) > 1 else spans:
        parts.append(line[last:start])
        parts.append(line[start:end])
        convert(parts)
        last = end
    parts.append(line[last:])


def to_traditional(html: str, path: str) -> str:
    """The 繁體 version of the page that lives at ``path``; the result belongs at ``zh-hant/<path>``.

    Text nodes and the values of ``alt``, ``title``, ``content`` and ``aria-label`` are converted;
    URLs and other attribute values with Chinese in them, and ``<script>``/``<style>`` bodies and
    comments, are left alone. Only the pieces with Chinese in them are looked at: text between tags
    and attribute values (OpenCC maps only Chinese characters and phrases, and no dictionary phrase
    contains a "<", so no match could cross a tag anyway). ``lang="zh-CN"`` becomes ``zh-Hant`` and
    the 简/繁 switch points back to ``path``.

    Lines seen before come whole from a per-process table, keyed by the simplified line: most of a
    page is its chrome (toolbar, navigation, footer), the same on every page of the site once the
    switch link, the one part that names the page, is set aside. A line whose links depend on where
    the page lives is keyed by its directory too. Pieces seen before come from the table as well;
    the rest go to OpenCC together, each distinct piece once, in one call for the page.
    """
    new_path = TRADITIONAL_DIR + path
    directory, _ = _page_location(new_path)
    marked = SWITCH_MARK not in html
    if marked:
        html = _SWITCH_RE.sub(SWITCH_MARK, html, count=1)
    known = _CONVERTED
    # Simplified text not converted before → where it goes: (list of pieces, index) pairs.
    pending: dict[str, list[tuple[list[str], int]]] = {}
    # Lines converted now: (table key, their pieces, the list of lines, index) — joined once the
    # pending text is back from OpenCC.
    lines_done: list[tuple[str, list[str], list[str | None], int]] = []

    def convert(parts: list[str]) -> None:
        text = parts[-1]
        if text == SWITCH_MARK:
            return
        hit = known.get(text)
        if hit is None:
            pending.setdefault(text, []).append((parts, len(parts) - 1))
        else:
            parts[-1] = hit

    out: list[str | list[str | None]] = []
    for index, chunk in enumerate(_KEPT_RE.split(html)):
        if index % 2:  # <script>, <style>, comment
            out.append(chunk)
            continue
        # Lines end at a tag's end: a newline inside a text node or an attribute value (a multi-line
        # description) stays inside its line, so the value is still found whole. Most lines are the
        # chrome's, found in the table in one pass; only the others are looked at one by one.
        lines = chunk.split(">\n")
        found: list[str | None] = [known.get(line) for line in lines]
        if None in found:
            for number, hit in enumerate(found):
                if hit is None:
                    _shape_line(lines[number], directory, found, number, convert, lines_done)
        out.append(found)  # joined below, once every line is known
    if pending:
        texts = list(pending)
        for text, converted in zip(texts, _convert_segments(texts), strict=True):
            for parts, at in pending[text]:
                parts[at] = converted
            if len(text) <= CACHED_PIECE_MAX:
                _remember(text, converted)
    for key, parts, lines_of, number in lines_done:
        lines_of[number] = line = "".join(parts)
        if key:
            _remember(key, line)
    result = "".join(chunk if isinstance(chunk, str) else ">\n".join(cast(list[str], chunk)) for chunk in out)
    if marked:
        return result.replace(SWITCH_MARK, _back_link(new_path), 1)
    return _SWITCH_RE.sub(lambda _: _back_link(new_path), result, count=1)


def _shape_line(
    line: str,
    directory: str,
    found: list[str | None],
    number: int,
    convert: Callable[[list[str]], None],
    lines_done: list[tuple[str, list[str], list[str | None], int]],
) -> None:
    """A line not in the table: ``lang`` and links made right for the 繁體 tree, then its Chinese
    pieces sent to ``convert``. ASCII lines are done (and stored) at once; the others are joined by
    the caller when OpenCC has answered (``lines_done``)."""
    shaped, relative = _rehome_links(line.replace(' lang="zh-CN"', ' lang="zh-Hant"'), directory)
    key = line
    if relative:
        key = f"{directory}\x00{line}"
        hit = _CONVERTED.get(key)
        if hit is not None:
            found[number] = hit
            return
    if shaped.isascii():
        found[number] = shaped
        if len(line) <= CACHED_LINE_MAX:
            _remember(key, shaped)
        return
    parts: list[str] = []
    _convert_line(shaped, parts, convert)
    # A very long line (a page's whole body on one line) is converted but not stored.
    lines_done.append((key if len(line) <= CACHED_LINE_MAX else "", parts, found, number))


def traditional_outputs(outputs: Iterable[renderer.Output]) -> Iterator[renderer.Output]:
    """The 繁體 copy of each HTML file, at ``zh-hant/<path>`` with the same target and dependency
    record; other files (feeds, sitemap, assets) have none."""
    for output in outputs:
        if not output.path.endswith(".html") or output.path.startswith(TRADITIONAL_DIR):
            continue
        path = TRADITIONAL_DIR + output.path
        if output.keep:  # the simplified page is unchanged, and so is its copy
            yield renderer.Output(path, output.data, output.target, output.shows, output.fingerprint, True)
            continue
        html = to_traditional(output.text or output.data.decode(), output.path)
        yield renderer.Output(
            path, html.encode(), output.target, output.shows, output.fingerprint, False, html
        )

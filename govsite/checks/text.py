"""HTML to the plain text the engines scan: blocks become lines, table rows lines with tab-separated cells.

Engines report offsets into this text, so everything that shows a finding (the review screen, the command
line) works on the same string.  Row structure is kept on purpose: the P5 list-leak rule counts rows.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements whose boundaries are line breaks (a space inside a table cell, so rows stay one line each).
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "ul", "br", "option", "legend",
    }
)  # fmt: skip
# Never visible as text; their content would only produce false findings.
SKIP_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "-comment"}
)
CELL_TAGS = frozenset({"td", "th"})
TEXT_TAG = "-text"

_WHITESPACE_RE = re.compile(r"[ \t\n\r\f\u00a0]+")
# Zero-width characters hide nothing from a reader but would split a number the engines look for.
_INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACE_RUN_RE = re.compile(r" {2,}")
_SPACE_AROUND_BREAK_RE = re.compile(r" *([\t\n]) *")
_BLANK_LINES_RE = re.compile(r"\n{2,}")


def html_to_text(html: str) -> str:
    """The visible text of an HTML document or fragment, entities decoded, script and style dropped."""
    if not html.strip():
        return ""
    root = LexborHTMLParser(html).root
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    text = _INVISIBLE_RE.sub("", "".join(out))
    text = _SPACE_RUN_RE.sub(" ", text)
    text = _SPACE_AROUND_BREAK_RE.sub(r"\1", text)
    text = _BLANK_LINES_RE.sub("\n", text)
    return text.strip("\n ")


def _walk(root: LexborNode, out: list[str]) -> None:
    # Iterative, with an exit marker per element: pasted Word HTML nests deeper than Python's recursion limit.
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    cell_depth = 0
    pre_depth = 0
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in CELL_TAGS:
                cell_depth -= 1
            elif tag == "tr":
                if not cell_depth:
                    out.append("\n")
            elif tag in BLOCK_TAGS:
                out.append(" " if cell_depth else "\n")
                if tag == "pre":
                    pre_depth -= 1
            continue
        if tag == TEXT_TAG:
            value = node.text_content or ""
            out.append(value.replace("\u00a0", " ") if pre_depth else _WHITESPACE_RE.sub(" ", value))
            continue
        if tag in SKIP_TAGS:
            continue
        if tag in CELL_TAGS:
            if _has_earlier_cell(node):
                out.append(" " if cell_depth else "\t")
            cell_depth += 1
        elif tag == "tr":
            if not cell_depth:
                out.append("\n")
        elif tag in BLOCK_TAGS:
            out.append(" " if cell_depth else "\n")
            if tag == "pre":
                pre_depth += 1
        stack.append((node, True))
        children: list[LexborNode] = []
        child = node.first_child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))


def _has_earlier_cell(node: LexborNode) -> bool:
    sibling = node.prev
    while sibling is not None:
        if sibling.tag in CELL_TAGS:
            return True
        sibling = sibling.prev
    return False

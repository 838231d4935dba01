"""T4 暗链 and spam words, T5 dated expressions (inspection-rules.md §7 T4, T5).

T4 matches gambling, porn and fraud words (``data/spam_words.tsv``) and illegal-URL markers
(``data/spam_url_tokens.tsv``) in text; ``scan_html_hidden`` finds them in hidden text (inline
``display:none``, ``visibility:hidden``, ``font-size:0``, off-screen positions) and in ``<a href>`` targets,
for the inspector. Government sites name fraud schemes to warn against them (警惕刷单返利诈骗), so a hit
next to publicity words is dropped. T5 flags phrases that expired (十三五 spoken of in the future tense
after 2020) as a review hint, from ``data/dated_expressions.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from govsite.checks import lexicon
from govsite.checks.engine import CheckContext, Finding, Severity, register

CATEGORY_LABELS = {"gambling": "赌博", "porn": "色情", "fraud": "诈骗/违法广告"}
PUBLICITY_WINDOW = 10
URL_WINDOW = 20
CONTACT_WINDOW = 15
_PUBLICITY = re.compile(
    r"诈骗|敲诈|打击|警惕|防范|严禁|禁止|违法|犯罪|举报|谨防|识破|骗局|陷阱|整治|取缔|查处|涉嫌"
)
_URL = re.compile(
    r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:com|net|cc|vip|top|xyz|info|org|me|tv|co|bet|cn|hk|la|ws)(?::\d+)?(?:/[A-Za-z0-9_./?%&=#~+-]*)?",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"(?:qq|微信|vx|电话|手机|热线|联系)|\d{7,}", re.IGNORECASE)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Inline styles that hide an element (security.md §4.3): display/visibility, zero font size, off-screen.
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)"
    r"|(?:left|top|right|text-indent|margin-left|margin-top)\s*:\s*-\d{3,}"
    r"|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$|!)",
    re.IGNORECASE,
)
# A box of zero (or one pixel) height or width that clips its content.
_CLIPPED_BOX = re.compile(r"(?:^|;)\s*(?:height|width)\s*:\s*[01](?:px)?\s*(?:;|$)", re.IGNORECASE)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SpamWord:
    word: str
    category: str
    requires: str  # "", "url" or "contact"
    source: str


@cache
def spam_words() -> tuple[SpamWord, ...]:
    rows = lexicon.iter_tsv("spam_words.tsv")
    return tuple(
        SpamWord(r[0].lower(), r[1], r[2] if len(r) > 2 else "", r[3] if len(r) > 3 else "") for r in rows
    )


@cache
def url_tokens() -> tuple[tuple[str, str], ...]:
    return tuple((r[0].lower(), r[1]) for r in lexicon.iter_tsv("spam_url_tokens.tsv"))


def spam_url_category(url: str) -> str:
    """The category of a URL whose host carries a spam marker, else "" (hosts under .gov.cn never)."""
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/", 1)[0].split(":", 1)[0]
    if not host or host.endswith(".gov.cn"):
        return ""
    return next((category for token, category in url_tokens() if token in host), "")


@register
class SpamWordsEngine:
    """T4: spam and 暗链 words (gambling, porn, fraud) and illegal URLs in text."""

    name = "spam"
    label = "暗链与违规词"
    rules: tuple[str, ...] = ("T4",)

    def __init__(self) -> None:
        words = spam_words()
        self.words = {w.word: w for w in words}
        self.patterns = list(self.words)
        self.matcher = lexicon.Matcher(self.patterns, longest=True)

    def scan(self, text: str, context: CheckContext | None = None, *, location: str = "") -> list[Finding]:
        folded = text.translate(_ASCII_LOWER)  # ASCII only: offsets stay those of ``text``
        found: list[Finding] = []
        for index, start, end in self.matcher.find(folded):
            word = self.words[self.patterns[index]]
            if not self._context_ok(folded, start, end, word.requires):
                continue
            found.append(self._finding(text, start, end, word.category, location, word.source))
        for match in _URL.finditer(folded):
            category = spam_url_category(match.group(0))
            if category and not any(f.start <= match.start() < f.end for f in found):
                found.append(
                    self._finding(text, match.start(), match.end(), category, location, "spam_url_tokens")
                )
        found.sort(key=lambda f: f.start)
        return found

    @staticmethod
    def _context_ok(text: str, start: int, end: int, requires: str) -> bool:
        around = text[max(0, start - PUBLICITY_WINDOW) : end + PUBLICITY_WINDOW]
        if _PUBLICITY.search(around):
            return False
        if requires == "url":
            return bool(_URL.search(text[max(0, start - URL_WINDOW) : end + URL_WINDOW]))
        if requires == "contact":
            return bool(_CONTACT.search(text[end : end + CONTACT_WINDOW]))
        return True

    def _finding(self, text: str, start: int, end: int, category: str, location: str, source: str) -> Finding:
        label = CATEGORY_LABELS.get(category, category)
        matched = text[start:end]
        where = f"（{location}）" if location else ""
        return Finding(
            rule="T4",
            severity=Severity.ERROR,
            start=start,
            end=end,
            matched=matched,
            message=f"发现{label}类违规内容“{matched}”{where}，疑为垃圾信息或暗链，请删除并排查网站是否被篡改。",
            engine=self.name,
            location=location,
            detail={"category": category, "source": source},
        )


@cache
def _spam_engine() -> SpamWordsEngine:
    return SpamWordsEngine()


def _hidden_reason(node: Any) -> str:
    """The inline style that hides ``node`` or one of its ancestors, else ""."""
    current = node
    while current is not None and current.tag not in ("html", "-undef"):
        style = (current.attributes or {}).get("style") or ""
        match = _HIDDEN_STYLE.search(style)
        if match:
            return match.group(0).strip().rstrip(";")
        if _OVERFLOW_HIDDEN.search(style) and _CLIPPED_BOX.search(style):
            return "overflow:hidden"
        if "hidden" in (current.attributes or {}):
            return "hidden"
        current = current.parent
    return ""


def scan_html_hidden(html: str) -> list[Finding]:
    """T4 in the places a visitor does not see: hidden elements' text and every ``<a href>`` target.

    Offsets are into the hidden element's text (or the href); ``location`` says which, e.g.
    "隐藏文本（display:none）" or "链接地址". Visible text is the text engines' job (``scan``)."""
    from selectolax.lexbor import LexborHTMLParser

    engine = _spam_engine()
    tree = LexborHTMLParser(html)
    found: list[Finding] = []
    seen: set[int] = set()
    for node in tree.css("[style], [hidden]"):
        reason = _hidden_reason(node)
        if not reason or node.mem_id in seen:
            continue
        # The outermost hidden element reports its whole text once.
        for child in node.traverse(include_text=False):
            seen.add(child.mem_id)
        text = node.text(separator=" ", strip=True)
        found.extend(engine.scan(text, location=f"隐藏文本（{reason}）"))
    for anchor in tree.css("a[href]"):
        href = anchor.attributes.get("href") or ""
        category = spam_url_category(href)
        if category:
            found.append(engine._finding(href, 0, len(href), category, "链接地址", "spam_url_tokens"))
        else:
            found.extend(engine.scan(href, location="链接地址"))
    return found


# -- T5 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatedExpression:
    pattern: re.Pattern[str]
    valid_until: date
    message: str
    source: str


def _dated(row: Mapping[str, Any]) -> DatedExpression:
    until = lexicon.parse_date(row["valid_until"])
    if until is None:
        raise ValueError(f"过期表述 {row['pattern']!r} 缺少有效期")
    return DatedExpression(re.compile(row["pattern"]), until, row["message"], row.get("source", "本站配置"))


@cache
def dated_expressions() -> tuple[DatedExpression, ...]:
    return tuple(_dated(row) for row in lexicon.load_json("dated_expressions.json")["rules"])


@register
class DatedExpressionsEngine:
    """T5: phrases that expired on a date (a plan period spoken of in the future tense after it ended)."""

    name = "dated"
    label = "过期表述"
    rules: tuple[str, ...] = ("T5",)

    def scan(self, text: str, context: CheckContext) -> list[Finding]:
        rules: Iterable[DatedExpression] = dated_expressions()
        extra = context.extra.get("dated_expressions")
        if extra:
            rules = [*rules, *(_dated(row) for row in extra)]
        found: list[Finding] = []
        for rule in rules:
            if context.on <= rule.valid_until:
                continue
            for match in rule.pattern.finditer(text):
                start, end = match.span()
                if lexicon.inside_book_title(text, start) or text[max(0, start - 1) : start] == "原":
                    continue
                found.append(
                    Finding(
                        rule="T5",
                        severity=Severity.REVIEW,
                        start=start,
                        end=end,
                        matched=match.group(0),
                        message=rule.message,
                        engine=self.name,
                        detail={"valid_until": rule.valid_until.isoformat(), "source": rule.source},
                    )
                )
        found.sort(key=lambda f: f.start)
        return found

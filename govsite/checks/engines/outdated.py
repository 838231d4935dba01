"""T3 outdated institution names (inspection-rules.md §3.4, §7 T3): a dated table of old → new names
(``data/outdated_names.tsv``, seeded with the 2013, 2018 and 2023 reforms and common local forms, plus
``CheckContext.extra["outdated_names"]`` rows of the deployment).

An old name is flagged only when the text is dated after the change (``context.on``), the old name is not
still a brand (国家海洋局), it is not spoken of as the former body (原…, …更名为…), and it is not inside a
《document title》 or next to a 发文字号 of a year before the change (国卫办发〔2017〕3号).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from govsite.checks import lexicon
from govsite.checks.engine import CheckContext, Finding, Severity, register

DOCNO_WINDOW = 30  # characters either side searched for a 发文字号
SITE_CACHE_SIZE = 32
# 发文字号 year: 〔2017〕 (GB/T 9704), also [2017] ［2017］ （2017） when followed by a serial and 号.
_DOCNO_YEAR = re.compile(r"[〔\[［(（](\d{4})[〕\]］)）]第?\d+号")
# 原卫计委, 原市卫计委, 原青山市卫计委 — but not 原则上.
_FORMER = re.compile(r"原(?!则)(?:[\u4e00-\u9fff]{0,6}?[省市县区州旗乡镇])?$")
# Historical statements: 国土资源部更名为…, 将环境保护部的职责整合…
_HISTORY_AFTER = re.compile(r"[\u4e00-\u9fff]{0,2}?(?:更名|改名|改为|整合|合并|撤销|不再保留|的职责)")


@dataclass(frozen=True, slots=True)
class Rename:
    old: str
    new: str
    effective: date
    brand: bool
    source: str
    except_after: re.Pattern[str] | None = None


def _rename(row: Mapping[str, Any]) -> Rename:
    effective = lexicon.parse_date(row["effective_date"])
    if effective is None:
        raise ValueError(f"过期名称 {row['old']!r} 缺少生效日期")
    brand = row.get("still_valid_as_brand", False)
    pattern = row.get("except_after") or ""
    return Rename(
        old=row["old"],
        new=row["new"],
        effective=effective,
        brand=brand if isinstance(brand, bool) else str(brand).lower() in ("yes", "true", "1"),
        source=row.get("source", "本站配置"),
        except_after=re.compile(pattern) if pattern else None,
    )


@cache
def national_renames() -> tuple[Rename, ...]:
    columns = ("old", "new", "effective_date", "still_valid_as_brand", "source", "except_after")
    return tuple(
        _rename(dict(zip(columns, row + [""] * (6 - len(row)), strict=False)))
        for row in lexicon.iter_tsv("outdated_names.tsv")
    )


class RenameIndex:
    """One automaton over the old names; a name may carry several dated rows (银监会 → 银保监会 in 2018,
    → 国家金融监督管理总局 in 2023): the latest row before the text's date applies."""

    def __init__(self, renames: Sequence[Rename]) -> None:
        rows: dict[str, list[Rename]] = {}
        for rename in renames:
            rows.setdefault(rename.old, []).append(rename)
        self.names = list(rows)
        self.rows = [sorted(rows[name], key=lambda r: r.effective) for name in self.names]
        self.matcher = lexicon.Matcher(self.names, longest=True)

    def applicable(self, index: int, on: date) -> Rename | None:
        current = [r for r in self.rows[index] if r.effective < on]
        return current[-1] if current else None


def _earlier_docno(text: str, start: int, end: int, before: date) -> bool:
    window = text[max(0, start - DOCNO_WINDOW) : end + DOCNO_WINDOW]
    return any(int(m.group(1)) < before.year for m in _DOCNO_YEAR.finditer(window))


@register
class OutdatedNamesEngine:
    """T3: an institution's old name in text dated after the change is an error."""

    name = "outdated"
    label = "过期机构名称"
    rules: tuple[str, ...] = ("T3",)

    def __init__(self) -> None:
        self.national = RenameIndex(national_renames())
        self._site: OrderedDict[tuple[str, ...], RenameIndex] = OrderedDict()

    def _index(self, rows: Iterable[Mapping[str, Any]] | None) -> RenameIndex:
        if not rows:
            return self.national
        key = tuple(repr(sorted(r.items())) for r in rows)
        index = self._site.get(key)
        if index is None:
            index = RenameIndex([*national_renames(), *(_rename(r) for r in rows)])
            self._site[key] = index
            if len(self._site) > SITE_CACHE_SIZE:
                self._site.popitem(last=False)
        return index

    def scan(self, text: str, context: CheckContext) -> list[Finding]:
        index = self._index(context.extra.get("outdated_names"))
        found: list[Finding] = []
        for i, start, end in index.matcher.find(text):
            rename = index.applicable(i, context.on)
            if rename is None or rename.brand:
                continue
            after = text[end : end + 12]
            if rename.except_after is not None and rename.except_after.match(after):
                continue
            if _FORMER.search(text[max(0, start - 8) : start]) or _HISTORY_AFTER.match(after):
                continue
            if lexicon.inside_book_title(text, start) or _earlier_docno(text, start, end, rename.effective):
                continue
            found.append(
                Finding(
                    rule="T3",
                    severity=Severity.ERROR,
                    start=start,
                    end=end,
                    matched=text[start:end],
                    suggestion=rename.new,
                    message=(
                        f"“{rename.old}”已于{rename.effective.year}年{rename.effective.month}月"
                        f"{rename.effective.day}日起不再使用，现为“{rename.new}”；如指原机构，请写作“原{rename.old}”。"
                    ),
                    engine=self.name,
                    detail={"effective_date": rename.effective.isoformat(), "source": rename.source},
                )
            )
        return found

"""The generator's vocabulary types: the genres it writes, who speaks (voices and their leaders), the
fields of work (domains) and the articles it returns."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Genre(StrEnum):
    """What kind of item a column publishes; chooses the generator."""

    NEWS = "news"  # 会议、调研、工作动态
    CAMPAIGN = "campaign"  # 专题专栏 news around a city-wide campaign
    NOTICE = "notice"  # 通知、公告
    POLICY = "policy"  # 政策文件 with 文号
    INTERPRETATION = "interpretation"  # 政策解读
    REPORT = "report"  # 工作总结、年度报告
    PLAN = "plan"  # 规划计划、工作要点
    BUDGET = "budget"  # 部门预算、决算
    EMERGENCY = "emergency"  # 应急管理: warnings, drills, 防汛 notices
    ENV_QUALITY = "env_quality"  # monthly 环境质量状况
    DUTIES = "duties"  # 机构职能
    LEADERS = "leaders"  # 领导信息


@dataclass(frozen=True)
class Leader:
    name: str
    title: str  # 市长, 副局长 …
    female: bool = False
    portfolio: str = ""  # 分管工作, shown on the 领导信息 page


@dataclass(frozen=True)
class Voice:
    """Who an article comes from: the organisation, the area it governs and the people who speak for it."""

    org: str  # full name, e.g. 青山市教育局; also the signature of its documents
    short: str  # 市教育局 — used as 来源
    domain: str  # key of DOMAINS
    level: str  # 市 / 县 / 镇: prefixes department names (市财政局, 县财政局)
    region: str  # the place it governs: 青山市, 东林县, 城关镇
    places: tuple[str, ...]  # subordinate places a leader visits: counties, towns, villages
    leaders: tuple[Leader, ...]
    doc_prefixes: tuple[tuple[str, str], ...]  # (issuer, 文号 prefix): ("青山市人民政府", "青政")
    audience: str  # 主送机关 line of its documents
    council: str  # its regular meeting, {k} = number within the year
    address: str
    phone: str
    sources: tuple[str, ...] = ()  # 来源 besides ``short`` (e.g. 青山日报 for 政务要闻)
    is_government: bool = False

    @property
    def area(self) -> str:
        return f"全{self.level}"

    @property
    def we(self) -> str:
        return f"我{self.level}"


@dataclass(frozen=True)
class Domain:
    """Vocabulary of one field of work."""

    field: str  # 教育, 卫生健康 …: "全市教育系统"
    topics: tuple[str, ...]  # work topics: 义务教育优质均衡发展
    visits: tuple[str, ...]  # places a leader inspects, with {place}
    measures: tuple[str, ...]  # concrete measures with number placeholders
    targets: str  # who a 检查 notice covers
    lists: tuple[str, ...]  # 名单 a notice publishes
    subjects: tuple[str, ...]  # verb phrases naming policy documents: 推进学前教育普及普惠发展
    regulated: tuple[str, ...]  # nouns for 管理办法: 校外培训机构
    laws: tuple[str, ...]  # legal basis
    duties: tuple[str, ...]  # 主要职责 items
    goals: tuple[str, ...]  # targets in plans, with placeholders


@dataclass(frozen=True)
class PolicyTitle:
    name: str  # 青山市校外培训机构管理办法
    short_type: str  # 办法: "制定本办法"
    purpose: str  # 规范校外培训机构管理: "为……，制定本办法"


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    source: str
    # 公开目录 metadata the text already fixes: who issued it (发布机构), its 文号 and 成文日期.
    publisher: str = ""
    document_number: str = ""
    written: date | None = None

    def html(self) -> str:
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in self.paragraphs)

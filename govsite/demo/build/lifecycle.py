"""Specs of the portal's named items: 政策文件 in every state of validity, their 解读, 办事指南, 通知公告,
the 营商环境 专题 and the 公开目录, with the labels the demo counts them under."""

from __future__ import annotations

from dataclasses import dataclass

from govsite.content.models import ColumnClass, InterpretationPage, Validity
from govsite.demo import textgen
from govsite.demo.build.columns import ColumnSpec
from govsite.demo.textgen import Genre

C = ColumnClass
G = Genre

# A handful of portal items whose relations matter, so the demo shows every state: a policy with a 文字
# and a 图解 解读, one 废止, one 失效 and one 已修订 with its successor. Dates count back from the anchor.


@dataclass(frozen=True)
class PolicySpec:
    slug: str
    voice: str  # key of VOICES: the wording
    issuer: str  # 发布机构, signs the 印发 notice
    prefix: str  # 文号 prefix: 青政规〔2025〕2号
    serial: int
    name: str  # the document's name; {year} is its year
    short_type: str  # 办法 / 方案 …: "制定本办法"
    purpose: str
    topic_category: str
    keywords: str
    age_days: int  # published this many days before the anchor
    normative: bool = True  # 行政规范性文件: has a 统一编号 and 效力 行政规范性文件
    validity: str = Validity.VALID
    repealed_age_days: int = 0  # 废止: this many days before the anchor
    successor: str = ""  # 已修订: slug of the document that replaced it
    topic: str | None = None  # what its text (and its 解读) is about; else drawn from the voice's field


POLICIES: tuple[PolicySpec, ...] = (
    PolicySpec(
        "zc01",
        "city",
        "青山市人民政府",
        "青政规",
        2,
        "青山市优化营商环境十条措施",
        "措施",
        "进一步优化营商环境",
        "综合政务",
        "营商环境 政务服务 市场主体",
        75,
        topic="优化营商环境",
    ),
    PolicySpec(
        "zc02",
        "city_office",
        "青山市人民政府办公室",
        "青政办规",
        3,
        "青山市公共资源交易管理办法",
        "办法",
        "规范公共资源交易活动",
        "国民经济管理、国有资产监管",
        "公共资源交易 招标投标",
        560,
        validity=Validity.REVISED,
        successor="zc03",
        topic="公共资源交易",
    ),
    PolicySpec(
        "zc03",
        "city_office",
        "青山市人民政府办公室",
        "青政办规",
        5,
        "青山市公共资源交易管理办法（{year}年修订）",
        "办法",
        "规范公共资源交易活动",
        "国民经济管理、国有资产监管",
        "公共资源交易 招标投标",
        120,
        topic="公共资源交易",
    ),
    PolicySpec(
        "zc04",
        "city",
        "青山市人民政府",
        "青政规",
        1,
        "青山市城市户外广告设置管理暂行办法",
        "办法",
        "规范城市户外广告设置管理",
        "城乡建设、环境保护",
        "户外广告 城市管理",
        690,
        validity=Validity.REPEALED,
        repealed_age_days=40,
    ),
    PolicySpec(
        "zc05",
        "city_office",
        "青山市人民政府办公室",
        "青政办发",
        18,
        "青山市{year}年为民办实事项目实施方案",
        "方案",
        "办好为民办实事项目",
        "综合政务",
        "为民办实事 民生",
        420,
        normative=False,
        validity=Validity.EXPIRED,
    ),  # 失效 when its year ends
    PolicySpec(
        "zc06",
        "city",
        "青山市人民政府",
        "青政",
        8,
        "青山市数字政府建设总体方案",
        "方案",
        "加快数字政府建设",
        "综合政务",
        "数字政府 政务数据",
        200,
        normative=False,
        topic="数字政府建设",
    ),
    PolicySpec(
        "zc07",
        "fgw",
        "青山市发展和改革委员会",
        "青发改规",
        2,
        "青山市企业投资项目承诺制管理办法",
        "办法",
        "规范企业投资项目承诺制管理",
        "国民经济管理、国有资产监管",
        "企业投资 承诺制",
        300,
    ),
    PolicySpec(
        "zc08",
        "czj",
        "青山市财政局",
        "青财规",
        1,
        "青山市政府购买服务管理办法",
        "办法",
        "规范政府购买服务行为",
        "财政、金融、审计",
        "政府购买服务 预算绩效",
        250,
    ),
)
Form = InterpretationPage.Form
# (slug, policy slug, form): zc01 has both a 文字 and a 图解 解读.
INTERPRETATIONS: tuple[tuple[str, str, str], ...] = (
    ("jd01", "zc01", Form.TEXT),
    ("jd02", "zc01", Form.GRAPHIC),
    ("jd03", "zc03", Form.TEXT),
    ("jd04", "zc06", Form.TEXT),
)
GUIDE_AGES = (300, 280, 260, 30)  # one per textgen.SERVICE_GUIDES entry
ONLINE_SERVICE_URL = "https://zwfw.qingshan.gov.cn/"
# (slug, kind, age in days, deadline in days after publication): one still open, two closed.
NOTICES: tuple[tuple[str, textgen.NoticeKind, int, int], ...] = (
    ("tz01", textgen.NoticeKind.COMMENTS, 5, 30),
    ("tz02", textgen.NoticeKind.RECRUITMENT, 60, 10),
    ("tz03", textgen.NoticeKind.PROJECTS, 45, 30),
)
TOPIC_SLUG = "yhyshj"
TOPIC_TITLE = "优化营商环境"
TOPIC_INTRO = (
    "<p>聚焦市场主体和群众关切，集中发布我市优化营商环境的政策措施、工作动态和典型经验，"
    "持续打造市场化、法治化、国际化一流营商环境。</p>"
)
TOPIC_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "portal",
        "gzdt",
        "工作动态",
        C.EVENT,
        (G.NEWS,),
        "office",
        "editor",
        ("city",),
        0,
        "优化营商环境工作动态",
    ),
)
TOPIC_ARTICLE_AGES = (50, 20, 3)
CATALOG_SLUG = "gkml"
CATALOG_TITLE = "政府信息公开目录"
ITEM_LABELS: dict[str, str] = {
    "policies": "政策文件",
    "interpretations": "政策解读",
    "guides": "办事指南",
    "notices": "通知公告",
    "topics": "专题",
    "catalogs": "公开目录",
    "pushes": "信息推送",
    "shared": "跨站引用",
}
# Items marked 重要政策 (lower sites must repost them within 12 hours): the 营商环境 measures and the
# open call for comments, which the portal pushes to the counties (see ``pushes.ensure_library_links``).
IMPORTANT_ITEMS = frozenset({"zc01", "tz01"})

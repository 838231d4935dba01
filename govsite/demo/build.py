"""Builds the demo 站群 (青山市: a portal, two county portals, three department sites, their units, columns,
accounts and ~2,000 published articles), deterministically for a seed and anchor date and idempotently.

Sites, units and accounts go through their actions. Pages are inserted in bulk (see ``_append_children``)
and indexed once at the end; one ``demo.load`` audit row records what the run created.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler  # re-exported from modelsearch
from wagtail.signal_handlers import disable_reference_index_auto_update

from govsite.accounts.actions import create_account, create_unit
from govsite.accounts.models import Role, Unit, User
from govsite.accounts.setup import ensure_platform_roles
from govsite.audit.log import record
from govsite.content.models import ArticlePage, ColumnClass, ColumnPage
from govsite.demo import textgen
from govsite.demo.textgen import Genre, Leader, Voice
from govsite.content.permissions import sync_unit_editor_permissions, unit_editor_group
from govsite.sites.actions import create_site, site_group
from govsite.sites.models import GovSite

# The one documented demo password (printed by `govsite demo`); meets the password policy.
DEMO_PASSWORD = "Govsite#2026"  # noqa: S105 - a published demo credential, not a secret
DEFAULT_SEED = 2026
DEFAULT_ARTICLES = 2000
WINDOW_DAYS = 730  # articles are spread over the two years before the anchor date
INDEX_BATCH = 500


# -- the demo world --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    short: str
    kind: str
    parent: str | None = None


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    site_id_code: str
    sponsor_unit: str
    icp_number: str
    police_number: str
    primary_domain: str
    phone: str
    address: str
    postcode: str


@dataclass(frozen=True)
class AccountSpec:
    username: str
    full_name: str
    unit: str
    role: str
    site: str | None = None  # None for the three platform roles
    post: str = ""


@dataclass(frozen=True)
class ColumnSpec:
    site: str
    slug: str
    title: str
    column_class: str
    genres: tuple[Genre, ...]  # one is drawn per article
    unit: str
    officer: str
    voices: tuple[str, ...]
    weight: int  # share of the articles beyond the first one every column gets
    description: str = ""


U = Unit.Kind
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("city", "青山市人民政府", "市政府", U.GOVERNMENT),
    UnitSpec("office", "青山市人民政府办公室", "市政府办公室", U.OFFICE, "city"),
    UnitSpec("info", "青山市信息中心", "市信息中心", U.INSTITUTION, "office"),
    UnitSpec("fgw", "青山市发展和改革委员会", "市发改委", U.DEPARTMENT, "city"),
    UnitSpec("jyj", "青山市教育局", "市教育局", U.DEPARTMENT, "city"),
    UnitSpec("wsjkw", "青山市卫生健康委员会", "市卫健委", U.DEPARTMENT, "city"),
    UnitSpec("sthjj", "青山市生态环境局", "市生态环境局", U.DEPARTMENT, "city"),
    UnitSpec("czj", "青山市财政局", "市财政局", U.DEPARTMENT, "city"),
    UnitSpec("yjj", "青山市应急管理局", "市应急管理局", U.DEPARTMENT, "city"),
    UnitSpec("donglin", "东林县人民政府", "东林县政府", U.GOVERNMENT, "city"),
    UnitSpec("donglin_office", "东林县人民政府办公室", "东林县政府办", U.OFFICE, "donglin"),
    UnitSpec("donglin_jyj", "东林县教育局", "东林县教育局", U.DEPARTMENT, "donglin"),
    UnitSpec("donglin_wjj", "东林县卫生健康局", "东林县卫健局", U.DEPARTMENT, "donglin"),
    UnitSpec("chengguan", "东林县城关镇人民政府", "城关镇", U.TOWNSHIP, "donglin"),
    UnitSpec("longquan", "东林县龙泉镇人民政府", "龙泉镇", U.TOWNSHIP, "donglin"),
    UnitSpec("xixi", "西溪县人民政府", "西溪县政府", U.GOVERNMENT, "city"),
    UnitSpec("xixi_office", "西溪县人民政府办公室", "西溪县政府办", U.OFFICE, "xixi"),
    UnitSpec("xixi_fgj", "西溪县发展和改革局", "西溪县发改局", U.DEPARTMENT, "xixi"),
    UnitSpec("xikou", "西溪县溪口镇人民政府", "溪口镇", U.TOWNSHIP, "xixi"),
    UnitSpec("fenglin", "西溪县枫林乡人民政府", "枫林乡", U.TOWNSHIP, "xixi"),
)

K = GovSite.Kind
# 网站标识码: 359900 is not a real 行政区划代码 (Fujian's prefectures are 3501–3509), so the demo cannot be
# mistaken for a real site; department sites share the city's code with their own serial. Department
# sites share the portal's ICP record with their own suffix, as sites on one 集约化 platform do.
SITES: tuple[SiteSpec, ...] = (
    SiteSpec("portal", "青山市人民政府", K.PORTAL, None, "3599000001", "office",
             "闽ICP备05031268号", "闽公网安备35990202000101号", "www.qingshan.gov.cn",
             "0590-8823001", "青山市府前路1号", "359000"),
    SiteSpec("donglin", "东林县人民政府", K.COUNTY, "portal", "3599210001", "donglin_office",
             "闽ICP备08102233号", "闽公网安备35992102000012号", "www.donglin.gov.cn",
             "0590-6321001", "东林县城关镇府前街6号", "359100"),
    SiteSpec("xixi", "西溪县人民政府", K.COUNTY, "portal", "3599220001", "xixi_office",
             "闽ICP备09114521号", "闽公网安备35992202000027号", "www.xixi.gov.cn",
             "0590-7532001", "西溪县溪口镇人民路18号", "359200"),
    SiteSpec("jyj", "青山市教育局", K.DEPARTMENT, "portal", "3599000002", "jyj",
             "闽ICP备05031268号-2", "闽公网安备35990202000118号", "jyj.qingshan.gov.cn",
             "0590-8823156", "青山市人民路88号", "359000"),
    SiteSpec("wsjkw", "青山市卫生健康委员会", K.DEPARTMENT, "portal", "3599000003", "wsjkw",
             "闽ICP备05031268号-3", "闽公网安备35990202000125号", "wsjkw.qingshan.gov.cn",
             "0590-8825120", "青山市滨江路120号", "359000"),
    SiteSpec("sthjj", "青山市生态环境局", K.DEPARTMENT, "portal", "3599000004", "sthjj",
             "闽ICP备05031268号-4", "闽公网安备35990202000133号", "sthjj.qingshan.gov.cn",
             "0590-8827366", "青山市青山大道258号", "359000"),
)
ORGANIZER = "info"  # 承办单位 of every site on the 集约化 platform

R = Role.Kind
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("sysadmin", "陈立新", "info", R.SYSTEM_ADMIN, post="系统管理员"),
    AccountSpec("secadmin", "郑海燕", "info", R.SECURITY_ADMIN, post="安全管理员"),
    AccountSpec("auditadmin", "王丽萍", "office", R.AUDIT_ADMIN, post="审计管理员"),
    AccountSpec("siteadmin", "林晓东", "info", R.SITE_ADMIN, "portal", "网站运维负责人"),
    AccountSpec("editor", "黄雅琴", "office", R.EDITOR, "portal", "信息员"),
    AccountSpec("reviewer", "张国华", "office", R.REVIEWER, "portal", "政务公开科科长"),
    AccountSpec("fgw_editor", "吴志强", "fgw", R.EDITOR, "portal", "信息员"),
    AccountSpec("czj_editor", "刘敏", "czj", R.EDITOR, "portal", "信息员"),
    AccountSpec("yjj_editor", "许振宇", "yjj", R.EDITOR, "portal", "信息员"),
    AccountSpec("jyj_editor", "蔡文静", "jyj", R.EDITOR, "jyj", "信息员"),
    AccountSpec("wsjkw_editor", "杨慧", "wsjkw", R.EDITOR, "wsjkw", "信息员"),
    AccountSpec("sthjj_editor", "周晨", "sthjj", R.EDITOR, "sthjj", "信息员"),
    AccountSpec("donglin_editor", "李建平", "donglin_office", R.EDITOR, "donglin", "信息员"),
    AccountSpec("xixi_editor", "谢婷", "xixi_office", R.EDITOR, "xixi", "信息员"),
)

CITY_PLACES = ("东林县", "西溪县", "青山经济技术开发区")
CITY_AUDIENCE = "各县（区）人民政府，市直各单位："
CITY_PREFIXES = (("青山市人民政府", "青政"), ("青山市人民政府办公室", "青政办"))


def _dept_voice(org: str, short: str, domain: str, prefix: str, audience: str, leaders: tuple[Leader, ...],
                address: str, phone: str, committee: bool = False) -> Voice:
    meeting = "委务会议" if committee else "局务会议"
    return Voice(org=org, short=short, domain=domain, level="市", region="青山市", places=CITY_PLACES,
                 leaders=leaders, doc_prefixes=((org, prefix),), audience=audience,
                 council=short + "{year}年第{k}次" + meeting, address=address, phone=phone)


def _town_voice(org: str, short: str, villages: tuple[str, ...], address: str, phone: str) -> Voice:
    # Towns recur in many articles: their leaders get fixed names derived from the town.
    township = short.endswith("乡")
    title = "乡长" if township else "镇长"
    leaders = (Leader(textgen.stable_person(short + "长"), title),
               Leader(textgen.stable_person(short + "副"), "副" + title))
    return Voice(org=org, short=short, domain="township", level="乡" if township else "镇", region=short,
                 places=villages, leaders=leaders, doc_prefixes=((org, short[:2] + "政"),),
                 audience="各村（社区），乡镇各站所：", council=short + "第{k}次" + title + "办公会议",
                 address=address, phone=phone, is_government=True)


def _county_voice(name: str, prefix: str, towns: tuple[str, ...], leaders: tuple[Leader, ...], address: str,
                  phone: str) -> Voice:
    government = f"{name}人民政府"
    return Voice(org=government, short=name, domain="government", level="县", region=name, places=towns,
                 leaders=leaders,
                 doc_prefixes=((government, f"{prefix}政"), (f"{government}办公室", f"{prefix}政办")),
                 audience="各乡（镇）人民政府，县直各单位：", council="县政府第{k}次常务会议",
                 address=address, phone=phone, sources=(f"{government}办公室", f"{name}融媒体中心"),
                 is_government=True)


def _office_voice(county: Voice, director: Leader) -> Voice:
    """The county government's office: it signs the county's notices and documents."""
    return replace(county, org=f"{county.org}办公室", short=f"{county.region}政府办",
                   leaders=(director, *county.leaders[1:]), sources=())


def _leader(name: str, title: str, portfolio: str = "", female: bool = False) -> Leader:
    return Leader(name, title, female=female, portfolio=portfolio)


CITY_LEADERS = (
    _leader("陈启明", "市长"),
    _leader("林志宏", "常务副市长", "发展改革、财政、审计"),
    _leader("吴静", "副市长", "教育、卫生健康、文化旅游", female=True),
    _leader("郑国梁", "副市长", "生态环境、自然资源、住房和城乡建设"),
    _leader("黄晓峰", "副市长", "应急管理、交通运输、农业农村"),
)
VOICES: dict[str, Voice] = {
    "city": Voice(
        org="青山市人民政府", short="市政府", domain="government", level="市", region="青山市",
        places=CITY_PLACES, leaders=CITY_LEADERS, doc_prefixes=CITY_PREFIXES, audience=CITY_AUDIENCE,
        council="市政府第{k}次常务会议", address="青山市府前路1号", phone="0590-8823001",
        sources=("市政府办公室", "青山日报", "市融媒体中心"), is_government=True,
    ),
    "city_office": Voice(
        org="青山市人民政府办公室", short="市政府办公室", domain="government", level="市", region="青山市",
        places=CITY_PLACES,
        leaders=(_leader("刘振华", "市政府秘书长、办公室主任"),
                 _leader("潘丽君", "办公室副主任", "政务公开、政府网站管理", female=True),
                 _leader("游建新", "办公室副主任", "综合协调、督查")),
        doc_prefixes=CITY_PREFIXES, audience=CITY_AUDIENCE, council="市政府第{k}次常务会议",
        address="青山市府前路1号", phone="0590-8823001", is_government=True,
    ),
    "jyj": _dept_voice(
        "青山市教育局", "市教育局", "education", "青教", "各县（区）教育局，市直各学校：",
        (_leader("许文博", "局长"), _leader("李秀兰", "副局长", "基础教育、学前教育", female=True),
         _leader("潘建军", "副局长", "职业教育、校园安全")),
        "青山市人民路88号", "0590-8823156",
    ),
    "wsjkw": _dept_voice(
        "青山市卫生健康委员会", "市卫健委", "health", "青卫", "各县（区）卫生健康局，市直各医疗卫生单位：",
        (_leader("蔡立群", "主任"), _leader("何静", "副主任", "疾病预防控制、妇幼健康", female=True),
         _leader("邱明远", "副主任", "医政医管、中医药")),
        "青山市滨江路120号", "0590-8825120", committee=True,
    ),
    "sthjj": _dept_voice(
        "青山市生态环境局", "市生态环境局", "environment", "青环", "各县（区）生态环境局，市直有关单位：",
        (_leader("方正清", "局长"), _leader("朱丽华", "副局长", "大气、水、土壤污染防治", female=True),
         _leader("江涛", "副局长", "生态环境执法、环境监测")),
        "青山市青山大道258号", "0590-8827366",
    ),
    "fgw": _dept_voice(
        "青山市发展和改革委员会", "市发改委", "development", "青发改", CITY_AUDIENCE,
        (_leader("邱明辉", "主任"), _leader("叶海峰", "副主任", "重大项目、价格")),
        "青山市府前路1号", "0590-8823210", committee=True,
    ),
    "czj": _dept_voice(
        "青山市财政局", "市财政局", "finance", "青财", "市直各预算单位：",
        (_leader("苏亚平", "局长", female=True), _leader("曾德荣", "副局长", "预算、国库")),
        "青山市府前路3号", "0590-8823318",
    ),
    "yjj": _dept_voice(
        "青山市应急管理局", "市应急管理局", "emergency", "青应急", "各县（区）应急管理局，市直有关单位：",
        (_leader("严卫东", "局长"), _leader("卢晓梅", "副局长", "防汛抗旱、救灾", female=True)),
        "青山市解放路66号", "0590-8829110",
    ),
    "donglin": _county_voice(
        "东林县", "东", ("城关镇", "龙泉镇", "白沙乡", "石门镇"),
        (_leader("罗宏伟", "县长"), _leader("彭丽", "副县长", "教育、卫生健康", female=True),
         _leader("邓志刚", "副县长", "工业、交通、应急管理")),
        "东林县城关镇府前街6号", "0590-6321001",
    ),
    "xixi": _county_voice(
        "西溪县", "西", ("溪口镇", "枫林乡", "桃源乡", "云山镇"),
        (_leader("谢雨辰", "县长"), _leader("詹秀梅", "副县长", "教育、文化旅游", female=True),
         _leader("魏建国", "副县长", "农业农村、生态环境")),
        "西溪县溪口镇人民路18号", "0590-7532001",
    ),
}
VOICES |= {
    "donglin_office": _office_voice(VOICES["donglin"], _leader("高德明", "县政府办公室主任")),
    "xixi_office": _office_voice(VOICES["xixi"], _leader("曾晓燕", "县政府办公室主任", female=True)),
    "chengguan": _town_voice("东林县城关镇人民政府", "城关镇", ("城东社区", "城西社区", "溪头村", "上坪村"),
                             "东林县城关镇府前街12号", "0590-6321201"),
    "longquan": _town_voice("东林县龙泉镇人民政府", "龙泉镇", ("龙泉村", "下洋村", "竹林村"),
                            "东林县龙泉镇龙泉街8号", "0590-6351001"),
    "xikou": _town_voice("西溪县溪口镇人民政府", "溪口镇", ("溪口社区", "大坪村", "枫树村"),
                         "西溪县溪口镇人民路20号", "0590-7532201"),
    "fenglin": _town_voice("西溪县枫林乡人民政府", "枫林乡", ("枫林村", "岭头村", "坑口村"),
                           "西溪县枫林乡枫林街3号", "0590-7561001"),
}
DEPARTMENT_VOICES = ("jyj", "wsjkw", "sthjj", "fgw", "czj", "yjj")

C = ColumnClass
G = Genre


def _department_columns(code: str, officer: str) -> tuple[ColumnSpec, ...]:
    """The columns every department site has (unit, voice and site share the department's code)."""
    voices = (code,)
    return (
        ColumnSpec(code, "gzdt", "工作动态", C.DYNAMIC, (G.NEWS,), code, officer, voices, 12),
        ColumnSpec(code, "tzgg", "通知公告", C.NOTICE, (G.NOTICE,), code, officer, voices, 5),
        ColumnSpec(code, "zcwj", "政策文件", C.POLICY, (G.POLICY,), code, officer, voices, 3),
        ColumnSpec(code, "zcjd", "政策解读", C.POLICY, (G.INTERPRETATION,), code, officer, voices, 2),
        ColumnSpec(code, "jgzn", "机构职能", C.OTHER, (G.DUTIES,), code, officer, voices, 0),
        ColumnSpec(code, "ldxx", "领导信息", C.OTHER, (G.LEADERS,), code, officer, voices, 0),
    )


def _county_columns(code: str, officer: str, towns: tuple[str, ...]) -> tuple[ColumnSpec, ...]:
    """A county portal's columns, run by the county government's office (unit and voice ``<code>_office``)."""
    office = f"{code}_office"
    return (
        ColumnSpec(code, "zwyw", "政务要闻", C.DYNAMIC, (G.NEWS,), office, officer, (code,), 10),
        ColumnSpec(code, "xzdt", "乡镇动态", C.DYNAMIC, (G.NEWS,), office, officer, towns, 6),
        ColumnSpec(code, "tzgg", "通知公告", C.NOTICE, (G.NOTICE,), office, officer, (office,), 4),
        ColumnSpec(code, "zcwj", "政策文件", C.POLICY, (G.POLICY,), office, officer, (office,), 2),
        ColumnSpec(code, "jgzn", "机构职能", C.OTHER, (G.DUTIES,), office, officer, (office,), 0),
    )


PORTAL_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("portal", "zwyw", "政务要闻", C.DYNAMIC, (G.NEWS,), "office", "editor", ("city",), 24,
               "市政府重要会议、领导活动和重要工作部署"),
    ColumnSpec("portal", "bmdt", "部门动态", C.DYNAMIC, (G.NEWS,), "office", "editor", DEPARTMENT_VOICES,
               16, "市直各部门工作动态"),
    ColumnSpec("portal", "xqdt", "县区动态", C.DYNAMIC, (G.NEWS,), "office", "editor", ("donglin", "xixi"),
               12, "各县（区）工作动态"),
    ColumnSpec("portal", "tzgg", "通知公告", C.NOTICE, (G.NOTICE,), "office", "editor", ("city_office",), 8),
    ColumnSpec("portal", "zcwj", "政策文件", C.POLICY, (G.POLICY,), "office", "editor", ("city_office",), 6,
               "市政府及市政府办公室文件"),
    ColumnSpec("portal", "zcjd", "政策解读", C.POLICY, (G.INTERPRETATION,), "office", "editor",
               ("city_office",), 4),
    ColumnSpec("portal", "jgzn", "机构职能", C.OTHER, (G.DUTIES,), "office", "editor", ("city_office",), 0),
    ColumnSpec("portal", "ldxx", "领导信息", C.OTHER, (G.LEADERS,), "office", "editor", ("city",), 0),
    ColumnSpec("portal", "ghjh", "规划计划", C.OTHER, (G.PLAN, G.REPORT), "fgw", "fgw_editor",
               ("fgw", "city_office"), 2),
    # Budgets and monthly reports have one title per period: few articles, or the list repeats itself.
    ColumnSpec("portal", "czyjs", "财政预决算", C.OTHER, (G.BUDGET,), "czj", "czj_editor", DEPARTMENT_VOICES,
               2),
    ColumnSpec("portal", "yjgl", "应急管理", C.EVENT, (G.EMERGENCY,), "yjj", "yjj_editor", ("yjj",), 3),
    ColumnSpec("portal", "ztzl", "专题专栏", C.EVENT, (G.CAMPAIGN,), "office", "editor",
               ("city", "donglin", "xixi"), 3),
)
COLUMNS: tuple[ColumnSpec, ...] = (
    *PORTAL_COLUMNS,
    *_department_columns("jyj", "jyj_editor"),
    *_department_columns("wsjkw", "wsjkw_editor"),
    *_department_columns("sthjj", "sthjj_editor"),
    ColumnSpec("sthjj", "hjzl", "环境质量", C.OTHER, (G.ENV_QUALITY,), "sthjj", "sthjj_editor", ("sthjj",),
               1, "全市环境空气、地表水和饮用水水源地水质状况"),
    *_county_columns("donglin", "donglin_editor", ("chengguan", "longquan")),
    *_county_columns("xixi", "xixi_editor", ("xikou", "fenglin")),
    ColumnSpec("xixi", "yjgl", "应急管理", C.EVENT, (G.EMERGENCY,), "xixi_office", "xixi_editor",
               ("xixi",), 1),
)


# -- article plan (pure: no database) --------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedArticle:
    index: int
    column: ColumnSpec
    slug: str
    title: str
    source: str
    body: str
    publish_date: datetime


def article_slug(index: int) -> str:
    # Identity of a demo article across runs: independent of the anchor date, so a later run on
    # another day recognises what an earlier run created.
    return f"art{index + 1:05d}"


def _publish_time(rng: random.Random, anchor: date, min_days: int, max_days: int) -> datetime:
    """A working-hours time ``min_days``..``max_days`` before the anchor, mostly on weekdays."""
    day = anchor - timedelta(days=rng.randint(min_days, max_days))
    if day.weekday() >= 5 and rng.random() < 0.9:
        # Government sites publish on working days; move to the Friday before (or Monday after, at the
        # window's far edge) but never out of the window.
        friday = day - timedelta(days=day.weekday() - 4)
        monday = day + timedelta(days=7 - day.weekday())
        if (anchor - friday).days <= WINDOW_DAYS:
            day = friday
        elif monday < anchor:
            day = monday
    moment = time(rng.randint(8, 17), rng.randint(0, 59))
    return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


# How old the first article of a column may be, so the demo passes the inspector's freshness checks
# (national-specs §1.3: 动态 2 weeks, 通知公告/政策文件 6 months).
FIRST_ARTICLE_MAX_AGE: dict[str, int] = {C.DYNAMIC: 7, C.NOTICE: 150, C.POLICY: 150}


def plan_articles(count: int, seed: int, anchor: date,
                  columns: Sequence[ColumnSpec] = COLUMNS) -> list[PlannedArticle]:
    """The articles of the demo, article ``i`` depending only on (seed, anchor, articles before it).

    The first article of every column is recent enough that no column looks stale or blank to the
    inspector (动态 within a week, 通知公告/政策 within five months); the rest are spread over two years.
    """
    weighted = [c for c in columns if c.weight > 0]
    weights = [c.weight for c in weighted]
    seen: set[tuple[str, str, str]] = set()
    planned: list[PlannedArticle] = []
    for index in range(count):
        rng = random.Random(f"govsite-demo:{seed}:{index}")  # noqa: S311 - demo content, not security
        if index < len(columns):
            column = columns[index]
            newest = FIRST_ARTICLE_MAX_AGE.get(column.column_class, WINDOW_DAYS)
        else:
            column = rng.choices(weighted, weights)[0]
            newest = WINDOW_DAYS
        for _attempt in range(8):
            # Redraw (date included: monthly reports are titled by their month) when the column
            # already has this title, so column lists look like a real site's.
            when = _publish_time(rng, anchor, 1, newest)
            voice = VOICES[rng.choice(column.voices)]
            article = textgen.generate(rng, rng.choice(column.genres), voice, when)
            key = (column.site, column.slug, article.title)
            if key not in seen:
                break
        seen.add(key)
        planned.append(PlannedArticle(index, column, article_slug(index), article.title, article.source,
                                      article.html(), when))
    return planned


# -- progress and result ---------------------------------------------------------------------------------


class Reporter(Protocol):
    """Where build_demo tells what it is doing; the command draws it with rich."""

    def stage(self, text: str) -> None: ...

    def start_articles(self, total: int) -> None: ...

    def advance(self, step: int) -> None: ...


class SilentReporter:
    def stage(self, text: str) -> None:
        return None

    def start_articles(self, total: int) -> None:
        return None

    def advance(self, step: int) -> None:
        return None


@dataclass(frozen=True)
class SiteLink:
    code: str
    name: str
    kind: str
    url: str
    is_default: bool


@dataclass(frozen=True)
class Login:
    username: str
    full_name: str
    role: str
    site: str
    password: str


@dataclass
class DemoResult:
    seed: int
    anchor: date
    base_url: str
    admin_url: str
    created: dict[str, int] = field(default_factory=dict)
    sites: list[SiteLink] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


def site_url(base: str, site: GovSite) -> str:
    return f"{base}/s/{site.code}/"


def logins() -> list[Login]:
    names = {s.code: s.name for s in SITES}
    return [Login(a.username, a.full_name, str(Role.Kind(a.role).label), names.get(a.site or "", "全平台"),
                  DEMO_PASSWORD) for a in ACCOUNTS]


# -- building ----------------------------------------------------------------------------------------------


@contextmanager
def _deferred_indexing(models: Sequence[type[Page]]) -> Iterator[None]:
    """Skip the per-save search and reference-index tasks for ``models``; the caller indexes in bulk.

    Wagtail enqueues one search-index task and one reference-index task per saved page (a task row
    each with the database queue, inline indexing with the immediate backend). The demo is a one-off
    command, so pausing the process-wide search signal for its duration is safe.
    """
    paused = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


def _append_children(parent: Page, children: Sequence[Page]) -> None:
    """Insert unsaved, fully populated pages as the last children of ``parent``.

    Equivalent to ``parent.add_child(instance=page)`` for each page, but with one parent lookup and one
    ``numchild`` update for the batch, no full_clean (the demo data are valid by construction) and no
    per-page ``wagtail.create`` log entry (the run's ``demo.load`` audit row covers them).
    """
    if not children:
        return
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    position = last._get_lastpos_in_path() + 1 if last is not None else 1
    depth = parent.depth + 1
    for offset, page in enumerate(children):
        page.depth = depth
        page.path = Page._get_path(parent.path, depth, position + offset)
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page._cached_parent_obj = parent  # lets save() compute url_path without a query
        page._is_site_root = False  # a column or article is never a site root: saves a query per page
        page.save(clean=False, log_action=None)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))


def _index(model: type[Page], pages: Sequence[Page]) -> None:
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(pages), INDEX_BATCH):
            backend.add_bulk(model, pages[start:start + INDEX_BATCH])


def _ensure_units(created: dict[str, int]) -> dict[str, Unit]:
    existing = {u.name: u for u in Unit.objects.filter(name__in=[s.name for s in UNITS])}
    units: dict[str, Unit] = {}
    for order, spec in enumerate(UNITS, start=1):
        unit = existing.get(spec.name)
        if unit is None:
            unit = create_unit(None, name=spec.name, kind=spec.kind, short_name=spec.short,
                               parent=units[spec.parent] if spec.parent else None, sort_order=order * 10)
            created["units"] += 1
        units[spec.key] = unit
    return units


def _ensure_sites(units: dict[str, Unit], created: dict[str, int]) -> dict[str, GovSite]:
    existing = {s.code: s for s in GovSite.objects.filter(code__in=[s.code for s in SITES])}
    sites: dict[str, GovSite] = {}
    for order, spec in enumerate(SITES, start=1):
        site = existing.get(spec.code)
        if site is None:
            sponsor = units[spec.sponsor_unit]
            site = create_site(
                None, code=spec.code, name=spec.name, kind=spec.kind, site_id_code=spec.site_id_code,
                sponsor=sponsor.name, sponsor_unit=sponsor, organizer=units[ORGANIZER].name,
                icp_number=spec.icp_number, police_number=spec.police_number,
                primary_domain=spec.primary_domain,
                parent=sites[spec.parent] if spec.parent else None, phone=spec.phone, address=spec.address,
                postcode=spec.postcode, sort_order=order * 10,
            )
            created["sites"] += 1
        sites[spec.code] = site
    return sites


def _ensure_accounts(units: dict[str, Unit], sites: dict[str, GovSite],
                     created: dict[str, int]) -> dict[str, User]:
    platform = ensure_platform_roles()
    names = [a.username for a in ACCOUNTS]
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=names)}
    accounts: dict[str, User] = {}
    for spec in ACCOUNTS:
        user = existing.get(spec.username.lower())
        if user is None:
            if spec.role == R.EDITOR:  # 信息员 rights are per unit, on the columns the unit answers for
                group = unit_editor_group(units[spec.unit])
            elif spec.site is None:
                group = platform[spec.role]
            else:
                group = site_group(sites[spec.site], spec.role)
            user = create_account(None, username=spec.username, full_name=spec.full_name,
                                  unit=units[spec.unit], password=DEMO_PASSWORD, post=spec.post,
                                  groups=[group])
            created["accounts"] += 1
        accounts[spec.username] = user
    return accounts


def _ensure_columns(sites: dict[str, GovSite], units: dict[str, Unit], accounts: dict[str, User],
                    anchor: date, created: dict[str, int]) -> dict[tuple[str, str], ColumnPage]:
    columns: dict[tuple[str, str], ColumnPage] = {}
    new_columns: list[ColumnPage] = []
    opened = datetime.combine(anchor - timedelta(days=WINDOW_DAYS + 30), time(9, 0),
                              tzinfo=timezone.get_default_timezone())
    for code, site in sites.items():
        home = site.root_page
        existing = {c.slug: c for c in ColumnPage.objects.child_of(home)}
        missing: list[ColumnPage] = []
        for spec in (c for c in COLUMNS if c.site == code):
            column = existing.get(spec.slug)
            if column is None:
                column = ColumnPage(
                    title=spec.title, slug=spec.slug, column_class=spec.column_class,
                    description=spec.description or f"{site.name}{spec.title}", keywords=spec.title,
                    responsible_unit=units[spec.unit], owner=accounts[spec.officer],
                    show_in_menus=True, live=True, has_unpublished_changes=False,
                    first_published_at=opened, last_published_at=opened,
                )
                missing.append(column)
            columns[(code, spec.slug)] = column
        _append_children(home, missing)
        officers = {spec.slug: accounts[spec.officer] for spec in COLUMNS if spec.site == code}
        ColumnPage.info_officers.through.objects.bulk_create(
            [ColumnPage.info_officers.through(columnpage=c, user=officers[c.slug]) for c in missing]
        )
        new_columns += missing
    for column in new_columns:
        ReferenceIndex.create_or_update_for_object(column)  # responsible unit and 信息员 show as usages
    _index(ColumnPage, new_columns)
    created["columns"] += len(new_columns)
    return columns


def _ensure_articles(plan: Sequence[PlannedArticle], columns: dict[tuple[str, str], ColumnPage],
                     accounts: dict[str, User], reporter: Reporter, created: dict[str, int]) -> None:
    by_column: dict[tuple[str, str], list[PlannedArticle]] = {}
    for item in plan:
        by_column.setdefault((item.column.site, item.column.slug), []).append(item)
    todo: list[tuple[ColumnPage, list[PlannedArticle]]] = []
    for key, items in by_column.items():
        column = columns[key]
        have = set(ArticlePage.objects.child_of(column).values_list("slug", flat=True))
        missing = sorted((i for i in items if i.slug not in have), key=lambda i: (i.publish_date, i.index))
        if missing:
            todo.append((column, missing))
    reporter.start_articles(sum(len(items) for _, items in todo))
    new_pages: list[ArticlePage] = []
    for column, items in todo:
        owner = accounts[items[0].column.officer]
        pages = [
            ArticlePage(title=i.title, slug=i.slug, body=i.body, source=i.source, publish_date=i.publish_date,
                        owner=owner, live=True, has_unpublished_changes=False,
                        first_published_at=i.publish_date, last_published_at=i.publish_date)
            for i in items
        ]
        _append_children(column, pages)
        new_pages += pages
        reporter.advance(len(pages))
    reporter.stage("建立搜索索引")
    # Article bodies carry no links or foreign keys, so their reference-index rows would be empty.
    _index(ArticlePage, new_pages)
    created["articles"] += len(new_pages)


def build_demo(*, articles: int = DEFAULT_ARTICLES, seed: int = DEFAULT_SEED, anchor: date | None = None,
               base_url: str | None = None, dry_run: bool = False,
               reporter: Reporter | None = None) -> DemoResult:
    """Create whatever part of the demo 站群 is missing and return its sites and logins.

    Everything happens in one transaction: a failure leaves the database as it was, and ``dry_run``
    rolls back after counting what would have been created.
    """
    reporter = reporter or SilentReporter()
    anchor = anchor or timezone.localdate()
    base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    result = DemoResult(seed=seed, anchor=anchor, base_url=base, admin_url=f"{base}/{settings.ADMIN_URL}")
    created = dict.fromkeys(("units", "sites", "accounts", "columns", "articles"), 0)
    reporter.stage("生成文章内容")
    plan = plan_articles(articles, seed, anchor)
    with transaction.atomic():
        reporter.stage("单位")
        units = _ensure_units(created)
        reporter.stage("网站")
        sites = _ensure_sites(units, created)
        reporter.stage("账号")
        accounts = _ensure_accounts(units, sites, created)
        with _deferred_indexing([ColumnPage, ArticlePage]):
            reporter.stage("栏目")
            columns = _ensure_columns(sites, units, accounts, anchor, created)
            sync_unit_editor_permissions()
            reporter.stage("文章")
            _ensure_articles(plan, columns, accounts, reporter, created)
        if any(created.values()):
            detail = {"seed": seed, "anchor": anchor.isoformat(), "articles": articles, "created": created}
            record(None, "demo.load", sites["portal"], detail=detail)
        result.created = created
        result.sites = [
            SiteLink(s.code, s.name, str(GovSite.Kind(s.kind).label), site_url(base, s),
                     s.wagtail_site.is_default_site)
            for s in (sites[spec.code] for spec in SITES)
        ]
        result.logins = logins()
        if dry_run:
            transaction.set_rollback(True)
    return result

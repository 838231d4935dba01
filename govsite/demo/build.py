"""Builds the demo 站群 (青山市: a portal, two county portals, three department sites, their units, columns,
accounts and ~2,000 published articles), deterministically for a seed and anchor date and idempotently.

Sites, units and accounts go through their actions. Pages are inserted in bulk (see ``_append_children``)
and indexed once at the end; one ``demo.load`` audit row records what the run created.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from html import escape
from io import BytesIO
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler  # re-exported from modelsearch
from wagtail.signal_handlers import disable_reference_index_auto_update

from govsite.accounts.actions import create_account, create_unit
from govsite.accounts.models import Role, Unit, User
from govsite.accounts.setup import ensure_platform_roles
from govsite.audit.log import record
from govsite.content.library import (
    accept_push,
    decline_push,
    push_item,
    register_published_items,
    repost_item,
)
from govsite.content.models import (
    ArticlePage,
    ColumnClass,
    ColumnPage,
    DisclosureCatalogPage,
    InterpretationPage,
    LibraryItemPage,
    NoticePage,
    Placement,
    PolicyDocumentPage,
    PushRequest,
    ServiceGuidePage,
    TopicPage,
    Validity,
)
from govsite.content.permissions import (
    site_collection,
    sync_unit_editor_permissions,
    unit_editor_group,
    unit_head_group,
)
from govsite.demo import textgen
from govsite.demo.textgen import Genre, Leader, Voice
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
    SiteSpec(
        "portal",
        "青山市人民政府",
        K.PORTAL,
        None,
        "3599000001",
        "office",
        "闽ICP备05031268号",
        "闽公网安备35990202000101号",
        "www.qingshan.gov.cn",
        "0590-8823001",
        "青山市府前路1号",
        "359000",
    ),
    SiteSpec(
        "donglin",
        "东林县人民政府",
        K.COUNTY,
        "portal",
        "3599210001",
        "donglin_office",
        "闽ICP备08102233号",
        "闽公网安备35992102000012号",
        "www.donglin.gov.cn",
        "0590-6321001",
        "东林县城关镇府前街6号",
        "359100",
    ),
    SiteSpec(
        "xixi",
        "西溪县人民政府",
        K.COUNTY,
        "portal",
        "3599220001",
        "xixi_office",
        "闽ICP备09114521号",
        "闽公网安备35992202000027号",
        "www.xixi.gov.cn",
        "0590-7532001",
        "西溪县溪口镇人民路18号",
        "359200",
    ),
    SiteSpec(
        "jyj",
        "青山市教育局",
        K.DEPARTMENT,
        "portal",
        "3599000002",
        "jyj",
        "闽ICP备05031268号-2",
        "闽公网安备35990202000118号",
        "jyj.qingshan.gov.cn",
        "0590-8823156",
        "青山市人民路88号",
        "359000",
    ),
    SiteSpec(
        "wsjkw",
        "青山市卫生健康委员会",
        K.DEPARTMENT,
        "portal",
        "3599000003",
        "wsjkw",
        "闽ICP备05031268号-3",
        "闽公网安备35990202000125号",
        "wsjkw.qingshan.gov.cn",
        "0590-8825120",
        "青山市滨江路120号",
        "359000",
    ),
    SiteSpec(
        "sthjj",
        "青山市生态环境局",
        K.DEPARTMENT,
        "portal",
        "3599000004",
        "sthjj",
        "闽ICP备05031268号-4",
        "闽公网安备35990202000133号",
        "sthjj.qingshan.gov.cn",
        "0590-8827366",
        "青山市青山大道258号",
        "359000",
    ),
)
ORGANIZER = "info"  # 承办单位 of every site on the 集约化 platform

R = Role.Kind
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("sysadmin", "陈立新", "info", R.SYSTEM_ADMIN, post="系统管理员"),
    AccountSpec("secadmin", "郑海燕", "info", R.SECURITY_ADMIN, post="安全管理员"),
    AccountSpec("auditadmin", "王丽萍", "office", R.AUDIT_ADMIN, post="审计管理员"),
    AccountSpec("siteadmin", "林晓东", "info", R.SITE_ADMIN, "portal", "网站运维负责人"),
    AccountSpec("donglin_admin", "赵永明", "donglin_office", R.SITE_ADMIN, "donglin", "县政府网站管理员"),
    AccountSpec("editor", "黄雅琴", "office", R.EDITOR, "portal", "信息员"),
    AccountSpec("reviewer", "张国华", "office", R.REVIEWER, "portal", "政务公开科科长"),
    AccountSpec("office_head", "陈建国", "office", R.UNIT_HEAD, "portal", "市政府办公室副主任"),
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


def _dept_voice(
    org: str,
    short: str,
    domain: str,
    prefix: str,
    audience: str,
    leaders: tuple[Leader, ...],
    address: str,
    phone: str,
    committee: bool = False,
) -> Voice:
    meeting = "委务会议" if committee else "局务会议"
    return Voice(
        org=org,
        short=short,
        domain=domain,
        level="市",
        region="青山市",
        places=CITY_PLACES,
        leaders=leaders,
        doc_prefixes=((org, prefix),),
        audience=audience,
        council=short + "{year}年第{k}次" + meeting,
        address=address,
        phone=phone,
    )


def _town_voice(org: str, short: str, villages: tuple[str, ...], address: str, phone: str) -> Voice:
    # Towns recur in many articles: their leaders get fixed names derived from the town.
    township = short.endswith("乡")
    title = "乡长" if township else "镇长"
    leaders = (
        Leader(textgen.stable_person(short + "长"), title),
        Leader(textgen.stable_person(short + "副"), "副" + title),
    )
    return Voice(
        org=org,
        short=short,
        domain="township",
        level="乡" if township else "镇",
        region=short,
        places=villages,
        leaders=leaders,
        doc_prefixes=((org, short[:2] + "政"),),
        audience="各村（社区），乡镇各站所：",
        council=short + "第{k}次" + title + "办公会议",
        address=address,
        phone=phone,
        is_government=True,
    )


def _county_voice(
    name: str, prefix: str, towns: tuple[str, ...], leaders: tuple[Leader, ...], address: str, phone: str
) -> Voice:
    government = f"{name}人民政府"
    return Voice(
        org=government,
        short=name,
        domain="government",
        level="县",
        region=name,
        places=towns,
        leaders=leaders,
        doc_prefixes=((government, f"{prefix}政"), (f"{government}办公室", f"{prefix}政办")),
        audience="各乡（镇）人民政府，县直各单位：",
        council="县政府第{k}次常务会议",
        address=address,
        phone=phone,
        sources=(f"{government}办公室", f"{name}融媒体中心"),
        is_government=True,
    )


def _office_voice(county: Voice, director: Leader) -> Voice:
    """The county government's office: it signs the county's notices and documents."""
    return replace(
        county,
        org=f"{county.org}办公室",
        short=f"{county.region}政府办",
        leaders=(director, *county.leaders[1:]),
        sources=(),
    )


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
        org="青山市人民政府",
        short="市政府",
        domain="government",
        level="市",
        region="青山市",
        places=CITY_PLACES,
        leaders=CITY_LEADERS,
        doc_prefixes=CITY_PREFIXES,
        audience=CITY_AUDIENCE,
        council="市政府第{k}次常务会议",
        address="青山市府前路1号",
        phone="0590-8823001",
        sources=("市政府办公室", "青山日报", "市融媒体中心"),
        is_government=True,
    ),
    "city_office": Voice(
        org="青山市人民政府办公室",
        short="市政府办公室",
        domain="government",
        level="市",
        region="青山市",
        places=CITY_PLACES,
        leaders=(
            _leader("刘振华", "市政府秘书长、办公室主任"),
            _leader("潘丽君", "办公室副主任", "政务公开、政府网站管理", female=True),
            _leader("游建新", "办公室副主任", "综合协调、督查"),
        ),
        doc_prefixes=CITY_PREFIXES,
        audience=CITY_AUDIENCE,
        council="市政府第{k}次常务会议",
        address="青山市府前路1号",
        phone="0590-8823001",
        is_government=True,
    ),
    "jyj": _dept_voice(
        "青山市教育局",
        "市教育局",
        "education",
        "青教",
        "各县（区）教育局，市直各学校：",
        (
            _leader("许文博", "局长"),
            _leader("李秀兰", "副局长", "基础教育、学前教育", female=True),
            _leader("潘建军", "副局长", "职业教育、校园安全"),
        ),
        "青山市人民路88号",
        "0590-8823156",
    ),
    "wsjkw": _dept_voice(
        "青山市卫生健康委员会",
        "市卫健委",
        "health",
        "青卫",
        "各县（区）卫生健康局，市直各医疗卫生单位：",
        (
            _leader("蔡立群", "主任"),
            _leader("何静", "副主任", "疾病预防控制、妇幼健康", female=True),
            _leader("邱明远", "副主任", "医政医管、中医药"),
        ),
        "青山市滨江路120号",
        "0590-8825120",
        committee=True,
    ),
    "sthjj": _dept_voice(
        "青山市生态环境局",
        "市生态环境局",
        "environment",
        "青环",
        "各县（区）生态环境局，市直有关单位：",
        (
            _leader("方正清", "局长"),
            _leader("朱丽华", "副局长", "大气、水、土壤污染防治", female=True),
            _leader("江涛", "副局长", "生态环境执法、环境监测"),
        ),
        "青山市青山大道258号",
        "0590-8827366",
    ),
    "fgw": _dept_voice(
        "青山市发展和改革委员会",
        "市发改委",
        "development",
        "青发改",
        CITY_AUDIENCE,
        (_leader("邱明辉", "主任"), _leader("叶海峰", "副主任", "重大项目、价格")),
        "青山市府前路1号",
        "0590-8823210",
        committee=True,
    ),
    "czj": _dept_voice(
        "青山市财政局",
        "市财政局",
        "finance",
        "青财",
        "市直各预算单位：",
        (_leader("苏亚平", "局长", female=True), _leader("曾德荣", "副局长", "预算、国库")),
        "青山市府前路3号",
        "0590-8823318",
    ),
    "yjj": _dept_voice(
        "青山市应急管理局",
        "市应急管理局",
        "emergency",
        "青应急",
        "各县（区）应急管理局，市直有关单位：",
        (_leader("严卫东", "局长"), _leader("卢晓梅", "副局长", "防汛抗旱、救灾", female=True)),
        "青山市解放路66号",
        "0590-8829110",
    ),
    "donglin": _county_voice(
        "东林县",
        "东",
        ("城关镇", "龙泉镇", "白沙乡", "石门镇"),
        (
            _leader("罗宏伟", "县长"),
            _leader("彭丽", "副县长", "教育、卫生健康", female=True),
            _leader("邓志刚", "副县长", "工业、交通、应急管理"),
        ),
        "东林县城关镇府前街6号",
        "0590-6321001",
    ),
    "xixi": _county_voice(
        "西溪县",
        "西",
        ("溪口镇", "枫林乡", "桃源乡", "云山镇"),
        (
            _leader("谢雨辰", "县长"),
            _leader("詹秀梅", "副县长", "教育、文化旅游", female=True),
            _leader("魏建国", "副县长", "农业农村、生态环境"),
        ),
        "西溪县溪口镇人民路18号",
        "0590-7532001",
    ),
}
VOICES |= {
    "donglin_office": _office_voice(VOICES["donglin"], _leader("高德明", "县政府办公室主任")),
    "xixi_office": _office_voice(VOICES["xixi"], _leader("曾晓燕", "县政府办公室主任", female=True)),
    "chengguan": _town_voice(
        "东林县城关镇人民政府",
        "城关镇",
        ("城东社区", "城西社区", "溪头村", "上坪村"),
        "东林县城关镇府前街12号",
        "0590-6321201",
    ),
    "longquan": _town_voice(
        "东林县龙泉镇人民政府",
        "龙泉镇",
        ("龙泉村", "下洋村", "竹林村"),
        "东林县龙泉镇龙泉街8号",
        "0590-6351001",
    ),
    "xikou": _town_voice(
        "西溪县溪口镇人民政府",
        "溪口镇",
        ("溪口社区", "大坪村", "枫树村"),
        "西溪县溪口镇人民路20号",
        "0590-7532201",
    ),
    "fenglin": _town_voice(
        "西溪县枫林乡人民政府",
        "枫林乡",
        ("枫林村", "岭头村", "坑口村"),
        "西溪县枫林乡枫林街3号",
        "0590-7561001",
    ),
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
    ColumnSpec(
        "portal",
        "zwyw",
        "政务要闻",
        C.DYNAMIC,
        (G.NEWS,),
        "office",
        "editor",
        ("city",),
        24,
        "市政府重要会议、领导活动和重要工作部署",
    ),
    ColumnSpec(
        "portal",
        "bmdt",
        "部门动态",
        C.DYNAMIC,
        (G.NEWS,),
        "office",
        "editor",
        DEPARTMENT_VOICES,
        16,
        "市直各部门工作动态",
    ),
    ColumnSpec(
        "portal",
        "xqdt",
        "县区动态",
        C.DYNAMIC,
        (G.NEWS,),
        "office",
        "editor",
        ("donglin", "xixi"),
        12,
        "各县（区）工作动态",
    ),
    ColumnSpec("portal", "tzgg", "通知公告", C.NOTICE, (G.NOTICE,), "office", "editor", ("city_office",), 8),
    ColumnSpec(
        "portal",
        "zcwj",
        "政策文件",
        C.POLICY,
        (G.POLICY,),
        "office",
        "editor",
        ("city_office",),
        6,
        "市政府及市政府办公室文件",
    ),
    ColumnSpec(
        "portal", "zcjd", "政策解读", C.POLICY, (G.INTERPRETATION,), "office", "editor", ("city_office",), 4
    ),
    ColumnSpec("portal", "jgzn", "机构职能", C.OTHER, (G.DUTIES,), "office", "editor", ("city_office",), 0),
    ColumnSpec("portal", "ldxx", "领导信息", C.OTHER, (G.LEADERS,), "office", "editor", ("city",), 0),
    ColumnSpec(
        "portal",
        "ghjh",
        "规划计划",
        C.OTHER,
        (G.PLAN, G.REPORT),
        "fgw",
        "fgw_editor",
        ("fgw", "city_office"),
        2,
    ),
    # Budgets and monthly reports have one title per period: few articles, or the list repeats itself.
    ColumnSpec(
        "portal", "czyjs", "财政预决算", C.OTHER, (G.BUDGET,), "czj", "czj_editor", DEPARTMENT_VOICES, 2
    ),
    ColumnSpec("portal", "yjgl", "应急管理", C.EVENT, (G.EMERGENCY,), "yjj", "yjj_editor", ("yjj",), 3),
    ColumnSpec(
        "portal",
        "ztzl",
        "专题专栏",
        C.EVENT,
        (G.CAMPAIGN,),
        "office",
        "editor",
        ("city", "donglin", "xixi"),
        3,
    ),
)
COLUMNS: tuple[ColumnSpec, ...] = (
    *PORTAL_COLUMNS,
    *_department_columns("jyj", "jyj_editor"),
    *_department_columns("wsjkw", "wsjkw_editor"),
    *_department_columns("sthjj", "sthjj_editor"),
    ColumnSpec(
        "sthjj",
        "hjzl",
        "环境质量",
        C.OTHER,
        (G.ENV_QUALITY,),
        "sthjj",
        "sthjj_editor",
        ("sthjj",),
        1,
        "全市环境空气、地表水和饮用水水源地水质状况",
    ),
    *_county_columns("donglin", "donglin_editor", ("chengguan", "longquan")),
    *_county_columns("xixi", "xixi_editor", ("xikou", "fenglin")),
    ColumnSpec(
        "xixi", "yjgl", "应急管理", C.EVENT, (G.EMERGENCY,), "xixi_office", "xixi_editor", ("xixi",), 1
    ),
)


# Columns with no generated articles: their items are the named ones below.
SERVICE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "portal",
        "bsfw",
        "办事服务",
        C.OTHER,
        (),
        "office",
        "editor",
        ("city_office",),
        0,
        "办事指南和网上办理入口",
    ),
)
SITE_COLUMNS: tuple[ColumnSpec, ...] = (*COLUMNS, *SERVICE_COLUMNS)


# -- the policy lifecycle: named 政策文件, 解读, 办事指南, 通知公告, a 专题 and the 公开目录 ----------------
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
# open call for comments, which the portal pushes to the counties (see _ensure_library_links).
IMPORTANT_ITEMS = frozenset({"zc01", "tz01"})


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
    # 公开目录 metadata (national-specs §5.1)
    publisher: str = ""
    topic_category: str = ""
    genre: str = ""
    document_number: str = ""
    written_date: date | None = None


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


def plan_articles(
    count: int, seed: int, anchor: date, columns: Sequence[ColumnSpec] = COLUMNS
) -> list[PlannedArticle]:
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
            genre = rng.choice(column.genres)
            article = textgen.generate(rng, genre, voice, when)
            key = (column.site, column.slug, article.title)
            if key not in seen:
                break
        seen.add(key)
        planned.append(
            PlannedArticle(
                index,
                column,
                article_slug(index),
                article.title,
                article.source,
                article.html(),
                when,
                publisher=article.publisher,
                topic_category=TOPIC_OF_DOMAIN[voice.domain],
                genre=document_genre(Genre(genre), article.title),
                document_number=article.document_number,
                written_date=article.written,
            )
        )
    return planned


# 主题分类 (national-specs §5.3) of a voice's field of work.
TOPIC_OF_DOMAIN: dict[str, str] = {
    "government": "综合政务",
    "township": "综合政务",
    "education": "科技、教育",
    "health": "卫生、体育",
    "environment": "城乡建设、环境保护",
    "development": "国民经济管理、国有资产监管",
    "finance": "财政、金融、审计",
    "emergency": "市场监管、安全生产监管",
}


def document_genre(genre: Genre, title: str) -> str:
    """The 体裁 (one of ``GENRES``) of a generated article, from its kind and, for 公文, its title."""
    if genre in (Genre.NEWS, Genre.CAMPAIGN):
        return "工作动态"
    if genre == Genre.INTERPRETATION:
        return "解读"
    if genre == Genre.ENV_QUALITY:
        return "公报"
    if genre == Genre.PLAN:
        return "规划" if "规划" in title else "计划"
    if genre == Genre.REPORT:
        return "报告" if title.endswith("报告") else "总结"
    for suffix in ("公告", "意见", "通知"):
        if title.endswith(suffix):
            return suffix
    return "工作动态" if genre == Genre.EMERGENCY else "其他"


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
    # The named policy-lifecycle pages, by kind (labels in ITEM_LABELS).
    created_items: dict[str, int] = field(default_factory=dict)
    sites: list[SiteLink] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values()) or any(self.created_items.values())


def site_url(base: str, site: GovSite) -> str:
    return f"{base}/s/{site.code}/"


def logins() -> list[Login]:
    names = {s.code: s.name for s in SITES}
    return [
        Login(
            a.username,
            a.full_name,
            str(Role.Kind(a.role).label),
            names.get(a.site or "", "全平台"),
            DEMO_PASSWORD,
        )
        for a in ACCOUNTS
    ]


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
            backend.add_bulk(model, pages[start : start + INDEX_BATCH])


def _ensure_units(created: dict[str, int]) -> dict[str, Unit]:
    existing = {u.name: u for u in Unit.objects.filter(name__in=[s.name for s in UNITS])}
    units: dict[str, Unit] = {}
    for order, spec in enumerate(UNITS, start=1):
        unit = existing.get(spec.name)
        if unit is None:
            unit = create_unit(
                None,
                name=spec.name,
                kind=spec.kind,
                short_name=spec.short,
                parent=units[spec.parent] if spec.parent else None,
                sort_order=order * 10,
            )
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
                None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                site_id_code=spec.site_id_code,
                sponsor=sponsor.name,
                sponsor_unit=sponsor,
                organizer=units[ORGANIZER].name,
                icp_number=spec.icp_number,
                police_number=spec.police_number,
                primary_domain=spec.primary_domain,
                parent=sites[spec.parent] if spec.parent else None,
                phone=spec.phone,
                address=spec.address,
                postcode=spec.postcode,
                sort_order=order * 10,
            )
            created["sites"] += 1
        sites[spec.code] = site
    return sites


def _ensure_accounts(
    units: dict[str, Unit], sites: dict[str, GovSite], created: dict[str, int]
) -> dict[str, User]:
    platform = ensure_platform_roles()
    names = [a.username for a in ACCOUNTS]
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=names)}
    accounts: dict[str, User] = {}
    for spec in ACCOUNTS:
        user = existing.get(spec.username.lower())
        if user is None:
            if spec.role == R.EDITOR:  # 信息员 rights are per unit, on the columns the unit answers for
                group = unit_editor_group(units[spec.unit])
            elif spec.role == R.UNIT_HEAD:  # approves the last review step of the unit's columns
                group = unit_head_group(units[spec.unit])
            elif spec.site is None:
                group = platform[spec.role]
            else:
                group = site_group(sites[spec.site], spec.role)
            user = create_account(
                None,
                username=spec.username,
                full_name=spec.full_name,
                unit=units[spec.unit],
                password=DEMO_PASSWORD,
                post=spec.post,
                groups=[group],
            )
            created["accounts"] += 1
        accounts[spec.username] = user
    return accounts


def _ensure_columns(
    sites: dict[str, GovSite],
    units: dict[str, Unit],
    accounts: dict[str, User],
    anchor: date,
    created: dict[str, int],
) -> dict[tuple[str, str], ColumnPage]:
    columns: dict[tuple[str, str], ColumnPage] = {}
    new_columns: list[ColumnPage] = []
    opened = _columns_opened(anchor)
    for code, site in sites.items():
        specs = [c for c in SITE_COLUMNS if c.site == code]
        found, missing = _add_columns(site.root_page, specs, site.name, units, accounts, opened)
        columns |= {(code, slug): column for slug, column in found.items()}
        new_columns += missing
    _finish_columns(new_columns, created)
    return columns


def _columns_opened(anchor: date) -> datetime:
    """When the demo's columns went live: a month before their oldest article."""
    return datetime.combine(
        anchor - timedelta(days=WINDOW_DAYS + 30), time(9, 0), tzinfo=timezone.get_default_timezone()
    )


def _add_columns(
    parent: Page,
    specs: Sequence[ColumnSpec],
    site_name: str,
    units: dict[str, Unit],
    accounts: dict[str, User],
    opened: datetime,
) -> tuple[dict[str, ColumnPage], list[ColumnPage]]:
    """The columns ``specs`` under ``parent`` by slug, creating the missing ones (returned second)."""
    existing = {c.slug: c for c in ColumnPage.objects.child_of(parent)}
    found: dict[str, ColumnPage] = {}
    missing: list[ColumnPage] = []
    for spec in specs:
        column = existing.get(spec.slug)
        if column is None:
            column = ColumnPage(
                title=spec.title,
                slug=spec.slug,
                column_class=spec.column_class,
                description=spec.description or f"{site_name}{spec.title}",
                keywords=spec.title,
                responsible_unit=units[spec.unit],
                owner=accounts[spec.officer],
                show_in_menus=True,
                live=True,
                has_unpublished_changes=False,
                first_published_at=opened,
                last_published_at=opened,
            )
            missing.append(column)
        found[spec.slug] = column
    _append_children(parent, missing)
    officers = {spec.slug: accounts[spec.officer] for spec in specs}
    ColumnPage.info_officers.through.objects.bulk_create(
        [ColumnPage.info_officers.through(columnpage=c, user=officers[c.slug]) for c in missing]
    )
    return found, missing


def _finish_columns(new_columns: Sequence[ColumnPage], created: dict[str, int]) -> None:
    for column in new_columns:
        ReferenceIndex.create_or_update_for_object(column)  # responsible unit and 信息员 show as usages
    _index(ColumnPage, new_columns)
    created["columns"] += len(new_columns)


def _ensure_articles(
    plan: Sequence[PlannedArticle],
    columns: dict[tuple[str, str], ColumnPage],
    accounts: dict[str, User],
    reporter: Reporter,
    created: dict[str, int],
) -> None:
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
            ArticlePage(
                title=i.title,
                slug=i.slug,
                body=i.body,
                source=i.source,
                publish_date=i.publish_date,
                owner=owner,
                live=True,
                has_unpublished_changes=False,
                first_published_at=i.publish_date,
                last_published_at=i.publish_date,
                publisher=i.publisher,
                topic_category=i.topic_category,
                genre=i.genre,
                document_number=i.document_number,
                written_date=i.written_date,
            )
            for i in items
        ]
        _append_children(column, pages)
        new_pages += pages
        reporter.advance(len(pages))
    reporter.stage("建立搜索索引")
    # Article bodies carry no links or foreign keys, so their reference-index rows would be empty.
    _index(ArticlePage, new_pages)
    created["articles"] += len(new_pages)


# -- the policy lifecycle items -----------------------------------------------------------------------

LIFECYCLE_MODELS: tuple[type[Page], ...] = (
    PolicyDocumentPage,
    InterpretationPage,
    ServiceGuidePage,
    NoticePage,
    TopicPage,
    DisclosureCatalogPage,
)
TZ = timezone.get_default_timezone()
RED, PALE, GREY = (183, 28, 28), (253, 236, 234), (150, 150, 150)


def _item_rng(seed: int, slug: str) -> random.Random:
    """The random stream of one named item: independent of every other item and of the article plan."""
    return random.Random(f"govsite-demo:{seed}:{slug}")  # noqa: S311 - demo content, not security


def _on_working_day(anchor: date, age_days: int, hour: int, minute: int = 0) -> datetime:
    """``age_days`` before the anchor at ``hour``; a weekend day moves to the Friday before."""
    day = anchor - timedelta(days=age_days)
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _live(page: LibraryItemPage, when: datetime, owner: User) -> LibraryItemPage:
    """Mark an unsaved item as published at ``when`` (how the demo's articles are stored too)."""
    page.publish_date = page.first_published_at = page.last_published_at = when
    page.owner = owner
    page.live, page.has_unpublished_changes = True, False
    return page


def _missing_slugs(parent: Page, slugs: Sequence[str]) -> set[str]:
    have = Page.objects.child_of(parent).filter(slug__in=slugs).values_list("slug", flat=True)
    return set(slugs) - set(have)


def _add_items(
    parent: Page, pages: Sequence[LibraryItemPage], model: type[Page], kind: str, items: dict[str, int]
) -> None:
    """Insert new items oldest first (as a column's own articles are), then index them."""
    ordered = sorted(pages, key=lambda p: p.publish_date)
    _append_children(parent, ordered)
    for page in ordered:
        ReferenceIndex.create_or_update_for_object(page)  # 解读 → 政策文件, 图解 → image, 修订 → successor
    _index(model, ordered)
    items[kind] += len(ordered)


def _png(key: str, width: int, height: int, panels: int) -> bytes:
    """A small picture without text, the same bytes for the same arguments: a red title band over
    ``panels`` numbered panels drawn as shapes (a 图解), or with no panels a 专题 banner. The words
    belong in the alt text and the page."""
    rng = random.Random(key)  # noqa: S311 - picture layout, not security
    picture = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    if panels == 0:  # a banner: red ground, a pale title bar and a row of rings
        draw.rectangle((0, 0, width, height), fill=RED)
        draw.rectangle((width // 12, height * 2 // 5, width // 2, height * 3 // 5), fill=PALE)
        for i in range(5):
            size = rng.randint(height // 4, height // 2)
            left = width * (11 + 2 * i) // 22
            top = (height - size) // 2
            draw.ellipse((left, top, left + size, top + size), outline=PALE, width=6)
        buffer = BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()
    band = height // 8 if panels > 1 else height // 3
    draw.rectangle((0, 0, width, band), fill=RED)
    draw.rectangle((width // 10, band // 3, width * 9 // 10, band * 2 // 3), fill=PALE)
    gap = 24
    panel_height = (height - band - gap * (panels + 1)) // panels
    for i in range(panels):
        top = band + gap + i * (panel_height + gap)
        draw.rounded_rectangle(
            (gap * 2, top, width - gap * 2, top + panel_height), radius=16, fill=PALE, outline=RED, width=4
        )
        size = min(panel_height // 2, 90)
        middle = top + panel_height // 2
        draw.ellipse((gap * 3, middle - size // 2, gap * 3 + size, middle + size // 2), fill=RED)
        left = gap * 4 + size
        for line in range(3):
            y = top + panel_height // 4 + line * panel_height // 5
            draw.rectangle(
                (
                    left,
                    y,
                    left + rng.randint((width - left) // 3, width - left - gap * 3),
                    y + max(6, panel_height // 14),
                ),
                fill=GREY,
            )
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _demo_image(site: GovSite, title: str, description: str, data: bytes, filename: str) -> AbstractImage:
    """The image ``title`` in the site's collection, uploaded from ``data`` if it is not there yet."""
    collection = site_collection(site)
    image_model = get_image_model()
    image = image_model.objects.filter(collection=collection, title=title).first()
    if image is None:
        with PILImage.open(BytesIO(data)) as opened:
            width, height = opened.size
        image = image_model(
            title=title,
            description=description,
            collection=collection,
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        )
        image.file.save(filename, ContentFile(data), save=False)
        image.width, image.height = width, height  # saving the file left them unset
        image.save()
    return image


def _ensure_sections(
    sites: dict[str, GovSite],
    units: dict[str, Unit],
    accounts: dict[str, User],
    anchor: date,
    dry_run: bool,
    created: dict[str, int],
    items: dict[str, int],
) -> dict[str, ColumnPage]:
    """Every site's 政府信息公开目录 page, and the portal's 专题 with its columns (returned by slug)."""
    opened = _columns_opened(anchor)
    for site in sites.values():
        home = site.root_page
        if not DisclosureCatalogPage.objects.child_of(home).exists():
            catalog = DisclosureCatalogPage(
                title=CATALOG_TITLE,
                slug=CATALOG_SLUG,
                show_in_menus=True,
                live=True,
                has_unpublished_changes=False,
                first_published_at=opened,
                last_published_at=opened,
                intro=f"本目录收录{site.name}主动公开的政府信息，可按主题分类、体裁、发布机构和年份浏览。",
            )
            _append_children(home, [catalog])
            _index(DisclosureCatalogPage, [catalog])
            items["catalogs"] += 1
    portal = sites["portal"]
    topic = TopicPage.objects.child_of(portal.root_page).filter(slug=TOPIC_SLUG).first()
    if topic is None:
        banner = (
            None
            if dry_run
            else _demo_image(
                portal,
                f"{TOPIC_TITLE}专题题图",
                f"{TOPIC_TITLE}专题",
                _png(TOPIC_SLUG, 1100, 220, 0),
                f"{TOPIC_SLUG}.png",
            )
        )
        topic = TopicPage(
            title=TOPIC_TITLE,
            slug=TOPIC_SLUG,
            intro=TOPIC_INTRO,
            banner=banner,
            responsible_unit=units["office"],
            owner=accounts["editor"],
            show_in_menus=False,
            live=True,
            has_unpublished_changes=False,
            first_published_at=opened,
            last_published_at=opened,
        )
        _append_children(portal.root_page, [topic])
        ReferenceIndex.create_or_update_for_object(topic)
        _index(TopicPage, [topic])
        items["topics"] += 1
    found, missing = _add_columns(topic, TOPIC_COLUMNS, portal.name, units, accounts, opened)
    _finish_columns(missing, created)
    return found


@dataclass(frozen=True)
class _Document:
    """A planned 政策文件: what its page, its 解读 and a later revision need to know of it."""

    spec: PolicySpec
    when: datetime
    signed: date
    name: str
    number: str

    @property
    def effective(self) -> date:
        # A 办法 takes effect 30 days after publication (textgen says so in its last article); other
        # documents on signature ("自印发之日起施行").
        return self.when.date() + timedelta(days=30) if self.spec.short_type == "办法" else self.signed


def _plan_documents(seed: int, anchor: date) -> dict[str, _Document]:
    documents: dict[str, _Document] = {}
    for spec in POLICIES:
        when = _on_working_day(anchor, spec.age_days, 10)
        signed = when.date() - timedelta(days=_item_rng(seed, spec.slug + ":signed").randint(2, 6))
        documents[spec.slug] = _Document(
            spec,
            when,
            signed,
            spec.name.format(year=signed.year),
            f"{spec.prefix}〔{signed.year}〕{spec.serial}号",
        )
    return documents


def _serials_per_year(documents: Sequence[_Document]) -> Iterator[tuple[_Document, int]]:
    serials: dict[int, int] = {}
    for document in documents:
        serials[document.signed.year] = serials.get(document.signed.year, 0) + 1
        yield document, serials[document.signed.year]


def _validity_changed_on(document: _Document, documents: dict[str, _Document], anchor: date) -> date | None:
    spec = document.spec
    if spec.validity == Validity.REVISED:
        return documents[spec.successor].effective
    if spec.validity == Validity.REPEALED:
        return anchor - timedelta(days=spec.repealed_age_days)
    if spec.validity == Validity.EXPIRED:
        return date(document.signed.year + 1, 1, 1)  # a programme for one year
    return None


def _ensure_policies(
    seed: int, anchor: date, column: ColumnPage, owner: User, items: dict[str, int]
) -> dict[str, PolicyDocumentPage]:
    documents = _plan_documents(seed, anchor)
    missing = _missing_slugs(column, list(documents))
    replaced = {spec.successor: documents[spec.slug] for spec in POLICIES if spec.successor}
    # 统一编号: numbered per year in order of signature
    by_signature = sorted(
        (d for d in documents.values() if d.spec.normative), key=lambda d: (d.signed, d.spec.slug)
    )
    register = {d.spec.slug: f"青规〔{d.signed.year}〕{n}号" for d, n in _serials_per_year(by_signature)}
    pages: list[PolicyDocumentPage] = []
    for slug in sorted(missing):
        document = documents[slug]
        spec = document.spec
        old = replaced.get(slug)
        article = textgen.policy_document(
            _item_rng(seed, slug),
            VOICES[spec.voice],
            document.when,
            issuer=spec.issuer,
            number=document.number,
            signed=document.signed,
            document=textgen.PolicyTitle(document.name, spec.short_type, spec.purpose),
            replaces=f"《{old.name}》（{old.number}）" if old else "",
            topic=spec.topic,
        )
        page = PolicyDocumentPage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=spec.issuer,
            written_date=document.signed,
            document_number=document.number,
            topic_category=spec.topic_category,
            genre="通知",
            effect_level="行政规范性文件" if spec.normative else "其他文件",
            keywords=spec.keywords,
            validity=spec.validity,
            effective_from=document.effective,
            validity_changed_on=_validity_changed_on(document, documents, anchor),
            register_number=register.get(slug, ""),
            is_important_policy=slug in IMPORTANT_ITEMS,
        )
        pages.append(_live(page, document.when, owner))
    _add_items(column, pages, PolicyDocumentPage, "policies", items)
    saved = {p.slug: p for p in PolicyDocumentPage.objects.child_of(column).filter(slug__in=list(documents))}
    for spec in POLICIES:
        if spec.successor and saved[spec.slug].successor_id is None:
            PolicyDocumentPage.objects.filter(pk=saved[spec.slug].pk).update(successor=saved[spec.successor])
    return saved


def _ensure_interpretations(
    seed: int,
    anchor: date,
    column: ColumnPage,
    policies: dict[str, PolicyDocumentPage],
    portal: GovSite,
    owner: User,
    dry_run: bool,
    items: dict[str, int],
) -> None:
    documents = _plan_documents(seed, anchor)
    missing = _missing_slugs(column, [slug for slug, _, _ in INTERPRETATIONS])
    pages: list[InterpretationPage] = []
    for slug, policy_slug, form in INTERPRETATIONS:
        if slug not in missing:
            continue
        policy, document = policies[policy_slug], documents[policy_slug]
        voice = VOICES[document.spec.voice]
        when = document.when + timedelta(hours=1)  # published with the document (“三同步”)
        image = None
        if form == Form.GRAPHIC:
            article = textgen.graphic_summary(
                _item_rng(seed, slug), voice, when, document=document.name, topic=document.spec.topic
            )
            if not dry_run:
                alt = f"图解：《{document.name}》的出台背景、主要目标、重点任务和保障措施（文字版见正文）"
                image = _demo_image(portal, article.title, alt, _png(slug, 640, 900, 4), f"{slug}.png")
        else:
            article = textgen.interpretation_text(
                _item_rng(seed, slug), voice, when, document=document.name, topic=document.spec.topic
            )
        page = InterpretationPage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=article.publisher,
            written_date=when.date(),
            topic_category=policy.topic_category,
            genre="解读",
            keywords=policy.keywords,
            form=form,
            policy=policy,
            image=image,
        )
        pages.append(_live(page, when, owner))
    _add_items(column, pages, InterpretationPage, "interpretations", items)


def _ensure_guides(anchor: date, column: ColumnPage, owner: User, items: dict[str, int]) -> None:
    slugs = [f"bszn{i:02d}" for i in range(1, len(textgen.SERVICE_GUIDES) + 1)]
    missing = _missing_slugs(column, slugs)
    topics = {voice.org: TOPIC_OF_DOMAIN[voice.domain] for voice in VOICES.values()}
    shorts = {voice.org: voice.short for voice in VOICES.values()}
    pages: list[ServiceGuidePage] = []
    for slug, guide, age in zip(slugs, textgen.SERVICE_GUIDES, GUIDE_AGES, strict=True):
        if slug not in missing:
            continue
        page = ServiceGuidePage(
            title=f"{guide.item_name}办事指南",
            slug=slug,
            item_name=guide.item_name,
            legal_basis=guide.legal_basis,
            conditions=guide.conditions,
            materials=guide.materials,
            process=guide.process,
            time_limit=guide.time_limit,
            fees=guide.fees,
            location=guide.location,
            consult_phone=guide.consult_phone,
            complaint_phone=guide.complaint_phone,
            online_url=f"{ONLINE_SERVICE_URL}bs/{guide.online_path}",
            body=f"<p>{escape(guide.notes)}</p>",
            source=shorts[guide.publisher],
            publisher=guide.publisher,
            topic_category=topics[guide.publisher],
            genre="其他",
            keywords=guide.item_name,
        )
        pages.append(_live(page, _on_working_day(anchor, age, 9, 30), owner))
    _add_items(column, pages, ServiceGuidePage, "guides", items)


def _ensure_notices(seed: int, anchor: date, column: ColumnPage, owner: User, items: dict[str, int]) -> None:
    missing = _missing_slugs(column, [slug for slug, *_ in NOTICES])
    voice = VOICES["city_office"]
    topics = {textgen.NoticeKind.RECRUITMENT: "劳动、人事、监察"}
    pages: list[NoticePage] = []
    for slug, kind, age, open_days in NOTICES:
        if slug not in missing:
            continue
        when = _on_working_day(anchor, age, 15)
        deadline = when.date() + timedelta(days=open_days)
        article = textgen.notice_with_deadline(_item_rng(seed, slug), voice, when, kind, deadline)
        page = NoticePage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=article.publisher,
            written_date=article.written,
            topic_category=topics.get(kind, TOPIC_OF_DOMAIN[voice.domain]),
            genre=document_genre(Genre.NOTICE, article.title),
            deadline=deadline,
            is_important_policy=slug in IMPORTANT_ITEMS,
        )
        pages.append(_live(page, when, owner))
    _add_items(column, pages, NoticePage, "notices", items)


def _ensure_topic_articles(
    seed: int, anchor: date, column: ColumnPage, owner: User, created: dict[str, int]
) -> None:
    slugs = [f"yh{i:02d}" for i in range(1, len(TOPIC_ARTICLE_AGES) + 1)]
    missing = _missing_slugs(column, slugs)
    voice = VOICES["city"]
    pages: list[ArticlePage] = []
    titles: set[str] = set()
    for slug, age in zip(slugs, TOPIC_ARTICLE_AGES, strict=True):
        when = _on_working_day(anchor, age, 16)
        for attempt in range(8):  # a column does not repeat a title
            article = textgen.generate(
                _item_rng(seed, f"{slug}:{attempt}"), Genre.NEWS, voice, when, topic=TOPIC_TITLE
            )
            if article.title not in titles:
                break
        titles.add(article.title)
        if slug not in missing:
            continue
        page = ArticlePage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=article.publisher,
            topic_category=TOPIC_OF_DOMAIN[voice.domain],
            genre="工作动态",
        )
        pages.append(_live(page, when, owner))
    counts = {"articles": 0}
    _add_items(column, pages, ArticlePage, "articles", counts)
    created["articles"] += counts["articles"]


def _ensure_lifecycle_items(
    seed: int,
    anchor: date,
    columns: dict[tuple[str, str], ColumnPage],
    topic_columns: dict[str, ColumnPage],
    sites: dict[str, GovSite],
    accounts: dict[str, User],
    dry_run: bool,
    created: dict[str, int],
    items: dict[str, int],
) -> None:
    """The portal's named 政策文件 (with their 解读), 办事指南, 通知公告 and the 专题's articles."""
    editor = accounts["editor"]
    policies = _ensure_policies(seed, anchor, columns[("portal", "zcwj")], editor, items)
    _ensure_interpretations(
        seed, anchor, columns[("portal", "zcjd")], policies, sites["portal"], editor, dry_run, items
    )
    _ensure_guides(anchor, columns[("portal", "bsfw")], editor, items)
    _ensure_notices(seed, anchor, columns[("portal", "tzgg")], editor, items)
    _ensure_topic_articles(seed, anchor, topic_columns["gzdt"], editor, created)


def _ensure_library_links(
    columns: dict[tuple[str, str], ColumnPage],
    sites: dict[str, GovSite],
    accounts: dict[str, User],
    items: dict[str, int],
) -> None:
    """The 资源库 in use: every item numbered and placed, and items shared across sites by real actions.

    The loaders above insert published items straight into the tree, so their 索引号 and owner
    placements are given in bulk here. Then, once: the portal pushes the important 营商环境 measures
    and the call for comments to both counties — 东林 accepts the measures into its 政策文件 and
    declines the call (it has its own) and reposts the 招聘 notice into its 通知公告; 西溪 leaves both
    pushes pending, so the 12-hour 转载提醒 shows it.
    """
    register_published_items(reason="演示数据")
    if PushRequest.objects.exists() or Placement.objects.exclude(kind=Placement.Kind.OWNER).exists():
        return
    portal_policies, portal_notices = columns[("portal", "zcwj")], columns[("portal", "tzgg")]
    measures = PolicyDocumentPage.objects.child_of(portal_policies).get(slug="zc01")
    call = NoticePage.objects.child_of(portal_notices).get(slug="tz01")
    recruitment = NoticePage.objects.child_of(portal_notices).get(slug="tz02")
    counties = [sites["donglin"], sites["xixi"]]
    pushed = push_item(accounts["siteadmin"], measures, counties, note="请于 12 小时内在政策文件栏目转载")
    pushed += push_item(accounts["siteadmin"], call, counties, note="请转发，扩大征求意见范围")
    by_target = {(push.item_id, push.to_site_id): push for push in pushed}
    county_admin = accounts["donglin_admin"]
    accept_push(county_admin, by_target[(measures.pk, sites["donglin"].pk)], columns[("donglin", "zcwj")])
    decline_push(county_admin, by_target[(call.pk, sites["donglin"].pk)], "本县已单独发布征求意见公告")
    repost_item(county_admin, recruitment, columns[("donglin", "tzgg")])
    items["pushes"] += len(pushed)
    items["shared"] += 2


def build_demo(
    *,
    articles: int = DEFAULT_ARTICLES,
    seed: int = DEFAULT_SEED,
    anchor: date | None = None,
    base_url: str | None = None,
    dry_run: bool = False,
    reporter: Reporter | None = None,
) -> DemoResult:
    """Create whatever part of the demo 站群 is missing and return its sites and logins.

    Everything happens in one transaction: a failure leaves the database as it was, and ``dry_run``
    rolls back after counting what would have been created.
    """
    reporter = reporter or SilentReporter()
    anchor = anchor or timezone.localdate()
    base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    result = DemoResult(seed=seed, anchor=anchor, base_url=base, admin_url=f"{base}/{settings.ADMIN_URL}")
    created = dict.fromkeys(("units", "sites", "accounts", "columns", "articles"), 0)
    items = dict.fromkeys(ITEM_LABELS, 0)
    reporter.stage("生成文章内容")
    plan = plan_articles(articles, seed, anchor)
    with transaction.atomic():
        reporter.stage("单位")
        units = _ensure_units(created)
        reporter.stage("网站")
        sites = _ensure_sites(units, created)
        reporter.stage("账号")
        accounts = _ensure_accounts(units, sites, created)
        with _deferred_indexing([ColumnPage, ArticlePage, *LIFECYCLE_MODELS]):
            reporter.stage("栏目")
            columns = _ensure_columns(sites, units, accounts, anchor, created)
            reporter.stage("专题和政府信息公开目录")
            topic_columns = _ensure_sections(sites, units, accounts, anchor, dry_run, created, items)
            sync_unit_editor_permissions()
            reporter.stage("文章")
            _ensure_articles(plan, columns, accounts, reporter, created)
            reporter.stage("政策文件、解读、办事指南和通知公告")
            _ensure_lifecycle_items(
                seed, anchor, columns, topic_columns, sites, accounts, dry_run, created, items
            )
        reporter.stage("资源库：索引号、推送和转载")
        _ensure_library_links(columns, sites, accounts, items)
        result.created, result.created_items = created, items
        if result.created_anything:
            detail = {
                "seed": seed,
                "anchor": anchor.isoformat(),
                "articles": articles,
                "created": created,
                "items": items,
            }
            record(None, "demo.load", sites["portal"], detail=detail)
        result.sites = [
            SiteLink(
                s.code,
                s.name,
                str(GovSite.Kind(s.kind).label),
                site_url(base, s),
                s.wagtail_site.is_default_site,
            )
            for s in (sites[spec.code] for spec in SITES)
        ]
        result.logins = logins()
        if dry_run:
            transaction.set_rollback(True)
    return result

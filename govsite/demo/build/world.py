"""The demo's organisations and people: its units, its six sites and their accounts (specs only, created
by ``structure``)."""

from __future__ import annotations

from dataclasses import dataclass

from govsite.accounts.models import Role, Unit
from govsite.sites.models import GovSite

# The one documented demo password (printed by `govsite demo`); meets the password policy.
DEMO_PASSWORD = "Govsite#2026"  # noqa: S105 - a published demo credential, not a secret


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

"""Who the demo's articles speak for: the city, its departments, the counties, their offices and towns,
each with its leaders, places, 文号 prefixes and contacts."""

from __future__ import annotations

from dataclasses import replace

from govsite.demo import textgen
from govsite.demo.textgen import Leader, Voice

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

"""The demo's columns: which site has which, who answers for them, which voices and genres fill them and
how many of the articles each gets."""

from __future__ import annotations

from dataclasses import dataclass

from govsite.content.models import ColumnClass
from govsite.demo.build.voices import DEPARTMENT_VOICES
from govsite.demo.textgen import Genre


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


# Columns with no generated articles: their items are the named ones of ``lifecycle``.
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

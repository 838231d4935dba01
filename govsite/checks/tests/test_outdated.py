"""T3 outdated institution names (inspection-rules.md §3.4, §7 T3): dated, not after 原, not in a 《title》 or
next to an earlier 文号, not when still a brand; per-deployment rows."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.engine import CheckContext, Severity, engines
from govsite.checks.engines.outdated import OutdatedNamesEngine, national_renames

AFTER = date(2025, 6, 30)


@pytest.fixture(scope="module")
def outdated() -> OutdatedNamesEngine:
    (engine,) = engines(["outdated"])
    assert isinstance(engine, OutdatedNamesEngine)
    return engine


def hits(engine: OutdatedNamesEngine, text: str, on: date = AFTER, extra: dict | None = None) -> list[tuple]:
    return [
        (f.rule, f.severity, f.start, f.end, f.matched, f.suggestion)
        for f in engine.scan(text, CheckContext(on=on, extra=extra or {}))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国家工商行政管理总局发布", [(0, 10, "国家工商行政管理总局", "国家市场监督管理总局")]),
        ("国家卫生和计划生育委员会要求", [(0, 12, "国家卫生和计划生育委员会", "国家卫生健康委员会")]),
        ("由环境保护部牵头", [(1, 6, "环境保护部", "生态环境部")]),
        ("国土资源部", [(0, 5, "国土资源部", "自然资源部")]),
        ("文化部和国家旅游局", [(0, 3, "文化部", "文化和旅游部"), (4, 9, "国家旅游局", "文化和旅游部")]),
        ("市卫生和计划生育委员会", [(1, 11, "卫生和计划生育委员会", "卫生健康委员会")]),
        ("县卫计委", [(1, 4, "卫计委", "卫健委")]),
        ("区工商局", [(1, 4, "工商局", "市场监督管理局")]),
        ("银保监会", [(0, 4, "银保监会", "金融监管总局")]),  # 2023 reform
    ],
)
def test_t3_old_name_after_the_reform_is_an_error(
    outdated: OutdatedNamesEngine, text: str, expected: list[tuple]
) -> None:
    assert hits(outdated, text) == [("T3", Severity.ERROR, *row) for row in expected]


def test_t3_the_latest_row_before_the_date_applies(outdated: OutdatedNamesEngine) -> None:
    assert hits(outdated, "银监会", on=date(2020, 1, 1)) == [
        ("T3", Severity.ERROR, 0, 3, "银监会", "银保监会")
    ]
    assert hits(outdated, "银监会", on=AFTER) == [
        ("T3", Severity.ERROR, 0, 3, "银监会", "国家金融监督管理总局")
    ]


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("国家工商行政管理总局发布", date(2017, 12, 1)),  # before the reform
        ("原国家工商行政管理总局", AFTER),
        ("原市卫计委主任", AFTER),
        ("《国家卫生和计划生育委员会关于加强管理的通知》", AFTER),
        ("根据国卫办发〔2017〕3号，国家卫生和计划生育委员会要求", AFTER),  # 文号 of an earlier year
        ("国家海洋局", AFTER),  # still a brand
        ("文化部门和农业部门", AFTER),  # a generic word, not the ministry
        ("将国土资源部的职责整合", AFTER),
    ],
)
def test_t3_not_flagged(outdated: OutdatedNamesEngine, text: str, on: date) -> None:
    assert hits(outdated, text, on=on) == []


def test_t3_a_later_docno_does_not_excuse(outdated: OutdatedNamesEngine) -> None:
    assert hits(outdated, "青政〔2024〕3号：市环保局要求") == [
        ("T3", Severity.ERROR, 12, 15, "环保局", "生态环境局")
    ]


def test_t3_deployment_rows(outdated: OutdatedNamesEngine) -> None:
    extra = {
        "outdated_names": [
            {"old": "青山市城市管理行政执法局", "new": "青山市城市管理局", "effective_date": "2019-02-01"},
            {
                "old": "青山市外事侨务办公室",
                "new": "青山市外事办公室",
                "effective_date": "2019-02-01",
                "still_valid_as_brand": "yes",
            },
        ]
    }
    text = "青山市城市管理行政执法局和青山市外事侨务办公室"
    assert hits(outdated, text, extra=extra) == [
        ("T3", Severity.ERROR, 0, 12, "青山市城市管理行政执法局", "青山市城市管理局")
    ]
    assert hits(outdated, text) == []  # another site without those rows


def test_t3_table_rows_are_sourced_and_dated() -> None:
    rows = national_renames()
    assert len(rows) >= 50
    assert all(r.source and r.effective >= date(2013, 1, 1) for r in rows)
    assert {r.old for r in rows if r.brand} == {"国家海洋局", "国家外国专家局", "国家乡村振兴局"}


def test_t3_message(outdated: OutdatedNamesEngine) -> None:
    (finding,) = outdated.scan("环境保护部", CheckContext(on=AFTER))
    assert (
        finding.message
        == "“环境保护部”已于2018年3月17日起不再使用，现为“生态环境部”；如指原机构，请写作“原环境保护部”。"
    )

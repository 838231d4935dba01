"""T2 公文 typos (inspection-rules.md §7 T2): error and review tiers, context rules, the data file itself."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.engine import CheckContext, Severity, engines
from govsite.checks.engines.typos import TyposEngine, confusions, expand
from govsite.checks.lexicon import iter_tsv

E, R = Severity.ERROR, Severity.REVIEW


@pytest.fixture(scope="module")
def typos() -> TyposEngine:
    (engine,) = engines(["typos"])
    assert isinstance(engine, TyposEngine)
    return engine


def hits(engine: TyposEngine, text: str) -> list[tuple]:
    return [
        (f.rule, f.severity, f.start, f.end, f.matched, f.suggestion)
        for f in engine.scan(text, CheckContext(on=date(2025, 6, 30)))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("认真安排布署", [("T2", E, 4, 6, "布署", "部署")]),
        ("禁止焚烧秸杆", [("T2", E, 4, 6, "秸杆", "秸秆")]),
        ("登录帐号", [("T2", E, 2, 4, "帐号", "账号")]),
        ("既使困难再大", [("T2", E, 0, 2, "既使", "即使")]),
        ("上门按装", [("T2", E, 2, 4, "按装", "安装")]),
        ("一股作气", [("T2", E, 0, 4, "一股作气", "一鼓作气")]),
        ("再接再励", [("T2", E, 0, 4, "再接再励", "再接再厉")]),
        ("迫不急待", [("T2", E, 0, 4, "迫不急待", "迫不及待")]),
        ("世外桃园", [("T2", E, 0, 4, "世外桃园", "世外桃源")]),
        ("谈笑风声", [("T2", E, 0, 4, "谈笑风声", "谈笑风生")]),
        ("其它事项", [("T2", R, 0, 2, "其它", "其他")]),  # house style: review, never a silent fix
    ],
)
def test_t2_pairs(typos: TyposEngine, text: str, expected: list[tuple]) -> None:
    assert hits(typos, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("截止2024年底，全市", [("T2", R, 0, 2, "截止", "截至")]),  # 截至 + time: data up to a date
        ("截止目前已完成", [("T2", R, 0, 2, "截止", "截至")]),
        ("截止到6月底", [("T2", R, 0, 3, "截止到", "截至")]),
        ("报名截止日期为5月1日", []),  # 截止 as the end: correct
        ("报名截止后不再受理", []),
        ("截至2024年底，全市", []),
        ("报名截至日期", [("T2", R, 2, 4, "截至", "截止")]),
        ("于5月10日截至。", [("T2", R, 6, 8, "截至", "截止")]),
    ],
)
def test_t2_jiezhi_jiezhi_by_context(typos: TyposEngine, text: str, expected: list[tuple]) -> None:
    assert hits(typos, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("渡过了一个愉快的春节", [("T2", R, 0, 2, "渡过", "度过")]),
        ("渡过长江", []),
        ("帮助企业度过难关", [("T2", R, 4, 6, "度过", "渡过")]),
        ("度过一个欢乐祥和的节日", []),
    ],
)
def test_t2_duguo_by_context(typos: TyposEngine, text: str, expected: list[tuple]) -> None:
    assert hits(typos, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要认真的落实", [("T2", R, 1, 6, "认真的落实", "认真地落实")]),
        ("不断的推进改革", [("T2", R, 0, 5, "不断的推进", "不断地推进")]),
        ("认真的落实方案", []),  # 落实方案 is a noun: 的 is right
        ("作出全面的部署", []),
        ("进行认真的研究", []),
        ("工作做的很好", [("T2", R, 2, 6, "做的很好", "做得很好")]),
        ("这一经验值的借鉴", [("T2", E, 4, 8, "值的借鉴", "值得借鉴")]),
        ("体现了价值的多样性", []),
    ],
)
def test_t2_de_patterns_only_where_reliable(typos: TyposEngine, text: str, expected: list[tuple]) -> None:
    assert hits(typos, text) == expected


@pytest.mark.parametrize("text", ["正好象征着", "按排名先后", "构成份额", "报名截止后", "打开帐篷"])
def test_t2_context_exceptions(typos: TyposEngine, text: str) -> None:
    assert hits(typos, text) == []


def test_t2_review_message_offers_without_fixing(typos: TyposEngine) -> None:
    (finding,) = typos.scan("其它", CheckContext(on=date(2025, 1, 1)))
    assert finding.message == "请复核：“其它”与“其他”易混淆，此处宜用“其他”。本站文风统一用“其他”。"
    assert finding.detail == {"source": "本站文风"}


def test_t2_list_has_150_sourced_entries_and_no_pair_is_its_own_fix() -> None:
    rows = list(iter_tsv("typos.tsv"))
    assert len(rows) >= 150
    assert all(len(row) >= 4 and row[3] for row in rows)  # every entry names its source
    assert all(c.wrong != c.right for c in confusions())


def test_t2_group_expansion_pairs_choices_in_order() -> None:
    assert expand("{认真|积极}的{推进|落实}", "{认真|积极}地{推进|落实}") == [
        ("认真的推进", "认真地推进"),
        ("认真的落实", "认真地落实"),
        ("积极的推进", "积极地推进"),
        ("积极的落实", "积极地落实"),
    ]

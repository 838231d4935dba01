"""T4 暗链 and spam words in text, hidden HTML and link targets; T5 dated expressions
(inspection-rules.md §7 T4, T5)."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.engine import CheckContext, Severity, engines
from govsite.checks.engines.spam import (
    DatedExpressionsEngine,
    SpamWordsEngine,
    scan_html_hidden,
    spam_url_category,
)

ON = date(2025, 6, 30)


@pytest.fixture(scope="module")
def spam() -> SpamWordsEngine:
    (engine,) = engines(["spam"])
    assert isinstance(engine, SpamWordsEngine)
    return engine


@pytest.fixture(scope="module")
def dated() -> DatedExpressionsEngine:
    (engine,) = engines(["dated"])
    assert isinstance(engine, DatedExpressionsEngine)
    return engine


def hits(engine: SpamWordsEngine | DatedExpressionsEngine, text: str, on: date = ON) -> list[tuple]:
    return [(f.rule, f.severity, f.start, f.end, f.matched) for f in engine.scan(text, CheckContext(on=on))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("澳门赌场开户送彩金", [(0, 4, "澳门赌场"), (4, 7, "开户送"), (7, 9, "彩金")]),
        ("六合彩一码中特", [(0, 3, "六合彩"), (3, 7, "一码中特")]),
        ("代开发票", [(0, 4, "代开发票")]),
        ("同城裸聊", [(2, 4, "裸聊")]),
        ("棋牌游戏 www.qp88.com", [(0, 2, "棋牌")]),  # 棋牌 + 网址
        ("办证电话13800000000", [(0, 2, "办证")]),  # 办证 + contact
        ("AG真人娱乐", [(0, 4, "AG真人")]),  # ASCII case folded, offsets kept
        ("访问http://www.xpj123.com/即可", [(2, 24, "http://www.xpj123.com/")]),
    ],
)
def test_t4_spam_words_in_text(spam: SpamWordsEngine, text: str, expected: list[tuple]) -> None:
    assert hits(spam, text) == [("T4", Severity.ERROR, *row) for row in expected]


@pytest.mark.parametrize(
    "text",
    [
        "老年活动中心设有棋牌室、阅览室",  # 棋牌 without a URL
        "市民服务中心办证大厅",  # 办证 without a contact
        "警惕刷单返利诈骗",  # anti-fraud publicity
        "严厉打击网络赌博和裸聊敲诈",
        "体育彩票公益金使用情况公告",
        "访问 http://www.qingshan.gov.cn/ 查询",
    ],
)
def test_t4_government_text_is_clean(spam: SpamWordsEngine, text: str) -> None:
    assert hits(spam, text) == []


def test_t4_category_in_finding(spam: SpamWordsEngine) -> None:
    (finding,) = spam.scan("约炮", CheckContext(on=ON))
    assert finding.detail["category"] == "porn"
    assert finding.message == "发现色情类违规内容“约炮”，疑为垃圾信息或暗链，请删除并排查网站是否被篡改。"


def test_t4_hidden_html_and_link_targets() -> None:
    html = (
        "<p>正文 博彩</p>"
        '<div style="display:none"><a href="http://www.amjs88.com/">澳门赌场</a> 裸聊</div>'
        '<span style="position:absolute; left:-9999px">百家乐</span>'
        '<p style="font-size:0">时时彩</p>'
        '<p style="font-size:0.8em">六合彩</p>'
        '<div style="height:1px;overflow:hidden">约炮</div>'
        '<div style="height:100px;overflow:hidden">老虎机</div>'
        '<i style="opacity:0">彩金</i>'
        '<a href="http://www.qingshan.gov.cn/">首页</a>'
    )
    found = [(f.rule, f.start, f.end, f.matched, f.location) for f in scan_html_hidden(html)]
    assert found == [
        ("T4", 0, 4, "澳门赌场", "隐藏文本（display:none）"),
        ("T4", 5, 7, "裸聊", "隐藏文本（display:none）"),
        ("T4", 0, 3, "百家乐", "隐藏文本（left:-9999）"),
        ("T4", 0, 3, "时时彩", "隐藏文本（font-size:0）"),
        ("T4", 0, 2, "约炮", "隐藏文本（overflow:hidden）"),
        ("T4", 0, 2, "彩金", "隐藏文本（opacity:0）"),
        ("T4", 0, 22, "http://www.amjs88.com/", "链接地址"),
    ]  # visible 博彩, 六合彩 and 老虎机 are the text scan's job


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("http://www.xpj888.com/", "gambling"),
        ("https://luoliao.cc", "porn"),
        ("http://xpj.qingshan.gov.cn", ""),
        ("http://www.tibet.cn", ""),
    ],
)
def test_t4_url_markers(url: str, category: str) -> None:
    assert spam_url_category(url) == category


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        ("到“十三五”末，全市将", date(2022, 1, 1), [(0, 7, "到“十三五”末")]),
        ("到“十三五”末，全市将", date(2019, 1, 1), []),  # still the future then
        ("力争在“十四五”期间建成", date(2026, 3, 1), [(0, 10, "力争在“十四五”期间")]),
        ("“十三五”期间，全市累计建成", date(2022, 1, 1), []),  # looking back is fine
        ("确保打赢脱贫攻坚战", date(2022, 1, 1), [(0, 9, "确保打赢脱贫攻坚战")]),
        ("做好新冠肺炎防控", date(2023, 3, 1), [(2, 6, "新冠肺炎")]),
        ("《新型冠状病毒肺炎防控方案》", date(2023, 3, 1), []),  # a document title keeps its name
        ("到2020年，力争实现", date(2021, 6, 1), [(0, 9, "到2020年，力争")]),
        ("2016年到2020年，力争", date(2021, 6, 1), []),
    ],
)
def test_t5_dated_expressions(
    dated: DatedExpressionsEngine, text: str, on: date, expected: list[tuple]
) -> None:
    assert hits(dated, text, on) == [("T5", Severity.REVIEW, *row) for row in expected]


def test_t5_deployment_rows(dated: DatedExpressionsEngine) -> None:
    extra = {
        "dated_expressions": [
            {"pattern": "创建全国文明城市三年行动", "valid_until": "2024-12-31", "message": "行动期已结束。"}
        ]
    }
    found = dated.scan("推进创建全国文明城市三年行动", CheckContext(on=ON, extra=extra))
    assert [(f.start, f.end, f.message) for f in found] == [(2, 14, "行动期已结束。")]

"""T1 protected terms (inspection-rules.md §3.3, §7 T1): near-misses are critical, the correct terms and the
words that merely look like near-misses are never findings."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.engine import CheckContext, Severity, engines
from govsite.checks.engines.terms import ProtectedTerm, ProtectedTermsEngine, near_misses, site_terms

ON = date(2025, 6, 30)
SITE = {
    "terms": [
        {"name": "杜家毫", "title": "省委书记"},
        {"name": "陈启明", "title": "市长", "valid_from": "2023-01-01", "valid_to": "2027-12-31"},
        {"name": "王晓东", "title": "市长", "valid_from": "2018-01-01", "valid_to": "2022-12-31"},
        "青山市人民政府",
    ]
}


@pytest.fixture(scope="module")
def terms() -> ProtectedTermsEngine:
    (engine,) = engines(["terms"])
    assert isinstance(engine, ProtectedTermsEngine)
    return engine


def hits(engine: ProtectedTermsEngine, text: str, extra: dict | None = None, on: date = ON) -> list[tuple]:
    return [
        (f.rule, f.severity, f.start, f.end, f.matched, f.suggestion)
        for f in engine.scan(text, CheckContext(on=on, extra=extra or {}))
    ]


@pytest.mark.parametrize(
    ("text", "start", "end", "matched", "suggestion"),
    [
        ("我市人民攻府发布通告", 2, 6, "人民攻府", "人民政府"),  # 2019 铜川 case, inside a compound
        ("维护中华人民共合国宪法权威", 2, 9, "中华人民共合国", "中华人民共和国"),  # same pinyin
        ("中共人民共和国成立", 0, 7, "中共人民共和国", "中华人民共和国"),  # slip to a term character
        ("中华人民大和国", 0, 7, "中华人民大和国", "中华人民共和国"),
        ("深入开展扫黑险恶专项斗争", 4, 8, "扫黑险恶", "扫黑除恶"),  # 五笔 slip, shape table
        ("中华人共和国", 0, 6, "中华人共和国", "中华人民共和国"),  # one character missing
        ("中华人民共和和国", 0, 8, "中华人民共和和国", "中华人民共和国"),  # one character doubled
        ("实现中华民族伟大复心", 2, 10, "中华民族伟大复心", "中华民族伟大复兴"),  # 模糊音 xin/xing
        ("县攻府召开会议", 0, 3, "县攻府", "县政府"),
        ("攻府信息", 0, 2, "攻府", "政府"),  # a listed slip that is never a word
    ],
)
def test_t1_near_miss_is_critical_with_the_correct_term(
    terms: ProtectedTermsEngine, text: str, start: int, end: int, matched: str, suggestion: str
) -> None:
    assert hits(terms, text) == [("T1", Severity.CRITICAL, start, end, matched, suggestion)]


def test_t1_leader_name_with_one_wrong_character_next_to_the_title(terms: ProtectedTermsEngine) -> None:
    assert hits(terms, "省委书记杜家豪出席会议", SITE) == [
        ("T1", Severity.CRITICAL, 0, 7, "省委书记杜家豪", "省委书记杜家毫")
    ]
    assert hits(terms, "陈启民市长强调", SITE) == [
        ("T1", Severity.CRITICAL, 0, 5, "陈启民市长", "陈启明市长")
    ]


def test_t1_a_similar_name_without_the_title_is_someone_else(terms: ProtectedTermsEngine) -> None:
    assert hits(terms, "村民杜家豪反映道路问题", SITE) == []


def test_t1_leader_terms_only_apply_within_their_validity(terms: ProtectedTermsEngine) -> None:
    assert hits(terms, "市长王晓冬主持会议", SITE, on=date(2020, 5, 1)) == [
        ("T1", Severity.CRITICAL, 0, 5, "市长王晓冬", "市长王晓东")
    ]
    assert hits(terms, "市长王晓冬主持会议", SITE, on=ON) == []  # his term ended in 2022


def test_t1_site_institution_name(terms: ProtectedTermsEngine) -> None:
    assert hits(terms, "青山市人民正府办公室", SITE) == [
        ("T1", Severity.CRITICAL, 0, 7, "青山市人民正府", "青山市人民政府")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "人民政府 人民法院 市政府 县政府 政务公开",
        "中华人民共和国国务院",
        "全国人民代表大会常务委员会",
        "习近平新时代中国特色社会主义思想",
        "最高人民法院和最高人民检察院",
        "这是政府的责任",  # 是 sounds like 市: only 政 of 市政府 may vary
        "行政服务中心提供市政服务",  # 政服 looks like a near-miss of 政府
        "中国共产党中央委员会",
        "扫黑除恶常态化",
        "省委书记杜家毫出席会议",
    ],
)
def test_t1_correct_terms_and_real_words_are_never_findings(terms: ProtectedTermsEngine, text: str) -> None:
    assert hits(terms, text, SITE) == []


def test_t1_short_terms_vary_only_in_their_protected_part() -> None:
    city = ProtectedTerm("市政府", "国家机构", "test", (1, 2))
    variants = near_misses(city, pool="")
    assert "市攻府" in variants
    assert "是政府" not in variants  # 是 has the same pinyin as 市, but the 市 is fixed
    assert "市政服" not in variants


def test_t1_site_terms_expand_leaders_to_both_orders() -> None:
    found = site_terms([{"name": "吴静", "title": "副市长、党组成员"}])
    assert [(t.text, t.vary) for t in found] == [
        ("副市长吴静", (3, 5)),
        ("吴静副市长", (0, 2)),
        ("党组成员吴静", (4, 6)),
        ("吴静党组成员", (0, 2)),
    ]


def test_t1_finding_explains_the_edit(terms: ProtectedTermsEngine) -> None:
    (finding,) = terms.scan("扫黑险恶", CheckContext(on=ON))
    assert finding.engine == "terms"
    assert finding.detail["edit"] == "形近字"
    assert finding.message == "“扫黑险恶”疑为“扫黑除恶”的错写（形近字），固定表述属严重表述错误，请更正。"


def test_matcher_reports_character_offsets_in_mixed_text() -> None:
    from govsite.checks.lexicon import Matcher

    matcher = Matcher(["政府", "ab", "人民政府"], longest=False)
    text = "x人民政府ab，政府"
    assert sorted(matcher.find(text)) == [(0, 3, 5), (0, 8, 10), (1, 5, 7), (2, 1, 5)]
    assert Matcher(["ab"], longest=True).find("xxab") == [(0, 2, 4)]  # ASCII: byte offsets are char offsets


def test_t1_a_missing_character_variant_inside_another_word_is_not_a_slip(
    terms: ProtectedTermsEngine,
) -> None:
    # From a real 通知 (seeds/001): 财政信息公开 contains 政信息公开, 政府信息公开 less 府.
    assert hits(terms, "着力推进财政信息公开，做好重点领域信息公开") == []
    assert hits(terms, "推进政府信公开工作") == [
        ("T1", Severity.CRITICAL, 2, 7, "政府信公开", "政府信息公开")
    ]
    # The price: a term missing its second or second-to-last character is not reported.
    assert hits(terms, "推进政信息公开工作") == []


def test_t1_offsets_are_characters_after_ascii_and_punctuation(terms: ProtectedTermsEngine) -> None:
    assert hits(terms, "2025年ABC，人民攻府") == [("T1", Severity.CRITICAL, 9, 13, "人民攻府", "人民政府")]

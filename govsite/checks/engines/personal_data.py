"""The personal-data engine (个人信息, inspection-rules.md §7 P1–P5): 身份证号, mobile numbers, bank cards,
masked forms, and lists of people with their numbers or addresses.

Precision comes from validation, not from the regexes alone: an 18-digit ID needs a region prefix, a real
birth date not after ``context.on`` and the GB 11643 check digit (P1); a bank card needs the Luhn check
(P3); a valid 统一社会信用代码 is public data and hides any ID or card match overlapping it.  Every
problem finding carries the masked form in the local format as its ``suggestion`` (one-click fix).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from govsite.checks.engine import CheckContext, Finding, Severity, register
from govsite.checks.masking import mask_bank_card, mask_id, mask_mobile
from govsite.core.idcard import REGION_PREFIXES, IdFault, IdNumberError, validate_id_number
from govsite.core.index_numbers import OrganisationCodeError, validate_uscc

ENGINE_NAME = "personal_data"
# Spaces tolerated between the groups of a number (pasted text carries NBSP and ideographic spaces).
_S = r"[ \u00a0\u3000]?"
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"

# P3: GB 32100 shape; validated before it suppresses anything.
USCC_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])")
# P1: the inspection-rules regex, with optional spaces between the 6-4-4-4 groups (6-8-4 included).
ID18_RE = re.compile(
    rf"(?<![0-9A-Za-z])[1-9]\d{{5}}{_S}(?:19|20)\d{{2}}{_S}{_DATE}{_S}\d{{3}}[\dXx](?![0-9A-Za-z])"
)
# P1, legacy: 6-digit region, YYMMDD (19YY), 3-digit serial, no check digit.
ID15_RE = re.compile(rf"(?<![0-9A-Za-z])[1-9]\d{{5}}\d{{2}}{_DATE}\d{{3}}(?![0-9A-Za-z])")
# P2: a mobile not inside a longer digit run; "+86" in front and 3-4-4 groups with one separator kept.
MOBILE_RE = re.compile(r"(?:(?<=\+86)|(?<=\+86[ -])|(?<!\d))1[3-9]\d(?P<sep>[ -]?)\d{4}(?P=sep)\d{4}(?!\d)")
# P3: 16–19 digits with a card-scheme prefix (银联 62, Visa 4, Mastercard 51–55), groups of four allowed.
BANK_RE = re.compile(
    r"(?<!\d)(?:62|4\d|5[1-5])\d{2}(?P<sep>[ -]?)\d{4}(?P=sep)\d{4}(?P=sep)\d{4}(?:(?P=sep)\d{1,3})?(?!\d)"
)
# P4: masked forms are compliant (永安 2023 format and its neighbours).
MASKED_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z*＊])1\d{2}[*＊]{4}\d{4}(?![0-9A-Za-z*＊])")
MASKED_ID_RE = re.compile(r"(?<![0-9A-Za-z*＊×])\d{2,6}[*＊×xX]{4,14}\d{0,4}[\dXx]?(?![0-9A-Za-z*＊×])")
MASKED_MIN_LENGTH = 11  # shorter runs ("2020XXXX") are placeholders, not masked numbers
# P4, the other way round: an 18-character ID with some digits masked but the birth date still readable
# ("3501021990****1234", "35010219900307****").  More than 6 + 4 visible characters is not de-identified.
PARTLY_MASKED_ID_RE = re.compile(
    r"(?<![0-9A-Za-z*＊×])[1-9]\d{5}(?=[\d*＊×]{11}[\dXx*＊×](?![0-9A-Za-z*＊×]))[\d*＊×]{11}[\dXx*＊×]"
)
MASKED_MAX_VISIBLE = 10
_MASK_CHARS = frozenset("*＊×")
# P5: a detailed address names a street, lane, village or estate and a number below it; an office
# building room ("市政府2号楼301室") has no such word, so staff contact tables are not lists of homes.
ADDRESS_RE = re.compile(
    r"(?:路|街|巷|弄|里|村|组|小区|社区|花园|苑|公寓|新村)[^\t\n，。；;,]{0,12}?\d+\s*(?:号|栋|幢|单元|室|组)"
)

LIST_MIN_ROWS = 3  # P5
LIST_MAX_GAP = 2  # lines between two rows of the same list (blank table rows, wrapped cells)

_NEWLINE_RE = re.compile(r"\n")
_HEADER_WORD_RE = re.compile(r"姓\s*名|户主|申请人|联系人|负责人|监护人|法定代表人")
_NAME_HEADER_RE = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}姓名|户主|申请人|联系人|负责人|监护人|法定代表人)$")
_LABELLED_NAME_RE = re.compile(
    r"(?:姓\s*名|户主|申请人|联系人|负责人|监护人)\s*[:：]\s*([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])"
)
_CELL_SPLIT_RE = re.compile(r"[\s,，、;；|｜:：()（）]+")
_ENUMERATOR_RE = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、．)）]?")
_HAN_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common single-character surnames (about 99 % of the population) and the frequent compound ones.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车"
    "项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲"
    "虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚"
    "花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊母裘"
    "亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉"
    "植衡富尧闭由"
)
COMPOUND_SURNAMES = _words(
    "欧阳 司马 诸葛 上官 司徒 东方 慕容 令狐 皇甫 尉迟 公孙 长孙 宇文 夏侯 轩辕 端木 "
    "南宫 西门 独孤 呼延 澹台 万俟 闻人 申屠 淳于"
)
# Two-to-four-character words that sit in list rows and start with a surname character.
NOT_NAMES = _words(
    "汉族 高中 初中 小学 大专 中专 本科 硕士 博士 党员 群众 团员 户主 配偶 "
    "合计 小计 总计 备注 男性 女性 已婚 未婚 离异 丧偶 城镇 农村 居民 全体 "
    "其他 正常 健康 良好 一般 公示 公告 通知 单位 地址 电话 手机 身份证 姓名 "
    "性别 民族 年龄 学历 职务 职称 联系人 联系电话 联系方式 身份证号 家庭住址 户籍地址 现住址 申请人 "
    "申报人 负责人 监护人 法定代表人 常住 农业 非农业 文化 方式 时间 金额 原因 全部 国家 "
    "和平 平安 安全 成员 低保 特困 五保 残疾 优抚 退役军人 建档立卡 脱贫户 边缘户 监测户 "
    "通过 同意"
)
# A cell ending like this is a place or a body, not a person ("安徽省", "鼓楼区", "城关镇").
NOT_NAME_SUFFIXES = (*"省市县区镇乡村组局委办所站院校队处科部厅社店厂场园馆", "街道", "公司", "中心", "社区")


class _Claims:
    """Disjoint spans already taken by a stronger match (USCC, masked form, ID), kept sorted."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self._starts, end)
        return index > 0 and self._ends[index - 1] > start

    def claim(self, start: int, end: int) -> None:
        index = bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 (Luhn) check over a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _is_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except OrganisationCodeError:
        return False
    return True


@register
class PersonalDataEngine:
    """P1–P5 over plain text (one row per line, table cells separated by tabs)."""

    name = ENGINE_NAME
    label = "个人信息"
    rules: tuple[str, ...] = ("P1", "P2", "P3", "P4", "P5")

    def scan(self, text: str, context: CheckContext) -> list[Finding]:
        found: list[Finding] = []
        if _has_digit_run(text):
            claims = _Claims()
            for match in USCC_RE.finditer(text):
                if _is_uscc(match.group()):  # P3: public data, never reported, hides ID/card matches in it
                    claims.claim(match.start(), match.end())
            found.extend(self._masked(text, claims))
            found.extend(self._ids(text, context, claims))
            found.extend(self._bank_cards(text, claims))
            found.extend(self._mobiles(text, claims))
        found.extend(_list_leaks(text, found))  # street addresses count there, and they need no digit run
        found.sort(key=lambda f: (f.start, f.severity.rank, f.end, f.rule))
        return found

    def _finding(
        self,
        rule: str,
        severity: Severity,
        text: str,
        span: tuple[int, int],
        message: str,
        suggestion: str,
        kind: str,
    ) -> Finding:
        start, end = span
        return Finding(
            rule=rule,
            severity=severity,
            start=start,
            end=end,
            matched=text[start:end],
            message=message,
            suggestion=suggestion,
            engine=self.name,
            detail={"kind": kind},
        )

    def _masked(self, text: str, claims: _Claims) -> Iterator[Finding]:
        # P4: reported as compliant so reviewers see the check ran; claimed so nothing else matches there.
        for match in MASKED_MOBILE_RE.finditer(text):
            claims.claim(match.start(), match.end())
            yield self._finding(
                "P4",
                Severity.OK,
                text,
                match.span(),
                "手机号码已脱敏（保留前 3 位和后 4 位），合规",
                "",
                "masked_mobile",
            )
        for match in MASKED_ID_RE.finditer(text):
            value = match.group()
            if len(value) < MASKED_MIN_LENGTH or claims.overlaps(match.start(), match.end()):
                continue
            claims.claim(match.start(), match.end())
            what = "身份证号" if len(value) in (15, 18) else "号码"
            yield self._finding("P4", Severity.OK, text, match.span(), f"{what}已脱敏，合规", "", "masked_id")
        for match in PARTLY_MASKED_ID_RE.finditer(text):
            value = match.group()
            masked = sum(char in _MASK_CHARS for char in value)
            if not masked or len(value) - masked <= MASKED_MAX_VISIBLE or value[:2] not in REGION_PREFIXES:
                continue
            if claims.overlaps(match.start(), match.end()):
                continue
            claims.claim(match.start(), match.end())
            yield self._finding(
                "P4",
                Severity.REVIEW,
                text,
                match.span(),
                f"身份证号脱敏不充分：仍可见 {len(value) - masked} 位（含出生日期），应只保留前 2 位和后 3 位",
                mask_id(value),
                "masked_partly",
            )

    def _ids(self, text: str, context: CheckContext, claims: _Claims) -> Iterator[Finding]:
        for match in ID18_RE.finditer(text):
            if claims.overlaps(match.start(), match.end()):
                continue
            try:
                number = validate_id_number(match.group(), context.on)
            except IdNumberError as exc:
                if exc.fault is not IdFault.CHECKSUM:
                    continue  # P1: a wrong region or an impossible/future date means it is not an ID
                claims.claim(match.start(), match.end())
                yield self._finding(
                    "P1",
                    Severity.REVIEW,
                    text,
                    match.span(),
                    f"疑似身份证号：地区码和出生日期有效，但{exc}；请核实，如属个人信息须脱敏",
                    mask_id(match.group()),
                    "id_suspicious",
                )
                continue
            claims.claim(match.start(), match.end())
            yield self._finding(
                "P1",
                Severity.CRITICAL,
                text,
                match.span(),
                "完整的身份证号（地区码、出生日期、校验码均有效），发布前须脱敏：保留前 2 位和后 3 位",
                mask_id(number),
                "id",
            )
        for match in ID15_RE.finditer(text):
            if claims.overlaps(match.start(), match.end()):
                continue
            try:
                validate_id_number(match.group(), context.on)
            except IdNumberError:
                continue
            claims.claim(match.start(), match.end())
            yield self._finding(
                "P1",
                Severity.REVIEW,
                text,
                match.span(),
                "疑似旧版 15 位身份证号（地区码和出生日期有效，旧版号码没有校验码）；请核实，如属个人信息须脱敏",
                mask_id(match.group()),
                "id15",
            )

    def _bank_cards(self, text: str, claims: _Claims) -> Iterator[Finding]:
        for match in BANK_RE.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if claims.overlaps(match.start(), match.end()) or not luhn_valid(digits):
                continue
            claims.claim(match.start(), match.end())
            yield self._finding(
                "P3",
                Severity.ERROR,
                text,
                match.span(),
                "疑似银行卡号（卡组织号段和 Luhn 校验均符合），发布前须脱敏：保留前 4 位和后 4 位",
                mask_bank_card(digits),
                "bank_card",
            )

    def _mobiles(self, text: str, claims: _Claims) -> Iterator[Finding]:
        for match in MOBILE_RE.finditer(text):
            if claims.overlaps(match.start(), match.end()):
                continue
            yield self._finding(
                "P2",
                Severity.REVIEW,
                text,
                match.span(),
                "手机号码：如非公开的办公联系电话，发布前应脱敏，保留前 3 位和后 4 位",
                mask_mobile(match.group()),
                "mobile",
            )


_DIGIT_RUN_RE = re.compile(r"\d{3}[ \u00a0\u3000-]?\d{4}|[*＊×xX]{4}")


def _has_digit_run(text: str) -> bool:
    # A quick exit for the many texts with nothing to find: every rule needs seven digits
    # in a row (or split 3 + 4, as spaced mobiles are) or a run of mask characters.
    return _DIGIT_RUN_RE.search(text) is not None


# --- P5: list leaks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    """A line that names a person and holds identifying data (a candidate row of a P5 list)."""

    line: int
    name: str
    kinds: frozenset[str]
    tabbed: bool


def _line_bounds(text: str) -> tuple[list[int], list[int]]:
    starts = [0]
    ends: list[int] = []
    for match in _NEWLINE_RE.finditer(text):
        ends.append(match.start())
        starts.append(match.end())
    ends.append(len(text))
    return starts, ends


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [re.sub(r"\s+", "", cell) for cell in line.split("\t")]
    return [cell for cell in _CELL_SPLIT_RE.split(line) if cell]


def _looks_like_name(cell: str, *, need_surname: bool) -> bool:
    value = _ENUMERATOR_RE.sub("", cell.strip())
    if not _HAN_NAME_RE.match(value) or "某" in value or value in NOT_NAMES:
        return False
    if value.endswith(NOT_NAME_SUFFIXES):
        return False
    return not need_surname or value[0] in SURNAMES or value[:2] in COMPOUND_SURNAMES


def _row_name(line: str, header_col: int | None) -> str:
    """The person's name in one row: the 姓名 column, a labelled name, or a name-like cell."""
    cells = _cells(line)
    if header_col is not None and header_col < len(cells):
        cell = _ENUMERATOR_RE.sub("", cells[header_col])
        if _looks_like_name(cell, need_surname=False):
            return cell
    labelled = _LABELLED_NAME_RE.search(line)
    if labelled and _looks_like_name(labelled.group(1), need_surname=False):
        return labelled.group(1)
    for cell in cells:
        if _looks_like_name(cell, need_surname=True):
            return _ENUMERATOR_RE.sub("", cell)
    return ""


def _name_header_col(line: str) -> int | None:
    for index, cell in enumerate(_cells(line)):
        if _NAME_HEADER_RE.match(cell):
            return index
    return None


def _list_leaks(text: str, found: list[Finding]) -> list[Finding]:
    """P5: ≥ 3 rows close together, each with a person's name and an ID, mobile, card or street address."""
    items = [(f.start, str(f.detail.get("kind", ""))) for f in found if f.severity is not Severity.OK]
    items.extend((m.start(), "address") for m in ADDRESS_RE.finditer(text))
    if len(items) < LIST_MIN_ROWS:
        return []
    starts, ends = _line_bounds(text)
    kinds_by_line: dict[int, set[str]] = {}
    for start, kind in items:
        kinds_by_line.setdefault(bisect_right(starts, start) - 1, set()).add(kind)
    if len(kinds_by_line) < LIST_MIN_ROWS:
        return []
    header_lines = {bisect_right(starts, m.start()) - 1 for m in _HEADER_WORD_RE.finditer(text)}
    rows: list[_Row] = []
    header_col: int | None = None
    header_tabbed = False
    previous = -1
    for index in sorted(header_lines | set(kinds_by_line)):
        line = text[starts[index] : ends[index]]
        tabbed = "\t" in line
        if header_col is not None and not _same_table(text, starts, ends, previous, index, header_tabbed):
            header_col = None  # the table the header belonged to has ended
        previous = index
        if index in header_lines and index not in kinds_by_line:
            col = _name_header_col(line)
            if col is not None:
                header_col, header_tabbed = col, tabbed
            continue
        name = _row_name(line, header_col)
        if name:
            rows.append(_Row(index, name, frozenset(kinds_by_line[index]), tabbed))
    findings: list[Finding] = []
    for group in _groups(rows):
        if len(group) < LIST_MIN_ROWS:
            continue
        start, end = starts[group[0].line], ends[group[-1].line]
        kinds = {kind for row in group for kind in row.kinds}
        findings.append(
            Finding(
                rule="P5",
                severity=Severity.CRITICAL,
                start=start,
                end=end,
                matched=text[start:end],
                message=(
                    f"个人信息名单：{len(group)} 行同时含有姓名和{_kinds_label(kinds)}，属批量公开个人信息，"
                    "须删除或逐项脱敏后发布（国办《2018年政务公开工作要点》）"
                ),
                engine=ENGINE_NAME,
                detail={"kind": "list", "rows": len(group), "names": [row.name for row in group][:5]},
            )
        )
    return findings


def _same_table(
    text: str, starts: list[int], ends: list[int], previous: int, index: int, tabbed: bool
) -> bool:
    """Whether line ``index`` still belongs to the table whose last seen line was ``previous``.

    A tab-separated table (HTML, DOCX, XLSX) goes on while every line has a tab; a table in extracted PDF
    text has no such mark, so it goes on only across the gap a list may have.
    """
    if ("\t" in text[starts[index] : ends[index]]) != tabbed:
        return False
    if not tabbed:
        return index - previous <= LIST_MAX_GAP + 1
    between = text[starts[previous + 1] : ends[index - 1]] if index - previous > 1 else ""
    return all("\t" in line for line in between.split("\n")) if between else True


def _groups(rows: list[_Row]) -> Iterator[list[_Row]]:
    """Rows close together and of the same shape (all table rows, or all plain lines) form one list."""
    group: list[_Row] = []
    for row in rows:
        if group and (row.line - group[-1].line > LIST_MAX_GAP + 1 or row.tabbed != group[-1].tabbed):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


_KIND_LABELS = {
    "id": "身份证号",
    "id_suspicious": "身份证号",
    "id15": "身份证号",
    "masked_partly": "身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "address": "详细住址",
}


def _kinds_label(kinds: set[str]) -> str:
    labels: list[str] = []
    for kind, label in _KIND_LABELS.items():
        if kind in kinds and label not in labels:
            labels.append(label)
    return "／".join(labels)

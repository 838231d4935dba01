"""Named policy-lifecycle items (政策文件, 解读, 图解, 通知公告 with a deadline) whose relations matter: the
caller fixes their titles (a 解读 names its document, a revision the one it replaces); the text is drawn."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from enum import StrEnum

from govsite.demo.textgen.documents import interpretation_body, policy_body
from govsite.demo.textgen.model import Article, PolicyTitle, Voice
from govsite.demo.textgen.writer import Writer, cn_date, cn_number, numbered, person_name


def policy_document(
    rng: random.Random,
    voice: Voice,
    when: datetime,
    *,
    issuer: str,
    number: str,
    document: PolicyTitle,
    signed: date,
    replaces: str = "",
    topic: str | None = None,
) -> Article:
    """The 印发 notice of ``document`` by ``issuer`` with its full text; ``replaces`` names the document
    (with its 文号) that this one repeals, e.g. the earlier version of a revised 办法."""
    w = Writer(rng, voice, when, topic)
    approval = f"经{voice.level}人民政府同意，" if issuer.endswith("办公室") else ""
    paragraphs = [
        number,
        voice.audience,
        f"{approval}现将《{document.name}》印发给你们，请结合实际，认真贯彻落实。",
        issuer,
        cn_date(signed),
        "（此件公开发布）",
        *policy_body(w, document.name, document.short_type, document.purpose),
    ]
    if replaces:
        paragraphs.append(f"{replaces}同时废止。")
    title = f"{issuer}关于印发《{document.name}》的通知"
    return w.article(title, paragraphs, publisher=issuer, document_number=number, written=signed)


def interpretation_text(
    rng: random.Random, voice: Voice, when: datetime, *, document: str, topic: str | None = None
) -> Article:
    """A 文字解读 of ``document`` (its name, without 书名号) about ``topic``."""
    w = Writer(rng, voice, when, topic)
    return w.article(f"《{document}》政策解读", interpretation_body(w, document))


def graphic_summary(
    rng: random.Random, voice: Voice, when: datetime, *, document: str, topic: str | None = None
) -> Article:
    """The text version of a 图解 of ``document``: the same points as the picture, for readers who cannot
    see it (and for search)."""
    w = Writer(rng, voice, when, topic)
    measures = w.measures(3)
    goals = [w.fill(g) for g in w.sample(w.domain.goals, 2)]
    paragraphs = [
        f"本图解以图表形式介绍《{document}》的主要内容，以下为图解的文字版。",
        f"一、为什么出台：为贯彻落实上级决策部署，推动{voice.region}{w.topic}工作提质增效。",
        f"二、主要目标：到{w.when.year + 2}年，{'，'.join(goals)}。",
        "三、重点任务：" + "；".join(f"{cn_number(i + 1)}是{m}" for i, m in enumerate(measures)) + "。",
        "四、保障措施：加强组织领导、强化要素保障、严格督查考核、加强宣传引导。",
        f"咨询电话：{w.phone()}。",
    ]
    return w.article(f"一图读懂《{document}》", paragraphs)


class NoticeKind(StrEnum):
    """The 通知公告 the demo places with a closing date."""

    COMMENTS = "comments"  # 公开征求意见: open until the deadline
    RECRUITMENT = "recruitment"  # 事业单位公开招聘: 报名 closes on the deadline
    PROJECTS = "projects"  # 专项资金项目申报: 申报 closes on the deadline


def notice_with_deadline(
    rng: random.Random, voice: Voice, when: datetime, kind: NoticeKind, deadline: date
) -> Article:
    """A 通知公告 of ``kind`` by ``voice`` whose closing date is ``deadline``."""
    w = Writer(rng, voice, when)
    year = when.year
    contact = f"联系人：{person_name(w.rng)}，联系电话：{w.phone()}。"
    if kind == NoticeKind.COMMENTS:
        document = w.policy_title().name
        title = f"关于公开征求《{document}（征求意见稿）》意见的公告"
        sections = [
            ("征求意见时间", f"{cn_date(when.date())}至{cn_date(deadline)}。"),
            (
                "反馈方式",
                f"社会公众可通过电话{w.phone()}提出意见建议，或以信函方式寄至{voice.address}"
                "（信封请注明“意见征集”字样）。",
            ),
            ("有关说明", "征求意见结束后，将对收到的意见建议进行汇总研究，并公开意见采纳情况。"),
        ]
        opening = (
            f"为提高行政决策的科学性和透明度，广泛听取社会各界意见，{voice.short}起草了《{document}"
            "（征求意见稿）》，现向社会公开征求意见。"
        )
    elif kind == NoticeKind.RECRUITMENT:
        posts = w.rng.randint(18, 60)
        title = f"{voice.region}{year}年事业单位公开招聘工作人员公告"
        sections = [
            (
                "招聘计划",
                f"全{voice.level}事业单位共招聘工作人员{posts}名，"
                "具体岗位、人数及资格条件详见招聘岗位信息表。",
            ),
            (
                "报名时间",
                f"{cn_date(when.date() + timedelta(days=3))}至{cn_date(deadline)}17:00，逾期不再受理。",
            ),
            (
                "报名方式",
                "采取网上报名方式，报考人员只能选择一个岗位报名，报名与考试时使用的身份证件须一致。",
            ),
            ("考试安排", "笔试时间、地点以准考证为准，笔试后按岗位招聘人数1∶3的比例确定面试人选。"),
        ]
        opening = (
            "根据事业单位公开招聘有关规定，经研究，决定面向社会公开招聘事业单位工作人员。"
            "现将有关事项公告如下："
        )
    else:
        topic = w.topic
        title = f"关于组织申报{year}年度{topic}专项资金项目的通知"
        sections = [
            (
                "支持范围",
                f"重点支持{topic}领域具有示范带动作用的项目，"
                f"单个项目补助不超过{w.rng.randint(5, 30) * 10}万元。",
            ),
            ("申报条件", "申报单位须在本行政区域内依法登记注册，财务管理制度健全，近三年无严重失信行为。"),
            ("申报时间", f"即日起至{cn_date(deadline)}，逾期不予受理。"),
            ("工作要求", "各单位要严格审核申报材料，对材料的真实性负责；项目评审结果将在政府网站公示。"),
        ]
        opening = f"为推动{topic}工作，根据{w.pick(w.domain.laws)}和有关资金管理规定，现就申报工作通知如下："
    paragraphs = [opening, *numbered(sections), contact, *w.signature(when.date())]
    return w.article(title, paragraphs, written=when.date())

"""The news-like genres: 会议、调研、工作动态 news, campaign activities and 通知公告."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from govsite.demo.textgen.model import Article, Genre
from govsite.demo.textgen.phrases import (
    CAMPAIGNS,
    CHECKS,
    DEMANDS,
    FUTURES,
    GUARANTEES,
    HOLIDAYS,
    PROBLEMS,
    TRAININGS,
    VERBS,
)
from govsite.demo.textgen.writer import Writer, cn_date, cn_number, numbered, person_name


def _news(w: Writer) -> Article:
    v = w.voice
    day = w.day_before(1)
    kind = w.rng.randrange(4)
    if kind == 0:  # a meeting
        head = w.head()
        if v.is_government and w.rng.random() < 0.5:
            meeting = w.council()
            title = f"{head.title}{head.name}主持召开{meeting}"
            items = w.sample(
                (
                    f"听取了{w.topic}工作情况汇报",
                    f"审议并原则通过了《{w.policy_title().name}》",
                    "传达学习了上级有关会议精神",
                    f"研究部署了{w.pick(w.domain.topics)}工作",
                ),
                2,
            )
            paragraphs = [
                f"{w.month_day(day)}，{head.title}{head.name}主持召开{meeting}，{items[0]}，{items[1]}。",
            ]
        elif v.is_government:
            meeting = f"{w.area_word()}{w.topic}工作推进会"
            title = f"{meeting}召开"
            paragraphs = [
                f"{w.month_day(day)}，{v.short}召开{meeting}，总结前一阶段工作，分析当前形势，"
                f"部署下一阶段重点任务。{head.title}{head.name}出席会议并讲话。",
            ]
        else:
            meeting = f"{w.when.year}年{w.area_word()}{w.domain.field}系统{w.topic}工作会议"
            title = f"{v.short}召开{meeting}"
            paragraphs = [
                f"{w.month_day(day)}，{v.short}召开{meeting}，总结前一阶段工作，分析当前形势，"
                f"部署下一阶段重点任务。{head.title}{head.name}出席会议并讲话。",
            ]
        paragraphs += [
            f"会议指出，今年以来，{v.area}{w.topic}工作扎实推进，取得了阶段性成效，"
            f"{w.measures(1)[0]}。同时也要清醒看到，{w.pick(PROBLEMS)}。",
            "会议强调，" + "；".join(w.fill(d) for d in w.sample(DEMANDS, 3)) + "。",
            f"会议要求，各有关单位要对照目标任务，细化工作措施，倒排时间节点，"
            f"确保{w.topic}各项任务按期完成，以实际成效取信于民。",
            w.attendees()
            if v.is_government
            else f"{v.short}领导班子成员，机关各科室、直属单位主要负责同志参加会议。",
        ]
        return w.article(title, paragraphs, news=True)
    if kind == 1:  # an inspection visit
        leader = w.any_leader()
        place = w.place()
        visits = [w.fill(s, place=place) for s in w.sample(w.domain.visits, 2)]
        title = w.pick(
            (
                f"{leader.title}{leader.name}赴{place}调研{w.topic}工作",
                f"{leader.title}{leader.name}带队督导检查{place}{w.topic}工作",
            )
        )
        paragraphs = [
            f"{w.month_day(day)}，{leader.title}{leader.name}带队深入{place}，调研{w.topic}工作。",
            f"{leader.name}一行先后来到{visits[0]}、{visits[1]}，实地察看工作推进情况，"
            f"详细了解{w.topic}等方面的做法和存在的困难，并与基层干部群众深入交流。",
            f"{leader.name}充分肯定了{place}在{w.topic}工作中取得的成效。"
            + ("她" if leader.female else "他")
            + "指出，"
            + "；".join(w.fill(d) for d in w.sample(DEMANDS, 2))
            + "。",
            f"{leader.name}强调，{place}要认真落实上级部署要求，进一步找准突破口和着力点，强化要素保障，"
            "推动各项工作落地见效。",
            f"{v.short}有关负责同志陪同调研。",
        ]
        return w.article(title, paragraphs, news=True)
    if kind == 2:  # work results
        place = w.place() if w.rng.random() < 0.5 else v.we
        subject = place
        title = w.pick((f"{place}{w.pick(VERBS)}{w.topic}工作", f"{place}{w.topic}工作取得新成效"))
        measures = w.measures(3)
        paragraphs = [
            f"{w.pick(('今年以来', '近年来', '近期'))}，{place}坚持以人民为中心的发展思想，"
            f"{w.pick(VERBS)}{w.topic}工作，各项任务取得积极进展。",
            *(f"{cn_number(i + 1)}是{m}。" for i, m in enumerate(measures)),
            w.fill(w.pick(FUTURES), subject=subject),
        ]
        return w.article(title, paragraphs, news=True)
    training = w.pick(TRAININGS)
    title = f"{v.short}举办{w.when.year}年{w.topic}{training}"
    paragraphs = [
        f"{w.month_day(day)}，{v.short}举办{w.when.year}年{w.topic}{training}，"
        f"{w.area_word()}{w.rng.randint(6, 40) * 10}余人参加。",
        f"活动围绕{w.topic}的政策要求、工作流程和典型案例，采取专题讲授、案例剖析和现场交流相结合的方式进行，"
        "内容丰富，针对性和实用性强。",
        f"{(leader := w.any_leader()).title}{leader.name}在开班动员时要求，参训人员要珍惜学习机会，学以致用，"
        f"切实把所学知识转化为推动{w.topic}工作高质量发展的实际成效。",
        w.fill(w.pick(FUTURES), subject=v.short),
    ]
    return w.article(title, paragraphs, news=True)


def _campaign(w: Writer) -> Article:
    v = w.voice
    campaign = w.pick(CAMPAIGNS)
    day = w.day_before(1)
    place = w.place()
    title = w.pick(
        (
            f"{place}扎实开展{campaign}系列活动",
            f"{v.region}{campaign}主题宣传活动启动",
            f"{v.short}深入推进{campaign}工作",
        )
    )
    paragraphs = [
        f"{w.month_day(day)}，{v.region}{campaign}主题宣传活动在{place}举行。"
        "活动现场设置咨询台、展板和互动区，工作人员向过往群众发放宣传资料，耐心解答群众疑问。",
        f"据了解，此次活动是{v.region}{campaign}工作的重要内容。活动期间，各级各部门将通过集中宣传、"
        "进社区、进企业、进学校等多种形式，推动各项工作要求深入人心。",
        *(f"{cn_number(i + 1)}是{m}。" for i, m in enumerate(w.measures(2))),
        w.fill(w.pick(FUTURES), subject=v.short, topic=campaign),
    ]
    return w.article(title, paragraphs, news=True)


def _notice(w: Writer) -> Article:
    v = w.voice
    year = w.when.year
    signed = w.day_before(2)
    start = w.when.date() + timedelta(days=w.rng.randint(3, 10))
    end = start + timedelta(days=w.rng.randint(20, 45))
    contact = f"联系人：{person_name(w.rng)}，联系电话：{w.phone()}。"
    kind = w.rng.randrange(5 if v.is_government else 4)
    if kind == 0:
        check = w.pick(CHECKS)
        title = f"关于开展{year}年{w.topic}{check}的通知"
        sections = [
            ("时间安排", f"{cn_date(start)}至{cn_date(end)}。"),
            ("范围对象", f"{w.fill(w.domain.targets, level=v.level)}。"),
            (
                "主要内容",
                "重点检查" + "、".join(f"{t}工作落实情况" for t in w.sample(w.domain.topics, 3)) + "。",
            ),
            (
                "工作要求",
                "；".join(w.fill(d) for d in w.sample(DEMANDS, 2))
                + f"。请各单位于{cn_date(end)}前将工作总结报送{v.short}。",
            ),
        ]
        opening = (
            f"为深入贯彻落实上级有关工作部署，进一步推动{w.topic}工作落实，经研究，决定开展{w.topic}{check}。"
        )
    elif kind == 1:
        title = f"关于做好{year}年{w.topic}工作的通知"
        sections = [
            ("提高思想认识", w.fill(w.pick(DEMANDS)) + "，把各项工作要求落到实处。"),
            ("突出工作重点", "；".join(w.measures(2)) + "。"),
            ("强化工作保障", w.pick(GUARANTEES)[1]),
            ("及时报送信息", f"请各单位明确一名联络员，于{cn_date(start)}前通过政务外网报送{v.short}。"),
        ]
        opening = f"为切实做好{year}年{w.topic}工作，现就有关事项通知如下："
    elif kind == 2:
        listing = w.pick(w.domain.lists)
        title = f"{v.org}关于公布{year}年{listing}名单的通知"
        sections = [
            (
                "评选结果",
                "经单位申报、材料审核、实地核查和社会公示，"
                f"确定{w.fill('{n}')}家单位为{year}年{listing}（名单另行印发）。",
            ),
            (
                "有关要求",
                "希望入选单位珍惜荣誉、再接再厉，充分发挥示范引领作用；"
                f"各地各单位要学习借鉴先进经验，推动{w.topic}工作整体提升。",
            ),
        ]
        opening = f"根据{year}年{listing}评选工作安排，现将评选结果通知如下："
    elif kind == 3:
        document = w.policy_title().name
        title = f"关于公开征求《{document}（征求意见稿）》意见的公告"
        sections = [
            ("征求意见时间", f"{cn_date(w.when.date())}至{cn_date(end)}。"),
            (
                "反馈方式",
                f"社会公众可通过电话{w.phone()}提出意见建议，或以信函方式寄至{v.address}"
                "（信封请注明“意见征集”字样）。",
            ),
        ]
        opening = (
            f"为提高行政决策的科学性和透明度，广泛听取社会各界意见，{v.short}起草了《{document}"
            "（征求意见稿）》，现向社会公开征求意见。"
        )
        paragraphs = [opening, *numbered(sections), contact, *w.signature(signed)]
        return w.article(title, paragraphs, written=signed)
    else:
        month, holiday = next(((m, h) for m, h in HOLIDAYS if m >= w.when.month), HOLIDAYS[0])
        next_year = month < w.when.month or (holiday == "元旦" and w.when.month == 12)
        holiday_year = year + 1 if next_year else year
        title = f"关于{holiday_year}年{holiday}放假安排的通知"
        sections = [
            ("放假时间", "具体放假调休时间按照国务院办公厅有关通知执行。"),
            (
                "值班值守",
                "节日期间，各单位要严格落实领导带班和24小时值班制度，"
                "遇有重大突发事件要按规定及时报告、妥善处置。",
            ),
            (
                "安全工作",
                "要认真做好节日期间安全生产、森林防灭火、食品安全等工作，"
                "确保人民群众度过一个欢乐祥和的节日。",
            ),
        ]
        opening = f"经{v.region}人民政府同意，现将{holiday_year}年{holiday}放假安排及有关事项通知如下："
    return w.article(
        title, [v.audience, opening, *numbered(sections), contact, *w.signature(signed)], written=signed
    )


NEWS_WRITERS: dict[Genre, Callable[[Writer], Article]] = {
    Genre.NEWS: _news,
    Genre.CAMPAIGN: _campaign,
    Genre.NOTICE: _notice,
}

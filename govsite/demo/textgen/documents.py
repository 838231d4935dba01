"""The document genres: 政策文件 and their 解读, reports, plans, budgets, emergency notices, the monthly
环境质量 bulletin and the 机构职能 and 领导信息 pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from govsite.demo.textgen.model import Article, Genre
from govsite.demo.textgen.phrases import GUARANTEES, PROBLEMS, SEASONS, TASK_VERBS
from govsite.demo.textgen.writer import Writer, cn_date, cn_number, numbered, person_name


def policy_body(w: Writer, document: str, short_type: str, purpose: str) -> list[str]:
    year = w.when.year
    tasks = [
        f"（{cn_number(i + 1)}）{w.pick(TASK_VERBS)}{topic}。{measure}。"
        for i, (topic, measure) in enumerate(zip(w.sample(w.domain.topics, 3), w.measures(3), strict=True))
    ]
    guarantees = [
        f"（{cn_number(i + 1)}）{head}。{body}" for i, (head, body) in enumerate(w.sample(GUARANTEES, 3))
    ]
    paragraphs = [
        document,
        f"为深入贯彻落实上级有关决策部署，{purpose}，根据{w.pick(w.domain.laws)}等有关规定，"
        + (
            f"结合{w.voice.we}实际，提出如下意见。"
            if short_type == "意见"
            else f"结合{w.voice.we}实际，制定本{short_type}。"
        ),
        "一、总体要求",
        f"坚持以人民为中心的发展思想，坚持稳中求进工作总基调，以改革创新为动力，以解决突出问题为导向。"
        f"到{year + 2}年，{'，'.join(w.fill(g) for g in w.sample(w.domain.goals, 2))}。",
        "二、主要任务",
        *tasks,
        "三、保障措施",
        *guarantees,
    ]
    if short_type in {"办法", "细则"}:
        paragraphs.append(
            f"本{short_type}自{cn_date(w.when.date() + timedelta(days=30))}起施行，"
            f"有效期{cn_number(w.rng.choice((3, 5)))}年。"
        )
    return paragraphs


def _policy(w: Writer) -> Article:
    v = w.voice
    issuer, number = w.document_number()
    document = w.policy_title()
    signed = w.day_before(3)
    if w.rng.random() < 0.3:
        subject = w.pick(w.domain.subjects)
        title = f"{issuer}关于{subject}的实施意见"
        body = policy_body(w, title, "意见", subject)[1:]
        return w.article(
            title,
            [number, v.audience, *body, issuer, cn_date(signed), "（此件公开发布）"],
            publisher=issuer,
            document_number=number,
            written=signed,
        )
    title = f"{issuer}关于印发《{document.name}》的通知"
    approval = f"经{v.level}人民政府同意，" if issuer.endswith("办公室") else ""
    paragraphs = [
        number,
        v.audience,
        f"{approval}现将《{document.name}》印发给你们，请结合实际，认真贯彻落实。",
        issuer,
        cn_date(signed),
        "（此件公开发布）",
        *policy_body(w, document.name, document.short_type, document.purpose),
    ]
    return w.article(title, paragraphs, publisher=issuer, document_number=number, written=signed)


def _interpretation(w: Writer) -> Article:
    return _interpret(w, w.policy_title().name)


def _interpret(w: Writer, document: str) -> Article:
    v = w.voice
    title = w.pick(
        (f"《{document}》政策解读", f"{v.short}关于《{document}》的解读", f"一图读懂《{document}》")
    )
    return w.article(title, interpretation_body(w, document))


def interpretation_body(w: Writer, document: str) -> list[str]:
    v = w.voice
    return [
        "一、出台背景",
        f"近年来，{v.region}{w.topic}工作取得明显成效，但也存在{w.pick(PROBLEMS)}等问题。为贯彻落实上级有关部署，"
        f"依据{w.pick(w.domain.laws)}，{v.short}在深入调研、广泛征求意见的基础上，起草了《{document}》。",
        "二、主要内容",
        f"《{document}》共分{cn_number(w.rng.randint(4, 7))}个部分，明确了总体要求、主要任务和保障措施。"
        f"主要任务包括：{'；'.join(w.measures(3))}。",
        "三、主要亮点",
        f"一是突出问题导向，聚焦{w.topic}中群众反映强烈的突出问题；二是强化协同联动，明确各部门职责分工；"
        f"三是注重可操作性，提出了{w.fill('{n}')}项具体举措和量化指标。",
        "四、解读机关及联系方式",
        f"解读机关：{v.org}；解读人：{person_name(w.rng)}；联系电话：{w.phone()}。",
    ]


def _report(w: Writer) -> Article:
    v = w.voice
    year = w.when.year - 1 if w.when.month <= 3 else w.when.year
    if w.rng.random() < 0.4:
        title = f"{v.org}{w.when.year - 1}年政府信息公开工作年度报告"
        published, applied = w.rng.randint(300, 4000), w.rng.randint(3, 90)
        paragraphs = [
            "本报告根据《中华人民共和国政府信息公开条例》要求编制，"
            f"所列数据统计期限为{w.when.year - 1}年1月1日至12月31日。",
            "一、总体情况",
            f"{w.when.year - 1}年，{v.org}认真贯彻落实政务公开工作部署，围绕中心工作，持续深化主动公开，"
            f"规范依申请公开，全年主动公开政府信息{published}条。",
            "二、主动公开政府信息情况",
            f"通过政府网站、政务新媒体等渠道主动公开规范性文件、政策解读、{w.topic}等信息，"
            f"发布政策解读{w.fill('{n}')}篇，回应社会关切{w.fill('{n}')}次。",
            "三、收到和处理政府信息公开申请情况",
            f"全年共收到政府信息公开申请{applied}件，均在法定期限内答复，其中予以公开{applied * 2 // 3}件，"
            f"其余依法作出部分公开、不予公开或告知说明。",
            "四、政府信息公开行政复议、行政诉讼情况",
            "全年未发生因政府信息公开引起的行政复议被纠错和行政诉讼败诉案件。",
            "五、存在的主要问题及改进情况",
            f"存在的主要问题是{w.pick(PROBLEMS)}。下一步将进一步加强政务公开队伍建设，提升公开质量和实效。",
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ]
        return w.article(title, paragraphs)
    half = "上半年" if 4 <= w.when.month <= 9 else ""
    title = (
        f"{v.org}{year}年{half}工作总结和下一步工作计划"
        if half
        else f"{v.org}{year}年工作总结和{year + 1}年工作计划"
    )
    done = [
        f"（{cn_number(i + 1)}）{w.pick(TASK_VERBS)}{t}。{m}。"
        for i, (t, m) in enumerate(zip(w.sample(w.domain.topics, 3), w.measures(3), strict=True))
    ]
    plans = [
        f"（{cn_number(i + 1)}）{w.pick(TASK_VERBS)}{t}。{w.fill(g)}。"
        for i, (t, g) in enumerate(
            zip(w.sample(w.domain.topics, 2), w.sample(w.domain.goals, 2), strict=True)
        )
    ]
    paragraphs = [
        f"{year}年{half}，{v.org}在{v.region}人民政府的正确领导下，紧紧围绕年度目标任务，真抓实干、攻坚克难，"
        "各项工作取得新成效。现将有关情况报告如下：",
        "一、主要工作成效",
        *done,
        "二、存在的问题",
        f"一是{PROBLEMS[0]}；二是{w.pick(PROBLEMS[1:])}。",
        "三、下一步工作计划",
        *plans,
    ]
    return w.article(title, paragraphs)


def _plan(w: Writer) -> Article:
    v = w.voice
    year = w.when.year + (1 if w.when.month == 12 else 0)
    if w.rng.random() < 0.5:
        title = f"{v.org}{year}年工作要点"
        items = [
            f"（{cn_number(i + 1)}）{w.pick(TASK_VERBS)}{t}。{m}。"
            for i, (t, m) in enumerate(zip(w.sample(w.domain.topics, 4), w.measures(4), strict=True))
        ]
        paragraphs = [
            f"{year}年是全面完成“十四五”规划目标任务的关键之年。{v.org}工作的总体要求是：坚持稳中求进工作总基调，"
            f"完整准确全面贯彻新发展理念，{w.fill(w.pick(w.domain.goals))}。重点抓好以下工作：",
            *items,
        ]
        return w.article(title, paragraphs)
    document = w.policy_title()
    return w.article(document.name, policy_body(w, document.name, document.short_type, document.purpose)[1:])


def _budget(w: Writer) -> Article:
    v = w.voice
    final = w.when.month >= 7
    year = w.when.year - 1 if final else w.when.year
    kind = "决算" if final else "预算"
    total = w.rng.uniform(800, 26000)
    basic = total * w.rng.uniform(0.55, 0.8)
    title = f"{v.org}{year}年部门{kind}公开说明"
    paragraphs = [
        "一、部门主要职能",
        f"{v.org}的主要职能是：{w.fill(w.pick(w.domain.duties), level=v.level)}等。",
        f"二、{year}年部门{kind}收支总体情况",
        f"{year}年收入{kind}{total:.2f}万元，支出{kind}{total:.2f}万元。其中基本支出{basic:.2f}万元，"
        "主要用于保障机构正常运转和完成日常工作任务；"
        f"项目支出{total - basic:.2f}万元，主要用于{w.topic}等重点工作。",
        "三、“三公”经费情况",
        f"{year}年“三公”经费{kind}{w.rng.uniform(3, 60):.2f}万元，比上年下降{w.rng.uniform(0.5, 9):.1f}%，"
        "主要是认真落实过紧日子要求，严格控制公务接待和公务用车支出。",
        "四、绩效目标设置情况",
        f"按照全面实施预算绩效管理要求，对{w.rng.randint(5, 40)}个项目编制了绩效目标，涉及金额"
        f"{(total - basic) * w.rng.uniform(0.6, 0.95):.2f}万元。",
        "五、名词解释",
        "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    ]
    return w.article(title, paragraphs)


def _emergency(w: Writer) -> Article:
    v = w.voice
    month = w.when.month
    hazard = (
        "防汛防台风" if 5 <= month <= 9 else "森林防灭火" if month in (1, 2, 3, 4, 11, 12) else "安全生产"
    )
    if w.rng.random() < 0.5:
        day = w.day_before(1)
        place = w.place()
        drill = w.pick(("综合应急演练", "抢险救援演练", "疏散避险演练", "桌面推演"))
        title = f"{place}开展{w.when.year}年{hazard}{drill}"
        paragraphs = [
            f"{w.month_day(day)}，{place}组织开展{w.when.year}年{hazard}{drill}。演练模拟突发险情，"
            f"检验了监测预警、人员转移、抢险救援、医疗救护等环节的协同处置能力。",
            f"演练共出动应急救援人员{w.rng.randint(8, 60) * 10}人次、各类车辆{w.rng.randint(6, 40)}台，"
            "各环节衔接紧密、处置有序，达到了预期效果。",
            f"{v.short}有关负责同志现场点评指出，要以演练为契机，进一步完善应急预案，"
            "加强队伍建设和物资储备，切实提高应对突发事件的能力。",
        ]
        return w.article(title, paragraphs)
    title = w.pick(
        (
            f"关于切实做好{w.when.year}年{hazard}工作的紧急通知",
            f"关于做好{w.when.year}年{SEASONS[month]}{hazard}工作的通知",
        )
    )
    sections = [
        (
            "压实防范责任",
            f"各地各部门要严格落实{hazard}责任制，主要负责同志要靠前指挥，确保责任到岗、措施到位。",
        ),
        ("加强隐患排查", "；".join(w.measures(2)) + "。"),
        (
            "严格值班值守",
            "严格执行24小时值班和领导带班制度，确保信息畅通，遇有突发情况第一时间报告、第一时间处置。",
        ),
    ]
    opening = f"当前正值{hazard}关键时期，为切实保障人民群众生命财产安全，现就有关工作紧急通知如下："
    signed = w.day_before(1)
    return w.article(title, [v.audience, opening, *numbered(sections), *w.signature(signed)], written=signed)


def _env_quality(w: Writer) -> Article:
    v = w.voice
    first = w.when.date().replace(day=1)
    month_end = first - timedelta(days=1)
    year, month = month_end.year, month_end.month
    good = w.rng.uniform(88, 99.8)
    title = f"{year}年{month}月{v.region}环境质量状况"
    days = (month_end - month_end.replace(day=1)).days + 1
    good_days = round(days * good / 100)
    excellent_days = round(good_days * 0.6)
    paragraphs = [
        "一、环境空气质量",
        f"{month}月，{v.region}环境空气质量优良天数比例为{good:.1f}%，其中优{excellent_days}天、"
        f"良{good_days - excellent_days}天。细颗粒物平均浓度为{w.rng.randint(12, 35)}"
        f"微克每立方米，可吸入颗粒物平均浓度为{w.rng.randint(25, 60)}微克每立方米，同比分别"
        f"{w.pick(('下降', '持平', '上升'))}。",
        "二、地表水环境质量",
        f"全市{w.rng.randint(12, 30)}个国控、省控断面水质优良比例为100%，主要流域水质总体为优。",
        "三、集中式生活饮用水水源地水质",
        f"{v.region}县级以上集中式生活饮用水水源地水质达标率为100%。",
        "四、声环境质量",
        f"城区区域声环境昼间平均等效声级为{w.rng.uniform(50, 56):.1f}分贝，总体水平为较好。",
    ]
    return w.article(title, paragraphs)


def _duties(w: Writer) -> Article:
    v = w.voice
    duties = [f"（{cn_number(i + 1)}）{w.fill(d, level=v.level)}。" for i, d in enumerate(w.domain.duties)]
    kind = "人民政府工作部门" if not v.is_government else "人民政府的办事机构"
    paragraphs = [
        f"{v.org}是{v.region}{kind}。主要职责是：",
        *duties,
        f"（{cn_number(len(duties) + 1)}）完成上级交办的其他任务。",
        f"办公地址：{v.address}；办公时间：工作日上午8:00—12:00，下午14:30—17:30（夏令时15:00—18:00）；"
        f"联系电话：{v.phone}。",
    ]
    return w.article(f"{v.org}主要职责", paragraphs)


def _leaders(w: Writer) -> Article:
    v = w.voice
    paragraphs: list[str] = []
    for i, leader in enumerate(v.leaders):
        born = w.rng.randint(1966, 1980)
        duty = leader.portfolio or w.topic
        work = "负责全面工作。" if i == 0 else f"协助{v.leaders[0].title}工作，负责{duty}等方面工作。"
        paragraphs += [
            f"{leader.name}　{leader.title}",
            f"{'女' if leader.female else '男'}，汉族，{born}年{w.rng.randint(1, 12)}月生，"
            f"{w.pick(('大学', '研究生', '大学'))}学历，"
            f"{w.pick(('管理学', '经济学', '工学', '法学'))}学位。{work}",
        ]
    return w.article(f"{v.org}领导信息", paragraphs)


DOCUMENT_WRITERS: dict[Genre, Callable[[Writer], Article]] = {
    Genre.POLICY: _policy,
    Genre.INTERPRETATION: _interpretation,
    Genre.REPORT: _report,
    Genre.PLAN: _plan,
    Genre.BUDGET: _budget,
    Genre.EMERGENCY: _emergency,
    Genre.ENV_QUALITY: _env_quality,
    Genre.DUTIES: _duties,
    Genre.LEADERS: _leaders,
}

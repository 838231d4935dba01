"""Realistic Chinese government-site text for the demo 站群: news, notices, policy documents, reports and
profiles composed from phrase tables. Pure code: the same ``random.Random`` state gives the same text."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

CN_NUMERALS = "零一二三四五六七八九十"
T = TypeVar("T")


class Genre(StrEnum):
    """What kind of item a column publishes; chooses the generator."""

    NEWS = "news"  # 会议、调研、工作动态
    CAMPAIGN = "campaign"  # 专题专栏 news around a city-wide campaign
    NOTICE = "notice"  # 通知、公告
    POLICY = "policy"  # 政策文件 with 文号
    INTERPRETATION = "interpretation"  # 政策解读
    REPORT = "report"  # 工作总结、年度报告
    PLAN = "plan"  # 规划计划、工作要点
    BUDGET = "budget"  # 部门预算、决算
    EMERGENCY = "emergency"  # 应急管理: warnings, drills, 防汛 notices
    ENV_QUALITY = "env_quality"  # monthly 环境质量状况
    DUTIES = "duties"  # 机构职能
    LEADERS = "leaders"  # 领导信息


@dataclass(frozen=True)
class Leader:
    name: str
    title: str  # 市长, 副局长 …
    female: bool = False
    portfolio: str = ""  # 分管工作, shown on the 领导信息 page


@dataclass(frozen=True)
class Voice:
    """Who an article comes from: the organisation, the area it governs and the people who speak for it."""

    org: str  # full name, e.g. 青山市教育局; also the signature of its documents
    short: str  # 市教育局 — used as 来源
    domain: str  # key of DOMAINS
    level: str  # 市 / 县 / 镇: prefixes department names (市财政局, 县财政局)
    region: str  # the place it governs: 青山市, 东林县, 城关镇
    places: tuple[str, ...]  # subordinate places a leader visits: counties, towns, villages
    leaders: tuple[Leader, ...]
    doc_prefixes: tuple[tuple[str, str], ...]  # (issuer, 文号 prefix): ("青山市人民政府", "青政")
    audience: str  # 主送机关 line of its documents
    council: str  # its regular meeting, {k} = number within the year
    address: str
    phone: str
    sources: tuple[str, ...] = ()  # 来源 besides ``short`` (e.g. 青山日报 for 政务要闻)
    is_government: bool = False

    @property
    def area(self) -> str:
        return f"全{self.level}"

    @property
    def we(self) -> str:
        return f"我{self.level}"


@dataclass(frozen=True)
class Domain:
    """Vocabulary of one field of work."""

    field: str  # 教育, 卫生健康 …: "全市教育系统"
    topics: tuple[str, ...]  # work topics: 义务教育优质均衡发展
    visits: tuple[str, ...]  # places a leader inspects, with {place}
    measures: tuple[str, ...]  # concrete measures with number placeholders
    targets: str  # who a 检查 notice covers
    lists: tuple[str, ...]  # 名单 a notice publishes
    subjects: tuple[str, ...]  # verb phrases naming policy documents: 推进学前教育普及普惠发展
    regulated: tuple[str, ...]  # nouns for 管理办法: 校外培训机构
    laws: tuple[str, ...]  # legal basis
    duties: tuple[str, ...]  # 主要职责 items
    goals: tuple[str, ...]  # targets in plans, with placeholders


GENERIC_MEASURES = (
    "强化组织领导，成立由主要负责同志任组长的工作专班，定期研究解决工作推进中的重大问题",
    "完善制度机制，出台{k}项配套措施，推动工作规范化、常态化、长效化",
    "加大投入力度，统筹安排专项资金{m}万元，保障各项任务落地见效",
    "强化督查考核，将工作完成情况纳入年度绩效考核，对进度滞后的单位进行通报",
    "推进数字赋能，依托一体化政务服务平台实现事项全流程网上办理",
    "坚持问题导向，开展全覆盖排查，建立问题清单、责任清单、整改清单，已完成整改{n}项",
    "加强队伍建设，组织开展业务培训{k}期，培训干部职工{m}人次",
    "广泛宣传发动，通过政府网站、政务新媒体等渠道解读政策、回应关切，发布各类信息{m}条",
)

DOMAINS: dict[str, Domain] = {
    "government": Domain(
        field="政府",
        topics=(
            "优化营商环境",
            "重点项目建设",
            "招商引资",
            "乡村振兴",
            "民生实事项目",
            "城市更新",
            "文明城市创建",
            "数字政府建设",
            "政务公开",
            "农村人居环境整治",
            "稳就业保民生",
            "防汛备汛",
            "县域经济高质量发展",
            "政务服务便民热线",
            "耕地保护",
            "城乡融合发展",
            "粮食安全",
            "民营经济发展",
            "政府网站和政务新媒体管理",
            "“高效办成一件事”",
            "森林防灭火",
            "安全生产",
        ),
        visits=(
            "{place}重点项目建设现场",
            "{place}政务服务中心",
            "{place}高新技术产业园",
            "{place}便民服务中心",
            "{place}农业产业示范基地",
            "{place}老旧小区改造项目",
            "{place}物流园区",
            "{place}乡村振兴示范村",
        ),
        measures=(
            "新开工重点项目{n}个，完成投资{x}亿元，完成年度计划的{p}%",
            "新签约招商项目{n}个，总投资{x}亿元",
            "政务服务事项网上可办率达{p}%，平均办理时限压缩{n}%",
            "实施为民办实事项目{n}项，已完成{k}项，其余项目正加快推进",
            "改造提升老旧小区{n}个，惠及居民{m}户",
            "新增城镇就业{m}人，城镇调查失业率控制在5.5%以内",
            "整治农村人居环境问题{m}处，建成美丽乡村示范村{n}个",
            "便民服务热线受理群众诉求{m}件，按时办结率{p}%",
        ),
        targets="下级人民政府、{level}直各有关单位",
        lists=("市级重点项目", "乡村振兴示范村", "营商环境建设示范单位", "政务公开标准化规范化示范点"),
        subjects=(
            "进一步优化营商环境",
            "推进重点项目建设",
            "加快数字政府建设",
            "促进民营经济高质量发展",
            "推进城市更新行动",
            "深化政务公开",
            "加强耕地保护和改进占补平衡",
            "推进乡村全面振兴",
            "提升政务服务效能",
            "稳住经济大盘",
        ),
        regulated=("政府投资项目", "政府网站和政务新媒体", "市级重点项目", "政务数据共享"),
        laws=("《优化营商环境条例》", "《中华人民共和国政府信息公开条例》", "《重大行政决策程序暂行条例》"),
        duties=(
            "负责{level}政府会议的组织工作，协助{level}政府领导同志组织实施会议决定事项",
            "负责处理{level}政府发文和下级人民政府、{level}直各部门报送{level}政府的公文，起草或审核以{level}政府、{level}政府办公室名义发布的公文",
            "负责督促检查{level}政府公文和会议决定事项及{level}政府领导同志指示的执行落实情况，及时向{level}政府领导同志报告",
            "负责全{level}政务公开、政府网站和政务新媒体的监督管理工作",
            "负责{level}政府值班工作，及时报告重要情况，协助{level}政府领导同志处置突发事件",
            "负责全{level}政务服务便民热线、网上信访等渠道群众诉求的协调办理",
            "负责{level}政府办公室机关和直属单位的党群工作",
        ),
        goals=(
            "地区生产总值年均增长6%左右",
            "政务服务事项网上可办率达到{p}%以上",
            "营商环境主要指标进入全省前列",
            "城乡居民人均可支配收入与经济增长基本同步",
        ),
    ),
    "township": Domain(
        field="乡镇",
        topics=(
            "乡村振兴",
            "农村人居环境整治",
            "森林防灭火",
            "防汛备汛",
            "耕地保护",
            "安全生产",
            "矛盾纠纷排查化解",
            "移风易俗",
            "垃圾分类",
            "村级集体经济发展",
            "基层治理",
            "特色农业产业发展",
            "农村饮水安全",
            "农村危房改造",
        ),
        visits=(
            "{place}党群服务中心",
            "{place}特色种植基地",
            "{place}农家书屋",
            "{place}垃圾分类示范点",
            "{place}居家养老服务站",
            "{place}山塘水库",
        ),
        measures=(
            "整治房前屋后环境卫生死角{n}处，清理沟渠{n}公里",
            "村级集体经济年收入超过20万元的村达{k}个",
            "排查化解矛盾纠纷{n}起，化解率{p}%",
            "新建、改造农村公路{k}公里，安装路灯{n}盏",
            "发展特色种植{m}亩，带动农户增收{n}万元",
            "开展森林防火、防汛巡查{m}人次，排查隐患点{n}处",
            "走访困难群众{n}户，发放慰问金{n}万元",
        ),
        targets="各村（社区）和乡镇各站所",
        lists=("美丽庭院示范户", "文明家庭"),
        subjects=("推进美丽乡村建设", "加强村级集体经济发展"),
        regulated=("村级财务", "村级小微权力"),
        laws=("《中华人民共和国村民委员会组织法》", "《中华人民共和国乡村振兴促进法》"),
        duties=(
            "贯彻执行上级人民政府的决定和命令，发布决定和命令",
            "执行本行政区域内的经济和社会发展计划、预算，管理本行政区域内的各项行政工作",
            "保护各种经济组织的合法权益，保障公民的人身权利和其他权利",
        ),
        goals=("村级集体经济年收入全部超过10万元", "农村生活垃圾分类实现全覆盖"),
    ),
    "education": Domain(
        field="教育",
        topics=(
            "义务教育优质均衡发展",
            "学前教育普及普惠",
            "“双减”",
            "校园安全",
            "教师队伍建设",
            "中小学生心理健康教育",
            "职业教育产教融合",
            "高考组织",
            "中考招生",
            "学生资助",
            "校园食品安全",
            "教育信息化",
            "家校社协同育人",
            "中小学体育美育",
            "课后服务",
            "控辍保学",
        ),
        visits=(
            "{place}第一中学",
            "{place}实验小学",
            "{place}中心幼儿园",
            "{place}职业中专学校",
            "{place}第二中学",
            "{place}特殊教育学校",
            "{place}教师进修学校",
        ),
        measures=(
            "新建、改扩建中小学校和幼儿园{n}所，新增学位{m}个",
            "学前教育毛入园率达{p}%，普惠性幼儿园覆盖率达{p}%",
            "义务教育阶段学校课后服务实现全覆盖，学生参与率达{p}%",
            "发放各类学生资助资金{m}万元，惠及学生{m}人次",
            "公开招聘中小学教师{m}名，组织教师全员培训{m}人次",
            "开展校园安全隐患排查{m}所次，整改隐患{n}处",
            "建成智慧校园示范校{n}所，中小学校宽带网络接入率达100%",
            "配备专兼职心理健康教师{m}名，中小学心理辅导室实现全覆盖",
        ),
        targets="全市中小学校、幼儿园和校外培训机构",
        lists=(
            "市级示范幼儿园",
            "义务教育优质均衡发展先进学校",
            "中小学校园文化建设示范校",
            "市级名师工作室",
        ),
        subjects=(
            "推进学前教育普及普惠发展",
            "加强中小学校园安全管理",
            "深化新时代教育评价改革",
            "加强中小学教师队伍建设",
            "提升县域普通高中办学水平",
            "推进义务教育优质均衡发展",
            "加强中小学生心理健康工作",
            "推进职业教育产教融合",
        ),
        regulated=("校外培训机构", "学生资助资金", "中小学校服", "民办学校办学行为"),
        laws=("《中华人民共和国教育法》", "《中华人民共和国义务教育法》", "《中华人民共和国学前教育法》"),
        duties=(
            "贯彻执行国家和省有关教育工作的方针政策和法律法规，拟订全市教育改革与发展规划并组织实施",
            "负责全市各级各类教育的统筹规划和协调管理，指导县（区）教育行政部门的工作",
            "负责全市义务教育均衡发展和促进教育公平，指导学前教育、特殊教育、普通高中教育工作",
            "负责全市教师工作，指导教师队伍建设和教师管理工作",
            "负责全市各级各类学校的安全稳定工作和学生资助工作",
            "负责全市中考、高考等各类教育考试的组织实施工作",
            "负责全市教育信息化建设和教育督导评估工作",
        ),
        goals=(
            "学前教育毛入园率保持在{p}%以上",
            "义务教育巩固率达到{p}%以上",
            "高中阶段教育毛入学率达到{p}%以上",
            "全市所有县（区）通过义务教育优质均衡发展国家督导评估",
        ),
    ),
    "health": Domain(
        field="卫生健康",
        topics=(
            "基层医疗卫生服务能力提升",
            "紧密型县域医共体建设",
            "家庭医生签约服务",
            "基本公共卫生服务",
            "医疗质量安全",
            "无偿献血",
            "爱国卫生运动",
            "老年健康服务",
            "妇幼健康",
            "传染病防控",
            "中医药传承创新",
            "医疗卫生行业综合监管",
            "预防接种",
            "急诊急救能力建设",
            "健康城市建设",
        ),
        visits=(
            "{place}人民医院",
            "{place}中医院",
            "{place}妇幼保健院",
            "{place}疾病预防控制中心",
            "{place}中心卫生院",
            "{place}社区卫生服务中心",
            "{place}医养结合服务中心",
        ),
        measures=(
            "组建家庭医生签约团队{n}个，重点人群签约率达{p}%",
            "建成紧密型县域医共体{k}个，县域内就诊率达{p}%",
            "完成适龄儿童免疫规划疫苗接种{m}剂次，接种率保持在{p}%以上",
            "全市无偿献血{m}人次，献血量同比增长{n}%",
            "新增二级以上医疗机构{k}家，每千人口执业（助理）医师数达{k}人",
            "开展医疗机构监督检查{m}家次，立案查处违法违规行为{n}起",
            "建成基层中医馆{n}个，实现乡镇卫生院全覆盖",
            "开展免费孕前优生健康检查{m}对，孕产妇系统管理率达{p}%",
        ),
        targets="各级各类医疗卫生机构",
        lists=("市级健康促进医院", "基层医疗卫生机构服务能力达标单位", "健康村镇", "市级临床重点专科"),
        subjects=(
            "推进紧密型县域医共体建设",
            "加强基层医疗卫生服务体系建设",
            "促进中医药传承创新发展",
            "深化医药卫生体制改革",
            "加强医疗卫生行业综合监管",
            "推进健康城市建设",
            "提升急诊急救服务能力",
            "加快发展普惠托育服务",
        ),
        regulated=("医疗机构依法执业", "家庭医生签约服务", "医疗废物", "基本公共卫生服务项目资金"),
        laws=(
            "《中华人民共和国基本医疗卫生与健康促进法》",
            "《中华人民共和国传染病防治法》",
            "《医疗机构管理条例》",
        ),
        duties=(
            "贯彻执行国民健康政策和卫生健康法律法规，拟订全市卫生健康事业发展规划并组织实施",
            "协调推进全市深化医药卫生体制改革，组织推进公立医院综合改革",
            "负责全市疾病预防控制工作，组织实施免疫规划和重大疾病防治规划",
            "组织协调全市突发公共卫生事件和突发事件的医疗卫生救援工作",
            "负责全市医疗机构、医疗服务行业和医疗卫生人员的监督管理",
            "负责全市计划生育管理和服务工作，开展人口监测预警",
            "负责全市中医药事业发展和卫生健康行业综合监督工作",
        ),
        goals=(
            "人均预期寿命达到80岁以上",
            "重点人群家庭医生签约率达到{p}%以上",
            "孕产妇死亡率和婴儿死亡率持续保持在较低水平",
            "县域内就诊率达到{p}%以上",
        ),
    ),
    "environment": Domain(
        field="生态环境",
        topics=(
            "大气污染防治",
            "水污染防治",
            "土壤污染防治",
            "河长制",
            "生态环境保护督察整改",
            "入河排污口排查整治",
            "固体废物污染防治",
            "机动车排气污染监管",
            "生态环境执法",
            "“无废城市”建设",
            "饮用水水源地保护",
            "碳达峰碳中和",
            "噪声污染防治",
            "重点排污单位监管",
        ),
        visits=(
            "{place}污水处理厂",
            "{place}工业园区",
            "{place}垃圾焚烧发电厂",
            "{place}饮用水水源地",
            "{place}大气自动监测站",
            "{place}重点排污企业",
            "{place}流域综合治理项目",
        ),
        measures=(
            "全市环境空气质量优良天数比例达{p}%，细颗粒物平均浓度同比下降{k}微克每立方米",
            "主要流域国控、省控断面水质优良比例保持100%",
            "完成入河排污口排查整治{m}个，整治完成率{p}%",
            "开展生态环境执法检查{m}家次，立案查处环境违法案件{n}起",
            "完成重点行业挥发性有机物治理项目{n}个",
            "受污染耕地安全利用率达{p}%以上，重点建设用地安全利用得到有效保障",
            "一般工业固体废物综合利用率达{p}%",
            "生态环境保护督察反馈问题已完成整改{n}项，其余问题按序时推进",
        ),
        targets="重点排污单位、工业园区和各类建设项目",
        lists=("重点排污单位", "生态环境监管重点单位", "环保信用评价结果", "生态文明建设示范村镇"),
        subjects=(
            "深入打好污染防治攻坚战",
            "推进美丽河湖建设",
            "加强新污染物治理",
            "推进“无废城市”建设",
            "加强入河排污口监督管理",
            "深化排污许可制度改革",
            "推进减污降碳协同增效",
            "持续改善空气质量",
        ),
        regulated=("入河排污口", "排污许可", "生态环境损害赔偿", "建设项目环境影响评价"),
        laws=(
            "《中华人民共和国环境保护法》",
            "《中华人民共和国大气污染防治法》",
            "《中华人民共和国水污染防治法》",
        ),
        duties=(
            "贯彻执行国家和省生态环境方针政策和法律法规，拟订全市生态环境政策、规划并组织实施",
            "负责全市重大生态环境问题的统筹协调和监督管理",
            "负责监督管理全市减排目标的落实，组织实施主要污染物排放总量控制和排污许可制度",
            "负责全市环境污染防治的监督管理，组织实施大气、水、土壤等污染防治工作",
            "负责全市生态环境监测和信息发布工作",
            "组织开展全市生态环境保护督察，统一负责生态环境监督执法",
            "负责全市突发生态环境事件的应急、预警工作",
        ),
        goals=(
            "空气质量优良天数比例稳定在{p}%以上",
            "主要流域国控、省控断面水质优良比例保持100%",
            "受污染耕地安全利用率达到{p}%以上",
            "城市生活污水集中收集率达到{p}%以上",
        ),
    ),
    "development": Domain(
        field="发展改革",
        topics=(
            "重大项目谋划",
            "粮食储备",
            "价格监测",
            "社会信用体系建设",
            "以工代赈",
            "能源保供",
            "节能降碳",
            "“十四五”规划实施",
            "招标投标监管",
            "物价稳定",
            "区域协调发展",
        ),
        visits=("{place}重点项目建设现场", "{place}粮食储备库", "{place}光伏发电项目", "{place}物流园区"),
        measures=(
            "谋划储备重大项目{n}个，总投资{x}亿元",
            "争取中央预算内投资{x}亿元，支持项目{n}个",
            "全市单位地区生产总值能耗同比下降{k}%",
            "开展重要民生商品价格监测{m}次，价格总水平保持基本稳定",
            "实施以工代赈项目{n}个，带动当地群众务工{m}人",
        ),
        targets="各县（区）发展改革部门和市直有关单位",
        lists=("市级重点项目", "社会信用体系建设示范单位", "节能降碳先进单位"),
        subjects=("推进重大项目谋划储备", "加强社会信用体系建设", "推动节能降碳", "做好重要民生商品保供稳价"),
        regulated=("政府投资项目", "市级预算内投资", "招标投标活动"),
        laws=("《政府投资条例》", "《中华人民共和国价格法》"),
        duties=(
            "拟订并组织实施全市国民经济和社会发展战略、中长期规划和年度计划",
            "负责全市重大建设项目的规划布局和投资管理",
            "负责全市价格监测和重要商品储备管理工作",
            "推进全市社会信用体系建设",
        ),
        goals=("固定资产投资年均增长7%左右", "单位地区生产总值能耗持续下降"),
    ),
    "finance": Domain(
        field="财政",
        topics=(
            "预算绩效管理",
            "政府采购监管",
            "财政资金直达",
            "国有资产管理",
            "惠民惠农补贴发放",
            "政府债务管理",
            "非税收入征管",
            "会计监督",
        ),
        visits=("{place}财政局", "{place}财政所", "{place}惠民资金发放点"),
        measures=(
            "全市一般公共预算收入{x}亿元，同比增长{k}%",
            "民生支出占一般公共预算支出比重达{p}%",
            "直达资金分配下达率达{p}%",
            "开展财政资金绩效评价项目{n}个，涉及资金{x}亿元",
        ),
        targets="市直各预算单位",
        lists=("预算绩效管理优秀单位", "政府采购代理机构考核结果"),
        subjects=("深化预算管理制度改革", "全面实施预算绩效管理", "规范政府采购行为"),
        regulated=("市级财政专项资金", "政府采购", "行政事业单位国有资产"),
        laws=("《中华人民共和国预算法》", "《中华人民共和国政府采购法》"),
        duties=(
            "贯彻执行财税方针政策和法律法规，拟订全市财政发展规划并组织实施",
            "负责管理全市各项财政收支，编制年度市级预决算草案并组织执行",
            "负责全市政府采购和国有资产的监督管理",
            "负责全市政府性债务管理和预算绩效管理",
        ),
        goals=("一般公共预算收入保持稳定增长", "民生支出占比保持在{p}%以上"),
    ),
    "emergency": Domain(
        field="应急管理",
        topics=(
            "安全生产",
            "防汛防台风",
            "森林防灭火",
            "地质灾害防治",
            "危险化学品安全",
            "应急救援队伍建设",
            "自然灾害救助",
            "城镇燃气安全",
            "消防安全",
            "防灾减灾",
        ),
        visits=(
            "{place}应急物资储备库",
            "{place}危险化学品企业",
            "{place}地质灾害隐患点",
            "{place}水库",
            "{place}森林防火检查站",
            "{place}燃气储配站",
        ),
        measures=(
            "开展安全生产检查{m}家次，排查整改隐患{m}处",
            "组织应急演练{n}场次，参演人员{m}人次",
            "全市生产安全事故起数和死亡人数实现“双下降”",
            "转移避险群众{m}人，未发生人员伤亡",
            "储备防汛抗旱物资价值{m}万元",
            "组建乡镇（街道）综合性应急救援队伍{n}支",
        ),
        targets="各县（区）、各类生产经营单位",
        lists=("安全生产标准化达标企业", "综合减灾示范社区"),
        subjects=("加强安全生产工作", "做好防汛防台风工作", "加强森林防灭火工作", "提升基层应急能力"),
        regulated=("安全生产举报奖励", "应急物资储备", "危险化学品安全"),
        laws=("《中华人民共和国安全生产法》", "《中华人民共和国突发事件应对法》", "《中华人民共和国防洪法》"),
        duties=(
            "负责全市应急管理工作，指导各县（区）、各部门应对安全生产类、自然灾害类等突发事件",
            "负责全市安全生产综合监督管理和工矿商贸行业安全生产监督管理",
            "组织编制全市总体应急预案和安全生产类、自然灾害类专项预案",
            "负责全市应急救援力量建设和应急物资储备管理",
        ),
        goals=("生产安全事故起数和死亡人数持续下降", "重特大事故得到有效遏制"),
    ),
}

CAMPAIGNS = (
    "优化营商环境",
    "“我为群众办实事”",
    "民法典宣传",
    "文明城市创建",
    "安全生产月",
    "全国生态日",
    "政务公开日",
    "全民国家安全教育日",
    "防灾减灾日",
    "全国节能宣传周",
)
DEPARTMENTS = (
    ("发改委", "发改局"),
    ("财政局", "财政局"),
    ("教育局", "教育局"),
    ("卫健委", "卫健局"),
    ("生态环境局", "生态环境局"),
    ("应急管理局", "应急管理局"),
    ("住建局", "住建局"),
    ("自然资源局", "自然资源局"),
    ("农业农村局", "农业农村局"),
    ("工信局", "工信局"),
    ("商务局", "商务局"),
    ("人社局", "人社局"),
    ("市场监管局", "市场监管局"),
    ("交通运输局", "交通运输局"),
    ("水利局", "水利局"),
    ("文旅局", "文旅局"),
)
SURNAMES = "陈林黄张吴郑王刘李杨蔡许何谢罗叶周苏邱江潘方曾游詹彭魏邓朱高余卢"
GIVEN = "建国志明海丽华伟芳秀英敏静强军平晓东文斌雪梅红霞涛杰鹏俊燕琳慧婷宇航振宏德荣清泉晨阳"
VERBS = ("多措并举推进", "扎实开展", "全力推进", "持续深化", "着力抓好", "创新开展", "稳步推进", "高标准推进")
TASK_VERBS = ("着力推进", "扎实推进", "全面加强", "切实抓好", "统筹推进")
PROBLEMS = (
    "工作推进还不够平衡，部分领域仍存在短板弱项",
    "个别地方和单位思想认识不够到位，责任落实还有差距",
    "基层基础仍较薄弱，保障能力有待进一步加强",
    "群众反映的一些热点难点问题还没有得到根本解决",
)
DEMANDS = (
    "要提高政治站位，切实增强做好{topic}工作的责任感和紧迫感",
    "要坚持问题导向，聚焦重点难点，逐项研究解决",
    "要压紧压实责任，形成一级抓一级、层层抓落实的工作格局",
    "要加强统筹协调，各有关部门要各司其职、密切配合，形成工作合力",
    "要强化督促检查，确保各项工作任务按时保质完成",
    "要坚持以人民为中心，着力解决群众急难愁盼问题",
    "要加强宣传引导，营造全社会共同关心、支持和参与的良好氛围",
    "要守牢安全底线，严防各类风险隐患",
)
FUTURES = (
    "下一步，{subject}将持续巩固提升工作成效，进一步完善长效机制，推动{topic}工作再上新台阶。",
    "下一步，{subject}将对标先进、补齐短板，以更实举措、更大力度推进{topic}工作，不断增强群众获得感。",
    "{subject}表示，将以此次工作为契机，认真总结经验做法，推动{topic}工作常态长效。",
)
GUARANTEES = (
    (
        "加强组织领导",
        "各地各部门要把此项工作摆上重要议事日程，主要负责同志亲自抓，分管负责同志具体抓，"
        "确保各项任务落到实处。",
    ),
    ("强化要素保障", "要统筹用好各级各类资金，加强人才、用地、数据等要素保障，为工作推进提供有力支撑。"),
    ("严格督查考核", "要建立工作台账，定期调度通报进展情况，对工作推进不力的单位予以督促整改。"),
    ("加强宣传引导", "要充分利用政府网站、政务新媒体等渠道，做好政策解读和宣传工作，及时回应社会关切。"),
)
DOC_TYPES = ("实施方案", "行动方案", "工作方案", "若干措施", "三年行动计划")
TRAININGS = ("业务培训班", "专题培训会", "知识竞赛", "宣传周活动", "工作经验交流会")
CHECKS = ("专项检查", "督导检查", "专项整治行动", "自查自评工作", "宣传月活动")
# (month a 放假安排 notice is typically issued in, holiday)
HOLIDAYS = (
    (1, "春节"),
    (3, "清明节"),
    (4, "劳动节"),
    (5, "端午节"),
    (8, "中秋节"),
    (9, "国庆节"),
    (12, "元旦"),
)
# When in the year an emergency notice is about, by month.
SEASONS = {
    1: "春节期间",
    2: "春节期间",
    3: "清明节期间",
    4: "清明节期间",
    5: "汛前",
    6: "主汛期",
    7: "主汛期",
    8: "台风季节",
    9: "国庆期间",
    10: "国庆期间",
    11: "冬季",
    12: "元旦期间",
}


def cn_number(n: int) -> str:
    """Chinese numeral for section headings (一 … 九十九)."""
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens]) + "十" + (CN_NUMERALS[ones] if ones else "")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def stable_person(key: str) -> str:
    """A fixed fictional name for a role that recurs (a town's mayor), independent of the article's draw."""
    return person_name(random.Random(key))  # noqa: S311 - invented names, not security


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(rng: random.Random, template: str, **context: str) -> str:
    """Fill named slots from ``context``; {n} {m} {k} {p} {x} draw plausible numbers."""

    def number(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in context:
            return context[key]
        draws: dict[str, Callable[[], str]] = {
            "n": lambda: str(rng.randint(3, 60)),
            "m": lambda: str(rng.randint(120, 9800)),
            "k": lambda: str(rng.randint(2, 9)),
            "p": lambda: f"{rng.uniform(86, 99.6):.1f}",
            "x": lambda: f"{rng.uniform(1.2, 58.6):.1f}",
        }
        if key not in draws:
            raise KeyError(f"textgen template slot {{{key}}} has no value")
        return draws[key]()

    return _PLACEHOLDER.sub(number, template)


@dataclass(frozen=True)
class PolicyTitle:
    name: str  # 青山市校外培训机构管理办法
    short_type: str  # 办法: "制定本办法"
    purpose: str  # 规范校外培训机构管理: "为……，制定本办法"


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    source: str
    # 公开目录 metadata the text already fixes: who issued it (发布机构), its 文号 and 成文日期.
    publisher: str = ""
    document_number: str = ""
    written: date | None = None

    def html(self) -> str:
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in self.paragraphs)


class _Writer:
    """One article being written: the random stream, who speaks and when."""

    def __init__(self, rng: random.Random, voice: Voice, when: datetime, topic: str | None = None) -> None:
        self.rng = rng
        self.voice = voice
        self.when = when
        self.domain = DOMAINS[voice.domain]
        self.topic = topic if topic is not None else rng.choice(self.domain.topics)

    # -- small helpers -------------------------------------------------------------------------------
    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(options), min(k, len(options)))

    def fill(self, template: str, **context: str) -> str:
        return fill(self.rng, template, **{"topic": self.topic, **context})

    def day_before(self, max_days: int) -> date:
        return self.when.date() - timedelta(days=self.rng.randint(0, max_days))

    def month_day(self, day: date) -> str:
        return f"{day.month}月{day.day}日"

    def head(self) -> Leader:
        return self.voice.leaders[0]

    def any_leader(self) -> Leader:
        return self.pick(self.voice.leaders)

    def place(self) -> str:
        return self.pick(self.voice.places)

    def area_word(self) -> str:
        return self.voice.area

    def attendees(self) -> str:
        """Who attended a government meeting besides the chair."""
        level = self.voice.level
        if level in ("镇", "乡"):
            return f"{level}领导班子成员，各村（社区）主要负责同志参加会议。"
        picked = self.sample(DEPARTMENTS, self.rng.randint(3, 5))
        names = [f"{level}{city if level == '市' else county}" for city, county in picked]
        return "、".join(names) + "等单位负责同志参加会议。"

    def phone(self) -> str:
        return self.voice.phone[:-3] + f"{self.rng.randint(100, 999)}"

    def measures(self, k: int) -> list[str]:
        own = self.sample(self.domain.measures, k)
        if self.rng.random() < 0.5:
            own[-1] = self.pick(GENERIC_MEASURES)
        return [self.fill(m) for m in own]

    def source(self, news: bool) -> str:
        # A news item may come from the paper or the media centre; a document always from its issuer.
        if news and self.voice.sources and self.rng.random() < 0.3:
            return self.pick(self.voice.sources)
        return self.voice.short

    def article(
        self,
        title: str,
        paragraphs: Sequence[str],
        *,
        news: bool = False,
        publisher: str = "",
        document_number: str = "",
        written: date | None = None,
    ) -> Article:
        return Article(
            title=title,
            paragraphs=tuple(paragraphs),
            source=self.source(news),
            publisher=publisher or self.voice.org,
            document_number=document_number,
            written=written,
        )

    def signature(self, signed: date) -> list[str]:
        return [self.voice.org, cn_date(signed)]

    def document_number(self) -> tuple[str, str]:
        """(issuer, 文号) numbered plausibly for the time of year."""
        issuer, prefix = self.pick(self.voice.doc_prefixes)
        serial = max(1, self.when.timetuple().tm_yday // 7 + self.rng.randint(-2, 3))
        return issuer, f"{prefix}〔{self.when.year}〕{serial}号"

    def council(self) -> str:
        k = (self.when.month - 1) * 2 + (1 if self.when.day <= 15 else 2)
        return self.voice.council.format(k=cn_number(k), year=self.when.year)

    def policy_title(self) -> PolicyTitle:
        """A policy document's name, e.g. 青山市推进……实施方案, with its short type and purpose."""
        year = self.when.year
        region = self.voice.region
        match self.rng.randrange(4):
            case 0:
                regulated = self.pick(self.domain.regulated)
                return PolicyTitle(f"{region}{regulated}管理办法", "办法", f"规范{regulated}管理")
            case 1:
                work = f"{year}年{self.topic}工作"
                return PolicyTitle(f"{region}{work}要点", "要点", f"做好{work}")
            case 2:
                subject = self.pick(self.domain.subjects)
                return PolicyTitle(f"{region}{subject}三年行动计划（{year}—{year + 2}年）", "计划", subject)
            case _:
                subject = self.pick(self.domain.subjects)
                doc_type = self.pick(DOC_TYPES[:4])
                return PolicyTitle(f"{region}{subject}{doc_type}", doc_type[-2:], subject)


# -- genres -------------------------------------------------------------------------------------------


def _news(w: _Writer) -> Article:
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


def _campaign(w: _Writer) -> Article:
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


def _notice(w: _Writer) -> Article:
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
        paragraphs = [opening, *_numbered(sections), contact, *w.signature(signed)]
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
        title, [v.audience, opening, *_numbered(sections), contact, *w.signature(signed)], written=signed
    )


def _numbered(sections: Sequence[tuple[str, str]]) -> list[str]:
    paragraphs: list[str] = []
    for i, (heading, body) in enumerate(sections, start=1):
        paragraphs += [f"{cn_number(i)}、{heading}", body]
    return paragraphs


def _policy_body(w: _Writer, document: str, short_type: str, purpose: str) -> list[str]:
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


def _policy(w: _Writer) -> Article:
    v = w.voice
    issuer, number = w.document_number()
    document = w.policy_title()
    signed = w.day_before(3)
    if w.rng.random() < 0.3:
        subject = w.pick(w.domain.subjects)
        title = f"{issuer}关于{subject}的实施意见"
        body = _policy_body(w, title, "意见", subject)[1:]
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
        *_policy_body(w, document.name, document.short_type, document.purpose),
    ]
    return w.article(title, paragraphs, publisher=issuer, document_number=number, written=signed)


def _interpretation(w: _Writer) -> Article:
    return _interpret(w, w.policy_title().name)


def _interpret(w: _Writer, document: str) -> Article:
    v = w.voice
    title = w.pick(
        (f"《{document}》政策解读", f"{v.short}关于《{document}》的解读", f"一图读懂《{document}》")
    )
    return w.article(title, _interpretation_body(w, document))


def _interpretation_body(w: _Writer, document: str) -> list[str]:
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


def _report(w: _Writer) -> Article:
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


def _plan(w: _Writer) -> Article:
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
    return w.article(document.name, _policy_body(w, document.name, document.short_type, document.purpose)[1:])


def _budget(w: _Writer) -> Article:
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


def _emergency(w: _Writer) -> Article:
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
    return w.article(title, [v.audience, opening, *_numbered(sections), *w.signature(signed)], written=signed)


def _env_quality(w: _Writer) -> Article:
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


def _duties(w: _Writer) -> Article:
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


def _leaders(w: _Writer) -> Article:
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


GENERATORS: dict[Genre, Callable[[_Writer], Article]] = {
    Genre.NEWS: _news,
    Genre.CAMPAIGN: _campaign,
    Genre.NOTICE: _notice,
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


def generate(
    rng: random.Random, genre: Genre | str, voice: Voice, when: datetime, *, topic: str | None = None
) -> Article:
    """Write one article of ``genre`` by ``voice``, dated ``when`` (dates in the text follow it), about
    ``topic`` if given (a 专题's articles), else about a topic of the voice's field drawn from ``rng``."""
    return GENERATORS[Genre(genre)](_Writer(rng, voice, when, topic))


# -- named items of the policy lifecycle (政策文件, 解读, 办事指南, 通知公告) ------------------------------
# The demo places a few items whose relations matter (a 解读 of a given document, a revision that
# replaces another): their titles are fixed by the caller and only the wording is drawn here.


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
    w = _Writer(rng, voice, when, topic)
    approval = f"经{voice.level}人民政府同意，" if issuer.endswith("办公室") else ""
    paragraphs = [
        number,
        voice.audience,
        f"{approval}现将《{document.name}》印发给你们，请结合实际，认真贯彻落实。",
        issuer,
        cn_date(signed),
        "（此件公开发布）",
        *_policy_body(w, document.name, document.short_type, document.purpose),
    ]
    if replaces:
        paragraphs.append(f"{replaces}同时废止。")
    title = f"{issuer}关于印发《{document.name}》的通知"
    return w.article(title, paragraphs, publisher=issuer, document_number=number, written=signed)


def interpretation_text(
    rng: random.Random, voice: Voice, when: datetime, *, document: str, topic: str | None = None
) -> Article:
    """A 文字解读 of ``document`` (its name, without 书名号) about ``topic``."""
    w = _Writer(rng, voice, when, topic)
    return w.article(f"《{document}》政策解读", _interpretation_body(w, document))


def graphic_summary(
    rng: random.Random, voice: Voice, when: datetime, *, document: str, topic: str | None = None
) -> Article:
    """The text version of a 图解 of ``document``: the same points as the picture, for readers who cannot
    see it (and for search)."""
    w = _Writer(rng, voice, when, topic)
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
    w = _Writer(rng, voice, when)
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
    paragraphs = [opening, *_numbered(sections), contact, *w.signature(when.date())]
    return w.article(title, paragraphs, written=when.date())


@dataclass(frozen=True)
class ServiceGuideText:
    """The 10 key elements of a 办事指南 (national-specs §1.3 row 6) and who publishes it."""

    item_name: str
    publisher: str
    legal_basis: str
    conditions: str
    materials: str
    process: str
    time_limit: str
    fees: str
    location: str
    consult_phone: str
    complaint_phone: str
    online_path: str  # on the demo 政务服务网
    notes: str


COMPLAINT_PHONE = "12345（青山市政务服务便民热线）"
SERVICE_GUIDES: tuple[ServiceGuideText, ...] = (
    ServiceGuideText(
        item_name="中小学教师资格认定",
        publisher="青山市教育局",
        legal_basis="《中华人民共和国教师法》第十条、第十一条、第十三条；《教师资格条例》第十三条；"
        "《〈教师资格条例〉实施办法》第十五条。",
        conditions="1. 具有中华人民共和国国籍，遵守宪法和法律，热爱教育事业，具有良好的思想品德；\n"
        "2. 具备《中华人民共和国教师法》规定的相应学历；\n"
        "3. 参加中小学教师资格考试并合格；\n"
        "4. 普通话水平达到二级乙等以上标准；\n"
        "5. 身体健康，体检合格；\n"
        "6. 在户籍所在地、居住地或就读学校所在地申请。",
        materials="1. 本人有效身份证件（原件）；\n"
        "2. 学历证书（可在线核验的免于提交）；\n"
        "3. 中小学教师资格考试合格证明（系统自动核验）；\n"
        "4. 指定医院出具的体格检查合格证明；\n"
        "5. 本人近期免冠正面一寸白底彩色证件照一张；\n"
        "6. 个人承诺书（现场签署）。",
        process="网上申报→现场确认（核验身份、提交材料）→资格审查→体检→认定机构审批→制作并发放教师资格证书。",
        time_limit="法定办结时限60个工作日，承诺办结时限20个工作日",
        fees="不收费",
        location="青山市政务服务中心二楼教育窗口（青山市人民路88号）",
        consult_phone="0590-8823156",
        complaint_phone=COMPLAINT_PHONE,
        online_path="jszg",
        notes="每年春季、秋季各集中受理一次，具体时间以市教育局发布的公告为准。",
    ),
    ServiceGuideText(
        item_name="建设项目环境影响报告表审批",
        publisher="青山市生态环境局",
        legal_basis="《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》第九条。",
        conditions="1. 建设项目类型及其选址、布局、规模等符合环境保护法律法规和相关法定规划；\n"
        "2. 所在区域环境质量满足环境功能区划要求，"
        "或者采取的措施能够满足区域环境质量改善目标管理要求；\n"
        "3. 采取的污染防治措施能够确保污染物排放达到国家和地方排放标准；\n"
        "4. 环境影响报告表的基础资料数据真实，内容不存在重大缺陷、遗漏。",
        materials="1. 建设项目环境影响报告表审批申请书；\n"
        "2. 建设项目环境影响报告表（全本）；\n"
        "3. 删除涉及国家秘密、商业秘密等内容的报告表公开版本及删除依据说明；\n"
        "4. 建设单位承诺书。",
        process="申请→受理→公示（不少于5个工作日）→技术评估→审查决定→批复文件送达。",
        time_limit="法定办结时限30日，承诺办结时限10个工作日（不含公示和技术评估时间）",
        fees="不收费",
        location="青山市政务服务中心三楼生态环境窗口（青山市人民路88号）",
        consult_phone="0590-8827366",
        complaint_phone=COMPLAINT_PHONE,
        online_path="hpsp",
        notes="纳入环境影响评价告知承诺制审批改革试点的项目，可按告知承诺制办理。",
    ),
    ServiceGuideText(
        item_name="医师执业注册",
        publisher="青山市卫生健康委员会",
        legal_basis="《中华人民共和国医师法》第十三条、第十四条；《医师执业注册管理办法》第四条、第十条。",
        conditions="1. 取得医师资格；\n"
        "2. 拟执业的医疗卫生机构同意聘用；\n"
        "3. 不存在《中华人民共和国医师法》第十六条规定的不予注册情形。",
        materials="1. 医师执业注册申请审核表；\n"
        "2. 近6个月内的二寸白底免冠正面半身照片；\n"
        "3. 医疗、预防、保健机构的聘用证明；\n"
        "4. 省级以上卫生健康主管部门规定的其他材料（可在线核验的免于提交）。",
        process="网上申请→受理→审核→作出准予注册或不予注册决定→电子证照签发。",
        time_limit="法定办结时限20个工作日，承诺办结时限3个工作日",
        fees="不收费",
        location="青山市政务服务中心二楼卫生健康窗口（青山市人民路88号）",
        consult_phone="0590-8825120",
        complaint_phone=COMPLAINT_PHONE,
        online_path="yszc",
        notes="医师电子证照与纸质证照具有同等法律效力。",
    ),
    ServiceGuideText(
        item_name="企业投资项目备案",
        publisher="青山市发展和改革委员会",
        legal_basis="《企业投资项目核准和备案管理条例》第三条、第十三条；《企业投资项目核准和备案管理办法》第四十条。",
        conditions="1. 属于《政府核准的投资项目目录》以外的企业投资项目；\n"
        "2. 项目符合国家产业政策，不属于产业政策禁止投资建设的项目；\n"
        "3. 项目单位依法登记注册。",
        materials="1. 企业投资项目备案信息表（在线填报，包括项目单位基本情况、项目名称、建设地点、"
        "建设规模和内容、项目总投资额等）；\n"
        "2. 项目符合产业政策的声明。",
        process="在线填报项目信息→系统校验→备案机关告知→生成项目代码和备案证明。",
        time_limit="即时办结",
        fees="不收费",
        location="青山市政务服务中心一楼投资项目窗口（青山市人民路88号），或全程网上办理",
        consult_phone="0590-8823210",
        complaint_phone=COMPLAINT_PHONE,
        online_path="tzxmba",
        notes="项目备案后，项目法人、建设地点发生变更，或者建设规模、内容发生重大变更的，应当及时告知备案机关并修改相关信息。",
    ),
)

"""The demo's 办事指南: the ten key elements of each service guide and who publishes it."""

from __future__ import annotations

from dataclasses import dataclass


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

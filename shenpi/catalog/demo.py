"""The demo catalogue (DOMAIN.md "Demo world"): themes and about a dozen
real-looking items of the demo departments, drafted by their officials,
approved by the legal offices through the same services the UI uses, with
their forms generated at seed time. Idempotent: an item code that exists is
left as it is."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shenpi.accounts.models import Department, User

from . import services
from .constants import FormFileKind, ThemeGroup
from .demo_forms import application_pdf, staff_list_xlsx
from .models import FormFile, Item, ItemVersion, Theme

THEMES = [
    ("employment", "就业创业", ThemeGroup.PERSONAL),
    ("medical", "医疗卫生", ThemeGroup.PERSONAL),
    ("transport", "交通出行", ThemeGroup.PERSONAL),
    ("enterprise_start", "设立变更", ThemeGroup.ENTERPRISE),
    ("investment", "投资建设", ThemeGroup.ENTERPRISE),
    ("production", "生产经营", ThemeGroup.ENTERPRISE),
    ("open_restaurant", "开办餐馆", ThemeGroup.LIFE_EVENT),
    ("start_business", "开办企业", ThemeGroup.LIFE_EVENT),
    ("construction", "工程建设项目", ThemeGroup.LIFE_EVENT),
]

HOURS = "工作日 上午9:00—12:00，下午13:30—17:30（法定节假日除外）"
COMMON_FIELDS = [
    {
        "key": "applicant_name",
        "label": "申请人名称",
        "type": "text",
        "required": True,
        "choices": [],
        "help": "",
    },
    {
        "key": "contact",
        "label": "联系人",
        "type": "text",
        "required": True,
        "choices": [],
        "help": "",
    },
    {
        "key": "phone",
        "label": "联系电话",
        "type": "text",
        "required": True,
        "choices": [],
        "help": "",
    },
]


def _f(key, label, type_="text", required=True, choices=(), help_=""):
    return {
        "key": key,
        "label": label,
        "type": type_,
        "required": required,
        "choices": list(choices),
        "help": help_,
    }


def _m(
    name,
    required=True,
    copies_kind="copy",
    copies=1,
    medium="electronic",
    show_original=False,
    lenient=False,
    source="applicant",
    library_type="",
    notes="",
    template=None,
    sample=None,
):
    return {
        "name": name,
        "required": required,
        "copies_kind": copies_kind,
        "copies": copies,
        "medium": medium,
        "show_original": show_original,
        "lenient_allowed": lenient,
        "source": source,
        "library_type": library_type,
        "notes": notes,
        "template": template,
        "sample": sample,
    }


def _step(
    key,
    name,
    dept=None,
    kind=None,
    role="official",
    days=3,
    verification=False,
    lead=True,
    decision=False,
):
    owner = {"department": dept} if dept else {"kind": kind}
    return {
        "key": key,
        "name": name,
        "owner": owner,
        "role": role,
        "days": days,
        "verification": verification,
        "lead": lead,
        "decision": decision,
    }


def _single_flow(dept, *, first=3, review=3, second=2, decision=2, verify=False):
    return {
        "stages": [
            {"steps": [_step("first_review", "初审", dept, days=first)]},
            {"steps": [_step("review", "审核", dept, days=review, verification=verify)]},
            {"steps": [_step("second_review", "复审", dept, days=second)]},
            {"steps": [_step("decision", "批复", dept, role="head", days=decision, decision=True)]},
        ]
    }


def _contact(dept: Department) -> dict:
    return {
        "where_to_apply": f"{dept.division.name}政务服务中心 {dept.short_name}窗口（{dept.address}）",
        "office_hours": HOURS,
        "contact_phone": dept.phone or "12345",
        "complaint_phone": "12345",
        "responsible_office": next(
            (o.name for o in dept.offices.all() if o.name != "办公室"), dept.name
        ),
    }


def items_data():
    """(code, department, drafting official, form-template titles, version data, materials, fees, themes)."""
    return [
        dict(
            code="640100-SCJG-001",
            dept="yc-scjg",
            themes=["open_restaurant", "production"],
            forms=[
                (
                    "食品经营许可申请书",
                    [
                        ("经营者名称", "宁夏塞上餐饮管理有限公司"),
                        ("法定代表人", "马建华"),
                        ("经营场所", "银川市金凤区北京中路168号"),
                        ("主体业态", "餐饮服务经营者"),
                        ("经营项目", "热食类食品制售"),
                        ("经营面积", "320平方米"),
                    ],
                ),
                ("食品安全管理人员名单", "xlsx"),
            ],
            history=dict(promised_days=15),
            data=dict(
                name="食品经营许可证核发",
                kind="time_limited",
                audience="both",
                legal_basis="《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。\n"
                "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）。",
                conditions="1. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；\n"
                "2. 具有与经营的食品品种、数量相适应的经营设备或者设施；\n"
                "3. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；\n"
                "4. 具有合理的设备布局和工艺流程。",
                procedure="申请 → 受理（材料齐全当场受理，不齐全的一次性告知）→ 审查（需要现场核查的，"
                "由两名以上工作人员核查）→ 决定 → 颁发许可证。",
                handling_mode="single",
                statutory_days=20,
                promised_days=10,
                extension_days=10,
                special_procedures="现场核查整改期间",
                lenient_acceptance=True,
                commitment_allowed=True,
                commitment_conditions="经营场所远离污染源，布局符合食品安全要求\n"
                "具有与经营的食品品种、数量相适应的设备设施",
                commitment_days=5,
                post_check_days=20,
                safety_item=True,
                licence_type="licence",
                licence_name="食品经营许可证",
                validity_months=60,
                form_fields=COMMON_FIELDS
                + [
                    _f("premises", "经营场所"),
                    _f(
                        "business_type",
                        "主体业态",
                        "choice",
                        choices=["食品销售经营者", "餐饮服务经营者", "单位食堂"],
                    ),
                    _f("scope", "经营项目", "textarea"),
                    _f("area", "经营面积（平方米）", "number"),
                ],
            ),
            flow=lambda: _single_flow("yc-scjg", verify=True),
            materials=[
                _m("食品经营许可申请书", template=0, sample=0),
                _m("营业执照或者其他主体资格证明文件", source="library", library_type="营业执照"),
                _m("法定代表人（负责人）身份证明", show_original=True, library_type="居民身份证"),
                _m("经营场所平面布局图和设备布局、操作流程图"),
                _m("食品安全管理制度"),
                _m(
                    "食品安全管理人员名单及培训证明",
                    lenient=True,
                    template=1,
                    notes="可容缺：受理后 20 日内补交",
                ),
            ],
        ),
        dict(
            code="640104-SCJG-001",
            dept="xq-scjg",
            themes=["employment", "start_business"],
            forms=[
                (
                    "个体工商户登记申请书",
                    [
                        ("经营者姓名", "张三"),
                        ("身份证号码", "640104199003071236"),
                        ("经营场所", "银川市兴庆区新华东街10号"),
                        ("经营范围", "日用百货零售"),
                    ],
                )
            ],
            data=dict(
                name="个体工商户设立登记",
                kind="instant",
                audience="personal",
                legal_basis="《促进个体工商户发展条例》第九条；《中华人民共和国市场主体登记管理条例》第二十一条。",
                conditions="有经营能力的公民；申请材料齐全、符合法定形式的，当场登记（《行政许可法》第五十六条）。",
                procedure="窗口或网上申请 → 当场审查 → 当场登记并发放营业执照。",
                handling_mode="single",
                statutory_days=20,
                promised_days=1,
                extension_days=0,
                licence_type="licence",
                licence_name="个体工商户营业执照",
                form_fields=[
                    _f("operator", "经营者姓名"),
                    _f("premises", "经营场所"),
                    _f("scope", "经营范围", "textarea"),
                ],
            ),
            flow=lambda: {
                "stages": [
                    {
                        "steps": [
                            _step(
                                "decision",
                                "当场登记",
                                "xq-scjg",
                                role="head",
                                days=1,
                                decision=True,
                            )
                        ]
                    }
                ]
            },
            materials=[
                _m("个体工商户登记申请书", template=0, sample=0),
                _m(
                    "经营者身份证明",
                    copies_kind="original",
                    show_original=True,
                    library_type="居民身份证",
                ),
            ],
        ),
        dict(
            code="640000-FGW-001",
            dept="nx-fgw",
            themes=["investment", "construction"],
            forms=[
                (
                    "企业投资项目核准申请表",
                    [
                        ("项目名称", "银川经济技术开发区新材料产业园"),
                        ("项目单位", "宁夏塞上新材料有限公司"),
                        ("总投资", "12.6亿元"),
                        ("建设地点", "银川经济技术开发区"),
                        ("建设规模", "年产5万吨"),
                    ],
                )
            ],
            data=dict(
                name="企业投资项目核准",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《企业投资项目核准和备案管理条例》（国务院令第673号）第三条、第九条；"
                "《政府核准的投资项目目录》。",
                conditions="属于《政府核准的投资项目目录》的项目；符合国家法律法规和宏观调控政策、产业政策、"
                "国土空间规划；合理开发并有效利用资源；不危害经济安全、社会安全、生态安全。",
                procedure="发展改革委统一受理 → 自然资源、生态环境、住房城乡建设部门并联提出意见 → "
                "发展改革委综合审核 → 核准决定。需要专家评估的，评估时间不计入时限。",
                handling_mode="joint",
                statutory_days=45,
                promised_days=30,
                extension_days=15,
                special_procedures="专家评审（委托评估）",
                hearing_mandatory=False,
                licence_type="approval",
                licence_name="项目核准文件",
                validity_months=24,
                form_fields=COMMON_FIELDS
                + [
                    _f("project", "项目名称"),
                    _f("investment", "总投资（万元）", "number"),
                    _f("location", "建设地点"),
                    _f("scale", "建设规模和内容", "textarea"),
                ],
            ),
            flow=lambda: {
                "stages": [
                    {"steps": [_step("intake_review", "受理审查", "nx-fgw", days=3)]},
                    {
                        "steps": [
                            _step("land_opinion", "用地预审意见", "nx-zrzy", days=10, lead=False),
                            _step(
                                "environment_opinion",
                                "环境影响意见",
                                "nx-sthj",
                                days=10,
                                lead=False,
                            ),
                            _step(
                                "construction_opinion",
                                "建设条件意见",
                                "nx-zjt",
                                days=10,
                                lead=False,
                            ),
                        ]
                    },
                    {"steps": [_step("overall_review", "综合审核", "nx-fgw", days=5)]},
                    {
                        "steps": [
                            _step(
                                "decision", "核准决定", "nx-fgw", role="head", days=3, decision=True
                            )
                        ]
                    },
                ]
            },
            materials=[
                _m("项目申请报告", template=0, sample=0),
                _m("城乡规划选址意见书", source="library", library_type="选址意见书"),
                _m("用地预审与选址意见书"),
                _m("企业营业执照", source="library", library_type="营业执照"),
                _m("项目单位承诺书", copies_kind="original"),
            ],
        ),
        dict(
            code="640000-STHJ-001",
            dept="nx-sthj",
            themes=["investment", "construction"],
            forms=[
                (
                    "建设项目环境影响报告书审批申请表",
                    [
                        ("建设项目名称", "宁东能源化工基地煤制油扩建"),
                        ("建设单位", "宁夏塞上能源有限公司"),
                        ("环评单位", "宁夏环境科学研究院"),
                    ],
                )
            ],
            data=dict(
                name="建设项目环境影响报告书审批",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《中华人民共和国环境影响评价法》第二十二条：审批部门应当自收到环境影响报告书之日起"
                "六十日内作出审批决定。",
                conditions="建设项目类型及其选址、布局、规模等符合环境保护法律法规和相关法定规划；"
                "所在区域环境质量满足要求；采取的措施能满足区域环境质量改善目标管理要求。",
                procedure="受理 → 公示 → 技术评估 → 审查（涉及重大利益关系的告知听证权利）→ 审批决定 → 公告。",
                handling_mode="single",
                statutory_days=60,
                promised_days=30,
                extension_days=10,
                limit_basis="《中华人民共和国环境影响评价法》第二十二条（六十日）",
                special_procedures="技术评估、听证、专家评审",
                hearing_mandatory=True,
                licence_type="approval",
                licence_name="环境影响报告书批复",
                form_fields=COMMON_FIELDS
                + [_f("project", "建设项目名称"), _f("assessor", "环评编制单位")],
            ),
            flow=lambda: _single_flow("nx-sthj", first=5, review=15, second=5, decision=5),
            materials=[
                _m("建设项目环境影响报告书审批申请表", template=0, sample=0),
                _m("环境影响报告书（全本）", medium="both", copies=3),
                _m("公众参与说明"),
                _m("删除涉密内容的报告书公开版本"),
            ],
        ),
        dict(
            code="640000-WJW-001",
            dept="nx-wjw",
            themes=["medical", "production"],
            forms=[
                (
                    "医疗机构执业登记申请书",
                    [
                        ("机构名称", "银川塞上康复医院"),
                        ("诊疗科目", "康复医学科、内科"),
                        ("床位数", "120张"),
                        ("法定代表人", "马建华"),
                    ],
                )
            ],
            data=dict(
                name="医疗机构执业许可",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《医疗机构管理条例》第十四条、第十五条；《医疗机构管理条例实施细则》。",
                conditions="按照设置审批要求建成；有适合的名称、组织机构和场所；有与开展业务相适应的经费、"
                "设施、设备和专业卫生技术人员；有相应的规章制度；能够独立承担民事责任。",
                procedure="申请 → 受理 → 材料审查 → 现场审查（两名以上工作人员）→ 决定 → 发证。",
                handling_mode="single",
                statutory_days=20,
                promised_days=15,
                extension_days=10,
                special_procedures="检验、检测",
                inspection=True,
                safety_item=True,
                licence_type="licence",
                licence_name="医疗机构执业许可证",
                validity_months=60,
                renewal_lead_days=90,
                form_fields=COMMON_FIELDS
                + [
                    _f("institution", "机构名称"),
                    _f("beds", "床位数", "number"),
                    _f("subjects", "诊疗科目", "textarea"),
                ],
            ),
            flow=lambda: _single_flow("nx-wjw", review=5, verify=True),
            materials=[
                _m("医疗机构执业登记申请书", template=0, sample=0),
                _m("设置医疗机构批准书"),
                _m("医疗机构用房产权证明或使用证明"),
                _m("医疗机构建筑设计平面图"),
                _m("验资证明、资产评估报告"),
                _m("医疗机构规章制度"),
                _m(
                    "医疗机构法定代表人或主要负责人以及各科室负责人名录和有关资格证书、执业证书复印件",
                    show_original=True,
                ),
            ],
        ),
        dict(
            code="640000-JTT-001",
            dept="nx-jtt",
            themes=["transport", "production"],
            forms=[
                (
                    "巡游出租汽车经营许可申请表",
                    [
                        ("申请人", "银川塞上出租汽车有限公司"),
                        ("拟投入车辆数", "50辆"),
                        ("经营区域", "银川市"),
                    ],
                )
            ],
            data=dict(
                name="巡游出租汽车经营许可",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《巡游出租汽车经营服务管理规定》（交通运输部令2021年第16号）第八条、第十一条。",
                conditions="有符合要求的车辆或车辆购置承诺；有取得从业资格证的驾驶员；有健全的经营管理制度、"
                "安全生产管理制度和服务质量保障制度；有固定的经营场所和停车场地。",
                procedure="申请 → 受理（按受理先后顺序登记）→ 审查 → 决定（在年度运力投放数量内按受理顺序准予，"
                "《行政许可法》第五十七条）→ 发证。",
                handling_mode="single",
                statutory_days=20,
                promised_days=15,
                extension_days=10,
                quota=200,
                quota_basis="自治区2026年度巡游出租汽车运力投放计划",
                licence_type="licence",
                licence_name="道路运输经营许可证",
                validity_months=96,
                form_fields=COMMON_FIELDS
                + [_f("vehicles", "拟投入车辆数", "number"), _f("area", "经营区域")],
            ),
            flow=lambda: _single_flow("nx-jtt"),
            materials=[
                _m("巡游出租汽车经营申请表", template=0, sample=0),
                _m("投资人、负责人身份证明"),
                _m("拟投入车辆承诺书"),
                _m("驾驶员从业资格证明"),
                _m("经营管理制度、安全生产管理制度"),
            ],
        ),
        dict(
            code="640000-SCJG-002",
            dept="nx-scjg",
            themes=["production", "start_business"],
            forms=[
                (
                    "食品生产许可申请书",
                    [
                        ("申请人名称", "宁夏塞上乳业有限公司"),
                        ("食品类别", "乳制品"),
                        ("生产地址", "吴忠市利通区金积工业园区"),
                    ],
                )
            ],
            data=dict(
                name="食品生产许可（乳制品等）",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》"
                "（国家市场监督管理总局令第24号）。",
                conditions="具有与生产的食品品种、数量相适应的场所、设备设施、专业技术人员和管理人员，"
                "以及保证食品安全的规章制度和合理的设备布局、工艺流程。",
                procedure="向所在市、县（区）市场监管部门申请 → 下级部门受理并审查（20个工作日内，"
                "《行政许可法》第四十三条），将初步审查意见和全部材料报送自治区市场监管厅 → 审核 → 决定。",
                handling_mode="single",
                statutory_days=40,
                promised_days=30,
                extension_days=10,
                limit_basis="《中华人民共和国行政许可法》第四十三条（下级审查二十日）及《食品生产许可管理办法》",
                two_level=True,
                lower_kind_id="market_regulation",
                special_procedures="现场核查、检验",
                inspection=True,
                safety_item=True,
                licence_type="licence",
                licence_name="食品生产许可证",
                validity_months=60,
                form_fields=COMMON_FIELDS
                + [
                    _f(
                        "category",
                        "食品类别",
                        "choice",
                        choices=["乳制品", "肉制品", "饮料", "调味品"],
                    ),
                    _f("address", "生产地址"),
                ],
            ),
            flow=lambda: {
                "stages": [
                    {
                        "steps": [
                            _step(
                                "lower_review",
                                "下级审查",
                                kind="market_regulation",
                                days=20,
                                lead=False,
                            )
                        ]
                    },
                    {"steps": [_step("review", "审核", "nx-scjg", days=5, verification=True)]},
                    {
                        "steps": [
                            _step("decision", "批复", "nx-scjg", role="head", days=3, decision=True)
                        ]
                    },
                ]
            },
            materials=[
                _m("食品生产许可申请书", template=0, sample=0),
                _m("营业执照", source="library", library_type="营业执照"),
                _m("食品生产加工场所及其周围环境平面图"),
                _m("食品生产工艺流程图和设备布局图"),
                _m("食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度"),
            ],
        ),
        dict(
            code="640000-SLT-001",
            dept="nx-slt",
            themes=["production", "investment"],
            forms=[
                (
                    "取水许可申请书",
                    [
                        ("取水单位", "宁夏塞上新材料有限公司"),
                        ("取水水源", "黄河干流"),
                        ("年取水量", "120万立方米"),
                    ],
                )
            ],
            data=dict(
                name="取水许可",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》第二十四条。",
                conditions="符合水资源综合规划、流域综合规划和水量分配方案；取水用途合理；"
                "按规定编制建设项目水资源论证报告。",
                procedure="申请 → 受理 → 审查（水资源论证报告专家评审）→ 决定 → 发证。",
                handling_mode="single",
                statutory_days=20,
                promised_days=15,
                extension_days=10,
                special_procedures="专家评审、听证",
                licence_type="licence",
                licence_name="取水许可证",
                validity_months=60,
                form_fields=COMMON_FIELDS
                + [_f("source", "取水水源"), _f("volume", "年取水量（万立方米）", "number")],
            ),
            flow=lambda: _single_flow("nx-slt"),
            materials=[
                _m("取水许可申请书", template=0, sample=0),
                _m("建设项目水资源论证报告书"),
                _m("与第三者利害关系的相关说明"),
            ],
            fees=[
                {
                    "name": "水资源费",
                    "standard": "按自治区核定标准，按实际取水量征收",
                    "legal_basis": "《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》第二十八条",
                }
            ],
        ),
        dict(
            code="640100-ZJJ-001",
            dept="yc-zjj",
            themes=["construction", "investment"],
            forms=[
                (
                    "建筑工程施工许可证申请表",
                    [
                        ("建设单位", "宁夏塞上置业有限公司"),
                        ("工程名称", "阅海湾商务楼"),
                        ("建设地址", "银川市金凤区亲水大街"),
                    ],
                )
            ],
            data=dict(
                name="建筑工程施工许可证核发",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》第五条。",
                conditions="依法应当办理用地批准手续的已经办理；已经取得建设工程规划许可证；施工场地已经"
                "基本具备施工条件；已经确定施工企业；有满足施工需要的资金安排、施工图纸及技术资料。",
                procedure="申请 → 受理 → 审查 → 决定 → 发证（自收到申请之日起七日内作出决定）。",
                handling_mode="single",
                statutory_days=7,
                promised_days=5,
                extension_days=0,
                licence_type="licence",
                licence_name="建筑工程施工许可证",
                form_fields=COMMON_FIELDS
                + [
                    _f("project", "工程名称"),
                    _f("address", "建设地址"),
                    _f("contract_price", "合同价格（万元）", "number"),
                ],
            ),
            flow=lambda: {
                "stages": [
                    {"steps": [_step("review", "审核", "yc-zjj", days=3)]},
                    {
                        "steps": [
                            _step("decision", "批复", "yc-zjj", role="head", days=2, decision=True)
                        ]
                    },
                ]
            },
            materials=[
                _m("建筑工程施工许可证申请表", template=0, sample=0),
                _m("建设工程规划许可证", source="library", library_type="建设工程规划许可证"),
                _m("施工合同"),
                _m("施工图设计文件审查合格书"),
                _m("建设资金落实承诺书"),
            ],
        ),
        dict(
            code="640000-ZJT-001",
            dept="nx-zjt",
            themes=["production", "construction"],
            forms=[
                (
                    "建筑业企业资质申请表",
                    [
                        ("企业名称", "宁夏塞上建设集团有限公司"),
                        ("申请资质", "建筑工程施工总承包二级"),
                    ],
                )
            ],
            data=dict(
                name="建筑业企业资质核准（施工总承包二级）",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》第九条、第十二条。",
                conditions="企业资产、主要人员、已完成的工程业绩和技术装备等符合建筑业企业资质标准。",
                procedure="向企业所在市住房城乡建设部门申请 → 市级部门审查（20个工作日）→ 报自治区住房城乡建设厅 → 审核 → 决定。",
                handling_mode="single",
                statutory_days=40,
                promised_days=30,
                extension_days=10,
                limit_basis="《中华人民共和国行政许可法》第四十三条（下级审查二十日）及《建筑业企业资质管理规定》",
                two_level=True,
                lower_kind_id="housing_construction",
                special_procedures="专家评审",
                licence_type="qualification",
                licence_name="建筑业企业资质证书",
                validity_months=60,
                form_fields=COMMON_FIELDS + [_f("grade", "申请资质类别和等级")],
            ),
            flow=lambda: {
                "stages": [
                    {
                        "steps": [
                            _step(
                                "lower_review",
                                "市级审查",
                                kind="housing_construction",
                                days=20,
                                lead=False,
                            )
                        ]
                    },
                    {"steps": [_step("review", "审核", "nx-zjt", days=5)]},
                    {
                        "steps": [
                            _step("decision", "批复", "nx-zjt", role="head", days=3, decision=True)
                        ]
                    },
                ]
            },
            materials=[
                _m("建筑业企业资质申请表", template=0, sample=0),
                _m("企业营业执照", source="library", library_type="营业执照"),
                _m("企业主要人员证明材料"),
                _m("企业代表工程业绩材料"),
            ],
        ),
        dict(
            code="640000-WJW-002",
            dept="nx-wjw",
            themes=["medical", "employment"],
            forms=[
                (
                    "护士执业注册申请审核表",
                    [
                        ("姓名", "李四"),
                        ("执业地点", "宁夏医科大学总医院"),
                        ("资格证书编号", "202664010001"),
                    ],
                )
            ],
            data=dict(
                name="护士执业注册",
                kind="time_limited",
                audience="personal",
                legal_basis="《护士条例》第七条、第八条；《护士执业注册管理办法》。",
                conditions="具有完全民事行为能力；取得规定学历；通过国务院卫生主管部门组织的护士执业资格考试；"
                "符合规定的健康标准。",
                procedure="申请 → 受理 → 审核 → 决定（20个工作日内）→ 发证。",
                handling_mode="single",
                statutory_days=20,
                promised_days=10,
                extension_days=10,
                in_person=False,
                licence_type="qualification",
                licence_name="护士执业证书",
                validity_months=60,
                form_fields=[
                    _f("name", "姓名"),
                    _f("workplace", "拟执业机构"),
                    _f("certificate", "护士执业资格考试成绩合格证明编号"),
                ],
            ),
            flow=lambda: _single_flow("nx-wjw", first=2, review=3, second=2, decision=2),
            materials=[
                _m("护士执业注册申请审核表", template=0, sample=0),
                _m("申请人身份证明"),
                _m("学历证书及专业学习中的临床实习证明"),
                _m("护士执业资格考试成绩合格证明"),
                _m("6个月内健康体检证明"),
                _m("医疗卫生机构拟聘用的相关材料"),
            ],
        ),
        dict(
            code="640100-ZRZY-001",
            dept="yc-zrzy",
            themes=["construction", "investment"],
            forms=[
                (
                    "建设工程规划许可申请表",
                    [
                        ("建设单位", "宁夏塞上置业有限公司"),
                        ("项目名称", "阅海湾商务楼"),
                        ("建筑面积", "42000平方米"),
                    ],
                )
            ],
            data=dict(
                name="建设工程规划许可证核发",
                kind="time_limited",
                audience="enterprise",
                legal_basis="《中华人民共和国城乡规划法》第四十条。",
                conditions="符合控制性详细规划和规划条件；已取得建设用地使用权。",
                procedure="申请 → 受理 → 审查（涉及利害关系人的，告知其听证权利，第四十七条）→ 批前公示 → 决定 → 发证。",
                handling_mode="single",
                statutory_days=20,
                promised_days=12,
                extension_days=10,
                special_procedures="听证、批前公示",
                licence_type="licence",
                licence_name="建设工程规划许可证",
                form_fields=COMMON_FIELDS
                + [_f("project", "项目名称"), _f("area", "总建筑面积（平方米）", "number")],
            ),
            flow=lambda: _single_flow("yc-zrzy"),
            materials=[
                _m("建设工程规划许可申请表", template=0, sample=0),
                _m("不动产权证书（土地）", source="library", library_type="不动产权证书"),
                _m("建设工程设计方案"),
                _m("建设工程规划许可证附图附件"),
            ],
        ),
    ]


def _form_files(spec, department, author):
    files = []
    for entry in spec["forms"]:
        title = entry[0]
        if entry[1] == "xlsx":
            content = staff_list_xlsx(title)
            files.append(
                (
                    FormFile.objects.create(
                        department=department,
                        title=title,
                        kind=FormFileKind.TEMPLATE,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(),
                        file=ContentFile(content, name=f"{spec['code']}-staff.xlsx"),
                    ),
                    None,
                )
            )
            continue
        pair = []
        for sample in (False, True):
            content = application_pdf(title, department.name, entry[1], sample=sample)
            pair.append(
                FormFile.objects.create(
                    department=department,
                    title=title + ("（示范文本）" if sample else "（空白表格）"),
                    kind=FormFileKind.SAMPLE if sample else FormFileKind.TEMPLATE,
                    content_type="application/pdf",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    file=ContentFile(
                        content, name=f"{spec['code']}-{'sample' if sample else 'blank'}.pdf"
                    ),
                )
            )
        files.append(tuple(pair))
    return files


def _materials(spec, files):
    out = []
    for m in spec["materials"]:
        m = dict(m)
        t, s = m.pop("template"), m.pop("sample")
        m["template_id"] = files[t][0].pk if t is not None else None
        m["sample_id"] = files[s][1].pk if s is not None and files[s][1] else None
        out.append(m)
    return out


@transaction.atomic
def seed_demo_catalogue() -> int:
    for order, (code, name, group) in enumerate(THEMES):
        Theme.objects.update_or_create(
            code=code, defaults={"name": name, "group": group, "order": order}
        )
    created = 0
    today = timezone.localdate()
    for spec in items_data():
        if Item.objects.filter(code=spec["code"]).exists():
            continue
        department = Department.objects.get(code=spec["dept"])
        author = User.objects.get(username=f"{spec['dept'].replace('-', '_')}_off1")
        legal_office = services.legal_office_for(department.division)
        reviewer = User.objects.filter(
            office__department=legal_office, role_assignments__role="legal"
        ).first()
        files = _form_files(spec, department, author)
        data = {**spec["data"], **_contact(department), "flow": spec["flow"]()}
        materials = _materials(spec, files)
        fees = spec.get("fees", [])
        history = spec.get("history")
        first = services.item_create(
            actor=author,
            department=department,
            code=spec["code"],
            data={**data, **(history or {})},
            materials=materials,
            fees=fees,
            themes=spec["themes"],
        )
        services.version_submit(actor=author, version=first)
        services.version_approve(actor=reviewer, version=first, comment="符合要求，同意发布。")
        # Demo history: the first version has been in force for a while.
        ItemVersion.objects.filter(pk=first.pk).update(effective_from=today - timedelta(days=400))
        if history:
            second = services.version_draft_next(actor=author, item=first.item)
            services.version_update(
                actor=author,
                version=second,
                data=data,
                materials=materials,
                fees=fees,
                themes=spec["themes"],
            )
            services.version_submit(actor=author, version=second)
            services.version_approve(actor=reviewer, version=second, comment="压缩承诺时限，同意。")
            ItemVersion.objects.filter(pk=second.pk).update(
                effective_from=today - timedelta(days=60)
            )
        created += 1
    return created


def seed_demo_bundles() -> int:
    """开办餐馆 (一件事一次办): the business registration and the food business licence,
    drafted by the administrator and published by Yinchuan's legal office."""
    from shenpi.accounts.models import Division, User

    from . import bundles
    from .models import Bundle

    if Bundle.objects.exists():
        return 0
    bundle = bundles.bundle_draft(
        actor=User.objects.get(username="admin"),
        code="YJS-640100-001",
        name="开办餐馆",
        event="在银川市开办个体餐馆：个体工商户设立登记与食品经营许可一次申请，"
        "一张表、材料只交一次，两个部门同时办理。",
        division=Division.objects.get(code="640100"),
        items=[Item.objects.get(code="640104-SCJG-001"), Item.objects.get(code="640100-SCJG-001")],
    )
    bundles.bundle_submit(actor=User.objects.get(username="admin"), bundle=bundle)
    bundles.bundle_review(
        actor=User.objects.get(username="yc_fzb_legal"), bundle=bundle, approve=True
    )
    return 1

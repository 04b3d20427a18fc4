"""Each role's home: its title, what it is for and its navigation.

Entries with `url=None` are capabilities that later issues build; they are not
shown (a tile works or is not shown) until their page exists.
"""

from dataclasses import dataclass

from shenpi.accounts.constants import ROLE_PRIORITY, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None = None
    hint: str = ""
    count: str = ""  # a name in portal.views.TILE_COUNTS: what waits for this person


@dataclass(frozen=True)
class RoleHome:
    role: str
    slug: str
    title: str
    intro: str
    nav: tuple[NavItem, ...]

    @property
    def shown_nav(self) -> tuple[NavItem, ...]:
        """The entries whose page exists."""
        return tuple(item for item in self.nav if item.url)


HOMES = {
    Role.APPLICANT: RoleHome(
        Role.APPLICANT,
        "my",
        "我的办事",
        "查询办事指南、在线申请、跟踪办件、评价与投诉。",
        (
            NavItem("办事指南", "/guide/", "查询事项的依据、条件、材料、时限和收费，在线申请"),
            NavItem(
                "一件事一次办",
                "/bundles/",
                "开办餐馆：一张表、材料只交一次，多个部门同时办理",
            ),
            NavItem(
                "我的办件",
                "/my/cases/",
                "办理进度、补正材料、领取结果；我的证照与材料库、证照共享授权",
            ),
            NavItem("我要投诉", "/complain/", "实名或匿名投诉，凭编号和查询密码查询"),
            NavItem("我的投诉", "/my/complaints/", "查看答复并评价"),
            NavItem("我的咨询", "/my/questions/", "查看部门的答复，追问一次，评价"),
            NavItem("预约办事", "/hall/", "预约到政务服务中心大厅办理的时段，凭预约码优先叫号"),
            NavItem("我的预约", "/my/bookings/", "预约码、签到与取消"),
            NavItem(
                "我的委托", "/my/authorisations/", "委托全程代理员或本单位经办人代办，随时撤销"
            ),
            NavItem(
                "投资项目进度",
                "/agency/projects/",
                "代理员代办的投资项目：各事项进度与预计完成日期",
            ),
            NavItem("受托办理", "/agency/", "本单位委托您（经办人）代办的事项"),
        ),
    ),
    Role.CLERK: RoleHome(
        Role.CLERK,
        "window",
        "窗口受理",
        "为来到窗口的申请人登记、扫描材料、即办件当场办结、发放结果。",
        (
            NavItem(
                "窗口收件",
                "/window/",
                "按身份证号查找或登记申请人，扫描纸质材料；即办件当场办结、打印结果",
            ),
            NavItem(
                "叫号", "/hall/window/", "呼叫下一位、再次呼叫、过号、转窗口；窗口状态与评价器"
            ),
            NavItem("结果发放", "/desk/intake/", "登记送达"),
            NavItem("咨询分派", "/desk/questions/", "未指明部门的一般咨询：分派或直接答复"),
            NavItem("委托书录入", "/window/authorisation/", "扫描申请人当面签署的纸质委托书"),
        ),
    ),
    Role.AGENT: RoleHome(
        Role.AGENT,
        "agency",
        "全程代理",
        "为投资者代办跨部门、跨事项的审批。",
        (
            NavItem(
                "代理项目",
                "/agency/projects/",
                "一个投资项目的全部事项：一条时间线、关键路径、预计完成日期",
            ),
            NavItem("代为申请", "/agency/", "依据委托书代申请人申请，复用其证照和材料"),
        ),
    ),
    Role.OFFICIAL: RoleHome(
        Role.OFFICIAL,
        "desk",
        "部门办件",
        "预审材料、一次性告知补正、受理、审查与签署意见。",
        (
            NavItem("待办事项", "/desk/intake/", "按期限排序的预审与受理"),
            NavItem("事项维护", "/catalog/manage/", "起草事项新版本，提交法制审核"),
            NavItem("在线答疑", "/desk/questions/", "本部门待答复的咨询，按答复期限排列"),
            NavItem("告知承诺核查", "/desk/post-checks/", "按承诺准予许可的件：按期核查，记录结果"),
            NavItem(
                "电子证照调用", "/desk/licence-library/", "经持证人授权或依法调用其证照，免交复印件"
            ),
            NavItem("信息发布", "/publishing/", "新闻、通知、政策，经负责人审核后发布"),
            NavItem("纠错与责任认定", "/supervision/findings/", "涉及本人的认定，可以陈述意见"),
            NavItem("转办投诉", "/supervision/complaints/", "监察机构转来的投诉，按期答复"),
            NavItem(
                "本部门统计",
                "/desk/statistics/",
                "收件、受理、办结、按期办结率与用时，按事项；可导出 Excel",
            ),
            NavItem(
                "信息时效", "/desk/currency/", "久未复核的办事指南，新版本后待复核的问答与表格"
            ),
        ),
    ),
    Role.HEAD: RoleHome(
        Role.HEAD,
        "head",
        "部门负责人",
        "批复决定、审批延期、审核本部门发布的信息、答复督办。",
        (
            NavItem("待批复", "/desk/intake/", "批复环节与本部门审查任务"),
            NavItem(
                "延期审批",
                "/desk/extensions/",
                "单一部门办理的延期（《行政许可法》第四十二条第一款）",
                count="extensions",
            ),
            NavItem("信息发布审核", "/publishing/", "本部门起草的信息，审核后才公开"),
            NavItem("事项维护", "/catalog/manage/", ""),
            NavItem("督办答复", "/supervision/orders/", ""),
            NavItem(
                "告知承诺核查", "/desk/post-checks/", "核查结果；承诺不实的撤销许可（第六十九条）"
            ),
            NavItem("电子证照调用", "/desk/licence-library/", "经持证人授权或依法调用其证照"),
            NavItem("在线答疑", "/desk/questions/", "本部门的咨询；不满意的答复须复核"),
            NavItem("转办投诉", "/supervision/complaints/", "监察机构转来的投诉，按期答复"),
            NavItem(
                "本部门统计",
                "/desk/statistics/",
                "本部门及下级同类部门的办件统计，可导出 Excel",
            ),
            NavItem(
                "信息时效", "/desk/currency/", "久未复核的办事指南，新版本后待复核的问答与表格"
            ),
        ),
    ),
    Role.LEADER: RoleHome(
        Role.LEADER,
        "leader",
        "政府负责人",
        "审批联合、统一、集中办理事项的延期，查看本级办件态势。",
        (
            NavItem(
                "延期审批",
                "/desk/extensions/",
                "统一、联合、集中办理的延期（第四十二条第二款）",
                count="extensions",
            ),
            NavItem(
                "决策辅助",
                "/desk/decision/",
                "本级各部门办件态势、同比趋势、增长最快的事项、申请量预测与人员配置提示",
            ),
            NavItem("质量管理评审", "/desk/reviews/", "每月评审报告（PDF）"),
        ),
    ),
    Role.LEGAL: RoleHome(
        Role.LEGAL,
        "legal",
        "法制审核",
        "审核各部门起草的事项版本和流程变更，发布或退回。",
        (
            NavItem(
                "事项版本审核",
                "/catalog/review/",
                "待审核的版本：通过即按生效日期发布，或退回修改；现行事项可依法废止",
            ),
            NavItem(
                "一件事套餐审核", "/catalog/bundles/", "管理员起草的一件事一次办套餐：发布或退回"
            ),
            NavItem("信息发布", "/publishing/", "法律法规、政策文件"),
        ),
    ),
    Role.SUPERVISOR: RoleHome(
        Role.SUPERVISOR,
        "supervision",
        "电子监察",
        "实时监控办件、预警纠错、督办、投诉处理与绩效评估。",
        (
            NavItem("实时监控", "/supervision/monitor/", "红黄绿灯"),
            NavItem("大厅现场监控", "/hall/monitor/", "窗口状态、排队人数、等候时间与监控画面"),
            NavItem("预警规则", "/supervision/rules/", ""),
            NavItem("督办", "/supervision/orders/", ""),
            NavItem("投诉举报", "/supervision/complaints/", ""),
            NavItem("绩效评估", "/supervision/evaluation/", ""),
            NavItem("代理项目", "/agency/projects/", "投资项目的进度；超过计划日期的亮灯"),
            NavItem("告知承诺核查", "/desk/post-checks/", "待核查与逾期未核查的告知承诺件"),
            NavItem("审计日志", "/supervision/audit/", "谁、何时、从何处、做了什么；校验哈希链"),
            NavItem("信息时效", "/desk/currency/", "各部门久未复核的指南、待复核的问答与表格"),
            NavItem("质量管理评审", "/desk/reviews/", "每月评审报告（PDF），可重新生成以往月份"),
        ),
    ),
    Role.OBSERVER: RoleHome(
        Role.OBSERVER,
        "observer",
        "人大代表/政协委员监督",
        "查看受邀关注的事项和办件的办理情况（个人信息已脱敏）。",
        (NavItem("关注的事项与办件", "/observer/", ""),),
    ),
    Role.ADMIN: RoleHome(
        Role.ADMIN,
        "administration",
        "系统管理",
        "维护行政区划、部门、处室、窗口、用户、角色、系统客户端与工作日历。",
        (
            NavItem("行政区划", "/admin/accounts/division/"),
            NavItem("部门与处室", "/admin/accounts/department/"),
            NavItem("窗口", "/admin/accounts/window/"),
            NavItem("服务大厅", "/admin/hall/hall/", "办公时间、业务类别、承诺等候时间与监控地址"),
            NavItem("用户与角色", "/admin/accounts/user/"),
            NavItem("系统接入客户端", "/admin/accounts/systemclient/"),
            NavItem("工作日历", "/admin/workdays/", "节假日与调休；公布后重算暂定期限"),
            NavItem("审计日志", "/admin/audit/auditrecord/"),
            NavItem(
                "项目模板", "/admin/agency/projecttemplate/", "全程代理的投资项目模板及前置关系"
            ),
        ),
    ),
}

BY_SLUG = {home.slug: home for home in HOMES.values()}


def primary_role(user) -> str:
    for role in ROLE_PRIORITY:
        if role in user.roles:
            return role
    return Role.APPLICANT

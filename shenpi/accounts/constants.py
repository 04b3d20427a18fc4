from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    CLERK = "clerk", _("窗口工作人员")
    AGENT = "agent", _("全程代理员")
    OFFICIAL = "official", _("部门经办人")
    HEAD = "head", _("部门负责人")
    LEADER = "leader", _("政府负责人")
    LEGAL = "legal", _("法制审核")
    SUPERVISOR = "supervisor", _("电子监察")
    OBSERVER = "observer", _("人大代表/政协委员")
    ADMIN = "admin", _("系统管理员")


# Roles that must use a TOTP second factor when SHENPI_REQUIRE_2FA is on.
TWO_FACTOR_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
# Roles that see a division subtree rather than one department.
DIVISION_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.LEGAL})
# Order in which a user's home is chosen when they hold several roles.
ROLE_PRIORITY = [
    Role.ADMIN,
    Role.SUPERVISOR,
    Role.LEADER,
    Role.LEGAL,
    Role.HEAD,
    Role.OFFICIAL,
    Role.CLERK,
    Role.AGENT,
    Role.OBSERVER,
    Role.APPLICANT,
]


class AccountType(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人/企业")
    STAFF = "staff", _("工作人员")
    OBSERVER = "observer", _("人大代表/政协委员")


class DivisionLevel(models.TextChoices):
    REGION = "region", _("自治区")
    CITY = "city", _("地级市")
    COUNTY = "county", _("县（市、区）")


class ClientAction(models.TextChoices):
    """What a system client may be allowed to do (CONTRACTS.md: a list of allowed actions)."""

    ORG_READ = "org.read", _("读取本部门组织与人员")
    CATALOG_READ = "catalog.read", _("读取事项")
    CATALOG_WRITE = "catalog.write", _("维护本部门事项")
    CASE_SUBMIT = "case.submit", _("代申请人提交申请")
    CASE_READ = "case.read", _("读取本部门办件")
    CASE_ACT = "case.act", _("以本部门工作人员名义办理")
    SUPERVISION_READ = "supervision.read", _("读取监察数据")
    EVENTS_READ = "events.read", _("接收事件（信息交换）")
    LICENCE_READ = "licence.read", _("读取电子证照（经持证人授权或依法）")
    CASE_PUSH = "case.push", _("推送本级自办办件（下级平台）")

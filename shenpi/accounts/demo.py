"""The demo world (DOMAIN.md): Ningxia's divisions, departments, windows and people.

Idempotent: rows are found by their natural keys and brought up to date; a
password is set only when an account is first created.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .constants import AccountType, DivisionLevel, Role
from .models import Department, DepartmentKind, Division, Office, RoleAssignment, User, Window

DEMO_PASSWORD = "Shenpi#2026"

DIVISIONS = [
    ("640000", "宁夏回族自治区", DivisionLevel.REGION, None),
    ("640100", "银川市", DivisionLevel.CITY, "640000"),
    ("640200", "石嘴山市", DivisionLevel.CITY, "640000"),
    ("640300", "吴忠市", DivisionLevel.CITY, "640000"),
    ("640400", "固原市", DivisionLevel.CITY, "640000"),
    ("640500", "中卫市", DivisionLevel.CITY, "640000"),
    ("640104", "兴庆区", DivisionLevel.COUNTY, "640100"),
    ("640105", "西夏区", DivisionLevel.COUNTY, "640100"),
    ("640106", "金凤区", DivisionLevel.COUNTY, "640100"),
]

KINDS = [
    ("development_reform", "发展和改革"),
    ("natural_resources", "自然资源"),
    ("ecology_environment", "生态环境"),
    ("housing_construction", "住房和城乡建设"),
    ("market_regulation", "市场监督管理"),
    ("health", "卫生健康"),
    ("transport", "交通运输"),
    ("water_resources", "水利"),
    ("service_centre", "政务服务中心"),
    ("legal_affairs", "政府法制"),
    ("supervision", "行政监察"),
    ("government_office", "人民政府办公厅（室）"),
]

# (code, name, short name, kind, division, offices, business department with a window?)
DEPARTMENTS = [
    (
        "nx-fgw",
        "宁夏回族自治区发展和改革委员会",
        "自治区发展改革委",
        "development_reform",
        "640000",
        ["投资处", "办公室"],
        True,
    ),
    (
        "nx-zrzy",
        "宁夏回族自治区自然资源厅",
        "自治区自然资源厅",
        "natural_resources",
        "640000",
        ["用地审批处", "办公室"],
        True,
    ),
    (
        "nx-sthj",
        "宁夏回族自治区生态环境厅",
        "自治区生态环境厅",
        "ecology_environment",
        "640000",
        ["环评处", "办公室"],
        True,
    ),
    (
        "nx-zjt",
        "宁夏回族自治区住房和城乡建设厅",
        "自治区住房城乡建设厅",
        "housing_construction",
        "640000",
        ["建筑市场监管处", "办公室"],
        True,
    ),
    (
        "nx-scjg",
        "宁夏回族自治区市场监督管理厅",
        "自治区市场监管厅",
        "market_regulation",
        "640000",
        ["行政审批处", "食品生产监管处"],
        True,
    ),
    (
        "nx-wjw",
        "宁夏回族自治区卫生健康委员会",
        "自治区卫生健康委",
        "health",
        "640000",
        ["医政医管处", "办公室"],
        True,
    ),
    (
        "nx-jtt",
        "宁夏回族自治区交通运输厅",
        "自治区交通运输厅",
        "transport",
        "640000",
        ["运输管理处", "办公室"],
        True,
    ),
    (
        "nx-slt",
        "宁夏回族自治区水利厅",
        "自治区水利厅",
        "water_resources",
        "640000",
        ["水资源管理处", "办公室"],
        True,
    ),
    (
        "nx-zwfw",
        "宁夏回族自治区政务服务中心",
        "自治区政务服务中心",
        "service_centre",
        "640000",
        ["窗口服务处", "全程代理处"],
        False,
    ),
    (
        "nx-fzb",
        "宁夏回族自治区人民政府法制办公室",
        "自治区法制办",
        "legal_affairs",
        "640000",
        ["行政审批审核处"],
        False,
    ),
    (
        "nx-jc",
        "宁夏回族自治区行政审批电子监察室",
        "自治区电子监察室",
        "supervision",
        "640000",
        ["监察一处"],
        False,
    ),
    (
        "nx-zfb",
        "宁夏回族自治区人民政府办公厅",
        "自治区政府办公厅",
        "government_office",
        "640000",
        ["秘书处"],
        False,
    ),
    (
        "yc-scjg",
        "银川市市场监督管理局",
        "银川市市场监管局",
        "market_regulation",
        "640100",
        ["行政审批科", "食品经营监管科"],
        True,
    ),
    (
        "yc-zrzy",
        "银川市自然资源局",
        "银川市自然资源局",
        "natural_resources",
        "640100",
        ["用地审批科", "办公室"],
        True,
    ),
    (
        "yc-zjj",
        "银川市住房和城乡建设局",
        "银川市住建局",
        "housing_construction",
        "640100",
        ["建设管理科", "办公室"],
        True,
    ),
    (
        "yc-zwfw",
        "银川市政务服务中心",
        "银川市政务服务中心",
        "service_centre",
        "640100",
        ["窗口服务科"],
        False,
    ),
    (
        "yc-fzb",
        "银川市人民政府法制办公室",
        "银川市法制办",
        "legal_affairs",
        "640100",
        ["审核科"],
        False,
    ),
    (
        "yc-jc",
        "银川市行政审批电子监察室",
        "银川市电子监察室",
        "supervision",
        "640100",
        ["监察科"],
        False,
    ),
    (
        "yc-zfb",
        "银川市人民政府办公室",
        "银川市政府办公室",
        "government_office",
        "640100",
        ["秘书科"],
        False,
    ),
    (
        "xq-scjg",
        "银川市兴庆区市场监督管理局",
        "兴庆区市场监管局",
        "market_regulation",
        "640104",
        ["行政审批股", "综合股"],
        True,
    ),
]

CENTRES = {"640000": "nx-zwfw", "640100": "yc-zwfw"}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "海燕",
    "志强",
    "丽娟",
    "文博",
    "晓明",
    "红梅",
    "宏伟",
    "静怡",
    "立新",
    "春华",
    "国栋",
    "玉兰",
    "永刚",
    "秀英",
    "军",
    "敏",
    "磊",
    "婷",
    "涛",
]


@dataclass
class DemoAccount:
    username: str
    role: str
    name: str
    where: str


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


@transaction.atomic
def seed_demo_world() -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    divisions: dict[str, Division] = {}
    for code, name, level, parent in DIVISIONS:
        division, _ = Division.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": divisions.get(parent)}
        )
        divisions[code] = division
    kinds = {}
    for code, name in KINDS:
        kinds[code], _ = DepartmentKind.objects.update_or_create(code=code, defaults={"name": name})

    departments: dict[str, Department] = {}
    offices: dict[str, list[Office]] = {}
    for code, name, short, kind, division, office_names, _window in DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kinds[kind],
                "division": divisions[division],
                "phone": "0951-12345" if division == "640000" else "0951-6888888",
                "complaint_phone": "12345",
                "address": "银川市金凤区人民广场东街"
                if division != "640104"
                else "银川市兴庆区解放东街",
            },
        )
        departments[code] = department
        offices[code] = [
            Office.objects.get_or_create(department=department, name=office_name)[0]
            for office_name in office_names
        ]

    windows: dict[str, Window] = {}
    numbers: dict[str, int] = {}
    for code, _n, short, _kind, division, _offices, has_window in DEPARTMENTS:
        if not has_window:
            continue
        # The window sits in the service centre of the nearest division that has one.
        node = divisions[division]
        while node.code not in CENTRES:
            node = node.parent
        centre = departments[CENTRES[node.code]]
        numbers[node.code] = numbers.get(node.code, 0) + 1
        window, _ = Window.objects.update_or_create(
            centre=centre,
            department=departments[code],
            defaults={
                "number": f"{'A' if node.code == '640000' else 'B'}{numbers[node.code]:02d}",
                "name": f"{short}窗口",
            },
        )
        windows[code] = window

    counter = 0

    def person(
        username,
        role_list,
        *,
        office=None,
        window=None,
        division=None,
        title="",
        account_type=AccountType.STAFF,
        where="",
        **extra,
    ) -> User:
        nonlocal counter
        counter += 1
        defaults = {
            "account_type": account_type,
            "office": office,
            "window": window,
            "division": division,
            "title": title,
            "real_name": extra.pop("real_name", _name(counter)),
            **extra,
        }
        if account_type in (AccountType.STAFF, AccountType.OBSERVER):
            defaults["mobile"] = f"139{counter:08d}"
        user, created = User.objects.update_or_create(username=username, defaults=defaults)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if Role.ADMIN in role_list and not user.is_superuser:
            # The platform administrator also manages the libraries' admin pages (lockouts of
            # django-axes, TOTP devices), which use Django's own permissions.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        for role in role_list:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        RoleAssignment.objects.filter(user=user).exclude(role__in=role_list).delete()
        label = role_list[0] if role_list else Role.APPLICANT
        accounts.append(DemoAccount(username, str(Role(label).label), user.display_name, where))
        return user

    business = {
        "development_reform",
        "natural_resources",
        "ecology_environment",
        "housing_construction",
        "market_regulation",
        "health",
        "transport",
        "water_resources",
    }
    for code, _n, short, kind, _division, _offices, _window in DEPARTMENTS:
        department = departments[code]
        first = offices[code][0]
        prefix = code.replace("-", "_")
        if kind in business:
            person(
                f"{prefix}_head",
                [Role.HEAD],
                office=first,
                division=department.division,
                title="负责人",
                where=short,
            )
            for i in (1, 2):
                person(
                    f"{prefix}_off{i}",
                    [Role.OFFICIAL],
                    office=first,
                    division=department.division,
                    title="科员" if i == 2 else "主任科员",
                    where=short,
                )
        elif kind == "legal_affairs":
            person(
                f"{prefix}_head",
                [Role.LEGAL, Role.HEAD],
                office=first,
                division=department.division,
                title="主任",
                where=short,
            )
            person(
                f"{prefix}_legal",
                [Role.LEGAL],
                office=first,
                division=department.division,
                title="审核员",
                where=short,
            )
        elif kind == "supervision":
            person(
                f"{prefix}_head",
                [Role.SUPERVISOR, Role.HEAD],
                office=first,
                division=department.division,
                title="主任",
                where=short,
            )
            person(
                f"{prefix}_sup",
                [Role.SUPERVISOR],
                office=first,
                division=department.division,
                title="监察员",
                where=short,
            )
        elif kind == "government_office":
            person(
                f"{prefix}_leader",
                [Role.LEADER],
                office=first,
                division=department.division,
                title="副主席" if department.division_id == "640000" else "副市长",
                where=short,
            )
        elif kind == "service_centre":
            person(
                f"{prefix}_head",
                [Role.HEAD],
                office=first,
                division=department.division,
                title="主任",
                where=short,
            )
            person(
                f"{prefix}_off1",
                [Role.OFFICIAL],
                office=first,
                division=department.division,
                title="信息发布员",
                where=short,
            )

    for code, window in windows.items():
        centre_code = CENTRES[window.centre.division_id]
        person(
            f"clerk_{code.replace('-', '_')}",
            [Role.CLERK],
            office=offices[centre_code][0],
            window=window,
            division=window.centre.division,
            title="窗口受理员",
            where=f"{window.centre.short_name} {window.number}",
        )
    person(
        "agent",
        [Role.AGENT],
        office=offices["nx-zwfw"][1],
        division=divisions["640000"],
        title="代理员",
        where="自治区政务服务中心全程代理处",
    )
    person(
        "observer",
        [Role.OBSERVER],
        account_type=AccountType.OBSERVER,
        division=divisions["640000"],
        title="自治区人大代表",
        where="自治区人大",
    )
    person(
        "admin", [Role.ADMIN], division=divisions["640000"], title="系统管理员", where="平台运维"
    )
    person(
        "zhangsan",
        [],
        account_type=AccountType.PERSON,
        real_name="张三",
        id_number="640104199003071236",
        mobile="13895000001",
        email="zhangsan@example.com",
        where="公众",
    )
    person(
        "lisi",
        [],
        account_type=AccountType.PERSON,
        real_name="李四",
        id_number="640102198512150023",
        mobile="13895000002",
        email="lisi@example.com",
        where="公众",
    )
    person(
        "saishang",
        [],
        account_type=AccountType.ENTERPRISE,
        real_name="马建华",
        enterprise_name="宁夏塞上餐饮管理有限公司",
        credit_code="91640100MA76A1B2CR",
        legal_representative="马建华",
        mobile="13895000003",
        email="info@saishang.example.com",
        where="企业",
    )
    return accounts

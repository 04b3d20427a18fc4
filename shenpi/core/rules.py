"""Statutory rules on item definitions (LAW.md), as pure functions.

Each violation names its rule id and article, so the UI, the API and the
tests speak of the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .flow import Flow

# TL-01 (Art. 42 ¶1) and TL-02 (Art. 42 ¶2): (statutory days, extension days).
CEILINGS = {"single": (20, 10), "unified": (45, 15), "joint": (45, 15), "centralised": (45, 15)}


@dataclass(frozen=True)
class FeeSpec:
    name: str
    legal_basis: str


@dataclass(frozen=True)
class VersionSpec:
    kind: str  # "instant" | "time_limited"
    handling_mode: str
    statutory_days: int
    promised_days: int
    extension_days: int
    limit_basis: str  # the law or regulation that sets another limit, if any
    material_count: int
    fees: tuple[FeeSpec, ...]
    flow: Flow | None
    quota: int | None = None
    lenient_acceptance: bool = False
    lenient_materials: int = 0
    validity_months: int | None = None
    renewal_lead_days: int | None = None
    two_level: bool = False
    lower_kind: str = ""


@dataclass(frozen=True)
class Violation:
    rule: str
    field: str
    message: str


def check_version(v: VersionSpec) -> list[Violation]:
    out: list[Violation] = []
    add = out.append
    if v.handling_mode not in CEILINGS:
        add(
            Violation(
                "RCV-08", "handling_mode", "办理方式须为单一、统一、联合或集中办理（第二十六条）。"
            )
        )
        return out
    statutory_ceiling, extension_ceiling = CEILINGS[v.handling_mode]
    if v.statutory_days < 1 or v.promised_days < 1:
        add(Violation("TL-01", "statutory_days", "法定时限和承诺时限须至少 1 个工作日。"))
    if v.promised_days > v.statutory_days:
        add(Violation("TL-01", "promised_days", "承诺时限不得超过法定时限（第四十二条）。"))
    if not v.limit_basis.strip():
        if v.statutory_days > statutory_ceiling:
            article = "第四十二条第一款" if v.handling_mode == "single" else "第四十二条第二款"
            add(
                Violation(
                    "TL-02" if v.handling_mode != "single" else "TL-01",
                    "statutory_days",
                    f"{_mode_name(v.handling_mode)}的法定时限不得超过 {statutory_ceiling} 个工作日"
                    f"（{article}），除非注明另行规定时限的法律、法规。",
                )
            )
        if v.extension_days > extension_ceiling:
            add(
                Violation(
                    "TL-02" if v.handling_mode != "single" else "TL-01",
                    "extension_days",
                    f"{_mode_name(v.handling_mode)}的延长期限不得超过 {extension_ceiling} 个工作日"
                    "（第四十二条），除非注明另行规定的法律、法规。",
                )
            )
    for fee in v.fees:
        if not fee.legal_basis.strip():
            add(
                Violation(
                    "PUB-08",
                    "fees",
                    f"收费“{fee.name}”没有法律、行政法规依据，不得收费（第五十八条）。",
                )
            )
    if v.flow is None:
        add(Violation("RCV-08", "flow", "缺少办理流程。"))
    else:
        if v.flow.decision_step is None:
            add(Violation("RCV-08", "flow", "流程缺少批复（决定）环节。"))
        if v.handling_mode == "single" and len(v.flow.fixed_departments) > 1:
            add(
                Violation(
                    "RCV-08",
                    "handling_mode",
                    "多个部门并联办理的事项不能选“单一部门办理”，应选统一、联合或集中办理（第二十六条）。",
                )
            )
        if v.two_level and not v.flow.is_two_level:
            add(
                Violation(
                    "REV-03",
                    "flow",
                    "两级审批事项的第一阶段须由申请人所选区划的同类部门办理（第三十五条）。",
                )
            )
        if v.flow.is_two_level and not v.two_level:
            add(Violation("REV-03", "two_level", "流程含“下级同类部门”环节，须勾选“两级审批”。"))
        if v.two_level:
            for step in v.flow.steps:
                if step.owner.is_local and step.days > 20:
                    add(
                        Violation(
                            "TL-03",
                            "flow",
                            "下级行政机关应当自受理之日起二十日内审查完毕（第四十三条）。",
                        )
                    )
                    break
            for step in v.flow.steps:
                if step.owner.is_local and step.owner.kind != v.lower_kind:
                    add(
                        Violation(
                            "REV-03", "flow", "下级环节的部门类别须与事项的下级部门类别一致。"
                        )
                    )
                    break
    if v.kind == "time_limited" and v.material_count == 0:
        add(
            Violation(
                "PUB-02",
                "materials",
                "承诺件须公布全部申请材料目录（第三十条），材料清单不能为空。",
            )
        )
    if v.quota is not None and v.quota < 1:
        add(Violation("DEC-04", "quota", "数量限制须至少为 1（第五十七条）。"))
    if v.lenient_acceptance and v.lenient_materials == 0:
        add(Violation("RCV-05", "lenient_acceptance", "允许容缺受理时，须指明可以容缺的材料。"))
    if v.validity_months and not v.renewal_lead_days:
        add(
            Violation(
                "RNW-01",
                "renewal_lead_days",
                "有有效期的证照须设置延续申请提前天数（第五十条，默认 30 日）。",
            )
        )
    if v.two_level and not v.lower_kind:
        add(
            Violation(
                "REV-03", "lower_kind", "两级审批事项须指明下级部门类别（第三十五条、第四十三条）。"
            )
        )
    return out


def _mode_name(mode: str) -> str:
    return {
        "single": "单一部门办理",
        "unified": "统一办理",
        "joint": "联合办理",
        "centralised": "集中办理",
    }[mode]

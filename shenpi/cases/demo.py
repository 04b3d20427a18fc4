"""Demo cases in many states, made through the same services the UI uses, so that
`make run` shows a living platform (dates are those of the day it runs)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shenpi.accounts.models import Division, User
from shenpi.catalog.demo_forms import application_pdf
from shenpi.catalog.models import Item

from . import services
from .models import Case, Task


def _pdf(name: str):
    return SimpleUploadedFile(
        f"{name}.pdf", application_pdf(name, "申请人", [("材料", name)], sample=True)
    )


def _u(username):
    return User.objects.get(username=username)


def _draft(
    item_code, applicant, *, actor=None, division=None, channel="online", form=None, skip=()
):
    item = Item.objects.get(code=item_code)
    actor = actor or _u(applicant)
    case = services.case_create_draft(
        actor=actor,
        item=item,
        applicant=_u(applicant),
        channel=channel,
        chosen_division=Division.objects.get(code=division) if division else None,
    )
    return fill_draft(case, actor, form=form, skip=skip)


def fill_draft(case, actor, *, form=None, skip=()):
    """Every required material (a sample PDF) not yet there, and the form's fields."""
    present = set(case.materials.values_list("requirement_id", flat=True))
    for requirement in case.version.materials.all():
        if requirement.required and requirement.name not in skip and requirement.pk not in present:
            services.case_add_material(
                actor=actor,
                case=case,
                requirement_id=requirement.pk,
                upload=_pdf(requirement.name),
                scanned=case.channel == "window",
            )
    fields = {
        f["key"]: (f.get("choices") or ["示例"])[0]
        if f["type"] == "choice"
        else ("100" if f["type"] == "number" else f"{f['label']}（示例）")
        for f in case.version.form_fields
    }
    services.case_save_form(actor=actor, case=case, data={**fields, **(form or {})})
    return case


def _submit(case, actor):
    return services.case_submit(actor=actor, case=case, declaration=True)


def _task(case, key):
    return Task.objects.get(case=case, step_key=key)


@transaction.atomic
def seed_demo_cases() -> int:
    if Case.objects.exclude(status="draft").exists():
        return 0
    zhangsan, lisi, saishang = _u("zhangsan"), _u("lisi"), _u("saishang")
    # 1. Received, awaiting pre-review.
    _submit(_draft("640100-SCJG-001", "zhangsan"), zhangsan)
    # 2. A correction notice out.
    case = _submit(_draft("640100-SCJG-001", "lisi"), lisi)
    requirement = case.version.materials.get(name="食品安全管理制度")
    services.case_request_correction(
        actor=_u("yc_scjg_off1"),
        case=case,
        defects=[{"requirement": requirement.pk, "note": "制度文本未加盖公章"}],
    )
    # 3. The investment project in parallel review; one co-department has said no.
    case = services.case_accept(
        actor=_u("nx_fgw_off1"), case=_submit(_draft("640000-FGW-001", "saishang"), saishang)
    )
    services.task_complete(
        actor=_u("nx_fgw_off1"), task=_task(case, "intake_review"), opinion="材料齐全，转并联审查"
    )
    services.task_complete(
        actor=_u("nx_zrzy_off1"),
        task=_task(case, "land_opinion"),
        opinion="符合国土空间规划",
        verdict="agree",
    )
    services.task_complete(
        actor=_u("nx_sthj_off1"),
        task=_task(case, "environment_opinion"),
        opinion="需补充大气环境影响分析",
        verdict="disagree",
    )
    # 4. A two-level item under the district's review.
    services.case_accept(
        actor=_u("xq_scjg_off1"),
        case=_submit(_draft("640000-SCJG-002", "saishang", division="640104"), saishang),
    )
    # 5. Accepted and in its first step; its official asks for the extension (Art. 42),
    # waiting on the head's 延期审批 tile.
    case = services.case_accept(
        actor=_u("nx_wjw_off1"), case=_submit(_draft("640000-WJW-002", "zhangsan"), zhangsan)
    )
    services.extension_ask(
        actor=_u("nx_wjw_off1"), case=case, reasons="需组织专家对执业场所进行现场评审"
    )
    # 6. An instant item done at the window, licence issued.
    clerk = _u("clerk_xq_scjg")
    case = _draft("640104-SCJG-001", "lisi", actor=clerk, channel="window")
    services.case_window_instant(actor=clerk, case=case)
    # 7. Not accepted: outside the organ's competence, naming the competent one.
    case = _submit(_draft("640000-JTT-001", "saishang"), saishang)
    services.case_not_accept(
        actor=_u("nx_jtt_off1"),
        case=case,
        reason="not_competent",
        text="申请的经营区域为石嘴山市",
        competent_organ="石嘴山市交通运输局",
    )
    # 8. Decided (granted), awaiting delivery.
    case = services.case_accept(
        actor=_u("yc_zjj_off1"), case=_submit(_draft("640100-ZJJ-001", "saishang"), saishang)
    )
    services.task_complete(
        actor=_u("yc_zjj_off1"), task=_task(case, "review"), opinion="符合发证条件"
    )
    services.case_decide(actor=_u("yc_zjj_head"), case=case, outcome="granted")
    # 9. In a special procedure: expert review of the water-resources report.
    case = services.case_accept(
        actor=_u("nx_slt_off1"), case=_submit(_draft("640000-SLT-001", "saishang"), saishang)
    )
    services.case_suspend(
        actor=_u("nx_slt_off1"),
        case=case,
        reason="expert_review",
        expected_days=10,
        note="水资源论证报告书专家评审",
    )
    # 10. Withdrawn by the applicant.
    case = _submit(_draft("640100-ZRZY-001", "saishang"), saishang)
    services.case_withdraw(actor=saishang, case=case, reason="项目方案调整")
    # 11. A draft to resume.
    _draft("640000-WJW-001", "saishang")
    # 12. The ordinary traffic of a week: applications waiting, accepted, decided at the window.
    for n, (code, applicant, official) in enumerate(
        [
            ("640100-SCJG-001", "saishang", "yc_scjg_off2"),
            ("640000-WJW-002", "lisi", "nx_wjw_off2"),
            ("640000-WJW-001", "saishang", "nx_wjw_off1"),
            ("640000-SLT-001", "saishang", "nx_slt_off2"),
            ("640100-ZJJ-001", "saishang", "yc_zjj_off2"),
            ("640000-ZJT-001", "saishang", None),
            ("640000-JTT-001", "saishang", "nx_jtt_off2"),
            ("640100-ZRZY-001", "saishang", "yc_zrzy_off2"),
        ]
        * 2
    ):
        division = "640100" if code == "640000-ZJT-001" else None
        case = _submit(_draft(code, applicant, division=division), _u(applicant))
        if official and n % 2 == 0:
            services.case_accept(actor=_u(official), case=case)
    for _ in range(3):
        services.case_window_instant(
            actor=clerk, case=_draft("640104-SCJG-001", "zhangsan", actor=clerk, channel="window")
        )
    return Case.objects.count()

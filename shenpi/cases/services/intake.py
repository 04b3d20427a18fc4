"""Intake (RCV-01..08, Art. 32): the one-time correction notice, the supplement,
acceptance and its deemed form, non-acceptance, originals, withdrawal and termination."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shenpi.catalog.constants import ItemKind
from shenpi.common.fields import held
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.core.flow import opening_steps, parse_flow
from shenpi.workdays.services import calendar

from .. import access, notices, records
from ..constants import (
    CORRECTION_DAYS,
    CaseStatus,
    NotAcceptedReason,
    NoticeKind,
)
from ..models import (
    Bar,
    BundleApplication,
    Case,
    CaseMaterial,
    CorrectionNotice,
    HeldCorrection,
    Task,
)
from ..notices import REMEDIES
from .applying import missing_required
from .review import open_tasks


def _today_applies_first(service):
    """RCV-04 (Art. 32(4)) and the supplement deadline take effect on their day, whether
    or not the periodic job has run: an intake action first applies, in its own
    transaction as the job would, the deemed acceptance or withdrawal that today's date
    has already brought, then decides on the case as it now stands."""

    @functools.wraps(service)
    def run(*, case: Case, **kwargs):
        today = records.today()
        deem_accepted(case.pk, today)
        deem_withdrawn(case.pk, today)
        return service(case=case, **kwargs)

    return run


def _deemed_refusal(case, action: str) -> Conflict:
    """The answer to an intake action on a case that the law already deems accepted."""
    return Conflict(
        f"本机关未在 {case.correction_due:%Y年%m月%d日} 前一次告知补正内容，依据《中华人民共和国"
        f"行政许可法》第三十二条第一款第四项，本件自收到申请材料之日（{records.local_date(case.accepted_at):%Y年%m月%d日}）"
        f"起即为受理，法定期限至 {case.statutory_due:%Y年%m月%d日}，不能再{action}。",
        code="deemed_accepted",
    )


def _defects(case, defects: list[dict]) -> list[dict]:
    if not defects:
        raise InvalidInput(
            "补正通知须列明需要补正的全部内容。", errors={"defects": ["请至少选择一项。"]}
        )
    ids = {str(r.pk): r for r in case.version.materials.all()}
    out, seen = [], set()
    for defect in defects:
        requirement = ids.get(str(defect.get("requirement")))
        if requirement is None:
            # PUB-05 (Art. 31): nothing outside the item's published list may be asked for.
            raise InvalidInput(
                "补正内容只能是本事项材料目录中的材料（第三十一条）。",
                code="not_on_list",
                errors={"defects": ["含有不在材料目录中的材料。"]},
            )
        note = str(defect.get("note", "")).strip()
        if not note:
            raise InvalidInput(
                f"请写明“{requirement.name}”需要如何补正。",
                errors={"defects": ["请填写补正说明。"]},
            )
        if requirement.pk in seen:
            continue
        seen.add(requirement.pk)
        out.append({"requirement": requirement.pk, "name": requirement.name, "note": note[:300]})
    return out


@_today_applies_first
@transaction.atomic
def case_request_correction(*, actor, case: Case, defects: list[dict]) -> CorrectionNotice | None:
    """RCV-04 (Art. 32(4)): ONE notice listing every defect, within 5 working days of the
    round's receipt; a later round may only name what is still wrong with the pieces the
    first notice named. A bundle's first round is held and gathered with the other
    departments' into one notice (`bundle_gather`): None until it goes out."""
    lock_bundle(case)
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    if case.deemed_accepted and case.status == CaseStatus.PROCESSING:
        raise _deemed_refusal(case, "发出补正通知")
    transitions.check("request_correction", case.status)
    items = _defects(case, defects)
    application = (
        BundleApplication.objects.get(pk=case.bundle_application_id)
        if case.bundle_application_id and case.correction_round == 0
        else None
    )
    # Held only while the bundle's gathered notice has not gone out: a department that asks
    # after it (still within its five days) sends its own at once.
    if application is not None and application.correction_sent_at is None:
        HeldCorrection.objects.update_or_create(
            case=case, defaults={"defects": items, "actor": actor}
        )
        records.event(
            case, "correction_held", "补正要求已登记，与一件事的其他部门合并一次告知",
            actor=actor, public=False,
        )  # fmt: skip
        records.audit(case, "case.correction_held", actor, {"defects": items})
        bundle_gather(application, records.today())
        return case.corrections.filter(round=1).first()
    first = case.corrections.order_by("round").first()
    if first is not None:
        named = {d["requirement"] for d in first.defects}
        extra = [d["name"] for d in items if d["requirement"] not in named]
        if extra:
            raise InvalidInput(
                f"再次补正只能针对第一次告知中的材料（第三十二条：一次告知全部内容），不能新增：{'、'.join(extra)}。",
                code="not_in_first_notice",
                errors={"defects": ["含有第一次未告知的材料。"]},
            )
    notice = _issue_correction(case, items, actor)
    records.tell_applicant(
        case,
        "请补正材料",
        f"需要补正：{'、'.join(d['name'] for d in items)}。补正期限 {case.supplement_due:%Y-%m-%d}。",
    )
    return notice


def _issue_correction(case, items, actor) -> CorrectionNotice:
    """The correction round on a locked case: its state, the written notice, the timeline
    and the audit record (the applicant is told by the caller: once, for a bundle)."""
    today = records.today()
    case.correction_round += 1
    case.status = transitions.move("request_correction", case.status)
    # The applicant's supplement deadline is set per item in calendar days (read in their favour).
    case.supplement_due = today + timedelta(days=case.version.supplement_days)
    case.save(update_fields=["correction_round", "status", "supplement_due"])
    notice = CorrectionNotice.objects.create(
        case=case,
        round=case.correction_round,
        defects=items,
        issued_by=actor,
        supplement_due=case.supplement_due,
    )
    lines = "\n".join(f"{i}. {d['name']}：{d['note']}" for i, d in enumerate(items, start=1))
    notices.issue_notice(
        case,
        NoticeKind.CORRECTION,
        f"你（单位）于 {records.local_date(case.round_received_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
        f"（办件编号 {case.number}），申请材料不齐全或者不符合法定形式。依据《中华人民共和国行政许可法》"
        f"第三十二条第一款第四项，现一次告知需要补正的全部内容如下：\n{lines}\n"
        f"请于 {case.supplement_due:%Y年%m月%d日} 前补正；逾期未补正的，视为撤回申请。",
    )
    records.event(
        case,
        "correction",
        f"一次性告知补正（第 {case.correction_round} 次），请于 {case.supplement_due:%m月%d日} 前补正",
        actor=actor,
    )
    records.audit(
        case, "case.request_correction", actor, {"round": case.correction_round, "defects": items}
    )
    return notice


def lock_bundle(case) -> None:
    """A bundle's case: its application's row first, then the case (every service that may
    gather the bundle's notice takes them in this order: one department at a time, the
    last to pre-review sending it)."""
    if case.bundle_application_id:
        BundleApplication.objects.select_for_update().filter(pk=case.bundle_application_id).first()


def bundle_gather(application: BundleApplication, today: date, *, due_reached=False) -> bool:
    """RCV-04 for 一件事一次办: the departments' held correction requests go out as ONE
    notice once every case of the bundle has been pre-reviewed (accepted, not accepted or
    its requests held), or on the earliest five-working-day limit among them at the
    latest (`due_reached`, or today past it: the held requests were made in time). Part
    of the caller's transaction, which holds the application's row."""
    if application.correction_sent_at is not None:
        return False
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(bundle_application=application)
        .select_related("version", "department", "applicant")
        .order_by("pk")
    )
    held = {h.case_id: h for h in HeldCorrection.objects.filter(case__in=cases)}
    if not held:
        return False
    waiting = [
        c for c in cases
        if c.status == CaseStatus.RECEIVED and c.correction_round == 0 and c.pk not in held
    ]  # fmt: skip
    earliest = min(c.correction_due for c in cases if c.correction_due)
    if waiting and not due_reached and today < earliest:
        return False
    lines = []
    for case in cases:
        if case.pk not in held:
            continue
        hold = held[case.pk]
        if not transitions.allowed("request_correction", case.status):
            continue  # withdrawn meanwhile
        _issue_correction(case, hold.defects, hold.actor)
        names = "、".join(f"{d['name']}（{d['note']}）" for d in hold.defects)
        lines.append(
            f"{case.department.name}（{case.version.name}）：{names}，请于 {case.supplement_due:%Y-%m-%d} 前补正"
        )
    HeldCorrection.objects.filter(case__in=cases).delete()
    application.correction_sent_at = timezone.now()
    application.save(update_fields=["correction_sent_at"])
    if lines:
        first = next(c for c in cases if c.pk in held)
        records.tell_applicant(first, "一件事：请一次补正以下材料", "；".join(lines) + "。")
    return True


@_today_applies_first
@transaction.atomic
def case_supplement(*, actor, case: Case) -> Case:
    """The supplement is in: back to pre-review, with a new 5-working-day window."""
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("supplement", case.status)
    notice = case.corrections.get(round=case.correction_round)
    updated = set(
        case.materials.filter(round=case.correction_round).values_list("requirement_id", flat=True)
    )
    missing = [d["name"] for d in notice.defects if d["requirement"] not in updated]
    if missing:
        raise InvalidInput(
            f"请先上传需要补正的材料：{'、'.join(missing)}。",
            code="supplement_incomplete",
            errors={"materials": missing},
        )
    now = timezone.now()
    case.status = transitions.move("supplement", case.status)
    case.round_received_at = now
    case.correction_due = clock.add_working_days(
        calendar(), records.local_date(now), CORRECTION_DAYS
    )
    case.save(update_fields=["status", "round_received_at", "correction_due"])
    records.event(case, "supplemented", "已补正材料，等待预审", actor=actor)
    records.audit(case, "case.supplement", actor, {"round": case.correction_round})
    return case


def _open_first_stage(case, cal, start: date, opened_at) -> list[Task]:
    return open_tasks(case, opening_steps(parse_flow(case.version.flow)), cal, start, opened_at)


# What starting the clock writes on the case row (the rest of the row is left alone).
CLOCK_FIELDS = [
    "accepted_at",
    "deemed_accepted",
    "statutory_due",
    "promised_due",
    "due_provisional",
    "status",
]


def _start_clock(case, accepted_at, *, deemed: bool) -> None:
    cal = calendar()
    start = records.local_date(accepted_at)
    version = case.version
    promised = 1 if version.kind == ItemKind.INSTANT else case.promised_limit
    case.accepted_at = accepted_at
    case.deemed_accepted = deemed
    # TL-01/TL-02 (Art. 42): statutory and promised working days from acceptance.
    case.statutory_due = clock.add_working_days(cal, start, version.statutory_days)
    case.promised_due = clock.add_working_days(cal, start, promised)
    if case.kind == "renewal" and case.licence_id and case.licence.valid_until:
        # RNW-02 (Art. 50 ¶2): the renewal is decided before the licence expires.
        case.statutory_due = min(case.statutory_due, case.licence.valid_until)
        case.promised_due = min(case.promised_due, case.statutory_due)
    case.due_provisional = cal.any_provisional(start, case.statutory_due)
    case.status = transitions.move("deem_accept" if deemed else "accept", case.status)
    _open_first_stage(case, cal, start, accepted_at)


@_today_applies_first
@transaction.atomic
def case_accept(
    *,
    actor,
    case: Case,
    lenient: list | None = None,
    commitment: str = "",
    lenient_due: date | None = None,
) -> Case:
    """Accept (受理). Art. 32(5): acceptance is mandatory once complete. With 容缺, the
    listed gaps are to be filled by the applicant's committed date."""
    lock_bundle(case)
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    if case.deemed_accepted and case.status == CaseStatus.PROCESSING:
        raise _deemed_refusal(case, "另行受理（受理日期不变）")
    transitions.check("accept", case.status)
    missing = missing_required(case, lenient_ok=False)
    lenient = [str(x) for x in (lenient or [])]
    if lenient:
        if not case.version.lenient_acceptance:
            raise InvalidInput("本事项不允许容缺受理。", code="lenient_not_allowed")
        allowed = {str(r.pk): r.name for r in case.version.materials.filter(lenient_allowed=True)}
        if not set(lenient) <= set(allowed):
            raise InvalidInput("只有事项指定的材料可以容缺。", code="not_lenient_material")
        if not commitment.strip() or lenient_due is None or lenient_due <= records.today():
            raise InvalidInput(
                "容缺受理须有申请人的承诺和补交期限。",
                errors={"commitment": ["请填写承诺和期限。"]},
            )
        missing = [name for name in missing if name not in {allowed[x] for x in lenient}]
    if missing:
        raise Conflict(
            f"材料不齐全，不能受理：{'、'.join(missing)}。请发出一次性补正通知。", code="incomplete"
        )
    now = timezone.now()
    _start_clock(case, now, deemed=False)
    if lenient:
        case.lenient_due, case.lenient_commitment = lenient_due, commitment.strip()
    case.save(update_fields=[*CLOCK_FIELDS, "lenient_due", "lenient_commitment"])
    _acceptance_notice(
        case,
        lenient_names=[
            n
            for k, n in {str(r.pk): r.name for r in case.version.materials.all()}.items()
            if k in lenient
        ],
    )
    records.event(case, "accepted", "已受理" + ("（容缺受理）" if lenient else ""), actor=actor)
    records.audit(case, "case.accept", actor, {"lenient": lenient})
    records.tell_applicant(
        case,
        "申请已受理",
        f"承诺办结日期 {case.promised_due:%Y-%m-%d}，法定办结日期 {case.statutory_due:%Y-%m-%d}。",
    )
    _after_pre_review(case)
    return case


def _after_pre_review(case) -> None:
    """A bundle's case pre-reviewed: its held notice may now be the bundle's to send."""
    if case.bundle_application_id:
        application = BundleApplication.objects.get(pk=case.bundle_application_id)
        bundle_gather(application, records.today())


def _acceptance_notice(case, *, lenient_names=()):
    body = (
        f"你（单位）于 {records.local_date(case.received_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
        f"（办件编号 {case.number}），申请材料齐全、符合法定形式，依据《中华人民共和国行政许可法》第三十二条，"
        f"决定予以受理。本机关将在 {case.statutory_due:%Y年%m月%d日} 前（法定期限）作出决定，"
        f"承诺于 {case.promised_due:%Y年%m月%d日} 前办结。\n可凭办件编号和查询密码在网上审批平台查询办理进度。"
    )
    if case.deemed_accepted:
        body = (
            f"你（单位）于 {records.local_date(case.accepted_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
            f"（办件编号 {case.number}），本机关未在五个工作日内一次告知补正内容，依据《中华人民共和国行政许可法》"
            f"第三十二条第一款第四项，自收到申请材料之日起即为受理。法定期限至 {case.statutory_due:%Y年%m月%d日}。"
        )
    if lenient_names:
        body += (
            f"\n容缺材料：{'、'.join(lenient_names)}，请按承诺于 {case.lenient_due:%Y年%m月%d日} 前补交；"
            "逾期未补交的，终止办理。"
        )
    notices.issue_notice(case, NoticeKind.LENIENT if lenient_names else NoticeKind.ACCEPTANCE, body)


@_today_applies_first
@transaction.atomic
def case_not_accept(
    *, actor, case: Case, reason: str, text: str, competent_organ: str = ""
) -> Case:
    """RCV-01/02/07 (Art. 32, 72(7)): never without reasons; naming the competent organ
    when that is the reason. False materials bar the applicant (SAN-01, Art. 78)."""
    lock_bundle(case)
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    if case.deemed_accepted and case.status == CaseStatus.PROCESSING:
        raise _deemed_refusal(case, "作出不予受理决定")
    transitions.check("not_accept", case.status)
    if reason not in NotAcceptedReason.values:
        raise InvalidInput("请选择不予受理的情形。", errors={"reason": ["情形无效。"]})
    if not (text or "").strip():
        raise InvalidInput(
            "不予受理必须说明理由（第七十二条第七项）。", errors={"text": ["请填写理由。"]}
        )
    if reason == NotAcceptedReason.NOT_COMPETENT and not (competent_organ or "").strip():
        raise InvalidInput(
            "不属于本机关职权的，须告知申请人向哪个机关申请（第三十二条第一款第二项）。",
            errors={"competent_organ": ["请填写有权机关。"]},
        )
    case.status = transitions.move("not_accept", case.status)
    case.not_accepted_reason = reason
    case.reason_text = text.strip()
    case.competent_organ = (competent_organ or "").strip()
    case.ended_at = timezone.now()
    case.save(
        update_fields=[
            "status",
            "not_accepted_reason",
            "reason_text",
            "competent_organ",
            "ended_at",
        ]
    )
    if reason == NotAcceptedReason.FALSE_MATERIALS and case.version.safety_item:
        # SAN-01 (Art. 78): one year for items touching public safety, health, life and property.
        Bar.objects.create(
            applicant_code=held(case, "applicant_code"),
            item=case.item,
            case=case,
            article="第七十八条",
            until=records.today() + timedelta(days=365),
        )
    body = (
        f"你（单位）于 {records.local_date(case.received_at):%Y年%m月%d日} 提交的“{case.version.name}”申请"
        f"（办件编号 {case.number}），经审查，{NotAcceptedReason(reason).label}。\n理由：{case.reason_text}"
    )
    if case.competent_organ:
        body += f"\n请向{case.competent_organ}提出申请。"
    body += "\n" + REMEDIES
    notices.issue_notice(case, NoticeKind.NON_ACCEPTANCE, body)
    records.event(case, "not_accepted", f"不予受理：{case.reason_text}", actor=actor)
    records.audit(case, "case.not_accept", actor, {"reason": reason})
    records.tell_applicant(case, "不予受理", case.reason_text)
    _after_pre_review(case)
    return case


@transaction.atomic
def case_request_originals(*, actor, case: Case, due: date) -> Case:
    """预审后通知提供原始材料: show the originals at the window by a date."""
    case = records.lock(case)
    access.ensure_intake_staff(actor, case)
    transitions.check("request_originals", case.status)
    if due < records.today():
        raise InvalidInput("核验原件的期限不能早于今天。", errors={"due": ["期限无效。"]})
    case.originals_due = due
    case.save(update_fields=["originals_due"])
    names = "、".join(
        case.version.materials.filter(show_original=True).values_list("name", flat=True)
    )
    records.event(
        case, "originals", f"请于 {due:%m月%d日} 前携带原件到窗口核验：{names}", actor=actor
    )
    records.tell_applicant(
        case,
        "请到窗口核验原件",
        f"请于 {due:%Y-%m-%d} 前携带原件到{case.department.name}窗口：{names}。",
    )
    return case


@transaction.atomic
def material_mark_original_seen(*, actor, material: CaseMaterial) -> CaseMaterial:
    case = records.lock(material.case)
    if not access.is_clerk_for(actor, case.department):
        raise NotFound("未找到该材料。")
    CaseMaterial.objects.filter(pk=material.pk).update(
        original_seen_by=actor, original_seen_at=timezone.now()
    )
    records.event(
        case,
        "original_seen",
        f"窗口已核验原件：{material.requirement.name}",
        actor=actor,
        public=True,
    )
    records.audit(case, "case.original_seen", actor, {"material": material.requirement.name})
    material.refresh_from_db()
    return material


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str = "") -> Case:
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    if case.status == CaseStatus.DRAFT:
        raise Conflict("草稿尚未提交，直接删除即可。", code="draft")
    case.status = transitions.move("withdraw", case.status)
    case.ended_at = timezone.now()
    case.reason_text = (reason or "申请人撤回").strip()[:500]
    case.save(update_fields=["status", "ended_at", "reason_text"])
    records.cancel_open_tasks(case)
    records.event(case, "withdrawn", "申请人已撤回申请", actor=actor)
    records.audit(case, "case.withdraw", actor, {"reason": case.reason_text})
    records.tell_applicant(case, "申请已撤回", case.reason_text)
    return case


@transaction.atomic
def case_terminate(*, actor, case: Case, reason: str) -> Case:
    case = records.lock(case)
    if actor is not None:
        access.ensure_intake_staff(actor, case)
    case.status = transitions.move("terminate", case.status)
    case.ended_at = timezone.now()
    case.reason_text = reason
    case.save(update_fields=["status", "ended_at", "reason_text"])
    records.cancel_open_tasks(case)
    records.event(case, "terminated", f"终止办理：{reason}", actor=actor)
    records.audit(case, "case.terminate", actor, {"reason": reason})
    records.tell_applicant(case, "办件已终止", reason)
    return case


@transaction.atomic
def deem_accepted(case_id, today) -> bool:
    bundle, due = Case.objects.filter(pk=case_id).values_list(
        "bundle_application", "correction_due"
    ).first() or (None, None)
    if bundle and due and due < today and HeldCorrection.objects.filter(case_id=case_id).exists():
        # Its department asked for corrections in time and the bundle held them to send
        # as one: they go out now, rather than the case being deemed accepted.
        application = BundleApplication.objects.select_for_update().get(pk=bundle)
        bundle_gather(application, today, due_reached=True)
    case = records.lock(Case(pk=case_id))
    if not transitions.allowed("deem_accept", case.status) or case.correction_due >= today:
        return False
    # RCV-04 (Art. 32(4)): deemed accepted as of the receipt that opened the round.
    _start_clock(case, case.round_received_at, deemed=True)
    case.save(update_fields=CLOCK_FIELDS)
    _acceptance_notice(case)
    records.event(
        case,
        "deemed_accepted",
        "未在五个工作日内一次告知补正，自收件之日起视为受理",
        breach="RCV-04",
    )
    records.audit(
        case,
        "case.deemed_accept",
        None,
        {"breach": "RCV-04", "correction_due": case.correction_due.isoformat()},
    )
    records.tell_applicant(case, "申请视为已受理", f"法定办结日期 {case.statutory_due:%Y-%m-%d}。")
    return True


@transaction.atomic
def deem_withdrawn(case_id, today) -> bool:
    case = records.lock(Case(pk=case_id))
    if not transitions.allowed("deem_withdraw", case.status) or case.supplement_due >= today:
        return False
    case.status = transitions.move("deem_withdraw", case.status)
    case.ended_at = timezone.now()
    case.reason_text = "逾期未补正，视为撤回申请"
    case.save(update_fields=["status", "ended_at", "reason_text"])
    records.event(case, "deemed_withdrawn", case.reason_text)
    records.audit(
        case, "case.deemed_withdraw", None, {"supplement_due": case.supplement_due.isoformat()}
    )
    records.tell_applicant(case, "申请视为撤回", case.reason_text)
    return True

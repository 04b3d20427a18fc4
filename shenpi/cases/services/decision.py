"""Decision and delivery (DEC-01/02, Art. 38-40, 44): grant or refusal in writing, the
licence it issues, renewal and change, delivery, and the window's instant items."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shenpi.catalog.constants import ItemKind
from shenpi.common import pdfsigning, personal
from shenpi.common.fields import held
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.stats.rollup import count_steps
from shenpi.workdays.services import calendar

from .. import access, documents, notices, numbering, records
from ..constants import (
    LICENCE_DAYS,
    CaseStatus,
    DeliveryMethod,
    NoticeKind,
    Outcome,
    TaskStatus,
)
from ..models import (
    ACTIVE_TASK_STATUSES,
    Case,
    Licence,
)
from ..notices import REMEDIES
from .applying import case_submit
from .bundles import bundle_after_decision
from .commitments import post_check_open
from .hearings import hearing_blocks_decision
from .intake import case_accept


def _ensure_may_grant(case) -> None:
    from shenpi.core.flow import unanswered_disagreements

    verdicts = dict(case.tasks.exclude(verdict="").values_list("step_key", "verdict"))
    answered = set(case.tasks.exclude(response="").values_list("step_key", flat=True))
    pending = unanswered_disagreements(verdicts, answered)
    if pending:
        names = "、".join(
            case.tasks.filter(step_key__in=pending).values_list("step_name", flat=True)
        )
        raise Conflict(
            f"协办部门的不同意意见尚未答复，不能准予许可：{names}。", code="disagreement_unanswered"
        )
    version = case.version
    if version.quota:
        # DEC-04 (Art. 57): first accepted, first granted, within the year's quota.
        year = timezone.localdate().year
        granted = Case.objects.filter(
            item=case.item, outcome=Outcome.GRANTED, decided_at__year=year
        ).count()
        earlier = Case.objects.filter(
            item=case.item,
            accepted_at__lt=case.accepted_at,
            status__in=[CaseStatus.PROCESSING, CaseStatus.SUSPENDED],
        ).count()
        if version.quota - granted <= earlier:
            raise Conflict(
                f"本年度数量限制剩余 {version.quota - granted} 个，须按受理先后顺序准予"
                f"（第五十七条），在先受理的 {earlier} 件尚未决定。",
                code="quota",
            )


# The form's fields that name the holder or how to reach them, not what is licensed.
NOT_LICENSED = ("applicant_name", "contact", "phone")


def licence_holder(case) -> str:
    """The holder as the applicant entered it on the form (a business's name, which the
    official reviewed), else the name of the account that applied."""
    entered = str(case.form_data.get("applicant_name") or "").strip()
    return entered or case.applicant_name


def licence_scope(case) -> str:
    """许可内容: what the form says of the licensed activity, under the form's own Chinese
    labels, in the form's order."""
    data = case.form_data
    fields = [f for f in case.version.form_fields or [] if f["key"] not in NOT_LICENSED]
    parts = []
    for field in fields:
        value = data.get(field["key"])
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        parts.append(f"{field['label']}：{value}")
    return "；".join(parts)[:500]


def _issue_licence(case, actor) -> Licence:
    version = case.version
    now = timezone.now()
    valid_from = records.local_date(now)
    valid_until = None
    if version.validity_months:
        valid_until = add_months(valid_from, version.validity_months) - timedelta(days=1)
    licence = Licence(
        number=numbering.licence_number(case.item.department, records.local_date(now).year),
        verification_code=secrets.token_hex(8).upper(),
        case=case,
        item=case.item,
        name=version.licence_name or version.name,
        holder=case.applicant,
        holder_name=licence_holder(case),
        holder_code=held(case, "applicant_code"),
        department=case.item.department,
        issued_at=now,
        valid_from=valid_from,
        valid_until=valid_until,
        scope=licence_scope(case),
    )
    licence_render(licence, issued=valid_from)
    licence.save(force_insert=True)
    return licence


def licence_render(licence: Licence, *, issued: date) -> None:
    """The licence's document as its row now stands (number, holder, scope, validity):
    drawn at the grant and again at every renewal or change, so that the certificate a
    holder downloads never shows an old expiry date or scope. The caller saves the row."""
    url = settings.SHENPI_PUBLIC_URL.rstrip("/") + reverse(
        "cases:verify_licence", args=[licence.verification_code]
    )
    pdf = documents.render_licence(
        name=licence.name,
        number=licence.number,
        organ=licence.department.name,
        holder=licence.holder_name,
        holder_code=personal.mask_code(licence.holder_code),
        scope=licence.scope,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        issued=issued,
        verify_url=url,
    )
    department = licence.department
    pdf = pdfsigning.sign(
        pdf, organ_code=department.code, organ_name=department.name, reason=licence.number
    )
    licence.file.save(f"{licence.number}.pdf", ContentFile(pdf), save=False)


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, 28))


def _renew_or_change(case) -> Licence:
    licence = (
        Licence.objects.select_for_update().select_related("department").get(pk=case.licence_id)
    )
    if case.kind == "renewal":
        licence.valid_until = add_months(licence.valid_until, case.version.validity_months or 12)
        licence.reminded_at = None
        fields = ["valid_until", "reminded_at", "file"]
    else:
        licence.scope = licence_scope(case)
        fields = ["scope", "file"]
    licence_render(licence, issued=records.today())
    licence.save(update_fields=fields)
    return licence


@transaction.atomic
def case_decide(*, actor, case: Case, outcome: str, reasons: str = "") -> Case:
    """DEC-01/02 (Art. 38): grant in writing; a refusal gives reasons and the rights to
    reconsideration and litigation. A grant issues the licence."""
    case = records.lock(case)
    access.ensure_decider(actor, case)
    transitions.check("decide", case.status)
    if outcome not in (Outcome.GRANTED, Outcome.REFUSED):
        raise InvalidInput("决定须为准予或不予许可。", errors={"outcome": ["无效。"]})
    if outcome == Outcome.REFUSED and not (reasons or "").strip():
        raise InvalidInput(
            "不予许可必须说明理由（第三十八条第二款）。", errors={"reasons": ["请填写理由。"]}
        )
    if case.version.kind != ItemKind.INSTANT:
        blocked = hearing_blocks_decision(case)
        if blocked:
            raise Conflict(blocked, code="hearing_pending")
    if outcome == Outcome.GRANTED:
        _ensure_may_grant(case)
    now = timezone.now()
    case.status = transitions.move("decide", case.status)
    case.outcome = outcome
    case.decided_at = now
    case.reason_text = (reasons or "").strip()
    if outcome == Outcome.GRANTED and case.version.licence_type:
        # TL-04 (Art. 44): the licence is delivered within 10 working days of the decision.
        case.licence_due = clock.add_working_days(calendar(), records.local_date(now), LICENCE_DAYS)
    case.save(update_fields=["status", "outcome", "decided_at", "reason_text", "licence_due"])
    closing = list(case.tasks.filter(status__in=ACTIVE_TASK_STATUSES))
    case.tasks.filter(pk__in=[t.pk for t in closing]).update(
        status=TaskStatus.DONE,
        completed_at=now,
        claimed_by=None if access.is_client(actor) else actor,
    )
    for task in closing:
        task.completed_at = now
    count_steps(case, closing)
    if outcome == Outcome.GRANTED and case.kind in ("renewal", "change") and case.licence_id:
        licence = _renew_or_change(case)
        if case.kind == "renewal":
            body = (
                f"你（单位）申请延续《{licence.name}》（编号 {licence.number}），经审查，符合法定条件、标准，"
                f"依据《中华人民共和国行政许可法》第五十条，决定准予延续，有效期至 {licence.valid_until:%Y年%m月%d日}。"
            )
        else:
            body = (
                f"你（单位）申请变更《{licence.name}》（编号 {licence.number}），经审查，符合法定条件、标准，"
                "依据《中华人民共和国行政许可法》第四十九条，决定准予变更。"
            )
        notices.issue_notice(case, NoticeKind.GRANT, body, department=case.item.department)
    elif outcome == Outcome.GRANTED:
        licence = _issue_licence(case, actor) if case.version.licence_type else None
        notices.issue_notice(
            case,
            NoticeKind.GRANT,
            (
                f"你（单位）提交的“{case.version.name}”申请（办件编号 {case.number}），经审查，符合法定条件、标准。"
                f"依据《中华人民共和国行政许可法》第三十八条第一款，决定准予行政许可。"
                + (f"\n颁发《{licence.name}》，编号 {licence.number}。" if licence else "")
            ),
            department=case.item.department,
        )
    else:
        notices.issue_notice(
            case,
            NoticeKind.REFUSAL,
            (
                f"你（单位）提交的“{case.version.name}”申请（办件编号 {case.number}），经审查，不符合法定条件、标准。"
                f"\n理由：{case.reason_text}\n依据《中华人民共和国行政许可法》第三十八条第二款，决定不予行政许可。\n{REMEDIES}"
            ),
            department=case.item.department,
        )
    # The deciding organ (the item's, whose notice this is), not the one that received the
    # case: a two-level item received by a county is decided by the region.
    records.event(
        case,
        "decided",
        "已作出决定：" + Outcome(outcome).label,
        actor=actor,
        department=case.item.department,
    )
    records.audit(case, "case.decide", actor, {"outcome": outcome})
    records.tell_applicant(
        case,
        "已作出决定",
        Outcome(outcome).label + ("" if outcome == Outcome.GRANTED else f"：{case.reason_text}"),
    )
    if outcome == Outcome.GRANTED and case.commitment_at:
        post_check_open(case)
    if case.bundle_application_id:
        bundle_after_decision(case)
    return case


@transaction.atomic
def case_deliver(*, actor, case: Case, method: str, tracking_number: str = "") -> Case:
    case = records.lock(case)
    if not (
        access.is_clerk_for(actor, case.department)
        or access.is_official_of(actor, case.department)
        or access.is_clerk_for(actor, case.item.department)
        or access.is_official_of(actor, case.item.department)
    ):
        raise NotFound("未找到该办件。")
    transitions.check("deliver", case.status)
    if method not in DeliveryMethod.values:
        raise InvalidInput("请选择送达方式。", errors={"method": ["无效。"]})
    if method == DeliveryMethod.POST and not tracking_number.strip():
        raise InvalidInput("邮寄送达须填写邮件单号。", errors={"tracking_number": ["请填写单号。"]})
    case.status = transitions.move("deliver", case.status)
    case.delivery_method = method
    case.tracking_number = tracking_number.strip()
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "delivery_method", "tracking_number", "closed_at"])
    records.event(case, "delivered", f"已送达（{DeliveryMethod(method).label}），办结", actor=actor)
    records.audit(case, "case.deliver", actor, {"method": method})
    records.tell_applicant(
        case, "已办结", f"送达方式：{DeliveryMethod(method).label}。欢迎对本次服务作出评价。"
    )
    return case


@transaction.atomic
def case_window_instant(
    *, actor, case: Case, reasons: str = "", outcome: str = Outcome.GRANTED
) -> Case:
    """Instant items at the window (Art. 34 ¶2, 56): received → processing → decided →
    closed while the applicant waits, all in one transaction."""
    if not access.is_clerk_for(actor, case.department):
        raise NotFound("未找到该办件。")
    if case.version.kind != ItemKind.INSTANT:
        raise Conflict("只有即办件可以当场办结。", code="not_instant")
    case = case_submit(actor=actor, case=case, declaration=True)
    case = case_accept(actor=actor, case=case)
    case = case_decide(actor=actor, case=case, outcome=outcome, reasons=reasons)
    return case_deliver(actor=actor, case=case, method=DeliveryMethod.WINDOW)

"""告知承诺 (approval on commitment): for an item version that allows it, the applicant
signs a commitment — shown in full, kept with its hash — that the named conditions are
met; the department decides within the version's shorter limit; a grant opens a
post-check due within the version's working days; a check that finds the commitment false
revokes the licence (Art. 69) through the revocation every licence uses, and stays on the
applicant's credit record."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shenpi.accounts.scope import scope_for
from shenpi.core import clock, transitions
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.workdays.services import calendar

from .. import access, records
from ..constants import LicenceStatus, PostCheckStatus
from ..licences import is_issuer_head, licence_revoke
from ..models import Case, Licence, PostCheck


def commitment_text(version, applicant_name: str) -> str:
    conditions = [
        c.strip() for c in (version.commitment_conditions or "").splitlines() if c.strip()
    ]
    lines = "\n".join(f"{n}. {c}" for n, c in enumerate(conditions, start=1))
    return (
        f"告知承诺书\n申请人{applicant_name}申请“{version.name}”，已知晓本事项的许可条件，"
        f"现承诺符合下列条件，以本承诺代替相关证明：\n{lines}\n"
        f"本人（单位）知悉：行政机关将在许可后 {version.post_check_days} 个工作日内进行核查；"
        "承诺不实的，行政机关依法撤销行政许可（《行政许可法》第六十九条），并记入信用记录；"
        "以欺骗手段取得许可的，依法承担相应法律责任（第七十九条）。"
    )


@transaction.atomic
def case_commit(*, actor, case: Case, confirmed: bool, withdraw: bool = False) -> Case:
    """The applicant (or who acts for them) signs the commitment on the draft, or takes it
    back before submitting."""
    case = records.lock(case)
    access.ensure_applicant_side(actor, case)
    transitions.check("save_form", case.status)  # a draft only
    if withdraw:
        case.commitment_at, case.commitment_text, case.commitment_sha256 = None, "", ""
        case.save(update_fields=["commitment_at", "commitment_text", "commitment_sha256"])
        records.audit(case, "case.commitment_withdraw", actor)
        return case
    if not case.version.commitment_allowed:
        raise Conflict("本事项不适用告知承诺，请按材料清单提交证明材料。", code="no_commitment")
    if not confirmed:
        raise InvalidInput(
            "请阅读告知承诺书全文并勾选确认。", errors={"confirmed": ["须确认承诺书内容。"]}
        )
    text = commitment_text(case.version, case.applicant_name)
    case.commitment_at = timezone.now()
    case.commitment_text = text
    case.commitment_sha256 = hashlib.sha256(text.encode()).hexdigest()
    case.save(update_fields=["commitment_at", "commitment_text", "commitment_sha256"])
    records.audit(case, "case.commitment", actor, {"sha256": case.commitment_sha256})
    return case


def post_check_open(case) -> PostCheck:
    """A grant on commitment: the post-check, due the version's working days after it."""
    decided = records.local_date(case.decided_at)
    check = PostCheck.objects.create(
        case=case,
        department=case.item.department,
        division=case.item.department.division,
        due=clock.add_working_days(calendar(), decided, case.version.post_check_days or 20),
    )
    records.event(case, "post_check", f"告知承诺：将于 {check.due:%Y年%m月%d日} 前完成事后核查")
    return check


def post_checks_visible_to(user):
    """The item's department's staff, and supervision and leaders over its division."""
    qs = PostCheck.objects.select_related("case__version", "department")
    if access.is_client(user):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    q = Q(department_id__in=list(scope.department_ids)) if scope.department_ids else Q(pk__in=[])
    for path in scope.subtree_paths:
        q |= Q(division__path__startswith=path)
    return qs.filter(q)


def post_check_light(check: PostCheck, today) -> str:
    """Red past its due date, yellow in its last two working days, green before."""
    if check.status != PostCheckStatus.OPEN:
        return ""
    if check.due < today:
        return "red"
    return "yellow" if clock.days_left(calendar(), today, check.due) <= 2 else "green"


@transaction.atomic
def post_check_record(*, actor, check: PostCheck, passed: bool, findings: str) -> PostCheck:
    """The check's result, once. A false commitment is recorded by the department's head,
    whose record revokes the licence (Art. 69) as obtained by deception (Art. 79)."""
    check = PostCheck.objects.select_for_update().select_related("case").get(pk=check.pk)
    case = check.case
    if not access.is_official_of(actor, check.department):
        raise NotFound("未找到该核查。")
    if check.status != PostCheckStatus.OPEN:
        raise Conflict(
            f"该核查已于 {timezone.localtime(check.checked_at):%Y年%m月%d日} 记录为“{check.get_status_display()}”。",
            code="already_checked",
        )
    findings = (findings or "").strip()
    if not findings:
        raise InvalidInput("请填写核查情况。", errors={"findings": ["必填。"]})
    licence = Licence.objects.filter(case=case).first()
    if not passed and not (licence and is_issuer_head(actor, licence)):
        raise NotAllowed(
            "承诺不实将撤销许可，须由发证部门负责人记录（第六十九条）。", code="head_only"
        )
    check.status = PostCheckStatus.PASSED if passed else PostCheckStatus.FAILED
    check.findings, check.checked_by, check.checked_at = findings[:2000], actor, timezone.now()
    check.save(update_fields=["status", "findings", "checked_by", "checked_at"])
    records.event(case, "post_check_done", f"事后核查：{check.get_status_display()}", actor=actor)
    records.audit(case, "case.post_check", actor, {"passed": passed, "findings": check.findings})
    if not passed and licence is not None and licence.status == LicenceStatus.VALID:
        licence_revoke(
            actor=actor,
            licence=licence,
            reasons=f"告知承诺经核查不实：{check.findings}（《行政许可法》第六十九条）",
            fraud=True,
        )
    elif passed:
        records.tell_applicant(case, "事后核查完成", "经核查，您的承诺属实。")
    return check


def credit_record(user):
    """What the applicant's credit record shows: commitments found false."""
    return PostCheck.objects.filter(
        case__applicant=user, status=PostCheckStatus.FAILED
    ).select_related("case__version", "department")

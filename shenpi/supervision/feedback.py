"""Complaints (投诉举报), ratings (好差评) with their follow-up, corrections and findings."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, User
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_record
from shenpi.cases.constants import MATERIAL_FILE_TYPES, CaseStatus
from shenpi.cases.selectors import cases_visible_to
from shenpi.common.files import check_upload
from shenpi.core import clock
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.notify.services import notify
from shenpi.workdays.services import calendar

from .models import Complaint, ComplaintStatus, Finding, Rating
from .published import publish_complaint

DECIDE_DAYS = 5  # supervision decides within 5 working days whether to take a complaint
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def oversees(user, department) -> bool:
    """A supervisor whose division subtree holds the department (the scope's own rule)."""
    if getattr(user, "is_system_client", False) or not user.has_role(Role.SUPERVISOR):
        return False
    return any(department.division.path.startswith(p) for p in scope_for(user).subtree_paths)


def _supervisors_over(department) -> list[User]:
    """Supervisors to notify about the department."""
    supervisors = User.objects.filter(
        role_assignments__role=Role.SUPERVISOR, is_active=True
    ).select_related("division", "office__department__division")
    return [u for u in supervisors if oversees(u, department)]


@transaction.atomic
def complaint_file(
    *,
    actor,
    department: Department,
    subject: str,
    body: str,
    contact: str = "",
    case=None,
    item=None,
    official_name: str = "",
    attachment=None,
    anonymous: bool = False,
    request=None,
) -> Complaint:
    named_actor = actor is not None and getattr(actor, "is_authenticated", False)
    if not named_actor or anonymous:
        _limit_anonymous_filing(request)
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = ["请填写标题。"]
    if not (body or "").strip():
        errors["body"] = ["请写明投诉内容。"]
    if errors:
        raise InvalidInput("投诉内容不完整。", errors=errors)
    named = actor if (actor is not None and actor.is_authenticated and not anonymous) else None
    if case is not None and (named is None or case.applicant_id != named.pk):
        case = (
            None  # a complaint about a case names it only for its own applicant; others describe it
        )
    today = timezone.localdate()
    complaint = Complaint(
        number=f"TS{today:%Y%m%d}{secrets.randbelow(10**6):06d}",
        query_password="".join(
            secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8)
        ),
        complainant=named,
        contact=(contact or "").strip()[:60],
        case=case,
        item=item,
        department=department,
        official_name=(official_name or "").strip()[:60],
        subject=subject.strip()[:120],
        body=body.strip(),
        decide_by=clock.add_working_days(calendar(), today, DECIDE_DAYS),
    )
    if attachment is not None:
        checked = check_upload(
            attachment, allowed=MATERIAL_FILE_TYPES, max_bytes=10 * 1024 * 1024, label="附件"
        )
        complaint.attachment.save(checked.name, ContentFile(checked.data), save=False)
    complaint.save()
    audit_record(
        stream=f"complaint:{complaint.pk}",
        action="complaint.file",
        actor=named,
        request=request,
        object_type="complaint",
        object_id=complaint.number,
    )
    publish_complaint(complaint, "complaint.file")
    for supervisor in _supervisors_over(department):
        notify(
            supervisor,
            title=f"新投诉：{complaint.subject}",
            body=f"编号 {complaint.number}，请于 {complaint.decide_by:%Y-%m-%d} 前决定是否受理。",
        )
    return complaint


ANONYMOUS_FILINGS = 5  # anonymous complaints per client address per hour


def _limit_anonymous_filing(request) -> None:
    """Anonymous filing is open to anyone, attachment and all: a few an hour per address."""
    from shenpi.accounts.ratelimit import allowed
    from shenpi.audit.services import client_ip
    from shenpi.core.errors import TooMany

    key = f"complaint-anonymous:{client_ip(request) or 'unknown'}"
    if not allowed(key, limit=ANONYMOUS_FILINGS, window=3600):
        raise TooMany("匿名投诉过于频繁，请稍后再试，或登录后实名投诉。")


def _ensure_supervisor_of(actor, complaint) -> None:
    if getattr(actor, "is_system_client", False):
        raise NotFound("未找到该投诉。")
    if actor.pk == (complaint.handler_id or -1):
        return
    if not oversees(actor, complaint.department):
        raise NotFound("未找到该投诉。")


@transaction.atomic
def complaint_decide(
    *,
    actor,
    complaint: Complaint,
    take: bool,
    handler: User | None = None,
    reply_days: int = 15,
    reason: str = "",
) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _ensure_supervisor_of(actor, complaint)
    if complaint.status != ComplaintStatus.FILED:
        raise Conflict("该投诉已经处理过受理决定。", code="already_decided")
    if take:
        handler = handler or actor
        if not (
            oversees(handler, complaint.department) or _staff_of(handler, complaint.department)
        ):
            # 谁办理、谁负责: a supervisor, or an official of the department complained about.
            raise InvalidInput(
                "只能转办给监察人员或被投诉部门的工作人员。",
                errors={"handler": ["该人员不能办理本投诉。"]},
            )
        complaint.status = ComplaintStatus.TAKEN
        complaint.handler = handler
        complaint.taken_at = timezone.now()
        complaint.reply_due = clock.add_working_days(calendar(), timezone.localdate(), reply_days)
        if complaint.handler_id != actor.pk:
            notify(
                complaint.handler,
                title=f"转办投诉：{complaint.subject}",
                body=f"请于 {complaint.reply_due:%Y-%m-%d} 前处理并答复。",
            )
    else:
        if not (reason or "").strip():
            raise InvalidInput("不予受理须说明理由。", errors={"reason": ["必填。"]})
        complaint.status, complaint.reply, complaint.replied_at = (
            ComplaintStatus.REJECTED,
            reason.strip(),
            timezone.now(),
        )
    complaint.save()
    audit_record(
        stream=f"complaint:{complaint.pk}",
        action="complaint.decide",
        actor=actor,
        object_type="complaint",
        object_id=complaint.number,
        detail={"take": take},
    )
    publish_complaint(complaint, "complaint.decide")
    return complaint


def _staff_of(user, department) -> bool:
    return bool(
        not getattr(user, "is_system_client", False)
        and user.has_role(Role.OFFICIAL, Role.HEAD)
        and user.department
        and user.department.pk == department.pk
    )


@transaction.atomic
def complaint_reply(
    *, actor, complaint: Complaint, reply: str, substantiated: bool | None = None
) -> Complaint:
    """The handler answers the complainant. Whether the complaint was founded is
    supervision's finding: a supervisor replying records it with the reply; the
    department's own official cannot (it would lower its own penalty in the
    evaluation), so supervision is asked to find it (complaint_find)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != ComplaintStatus.TAKEN:
        raise Conflict("只有已受理的投诉可以答复。", code="not_taken")
    _ensure_supervisor_of(actor, complaint)
    if not (reply or "").strip():
        raise InvalidInput("请填写答复。", errors={"reply": ["必填。"]})
    finds = oversees(actor, complaint.department)
    if finds and substantiated is None:
        raise InvalidInput(
            "请认定投诉是否属实。", errors={"substantiated": ["请选择属实或不属实。"]}
        )
    complaint.status, complaint.reply, complaint.replied_at = (
        ComplaintStatus.REPLIED,
        reply.strip(),
        timezone.now(),
    )
    complaint.substantiated = bool(substantiated) if finds else None
    complaint.found_by = actor if finds else None
    complaint.save(update_fields=["status", "reply", "replied_at", "substantiated", "found_by"])
    audit_record(
        stream=f"complaint:{complaint.pk}",
        action="complaint.reply",
        actor=actor,
        object_type="complaint",
        object_id=complaint.number,
        detail={"substantiated": complaint.substantiated},
    )
    publish_complaint(complaint, "complaint.reply")
    if complaint.complainant:
        notify(
            complaint.complainant,
            title=f"投诉已答复：{complaint.subject}",
            body=complaint.reply[:200] + "\n可在“我的投诉”中评价本次答复。",
        )
    if not finds:
        for supervisor in _supervisors_over(complaint.department):
            notify(
                supervisor,
                title=f"投诉已答复，待认定是否属实：{complaint.subject}",
                body=f"编号 {complaint.number}，由{complaint.department.name}答复。",
            )
    return complaint


@transaction.atomic
def complaint_find(*, actor, complaint: Complaint, substantiated: bool) -> Complaint:
    """Supervision finds whether a complaint the department answered was founded."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not oversees(actor, complaint.department):
        raise NotFound("未找到该投诉。")
    if complaint.status != ComplaintStatus.REPLIED or complaint.found_by_id is not None:
        raise Conflict("该投诉不在待认定状态。", code="not_awaiting_finding")
    complaint.substantiated, complaint.found_by = bool(substantiated), actor
    complaint.save(update_fields=["substantiated", "found_by"])
    audit_record(
        stream=f"complaint:{complaint.pk}",
        action="complaint.find",
        actor=actor,
        object_type="complaint",
        object_id=complaint.number,
        detail={"substantiated": complaint.substantiated},
    )
    publish_complaint(complaint, "complaint.find")
    return complaint


COMPLAINT_ACTIONS = ("take", "reject", "reply", "find", "rate")


def complaint_act(
    *,
    actor,
    complaint: Complaint,
    action: str,
    handler: str = "",
    reason: str = "",
    reply: str = "",
    substantiated: bool | None = None,
    satisfaction: str = "",
) -> Complaint:
    """One action on a complaint by name: the page and the API both come through here.
    `handler`: the user name of whom a taken complaint is transferred to (none: the actor)."""
    if action in ("take", "reject"):
        name = (handler or "").strip()
        person = User.objects.filter(username=name).first() if name else None
        if name and person is None:
            raise InvalidInput(f"没有用户名为“{name}”的人员。", errors={"handler": ["无效。"]})
        return complaint_decide(
            actor=actor, complaint=complaint, take=action == "take", handler=person, reason=reason
        )
    if action == "reply":
        return complaint_reply(
            actor=actor, complaint=complaint, reply=reply, substantiated=substantiated
        )
    if action == "find":
        if substantiated is None:
            raise InvalidInput("请认定投诉是否属实。", errors={"substantiated": ["必选。"]})
        return complaint_find(actor=actor, complaint=complaint, substantiated=substantiated)
    if action == "rate":
        return complaint_rate(actor=actor, complaint=complaint, satisfaction=satisfaction)
    raise InvalidInput("未知的操作。", errors={"action": ["无效。"]})


def complaint_light(complaint: Complaint, today, cal=None) -> tuple[str, object, str] | None:
    """The open step's (step, due date, light): the decision to take it, then the reply;
    lit by the platform's rule (CONTRACTS.md "Lights"). None once answered."""
    cal = cal or calendar()
    if complaint.status == ComplaintStatus.FILED:
        step, start, due = "decide", complaint.filed_at, complaint.decide_by
    elif complaint.status == ComplaintStatus.TAKEN and complaint.reply_due:
        step, start, due = "reply", complaint.taken_at or complaint.filed_at, complaint.reply_due
    else:
        return None
    start = timezone.localtime(start).date()
    limit = clock.working_days_between(cal, start, due)
    return step, due, clock.light(cal, today=today, start=start, due=due, limit=limit)


def complaints_watch(today=None) -> int:
    """Warn of each open complaint's step when it turns yellow and again when it turns red
    (the handler and the supervisors over the department), once each (the daily job)."""
    today = today or timezone.localdate()
    cal = calendar()
    warned = 0
    for complaint in Complaint.objects.filter(
        status__in=[ComplaintStatus.FILED, ComplaintStatus.TAKEN]
    ).select_related("department__division", "handler"):
        lit = complaint_light(complaint, today, cal)
        if lit is None or lit[2] == clock.GREEN or complaint.warned == f"{lit[0]}:{lit[2]}":
            continue
        step, due, light = lit
        with transaction.atomic():
            if Complaint.objects.filter(pk=complaint.pk, warned=complaint.warned).update(
                warned=f"{step}:{light}"
            ):
                what = "受理决定" if step == "decide" else "答复"
                when = "已逾期" if light == clock.RED else "即将到期"
                people = set(_supervisors_over(complaint.department))
                if step == "reply" and complaint.handler:
                    people.add(complaint.handler)
                for person in people:
                    notify(
                        person,
                        title=f"投诉{what}{when}：{complaint.subject}",
                        body=f"编号 {complaint.number}，{what}期限 {due:%Y-%m-%d}。",
                    )
                warned += 1
    return warned


@transaction.atomic
def complaint_rate(*, actor, complaint: Complaint, satisfaction: str) -> Complaint:
    """A named complainant rates the reply."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.complainant_id is None or actor.pk != complaint.complainant_id:
        raise NotFound("未找到该投诉。")
    if (
        complaint.status not in (ComplaintStatus.REPLIED, ComplaintStatus.REJECTED)
        or complaint.satisfaction
    ):
        raise Conflict("现在不能评价该答复。", code="cannot_rate")
    if satisfaction not in ("满意", "基本满意", "不满意"):
        raise InvalidInput("请选择满意、基本满意或不满意。", errors={"satisfaction": ["无效。"]})
    complaint.satisfaction = satisfaction
    complaint.save(update_fields=["satisfaction"])
    audit_record(
        stream=f"complaint:{complaint.pk}",
        action="complaint.rate",
        actor=actor,
        object_type="complaint",
        object_id=complaint.number,
        detail={"satisfaction": satisfaction},
    )
    publish_complaint(complaint, "complaint.rate")
    return complaint


# --- ratings (好差评) -------------------------------------------------------------------------


WINDOW_RATING_SALT = "shenpi.window-rating"
WINDOW_RATING_SECONDS = 30 * 60


def _ensure_rateable(case) -> None:
    if case.status not in (CaseStatus.CLOSED, CaseStatus.NOT_ACCEPTED):
        raise Conflict("办结或不予受理后才能评价。", code="not_rateable")
    if Rating.objects.filter(case=case).exists():
        raise Conflict("该办件已经评价过。", code="already_rated")


@transaction.atomic
def case_rate(
    *,
    actor,
    case,
    overall: int,
    efficiency: int,
    guide_accuracy: int,
    convenience: int,
    comment: str = "",
) -> Rating:
    """Rate a closed or not-accepted case online: its applicant only, once (CONTRACTS.md;
    at the window the applicant rates on the window's device, window_rating_open)."""
    if getattr(actor, "is_system_client", False) or actor.pk != case.applicant_id:
        raise NotFound("未找到该办件。")
    return _record_rating(
        case,
        rated_by=actor,
        channel="online",
        scores=(overall, efficiency, guide_accuracy, convenience),
        comment=comment,
    )


@transaction.atomic
def window_rating_open(*, actor, case) -> str:
    """A clerk of the case's window hands the window's evaluation device to the applicant:
    a token, good for half an hour, with which the device records the applicant's own
    rating (channel `window`). The clerk never rates: the token carries no scores."""
    from django.core import signing

    from shenpi.cases.access import is_clerk_for

    if not is_clerk_for(actor, case.department):
        raise NotFound("未找到该办件。")
    _ensure_rateable(case)
    audit_record(
        stream=f"case:{case.pk}",
        action="case.rating_device",
        actor=actor,
        object_type="case",
        object_id=str(case.pk),
    )
    return signing.dumps({"case": str(case.pk)}, salt=WINDOW_RATING_SALT)


def window_rating_case(token: str):
    """The case a window device's token is for, or NotFound when it is forged or stale."""
    from django.core import signing

    from shenpi.cases.models import Case

    try:
        data = signing.loads(token, salt=WINDOW_RATING_SALT, max_age=WINDOW_RATING_SECONDS)
    except signing.BadSignature:
        raise NotFound("评价码无效或已过期，请窗口工作人员重新打开评价器。") from None
    case = (
        Case.objects.select_related("applicant", "department", "version")
        .filter(pk=data.get("case"))
        .first()
    )
    if case is None:
        raise NotFound("评价码无效或已过期，请窗口工作人员重新打开评价器。")
    return case


@transaction.atomic
def window_rating_record(
    *, token: str, overall: int, efficiency: int, guide_accuracy: int, convenience: int,
    comment: str = "",
) -> Rating:  # fmt: skip
    """The applicant's rating on the window's device."""
    case = window_rating_case(token)
    return _record_rating(
        case,
        rated_by=case.applicant,
        channel="window",
        scores=(overall, efficiency, guide_accuracy, convenience),
        comment=comment,
    )


def _record_rating(case, *, rated_by, channel, scores, comment) -> Rating:
    from shenpi.cases.models import Case

    Case.objects.select_for_update().filter(pk=case.pk).first()  # one rating at a time
    _ensure_rateable(case)
    if any(not isinstance(s, int) or not 1 <= s <= 5 for s in scores):
        raise InvalidInput("每项评价须为 1 至 5。", errors={"overall": ["无效。"]})
    overall, efficiency, guide_accuracy, convenience = scores
    rating = Rating.objects.create(
        case=case,
        rated_by=rated_by,
        channel=channel,
        overall=overall,
        efficiency=efficiency,
        guide_accuracy=guide_accuracy,
        convenience=convenience,
        comment=(comment or "").strip()[:500],
    )
    if rating.is_bad:
        # A bad review opens a follow-up: call-back, rectification, feedback by the deadline.
        rating.follow_up_due = clock.add_working_days(
            calendar(), timezone.localdate(), settings.SHENPI_BAD_RATING_DAYS
        )
        rating.save(update_fields=["follow_up_due"])
        for user in _heads_of(case.department):
            notify(
                user,
                title=f"差评待整改：{case.number}",
                body=f"{LEVELS[overall]}：{rating.comment}；"
                f"请于 {rating.follow_up_due:%Y-%m-%d} 前回访、整改并反馈。",
            )
    audit_record(
        stream=f"case:{case.pk}",
        action="case.rate",
        actor=rated_by,
        actor_label="" if channel == "online" else f"{rated_by.display_name}（窗口评价器）",
        object_type="case",
        object_id=str(case.pk),
        detail={"overall": overall, "channel": channel},
    )
    return rating


def _heads_of(department):
    return User.objects.filter(role_assignments__role=Role.HEAD, office__department=department)


@transaction.atomic
def rating_confirm(*, actor, rating: Rating, satisfied: bool, note: str = "") -> Rating:
    """The applicant says whether the rectification answered their bad review; if not,
    supervision is told (差评件件有整改、有反馈)."""
    rating = Rating.objects.select_for_update().select_related("case__department").get(pk=rating.pk)
    if getattr(actor, "is_system_client", False) or actor.pk != rating.case.applicant_id:
        raise NotFound("未找到该评价。")
    if rating.followed_up_at is None or rating.confirmed_at is not None:
        raise Conflict("现在不能确认整改情况。", code="nothing_to_confirm")
    rating.confirmed, rating.confirmed_at = bool(satisfied), timezone.now()
    rating.confirm_note = (note or "").strip()[:300]
    rating.save(update_fields=["confirmed", "confirmed_at", "confirm_note"])
    audit_record(
        stream=f"case:{rating.case_id}",
        action="rating.confirm",
        actor=actor,
        object_type="case",
        object_id=str(rating.case_id),
        detail={"satisfied": rating.confirmed},
    )
    if not rating.confirmed:
        for person in [
            *_supervisors_over(rating.case.department),
            *_heads_of(rating.case.department),
        ]:
            notify(
                person,
                title=f"差评整改未获申请人认可：{rating.case.number}",
                body=rating.confirm_note or "申请人对整改情况不满意。",
            )
    return rating


def ratings_watch(today=None) -> int:
    """A bad review not followed up by its deadline: the department's heads and the
    supervisors over it are told, once (the daily job)."""
    today = today or timezone.localdate()
    late = Rating.objects.filter(
        follow_up_due__lt=today, followed_up_at__isnull=True, follow_up_warned=False
    ).select_related("case__department__division")
    warned = 0
    for rating in late:
        with transaction.atomic():
            if not Rating.objects.filter(pk=rating.pk, follow_up_warned=False).update(
                follow_up_warned=True
            ):
                continue
            department = rating.case.department
            for person in [*_supervisors_over(department), *_heads_of(department)]:
                notify(
                    person,
                    title=f"差评整改已逾期：{rating.case.number}",
                    body=f"整改期限 {rating.follow_up_due:%Y-%m-%d}，尚未回访、整改并反馈。",
                )
            warned += 1
    return warned


@transaction.atomic
def rating_follow_up(*, actor, rating: Rating, callback: str, rectification: str) -> Rating:
    rating = Rating.objects.select_for_update().select_related("case").get(pk=rating.pk)
    ok = (
        actor.has_role(Role.HEAD, Role.OFFICIAL)
        and actor.department
        and actor.department.pk == rating.case.department_id
    ) or oversees(actor, rating.case.department)
    if not ok:
        raise NotFound("未找到该评价。")
    if not rating.is_bad:
        raise Conflict("只有差评需要整改。", code="not_bad")
    if not (callback or "").strip() or not (rectification or "").strip():
        raise InvalidInput("须填写回访记录和整改情况。", errors={"callback": ["必填。"]})
    rating.callback, rating.rectification, rating.followed_up_at = (
        callback.strip(),
        rectification.strip(),
        timezone.now(),
    )
    rating.save(update_fields=["callback", "rectification", "followed_up_at"])
    audit_record(
        stream=f"case:{rating.case_id}",
        action="rating.follow_up",
        actor=actor,
        object_type="case",
        object_id=str(rating.case_id),
    )
    notify(
        rating.case.applicant,
        title="差评整改反馈",
        body=rating.rectification[:200] + "\n请在办件页面确认整改是否解决了您的问题。",
    )
    return rating


@transaction.atomic
def rating_appeal_decide(*, actor, rating: Rating, appeal: str, upheld: bool) -> Rating:
    """An abusive rating may be excluded after an appeal, decided by supervision."""
    rating = (
        Rating.objects.select_for_update()
        .select_related("case__department__division")
        .get(pk=rating.pk)
    )
    if not oversees(actor, rating.case.department):
        raise NotFound("未找到该评价。")
    if not (appeal or "").strip():
        raise InvalidInput("请写明申诉理由。", errors={"appeal": ["必填。"]})
    rating.appeal, rating.appeal_upheld = appeal.strip(), upheld
    rating.save(update_fields=["appeal", "appeal_upheld"])
    audit_record(
        stream=f"case:{rating.case_id}",
        action="rating.appeal",
        actor=actor,
        object_type="case",
        object_id=str(rating.case_id),
        detail={"upheld": upheld},
    )
    return rating


# --- corrections and responsibility findings --------------------------------------------------


@transaction.atomic
def finding_record(
    *, actor, case, kind: str, rule: str, text: str, official: User | None = None
) -> Finding:
    if (
        not actor.has_role(Role.SUPERVISOR)
        or not cases_visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise NotFound("未找到该办件。")
    if kind not in ("correction", "responsibility"):
        raise InvalidInput("类型无效。")
    if not (rule or "").strip() or not (text or "").strip():
        raise InvalidInput(
            "须写明违反的规定（如 RCV-04、TL-01）和内容。", errors={"rule": ["必填。"]}
        )
    department = official.department if official and official.department else case.department
    finding = Finding.objects.create(
        kind=kind,
        case=case,
        department=department,
        official=official,
        rule=rule.strip()[:20],
        text=text.strip(),
        recorded_by=actor,
    )
    audit_record(
        stream=f"case:{case.pk}",
        action=f"supervision.{kind}",
        actor=actor,
        object_type="case",
        object_id=str(case.pk),
        detail={"rule": finding.rule},
    )
    if official:
        notify(
            official,
            title="责任认定",
            body=f"{finding.rule}：{finding.text[:150]}。您可以在平台上陈述意见。",
        )
    return finding


@transaction.atomic
def finding_statement(*, actor, finding: Finding, statement: str) -> Finding:
    """The person concerned states their side."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if actor.pk != finding.official_id and not (
        actor.has_role(Role.HEAD)
        and actor.department
        and actor.department.pk == finding.department_id
    ):
        raise NotFound("未找到该记录。")
    if not (statement or "").strip():
        raise InvalidInput("请填写陈述。")
    finding.statement = statement.strip()
    finding.save(update_fields=["statement"])
    audit_record(
        stream=f"case:{finding.case_id}",
        action="finding.statement",
        actor=actor,
        object_type="case",
        object_id=str(finding.case_id),
    )
    return finding

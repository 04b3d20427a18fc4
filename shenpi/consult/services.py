"""Asking, answering, transferring, following up and rating questions, and making good
answers public as FAQ. Every change is one transaction with its audit record; the due dates
are working days on the platform's calendar. Answers are rich text limited to safe HTML
(shenpi.common.richtext)."""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, Division, User
from shenpi.accounts.ratelimit import allowed
from shenpi.audit.services import audit_record, client_ip
from shenpi.cases.constants import MATERIAL_FILE_TYPES
from shenpi.cases.services import competent_department
from shenpi.catalog.models import Item
from shenpi.common.files import check_upload
from shenpi.common.richtext import plain_text, safe_html
from shenpi.core import clock
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, TooMany
from shenpi.notify.services import notify, notify_number
from shenpi.search.terms import index_terms
from shenpi.workdays.services import calendar

from . import lights
from .access import is_staff_of
from .constants import (
    ANSWER_DAYS,
    BODY_MAX,
    CENTRE_KIND,
    HEAD_REVIEW_DAYS,
    OPEN_STATUSES,
    TITLE_MAX,
    EntryKind,
    FaqStatus,
    QuestionStatus,
    Rating,
)
from .models import AnswerTerm, Entry, Faq, Question
from .published import publish_question

# Questions a client address may ask in an hour without logging in; a user in a day.
ANONYMOUS_PER_HOUR = 5
USER_PER_DAY = 30
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _stream(question: Question) -> str:
    return f"question:{question.pk}"


def _audit(question: Question, action: str, actor, detail: dict | None = None, request=None):
    audit_record(
        stream=_stream(question),
        action=action,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        request=request,
        object_type="question",
        object_id=str(question.pk),
        detail={"number": question.number, **(detail or {})},
        division=question.department.division_id,
    )
    publish_question(question, action)


def answer_days(department: Department) -> int:
    term = AnswerTerm.objects.filter(department=department).first()
    return term.working_days if term else ANSWER_DAYS


def answer_due(department: Department, day: date) -> date:
    """The answer's due date for a question that reached `department` on `day`: its term in
    working days, counted from the working day after (the platform's calendar)."""
    return clock.add_working_days(calendar(day), day, answer_days(department))


def _named(actor) -> User | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if getattr(actor, "is_system_client", False):
        raise NotAllowed("系统客户端不能以自己的名义提问。", code="clients_cannot_ask")
    return actor


def _limit(actor, request) -> None:
    if actor is None:
        key, limit, window = f"ask-anon:{client_ip(request) or 'unknown'}", ANONYMOUS_PER_HOUR, 3600
        message = "匿名提问过于频繁，请一小时后再试，或登录后提问。"
    else:
        key, limit, window = f"ask-user:{actor.pk}", USER_PER_DAY, 86400
        message = f"每天最多提问 {USER_PER_DAY} 次，请明天再试。"
    if not allowed(key, limit=limit, window=window):
        raise TooMany(message, code="too_many_questions")


def service_centre(division: Division | None = None) -> Department | None:
    """The service centre of the division (the region's when none is named), which routes
    general questions."""
    centres = Department.objects.filter(kind_id=CENTRE_KIND, is_active=True)
    if division is not None:
        found = centres.filter(division=division).first()
        if found is not None:
            return found
    return centres.filter(division__parent__isnull=True).first()


def _route(
    item: Item | None, division: Division | None, policy, department, general: bool = False
) -> Department:
    """The item's competent department (the chosen city or county for a two-level item,
    as for an application); a policy's publishing department; the one chosen; or, for a
    general question, the service centre, whose clerks route it."""
    if item is not None:
        version = item.current
        if version is None or item.abolished_at:
            raise InvalidInput("该事项已废止或尚未发布。", errors={"item": ["请选择在办事项。"]})
        if version.two_level and division is None:
            return item.department
        return competent_department(version, item, division)
    if policy is not None:
        return policy.department
    if department is not None and department.is_active:
        return department
    if general and (centre := service_centre(division)) is not None:
        return centre
    raise InvalidInput(
        "请选择咨询的事项、政策或部门。", errors={"department": ["请选择受理咨询的部门。"]}
    )


def _attachment(upload):
    if upload is None:
        return None
    return check_upload(
        upload,
        allowed=MATERIAL_FILE_TYPES,
        max_bytes=settings.SHENPI_MAX_FILE_MB * 1024 * 1024,
        label="附件",
    )


def _entry(question, kind, text, *, author=None, department=None, checked=None) -> Entry:
    entry = Entry(
        question=question,
        kind=kind,
        text=text,
        author=author,
        department=department,
        at=timezone.now(),
    )
    if checked is not None:
        entry.attachment_name = checked.name
        entry.attachment.save(checked.name, ContentFile(checked.data), save=False)
    entry.save()
    return entry


def _tell_asker(question: Question, title: str, body: str) -> None:
    """In-site message and SMS/e-mail to a named asker; an SMS to an anonymous one."""
    text = f"{body}（咨询编号 {question.number}）"
    if question.asker_id:
        notify(question.asker, title=title, body=text)
    elif question.mobile:
        notify_number(question.mobile, title=title, body=text)


def _clean_text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}。", errors={field: [f"请填写{label}"]})
    if len(value) > limit:
        raise InvalidInput(
            f"{label}不能超过 {limit} 个字。", errors={field: [f"{label}不能超过 {limit} 个字"]}
        )
    return value


@transaction.atomic
def question_ask(
    *,
    actor,
    title: str,
    body: str,
    item: Item | None = None,
    division: Division | None = None,
    policy=None,
    department: Department | None = None,
    mobile: str = "",
    attachment=None,
    request=None,
    general: bool = False,
) -> Question:
    """Anyone asks; a logged-in user under their name, an anonymous visitor with a mobile
    number (the answer is sent there, and the query number and password read it)."""
    asker = _named(actor)
    errors = {}
    try:
        title = _clean_text(title, "title", "标题", TITLE_MAX)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        body = _clean_text(body, "body", "问题", BODY_MAX)
    except InvalidInput as exc:
        errors.update(exc.errors)
    mobile = re.sub(r"\s", "", mobile or "")
    if asker is None and not _MOBILE.match(mobile):
        errors["mobile"] = ["请填写 11 位手机号码，答复将发送到该号码"]
    if errors:
        raise InvalidInput(
            "；".join(messages[0] for messages in errors.values()) + "。", errors=errors
        )
    routed = _route(item, division, policy, department, general)
    checked = _attachment(attachment)
    _limit(asker, request)
    now = timezone.now()
    today = timezone.localdate(now)
    question = Question(
        number=f"ZX{today:%Y%m%d}{secrets.randbelow(10**6):06d}",
        query_password="".join(
            secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8)
        ),
        asker=asker,
        mobile="" if asker else mobile,
        title=title,
        item=item,
        version=item.current if item is not None else None,
        policy=policy,
        department=routed,
        asked_at=now,
        due_date=answer_due(routed, today),
    )
    lights.plan(question, today)
    question.save(force_insert=True)
    _entry(question, EntryKind.QUESTION, body, author=asker, checked=checked)
    _audit(question, "question.ask", asker, {"department": routed.code}, request=request)
    return question


def _lock_for_staff(actor, question: Question) -> Question:
    question = Question.objects.select_for_update().select_related("department").get(pk=question.pk)
    if not is_staff_of(actor, question.department):
        raise NotFound("未找到该咨询。")
    return question


def _ensure_open(question: Question) -> None:
    if question.status not in OPEN_STATUSES:
        raise Conflict("该咨询已答复或已办结。", code="not_open")


@transaction.atomic
def question_claim(*, actor, question: Question) -> Question:
    question = _lock_for_staff(actor, question)
    _ensure_open(question)
    if question.claimed_by_id and question.claimed_by_id != actor.pk:
        raise Conflict("该咨询已由其他工作人员认领。", code="claimed_by_another")
    question.status, question.claimed_by = QuestionStatus.CLAIMED, actor
    question.save(update_fields=["status", "claimed_by"])
    _audit(question, "question.claim", actor)
    return question


@transaction.atomic
def question_assign(*, actor, question: Question, official: User) -> Question:
    """The department's head gives the question to one of its officials."""
    question = _lock_for_staff(actor, question)
    if not actor.has_role(Role.HEAD):
        raise NotAllowed("只有部门负责人可以指派。", code="head_only")
    _ensure_open(question)
    if not is_staff_of(official, question.department):
        raise InvalidInput(
            "只能指派给本部门的工作人员。", errors={"official": ["不是本部门人员。"]}
        )
    question.status, question.claimed_by = QuestionStatus.CLAIMED, official
    question.save(update_fields=["status", "claimed_by"])
    _audit(question, "question.assign", actor, {"official": official.username})
    return question


def _ensure_holder(actor, question: Question) -> None:
    if question.claimed_by_id and question.claimed_by_id != actor.pk:
        raise Conflict("该咨询已由其他工作人员认领。", code="claimed_by_another")


@transaction.atomic
def question_answer(*, actor, question: Question, text: str, attachment=None) -> Question:
    question = _lock_for_staff(actor, question)
    _ensure_open(question)
    _ensure_holder(actor, question)
    text = safe_html(_clean_text(text, "text", "答复", BODY_MAX * 2))
    checked = _attachment(attachment)
    question.status = QuestionStatus.ANSWERED
    question.claimed_by = actor
    question.answered_at = timezone.now()
    question.save(
        update_fields=["status", "claimed_by", "answered_at", *lights.plan(question, None)]
    )
    _entry(
        question,
        EntryKind.ANSWER,
        text,
        author=actor,
        department=question.department,
        checked=checked,
    )
    _audit(question, "question.answer", actor)
    _tell_asker(question, "您的咨询已答复", f"“{question.title}”已由{question.department.name}答复")
    return question


@transaction.atomic
def question_request_details(*, actor, question: Question, text: str) -> Question:
    """Ask the asker for details; the due date stands (nothing pauses)."""
    question = _lock_for_staff(actor, question)
    _ensure_open(question)
    _ensure_holder(actor, question)
    text = _clean_text(text, "text", "需要补充说明的内容", BODY_MAX)
    _entry(question, EntryKind.DETAILS, text, author=actor, department=question.department)
    _audit(question, "question.details", actor)
    _tell_asker(question, "请补充咨询内容", f"{question.department.name}请您补充说明：{text[:60]}")
    return question


@transaction.atomic
def question_transfer(
    *, actor, question: Question, department: Department, reason: str
) -> Question:
    """Once, to another department, with a reason; it gets its own full term from today."""
    question = _lock_for_staff(actor, question)
    _ensure_open(question)
    if question.transferred_from_id:
        raise Conflict("该咨询已转办过一次，不能再次转办。", code="already_transferred")
    if department is None or not department.is_active or department.pk == question.department_id:
        raise InvalidInput("请选择另一个部门。", errors={"department": ["请选择另一个部门。"]})
    reason = _clean_text(reason, "reason", "转办理由", 300)
    source = question.department
    question.transferred_from = source
    question.department = department
    question.status, question.claimed_by = QuestionStatus.OPEN, None
    today = timezone.localdate()
    question.due_date = answer_due(department, today)
    question.save(
        update_fields=[
            "transferred_from", "department", "status", "claimed_by", "due_date",
            *lights.plan(question, today),
        ]
    )  # fmt: skip
    _entry(
        question,
        EntryKind.TRANSFER,
        f"转至{department.name}：{reason}",
        author=actor,
        department=source,
    )
    _audit(question, "question.transfer", actor, {"from": source.code, "to": department.code})
    _tell_asker(question, "您的咨询已转办", f"已由{source.name}转至{department.name}办理")
    return question


@transaction.atomic
def question_route(*, actor, question: Question, department: Department) -> Question:
    """The service centre routes a general question to the department that answers it,
    with a full term from today; not a transfer (the department may still transfer once)."""
    question = _lock_for_staff(actor, question)
    _ensure_open(question)
    if question.department.kind_id != CENTRE_KIND or question.routed:
        raise Conflict("只有政务服务中心收到的一般咨询可以分派，且只分派一次。", code="not_general")
    if department is None or not department.is_active or department.pk == question.department_id:
        raise InvalidInput("请选择答复的部门。", errors={"department": ["请选择答复的部门。"]})
    centre = question.department
    today = timezone.localdate()
    question.routed, question.department = True, department
    question.status, question.claimed_by = QuestionStatus.OPEN, None
    question.due_date = answer_due(department, today)
    question.save(
        update_fields=[
            "routed", "department", "status", "claimed_by", "due_date",
            *lights.plan(question, today),
        ]
    )  # fmt: skip
    _entry(question, EntryKind.ROUTE, f"分派至{department.name}", author=actor, department=centre)
    _audit(question, "question.route", actor, {"from": centre.code, "to": department.code})
    _tell_asker(question, "您的咨询已分派", f"已由{centre.name}分派至{department.name}答复")
    return question


def _lock_for_asker(actor, question: Question, password: str = "") -> Question:
    question = Question.objects.select_for_update().select_related("department").get(pk=question.pk)
    named = _named(actor)
    if question.asker_id:
        if named is None or named.pk != question.asker_id:
            raise NotFound("未找到该咨询。")
    elif not password or not secrets.compare_digest(password.upper(), question.query_password):
        raise NotFound("未找到该咨询。")
    return question


@transaction.atomic
def question_follow_up(*, actor, question: Question, text: str, password: str = "") -> Question:
    """Once, on the same thread, after the answer and before rating it: back to the
    department with a full term from today."""
    question = _lock_for_asker(actor, question, password)
    if question.status != QuestionStatus.ANSWERED:
        raise Conflict("答复之后、评价之前才能追问。", code="not_answered")
    if question.followed_up:
        raise Conflict("每个咨询只能追问一次。", code="already_followed_up")
    text = _clean_text(text, "text", "追问", BODY_MAX)
    question.followed_up = True
    question.status = QuestionStatus.CLAIMED if question.claimed_by_id else QuestionStatus.OPEN
    question.answered_at = None
    today = timezone.localdate()
    question.due_date = answer_due(question.department, today)
    question.save(
        update_fields=[
            "followed_up", "status", "answered_at", "due_date", *lights.plan(question, today)
        ]
    )  # fmt: skip
    _entry(question, EntryKind.FOLLOW_UP, text, author=question.asker)
    _audit(question, "question.follow_up", actor)
    if question.claimed_by_id:
        notify(
            question.claimed_by,
            title=f"咨询追问：{question.title}",
            body=f"请于 {question.due_date:%Y-%m-%d} 前答复（{question.number}）。",
        )
    return question


@transaction.atomic
def question_rate(*, actor, question: Question, rating: str, password: str = "") -> Question:
    """满意 / 基本满意 / 不满意, once, after the answer; 不满意 goes to the department's
    head, who looks at it within HEAD_REVIEW_DAYS working days."""
    question = _lock_for_asker(actor, question, password)
    if question.rating:
        raise Conflict("已经评价过了。", code="already_rated")
    if question.status != QuestionStatus.ANSWERED:
        raise Conflict("答复之后才能评价。", code="not_answered")
    if rating not in Rating.values:
        raise InvalidInput("请选择评价。", errors={"rating": ["请选择满意、基本满意或不满意。"]})
    today = timezone.localdate()
    question.rating, question.rated_at = rating, timezone.now()
    question.status = QuestionStatus.CLOSED
    fields = ["rating", "rated_at", "status"]
    if rating == Rating.UNSATISFIED:
        question.head_review_due = clock.add_working_days(calendar(today), today, HEAD_REVIEW_DAYS)
        fields.append("head_review_due")
        for head in User.objects.filter(
            office__department=question.department,
            role_assignments__role=Role.HEAD,
            is_active=True,
        ).distinct():
            notify(
                head,
                title=f"咨询答复不满意：{question.title}",
                body=f"请于 {question.head_review_due:%Y-%m-%d} 前复核（{question.number}）。",
            )
    question.save(update_fields=[*fields, *lights.plan(question, today)])
    _audit(question, "question.rate", actor, {"rating": rating})
    return question


@transaction.atomic
def question_head_review(*, actor, question: Question, note: str) -> Question:
    """The head records having looked at an answer rated 不满意."""
    question = _lock_for_staff(actor, question)
    if not actor.has_role(Role.HEAD):
        raise NotAllowed("只有部门负责人可以复核。", code="head_only")
    if question.rating != Rating.UNSATISFIED:
        raise Conflict("只有评价为不满意的答复需要复核。", code="not_unsatisfied")
    if question.head_reviewed_at:
        raise Conflict("已经复核过了。", code="already_reviewed")
    note = _clean_text(note, "note", "复核意见", 1000)
    question.head_reviewed_at, question.head_reviewed_by = timezone.now(), actor
    question.save(
        update_fields=["head_reviewed_at", "head_reviewed_by", *lights.plan(question, None)]
    )
    _audit(question, "question.head_review", actor, {"note": note})
    return question


ACTIONS = (
    "route",
    "claim",
    "assign",
    "answer",
    "details",
    "transfer",
    "follow_up",
    "rate",
    "head_review",
    "propose_faq",
)


def question_act(
    *,
    actor,
    question: Question,
    action: str,
    text: str = "",
    department: Department | None = None,
    official: User | None = None,
    rating: str = "",
    note: str = "",
    password: str = "",
    attachment=None,
    title: str = "",
) -> Question:
    """One entry for the pages and the API: the action named, with its own input."""
    if action == "route":
        return question_route(actor=actor, question=question, department=department)
    if action == "claim":
        return question_claim(actor=actor, question=question)
    if action == "assign":
        if official is None:
            raise InvalidInput("请选择指派的工作人员。", errors={"official": ["请选择。"]})
        return question_assign(actor=actor, question=question, official=official)
    if action == "answer":
        return question_answer(actor=actor, question=question, text=text, attachment=attachment)
    if action == "details":
        return question_request_details(actor=actor, question=question, text=text)
    if action == "transfer":
        return question_transfer(actor=actor, question=question, department=department, reason=text)
    if action == "follow_up":
        return question_follow_up(actor=actor, question=question, text=text, password=password)
    if action == "rate":
        return question_rate(actor=actor, question=question, rating=rating, password=password)
    if action == "head_review":
        return question_head_review(actor=actor, question=question, note=note or text)
    if action == "propose_faq":
        faq_propose(actor=actor, question=question, title=title, answer=text)
        return question
    raise InvalidInput("未知的操作。", errors={"action": [f"应为 {'、'.join(ACTIONS)} 之一。"]})


# --- 常见问题 ---------------------------------------------------------------------------


@transaction.atomic
def faq_propose(*, actor, question: Question, title: str, answer: str) -> Faq:
    """An official proposes an answered question as a FAQ, edited: the asker's details are
    not carried over (the title and the answer are written anew by the official)."""
    question = _lock_for_staff(actor, question)
    if question.status not in (QuestionStatus.ANSWERED, QuestionStatus.CLOSED):
        raise Conflict("答复之后才能推荐为常见问题。", code="not_answered")
    title = _clean_text(title, "title", "问题", TITLE_MAX)
    answer = safe_html(_clean_text(answer, "answer", "解答", BODY_MAX * 2))
    faq = Faq(
        department=question.department,
        source=question,
        item=question.item,
        version=question.item.current if question.item_id else None,
        policy=question.policy,
        title=title,
        answer=answer,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    faq_index(faq)
    faq.save()
    audit_record(
        stream=f"faq:{faq.pk}",
        action="faq.propose",
        actor=actor,
        object_type="faq",
        object_id=str(faq.pk),
        detail={"question": question.number},
        division=faq.department.division_id,
    )
    return faq


def faq_index(faq: Faq) -> None:
    """The FAQ's search terms, from its title and what its answer reads (not its markup)."""
    faq.title_terms = index_terms(whole=faq.title)
    faq.body_terms = index_terms(plain_text(faq.answer))


@transaction.atomic
def faq_review(*, actor, faq: Faq, publish: bool) -> Faq:
    """The department's head, not the proposer, publishes it or sends it back (withdrawn)."""
    faq = Faq.objects.select_for_update().select_related("department").get(pk=faq.pk)
    if not is_staff_of(actor, faq.department):
        raise NotFound("未找到该常见问题。")
    if not actor.has_role(Role.HEAD):
        raise NotAllowed("只有部门负责人可以审核常见问题。", code="head_only")
    if faq.proposed_by_id == actor.pk:
        raise NotAllowed("推荐人不能审核自己推荐的常见问题。", code="own_proposal")
    if faq.status != FaqStatus.PROPOSED:
        raise Conflict("该常见问题已审核过了。", code="already_reviewed")
    faq.approved_by = actor
    if publish:
        faq.status, faq.published_at = FaqStatus.PUBLISHED, timezone.now()
    else:
        faq.status = FaqStatus.WITHDRAWN
    faq.save(update_fields=["approved_by", "status", "published_at"])
    audit_record(
        stream=f"faq:{faq.pk}",
        action="faq.publish" if publish else "faq.return",
        actor=actor,
        object_type="faq",
        object_id=str(faq.pk),
        division=faq.department.division_id,
    )
    return faq

"""Supervision's light on a question (issue 22; CONTRACTS.md "Lights"): the running
deadline — the answer's, from the day asked (or transferred, or followed up) to its due
date, or the head's look at an answer rated 不满意, from the rating to its due date — is
green, then yellow by the consultation rule (WarningRule of kind "consultation", versioned
like the case rules: `left <= yellow_left` or `used >= ceil(ratio × limit)`), then red
from the day after its due date (TL-06's reading of "overdue", as for cases).

A question's light is a step function of today, so the day it turns yellow is planned when
its deadline starts (`yellow_on`, with the rule and calendar it was planned with) and the
light is read from the dates wherever it is shown — the question, the inbox, the monitor's
counts and lists, the API — never stored: it is right on a day the scan has not run yet,
and a day's change writes nothing for it. The deadline scan plans again the questions
planned with another rule or calendar and tells each head, once, of the questions turned
red since it last told (LightsState)."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.core import clock
from shenpi.notify.services import notify_many
from shenpi.supervision.models import RuleKind
from shenpi.supervision.scan import Watched, active_rules, register_watched, thresholds
from shenpi.workdays.services import VERSION_KEY, calendar

from .constants import OPEN_STATUSES
from .models import LightsState, Question

RED, YELLOW, GREEN = clock.RED, clock.YELLOW, clock.GREEN

OPEN = Q(status__in=OPEN_STATUSES)
REVIEW = Q(head_review_due__isnull=False, head_reviewed_at__isnull=True) & ~OPEN
RUNNING = OPEN | REVIEW


def running_due(question: Question) -> date | None:
    if question.status in OPEN_STATUSES:
        return question.due_date
    if question.head_review_due and not question.head_reviewed_at:
        return question.head_review_due
    return None


def level(today: date, due: date | None, yellow_on: date | None) -> str | None:
    """The light of a running deadline today: red after its due date, yellow from its
    yellow day, else none (green)."""
    if due is None:
        return None
    if today > due:
        return RED
    if yellow_on is not None and today >= yellow_on:
        return YELLOW
    return None


def light_today(question: Question, today: date | None = None) -> str | None:
    return level(today or timezone.localdate(), running_due(question), question.yellow_on)


def red_on(today: date) -> Q:
    """The questions whose running deadline is red today, in SQL."""
    return (OPEN & Q(due_date__lt=today)) | (REVIEW & Q(head_review_due__lt=today))


def yellow_on_day(today: date) -> Q:
    return RUNNING & ~red_on(today) & Q(yellow_on__lte=today)


def rules_stamp(rules: dict) -> str:
    """What a plan was made with: the consultation rules on and the calendar's version."""
    text = repr((sorted(rules.items(), key=repr), cache.get(VERSION_KEY, 0)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def yellow_day(cal, start: date, due: date, yellow_left: int, ratio: float) -> date:
    """The first day the pure clock's light is not green (it stays so: left only falls
    and used only grows)."""
    limit = max(1, clock.working_days_between(cal, start, due))
    day = start
    while day < due:
        light = clock.light(
            cal, today=day, start=start, due=due, limit=limit,
            yellow_left=yellow_left, yellow_ratio=ratio,
        )  # fmt: skip
        if light != GREEN:
            return day
        day += timedelta(days=1)
    return due


def plan(question: Question, start: date | None) -> list[str]:
    """Plan the question's running deadline from `start` (its yellow day); returns the
    fields set, for the caller's save."""
    rules = active_rules(RuleKind.CONSULTATION)
    due = running_due(question)
    question.term_start = start if due is not None else None
    question.planned_with = rules_stamp(rules)
    if due is None or start is None:
        question.yellow_on = None
    else:
        yellow_left, ratio = thresholds(rules, question.item_id)
        question.yellow_on = yellow_day(calendar(start), start, due, yellow_left, ratio)
    return ["term_start", "planned_with", "yellow_on"]


def _plan_again(today: date, rules: dict, stamp: str) -> int:
    """The running questions planned with other rules or another calendar, planned again
    by groups of the same start, due date and thresholds (not one by one)."""
    stale = Question.objects.filter(RUNNING).exclude(planned_with=stamp)
    groups: dict = {}
    for item_id, start, due, review_due, status in stale.values_list(
        "item_id", "term_start", "due_date", "head_review_due", "status"
    ).distinct():
        due = due if status in OPEN_STATUSES else review_due
        key = (start, due, status in OPEN_STATUSES, thresholds(rules, item_id))
        groups.setdefault(key, []).append(item_id)
    planned = 0
    for (start, due, is_open, (yellow_left, ratio)), items in groups.items():
        yellow_on = (
            yellow_day(calendar(start), start, due, yellow_left, ratio) if start and due else None
        )
        rows = stale.filter(OPEN if is_open else REVIEW, term_start=start)
        rows = rows.filter(due_date=due) if is_open else rows.filter(head_review_due=due)
        of_items = Q(item_id__in=[i for i in items if i is not None])
        if None in items:
            of_items |= Q(item__isnull=True)
        rows = rows.filter(of_items)
        planned += rows.update(yellow_on=yellow_on, planned_with=stamp)
    return planned


def scan_questions(today: date) -> dict:
    """In the deadline scan's transaction: plan again the questions planned with other
    rules or calendar; tell each head of a department, once, how many of its questions
    turned red since the last scan told (those due from then to yesterday: however many
    days the scan missed, none is told twice or left out). Returns the questions turned
    red and yellow since then (counted, not written: lights are read from dates)."""
    rules = active_rules(RuleKind.CONSULTATION)
    planned = _plan_again(today, rules, rules_stamp(rules))
    state = LightsState.objects.select_for_update().filter(pk=1).first()
    since = state.told_until if state else today - timedelta(days=1)
    if since >= today:
        return {"red": 0, "yellow": 0, "planned": planned}
    # Red today and not yesterday of the last scan: due in [since, today - 1].
    turned_red = (OPEN & Q(due_date__gte=since, due_date__lt=today)) | (
        REVIEW & Q(head_review_due__gte=since, head_review_due__lt=today)
    )
    reddened = Counter(
        dict(
            Question.objects.filter(turned_red)
            .values_list("department_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    turned_yellow = (
        Question.objects.filter(yellow_on_day(today), yellow_on__gt=since).count() if state else 0
    )
    LightsState.objects.update_or_create(pk=1, defaults={"told_until": today})
    if reddened:
        _tell_heads(reddened)
    return {"red": sum(reddened.values()), "yellow": turned_yellow, "planned": planned}


def _tell_heads(reddened: Counter) -> None:
    notices = []
    for head in User.objects.filter(
        role_assignments__role=Role.HEAD,
        office__department_id__in=list(reddened),
        is_active=True,
    ).select_related("office"):
        n = reddened[head.office.department_id]
        notices.append(
            (
                head,
                f"咨询答复红牌预警 {n} 件",
                f"本部门有 {n} 件咨询已超过答复或复核期限，请在“在线答疑”中尽快处理。",
                None,
            )
        )
    notify_many(notices)


def _in(codes):
    return (
        Question.objects.all()
        if codes is None
        else Question.objects.filter(department__division_id__in=codes)
    )


def counts(codes) -> dict:
    """{(department id, light): questions with a running deadline}, lit as of today."""
    today = timezone.localdate()
    rows = (
        _in(codes)
        .filter(RUNNING)
        .values("department_id")
        .annotate(
            red=Count("pk", filter=red_on(today)),
            yellow=Count("pk", filter=yellow_on_day(today)),
            n=Count("pk"),
        )
        .order_by()
    )
    out: dict = {}
    for row in rows:
        department = row["department_id"]
        out[(department, RED)] = row["red"]
        out[(department, YELLOW)] = row["yellow"]
        out[(department, GREEN)] = row["n"] - row["red"] - row["yellow"]
    return out


def lit(codes, light: str, limit: int = 50) -> list[dict]:
    today = timezone.localdate()
    condition = red_on(today) if light == RED else yellow_on_day(today)
    rows = (
        _in(codes)
        .filter(condition)
        .select_related("department")
        .order_by("due_date", "asked_at")[:limit]
    )
    return [
        {
            "number": q.number,
            "title": q.title,
            "department": q.department.name,
            "due": running_due(q),
            "light": light,
            "url": reverse("consult:question", args=[q.pk]),
        }
        for q in rows
    ]


def indicator(start: date, end: date) -> dict:
    """{department id: (answered on time %, satisfied %)} of the period, the evaluation's
    consultation indicator: of the questions due in the period, those answered by their
    due date (one still open, or answered late, is not); of the answers rated in it,
    满意 and 基本满意. A share with no base is None."""
    from .constants import Rating

    due = (
        Question.objects.filter(due_date__range=(start, end))
        .values("department_id")
        .annotate(
            n=Count("pk"),
            kept=Count("pk", filter=Q(answered_at__date__lte=F("due_date"))),
        )
        .order_by()
    )
    rated = (
        Question.objects.filter(rated_at__date__range=(start, end))
        .exclude(rating="")
        .values("department_id")
        .annotate(
            n=Count("pk"),
            content=Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.FAIR])),
        )
        .order_by()
    )
    out: dict = {}
    for row in due:
        out[row["department_id"]] = (round(100 * row["kept"] / row["n"], 2), None)
    for row in rated:
        on_time = out.get(row["department_id"], (None, None))[0]
        out[row["department_id"]] = (on_time, round(100 * row["content"] / row["n"], 2))
    return out


QUESTIONS = Watched(
    "consultation", "咨询答复", scan_questions, counts, lit, "consultation", indicator
)


def register() -> None:
    register_watched(QUESTIONS)

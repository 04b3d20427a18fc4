"""The deadline scan and supervision orders.

The scan compares dates that are stored on cases and tasks (STYLE.md 5) with
today, through the pure clock's light rule, and writes only what changed: a
warning raised, raised from yellow to red, or cleared. A second scan right
after the first writes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_record
from shenpi.cases.constants import CaseStatus, TaskStatus
from shenpi.cases.models import ACTIVE_TASK_STATUSES, Case, Task
from shenpi.cases.selectors import cases_visible_to
from shenpi.core import clock
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.notify.services import notify, notify_many
from shenpi.workdays.services import calendar

from .models import Level, SupervisionOrder, Warning, WarningKind, WarningRule

LIGHT_KINDS = (
    WarningKind.PROMISED,
    WarningKind.STATUTORY,
    WarningKind.STEP,
    WarningKind.CORRECTION,
    WarningKind.LICENCE,
    WarningKind.ORDER,
)
# A scan reads back at most this many of its new or reddened cards to find the holders of
# their steps (each told once, of theirs among them); the heads are told the numbers of all.
NOTIFY_AT_MOST = 500


def _rules():
    table = {}
    for rule in WarningRule.objects.filter(active=True).order_by("version"):
        table[(rule.item_id, rule.step_key)] = (rule.yellow_left, float(rule.yellow_ratio))
    return table


def _thresholds(rules, item_id, step_key=""):
    for key in ((item_id, step_key), (item_id, ""), (None, step_key), (None, "")):
        if key in rules:
            return rules[key]
    return 1, 0.8


def _local(moment) -> date:
    return timezone.localtime(moment).date()


def desired_warnings(today: date, *, rules: dict | None = None, history: bool = False) -> dict:
    """{(case_id, task_id or None, kind): (level, due, department_id, rule)} for every light
    that is yellow or red today."""
    cal = calendar(today)
    rules = _rules() if rules is None else rules
    out = {}

    def judge(key, *, start, due, item_id, department_id, step_key="", rule=""):
        if due is None or start is None:
            return
        yellow_left, ratio = _thresholds(rules, item_id, step_key)
        limit = max(1, clock.working_days_between(cal, start, due))
        light = clock.light(
            cal,
            today=today,
            start=start,
            due=due,
            limit=limit,
            yellow_left=yellow_left,
            yellow_ratio=ratio,
        )
        if light != clock.GREEN:
            out[key] = (light, due, department_id, rule)

    if history:
        # As the day was: accepted by then, not yet decided or ended (for trying a rule on past days).
        cases = (
            Case.objects.filter(accepted_at__date__lte=today)
            .filter(Q(decided_at__isnull=True) | Q(decided_at__date__gt=today))
            .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=today))
        )
        tasks = (
            Task.objects.filter(opened_at__date__lte=today)
            .exclude(status=TaskStatus.CANCELLED)
            .filter(Q(completed_at__isnull=True) | Q(completed_at__date__gt=today))
        )
    else:
        cases = Case.objects.filter(status=CaseStatus.PROCESSING)
        tasks = Task.objects.filter(
            status__in=ACTIVE_TASK_STATUSES, case__status=CaseStatus.PROCESSING
        )
    for case in cases.only(
        "pk", "item_id", "department_id", "accepted_at", "promised_due", "statutory_due"
    ).iterator(2000):
        start = _local(case.accepted_at)
        judge(
            (case.pk, None, WarningKind.PROMISED),
            start=start,
            due=case.promised_due,
            item_id=case.item_id,
            department_id=case.department_id,
            rule="",
        )
        judge(
            (case.pk, None, WarningKind.STATUTORY),
            start=start,
            due=case.statutory_due,
            item_id=case.item_id,
            department_id=case.department_id,
            rule="REV-05",
        )
    for task in (
        tasks.select_related("case")
        .only(
            "pk", "case_id", "case__item_id", "department_id", "opened_at", "due_date", "step_key"
        )
        .iterator(2000)
    ):
        judge(
            (task.case_id, task.pk, WarningKind.STEP),
            start=_local(task.opened_at),
            due=task.due_date,
            item_id=task.case.item_id,
            department_id=task.department_id,
            step_key=task.step_key,
        )
    if history:
        return out
    for case in (
        Case.objects.filter(status=CaseStatus.RECEIVED)
        .only("pk", "item_id", "department_id", "round_received_at", "correction_due")
        .iterator(2000)
    ):
        judge(
            (case.pk, None, WarningKind.CORRECTION),
            start=_local(case.round_received_at),
            due=case.correction_due,
            item_id=case.item_id,
            department_id=case.department_id,
            rule="RCV-04",
        )
    for case in (
        Case.objects.filter(status=CaseStatus.DECIDED, licence_due__isnull=False)
        .only("pk", "item_id", "department_id", "decided_at", "licence_due")
        .iterator(2000)
    ):
        judge(
            (case.pk, None, WarningKind.LICENCE),
            start=_local(case.decided_at),
            due=case.licence_due,
            item_id=case.item_id,
            department_id=case.department_id,
            rule="TL-04",
        )
    for order in SupervisionOrder.objects.filter(answered_at__isnull=True).only(
        "pk", "case_id", "department_id", "answer_due"
    ):
        # An order whose answer is overdue turns from a yellow card to a red one.
        level = Level.RED if today > order.answer_due else Level.YELLOW
        out[(order.case_id, None, WarningKind.ORDER)] = (
            level,
            order.answer_due,
            order.department_id,
            "",
        )
    return out


def scan_deadlines(today: date | None = None) -> dict:
    """Raise, raise further and clear warnings, and keep each case's worst light; returns
    the counts of rows written. One transaction: monitoring never sees half a scan.

    On PostgreSQL the scan is set-based and incremental (`lights.py`): it judges again
    only the cases changed since the last scan (and those with an open order), and moves
    the others' lights by their plans, unless the rules or the calendar changed or `today`
    is earlier than the last scan's day (then it judges all)."""
    from django.db import connection

    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            (raised, to_notify, escalated, cleared, tally), incremental = _scan_set_based(
                today, now
            )
        else:
            (raised, to_notify, escalated, cleared, tally), incremental = (
                _scan_in_python(today, now),
                False,
            )
        breaches = _breach_warnings(incremental=incremental)
        lights = _keep_case_lights(incremental=incremental, red=[w.case_id for w in breaches])
        counts = _count_lights()
    report = {
        "raised": raised + len(breaches),
        "escalated": escalated,
        "cleared": cleared,
        "lights": lights,
        "counts": counts,
    }
    tally.update((w.department_id, Level.RED) for w in breaches)  # a Counter, from either scan
    _tell_of_cards((breaches + to_notify)[:NOTIFY_AT_MOST], tally)
    return report


def _scan_set_based(today, now):
    """(PostgreSQL) the same judgement in SQL over every open case at once, or over the
    cases changed since the last scan and the lights that time moved (lights.py)."""
    from . import lights
    from .models import ScanState

    ScanState.objects.get_or_create(pk=1)
    state = ScanState.objects.select_for_update().get(pk=1)  # one scan at a time
    rules = _rules()
    fingerprint = lights.fingerprint(today, lights.threshold_rows(rules, _thresholds))
    full = state.day is None or state.fingerprint != fingerprint or today < state.day
    lights.candidates_into_temp(full=full)
    lights.desired_into_temp(
        today, rules, _thresholds, LIGHT_KINDS, since=None if full else state.day
    )
    raised, raised_ids, changed, cleared, tally = lights.apply_desired(
        now, LIGHT_KINDS, notify_at_most=NOTIFY_AT_MOST
    )
    if full or state.day != today:
        # Written only when it moves: a scan that finds nothing writes nothing.
        state.day, state.fingerprint, state.updated_at = today, fingerprint, now
        if full:
            state.full_at = now
        state.save()
    # Who is told (at most NOTIFY_AT_MOST cards read back): each new card and each card
    # turned red; the heads' counts (`tally`) are of all of them.
    reddened = [(pk, department) for pk, level, department in changed if level == Level.RED]
    tally = Counter(tally)
    tally.update((department, Level.RED) for _pk, department in reddened)
    notify_ids = (raised_ids + [pk for pk, _department in reddened])[:NOTIFY_AT_MOST]
    to_notify = list(Warning.objects.filter(pk__in=notify_ids).order_by("pk"))
    return (raised, to_notify, len(changed), cleared, tally), not full


def _scan_in_python(today, now):
    wanted = desired_warnings(today)
    existing = {
        (w.case_id, w.task_id, w.kind): w
        for w in Warning.objects.filter(cleared_at__isnull=True, kind__in=LIGHT_KINDS)
    }
    to_create, to_escalate = [], []
    for key, (level, due, department_id, rule) in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                Warning(
                    case_id=key[0],
                    task_id=key[1],
                    kind=key[2],
                    level=level,
                    due=due,
                    department_id=department_id,
                    rule_id=rule,
                )
            )
        elif current.level != level or current.due != due:
            current.level, current.due = level, due
            to_escalate.append(current)
    stale = [w.pk for key, w in existing.items() if key not in wanted]
    Warning.objects.bulk_create(to_create, batch_size=1000)
    Warning.objects.bulk_update(to_escalate, ["level", "due"], batch_size=1000)
    for start in range(0, len(stale), 1000):
        Warning.objects.filter(pk__in=stale[start : start + 1000]).update(cleared_at=now)
    reddened = [w for w in to_escalate if w.level == Level.RED]
    tally = Counter((w.department_id, w.level) for w in to_create + reddened)
    told = (to_create + reddened)[:NOTIFY_AT_MOST]
    return len(to_create), told, len(to_escalate), len(stale), tally


def _count_lights() -> int:
    """LightCount = open cases by division, department and light; writes only changes."""
    from django.db import connection
    from django.db.models import Count, Value
    from django.db.models.functions import Coalesce

    from .models import LightCount
    from .selectors import OPEN

    if connection.vendor == "postgresql":
        from .lights import open_light_counts

        now = open_light_counts()
    else:
        now = {
            (row["division_id"], row["department_id"], row["shown"]): row["n"]
            for row in Case.objects.filter(status__in=OPEN)
            .order_by()
            .annotate(shown=Coalesce("lit__light", Value("green")))
            .values("division_id", "department_id", "shown")
            .annotate(n=Count("*"))
        }
    kept = {(c.division_id, c.department_id, c.light): c for c in LightCount.objects.all()}
    gone = [c.pk for key, c in kept.items() if key not in now]
    changed = [c for key, c in kept.items() if key in now and c.n != now[key]]
    for c in changed:
        c.n = now[(c.division_id, c.department_id, c.light)]
    new = [
        LightCount(division_id=d, department_id=p, light=light, n=n)
        for (d, p, light), n in now.items()
        if (d, p, light) not in kept
    ]
    LightCount.objects.filter(pk__in=gone).delete()
    LightCount.objects.bulk_update(changed, ["n"])
    LightCount.objects.bulk_create(new)
    return len(gone) + len(changed) + len(new)


def _keep_case_lights(*, incremental=False, red=()) -> int:
    """CaseLight = each case's worst open warning's colour (no row: green; the portable
    scan, which judges every case each time, keeps no plans); writes only changes.
    `red`: the cases whose breach card the scan has just raised."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from .lights import keep_case_lights

        return keep_case_lights(incremental=incremental, red=red)
    from .models import CaseLight
    from .selectors import OPEN

    fields = CaseLight.KEPT
    want: dict = {}  # case id → the values of `fields`, worst light first found red
    for case_id, level, *where in Warning.objects.filter(
        cleared_at__isnull=True, case__status__in=OPEN
    ).values_list("case_id", "level", "case__division_id", "case__department_id",
                  "case__promised_due"):  # fmt: skip
        if case_id not in want or level == Level.RED:
            want[case_id] = (level, *where)
    kept = {lit.case_id: lit for lit in CaseLight.objects.all()}
    gone = [pk for pk in kept if pk not in want]
    new, changed = [], []
    for pk, values in want.items():
        row = kept.get(pk) or CaseLight(case_id=pk)
        if tuple(getattr(row, f) for f in fields) != values:
            for field, value in zip(fields, values, strict=True):
                setattr(row, field, value)
            (changed if pk in kept else new).append(row)
    CaseLight.objects.filter(pk__in=gone).delete()
    CaseLight.objects.bulk_update(changed, fields)
    CaseLight.objects.bulk_create(new)
    return len(gone) + len(changed) + len(new)


BREACH_KINDS = {"RCV-04": WarningKind.DEEMED_ACCEPTANCE, "RNW-02": WarningKind.DEEMED_RENEWAL}


def _breach_warnings(*, incremental=False) -> list[Warning]:
    """A breach that happened (deemed acceptance, deemed renewal) is a red card that stays
    on the record; each is raised once. Incremental: a breach event has its case judged
    (trigger), so only the judged cases' events are read."""
    from django.db.models.expressions import RawSQL

    from shenpi.cases.models import CaseEvent

    events = CaseEvent.objects.exclude(breach="").filter(breach__in=BREACH_KINDS)
    if incremental:
        events = events.filter(case_id__in=RawSQL("SELECT case_id FROM scan_cand", []))
    # The breaches are a handful (their own index); the cards already raised are looked up
    # for their cases only, not among every card of the judged cases.
    events = list(events.select_related("case").only("case_id", "breach", "case__department_id"))
    if not events:
        return []
    seen = set(
        Warning.objects.filter(
            kind__in=BREACH_KINDS.values(), case_id__in={event.case_id for event in events}
        ).values_list("case_id", "kind")
    )
    new = []
    for event in events:
        kind = BREACH_KINDS[event.breach]
        if (event.case_id, kind) not in seen:
            seen.add((event.case_id, kind))
            new.append(
                Warning(
                    case_id=event.case_id,
                    kind=kind,
                    level=Level.RED,
                    department_id=event.case.department_id,
                    rule_id=event.breach,
                )
            )
    Warning.objects.bulk_create(new)
    return new


def _tell_of_cards(cards, tally) -> None:
    """One message a scan to each person concerned (in-site, and by SMS and e-mail where
    they have them), not one per card: a day's change raises tens of thousands of cards,
    and told of each, the people concerned would get dozens of messages and texts a day.
    Each head of a department with new or reddened cards is told its
    numbers (`tally`: {(department id, level): cards}, all of the scan's); each holder of a
    step among `cards` (the first NOTIFY_AT_MOST) is told theirs, with their due dates."""
    if not tally:
        return
    heads = {}
    for user in User.objects.filter(
        role_assignments__role=Role.HEAD,
        office__department_id__in={department for department, _level in tally},
    ).select_related("office"):
        heads.setdefault(user.office.department_id, []).append(user)
    # Who holds each step: read from the open steps' index by case (task_scan_open, which
    # carries the holder; the scan has just read it), not from the steps' rows, which are
    # scattered over a table of millions. A step no longer open has no holder to tell.
    holder_of = dict(
        Task.objects.filter(
            case_id__in={w.case_id for w in cards if w.task_id},
            status__in=ACTIVE_TASK_STATUSES,
            pk__in=[w.task_id for w in cards if w.task_id],
        )
        .exclude(claimed_by=None)
        .values_list("pk", "claimed_by_id")
    )
    holders = User.objects.in_bulk(set(holder_of.values()))
    theirs: dict = {}  # holder → their cards
    for card in cards:
        holder = holders.get(holder_of.get(card.task_id))
        if holder is not None:
            theirs.setdefault(holder, []).append(card)
    kinds = {kind: str(label) for kind, label in WarningKind.choices}
    notices = []
    for department, users in heads.items():
        title = _card_numbers({level: n for (d, level), n in tally.items() if d == department})
        body = (
            f"本次期限巡查，本部门有{title}（新增或升为红牌），请在电子监察“预警”中查看并督促办理。"
        )
        notices += [(user, title, body, None) for user in users]
    for holder, mine in theirs.items():
        title = _card_numbers(Counter(card.level for card in mine))
        lines = [f"{kinds[card.kind]}，期限 {card.due}" for card in mine[:5]]
        more = f"等 {len(mine)} 项" if len(mine) > 5 else ""
        body = f"您经办的环节有{title}：{'；'.join(lines)}{more}。请在待办中尽快办理。"
        notices.append((holder, title, body, None))
    with transaction.atomic():
        notify_many(notices)


def _card_numbers(counts) -> str:
    """'红牌预警 2 件、黄牌预警 5 件' (red first; a colour with none left out)."""
    labels = {level: str(label) for level, label in Level.choices}
    return "、".join(
        f"{labels[level]}预警 {counts[level]} 件"
        for level in (Level.RED, Level.YELLOW)
        if counts.get(level)
    )


# --- supervision orders (督办) ---------------------------------------------------------------


def _ensure_supervisor(actor, case) -> None:
    if getattr(actor, "is_system_client", False) or not actor.has_role(Role.SUPERVISOR):
        raise NotFound("未找到该办件。")
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound("未找到该办件。")


@transaction.atomic
def order_issue(*, actor, case: Case, text: str, answer_due: date) -> SupervisionOrder:
    _ensure_supervisor(actor, case)
    if not (text or "").strip():
        raise InvalidInput("请写明督办事项。", errors={"text": ["必填。"]})
    if answer_due < timezone.localdate():
        raise InvalidInput("答复期限不能早于今天。", errors={"answer_due": ["期限无效。"]})
    holder = case.tasks.filter(status__in=ACTIVE_TASK_STATUSES).select_related("department").first()
    department = holder.department if holder else case.department
    order = SupervisionOrder.objects.create(
        case=case, department=department, text=text.strip(), answer_due=answer_due, issued_by=actor
    )
    audit_record(
        stream=f"case:{case.pk}",
        action="supervision.order",
        actor=actor,
        object_type="case",
        object_id=str(case.pk),
        detail={"department": department.code, "due": answer_due.isoformat()},
    )
    for head in User.objects.filter(
        role_assignments__role=Role.HEAD, office__department=department
    ):
        notify(
            head,
            title=f"督办：{case.number}",
            body=f"{order.text}（请于 {answer_due:%Y-%m-%d} 前答复）",
        )
    return order


@transaction.atomic
def order_answer(*, actor, order: SupervisionOrder, answer: str) -> SupervisionOrder:
    """The department's head answers in writing on the platform."""
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if (
        getattr(actor, "is_system_client", False)
        or not actor.has_role(Role.HEAD)
        or actor.department is None
        or actor.department.pk != order.department_id
    ):
        raise NotFound("未找到该督办。")
    if order.answered_at:
        raise Conflict("该督办已答复。", code="already_answered")
    if not (answer or "").strip():
        raise InvalidInput("请填写答复。", errors={"answer": ["必填。"]})
    order.answer, order.answered_by, order.answered_at = answer.strip(), actor, timezone.now()
    order.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        stream=f"case:{order.case_id}",
        action="supervision.answer",
        actor=actor,
        object_type="case",
        object_id=str(order.case_id),
    )
    notify(order.issued_by, title="督办已答复", body=order.answer[:200])
    return order


def rule_trial(
    *,
    item_id=None,
    step_key: str = "",
    yellow_left: int,
    yellow_ratio: float,
    start: date,
    end: date,
) -> dict:
    """Try a rule on past days before switching it on: for each case, the days it would
    have shown yellow and red. The same judgement as the scan, replayed day by day."""
    rules = _rules()
    rules[(item_id, step_key)] = (yellow_left, yellow_ratio)
    per_case: dict = {}
    day = start
    while day <= end:
        for (case_id, _task, _kind), (level, *_rest) in desired_warnings(
            day, rules=rules, history=True
        ).items():
            entry = per_case.setdefault(case_id, {"yellow": set(), "red": set()})
            entry[level].add(day)
        day += timedelta(days=1)
    return per_case


@transaction.atomic
def rule_activate(
    *, actor, item=None, step_key: str = "", yellow_left: int, yellow_ratio: float
) -> WarningRule:
    """A new version of the rule for this scope; the previous one is kept, switched off."""
    from shenpi.core.errors import InvalidInput

    if not actor.has_role(Role.SUPERVISOR):
        raise NotFound("未找到。")
    # A division's supervisors set the rules of its own items; the default rule, which
    # applies region-wide, is for the region's supervisors alone.
    scope = scope_for(actor)
    if item is None and not scope.whole_region:
        raise NotAllowed(
            "默认预警规则适用于全区，只能由自治区电子监察机构设置。", code="region_setting"
        )
    if item is not None and not scope.sees_division(item.department.division):
        raise NotFound("未找到该事项。")
    if yellow_left < 0 or not 0 < yellow_ratio <= 1:
        raise InvalidInput(
            "剩余工作日不能为负，已用比例须在 0 与 1 之间。", errors={"yellow_ratio": ["无效。"]}
        )
    previous = WarningRule.objects.filter(item=item, step_key=step_key).order_by("-version").first()
    WarningRule.objects.filter(item=item, step_key=step_key, active=True).update(active=False)
    rule = WarningRule.objects.create(
        item=item,
        step_key=step_key,
        yellow_left=yellow_left,
        yellow_ratio=yellow_ratio,
        version=(previous.version + 1) if previous else 1,
        created_by=actor,
    )
    audit_record(
        stream=f"warning_rule:{item.pk if item else 'all'}:{step_key}",
        action="rule.activate",
        actor=actor,
        object_type="warning_rule",
        object_id=str(rule.pk),
        detail={
            "yellow_left": yellow_left,
            "yellow_ratio": str(yellow_ratio),
            "version": rule.version,
        },
    )
    return rule

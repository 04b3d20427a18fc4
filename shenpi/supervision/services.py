"""Supervision orders (督办) and the warning rules: issuing and answering an order, trying
a rule on past days and switching it on. The deadline scan itself is the scan package."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import User
from shenpi.accounts.scope import scope_for
from shenpi.audit.services import audit_record
from shenpi.cases.models import ACTIVE_TASK_STATUSES, Case
from shenpi.cases.selectors import cases_visible_to
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.notify.services import notify

from .models import RuleKind, SupervisionOrder, WarningRule
from .published import publish_order
from .scan import active_rules, desired_warnings

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
    publish_order(order, "supervision.order")
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
    publish_order(order, "supervision.answer")
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
    rules = active_rules()
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
    *,
    actor,
    item=None,
    step_key: str = "",
    yellow_left: int,
    yellow_ratio: float,
    kind: str = RuleKind.CASE,
) -> WarningRule:
    """A new version of the rule for this scope and kind; the previous one is kept,
    switched off. A question's answer has no steps: its rules have none."""
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
    if kind not in RuleKind.values:
        raise InvalidInput("规则类型无效。", errors={"kind": ["应为办件或咨询答复。"]})
    if kind == RuleKind.CONSULTATION:
        step_key = ""
    same = WarningRule.objects.filter(kind=kind, item=item, step_key=step_key)
    previous = same.order_by("-version").first()
    same.filter(active=True).update(active=False)
    rule = WarningRule.objects.create(
        kind=kind,
        item=item,
        step_key=step_key,
        yellow_left=yellow_left,
        yellow_ratio=yellow_ratio,
        version=(previous.version + 1) if previous else 1,
        created_by=actor,
    )
    audit_record(
        # The case rules' streams as before; a consultation rule's has no step but its kind.
        stream=f"warning_rule:{item.pk if item else 'all'}:"
        + (step_key if kind == RuleKind.CASE else "@consultation"),
        action="rule.activate",
        actor=actor,
        object_type="warning_rule",
        object_id=str(rule.pk),
        detail={
            "yellow_left": yellow_left,
            "yellow_ratio": str(yellow_ratio),
            "version": rule.version,
            "kind": kind,
        },
    )
    return rule

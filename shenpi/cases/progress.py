"""The step bar an applicant follows a case by (申请 → 受理 → 审查 → 决定 → 送达), as the
national portal and the provinces' apps show it: each step done, current or to come, the
current one with its due date and who holds it. Read from the case row alone, so that a list
of cases draws one bar per row without another query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .constants import TERMINAL, CaseStatus

STEPS = ("申请", "受理", "审查", "决定", "送达")
# Where each status stands: the index of the current step, and whether the case stopped
# there (not accepted, withdrawn, terminated) rather than going on.
WHERE = {
    CaseStatus.DRAFT: (0, ""),
    CaseStatus.RECEIVED: (1, "预审中"),
    CaseStatus.CORRECTION_REQUESTED: (1, "待补正"),
    CaseStatus.NOT_ACCEPTED: (1, "不予受理"),
    CaseStatus.WITHDRAWN: (1, "已撤回"),
    CaseStatus.PROCESSING: (2, "审查中"),
    CaseStatus.SUSPENDED: (2, "特别程序，暂停计时"),
    CaseStatus.TERMINATED: (2, "已终止"),
    CaseStatus.DECIDED: (4, "待送达"),
    CaseStatus.CLOSED: (5, ""),
}
STOPPED = tuple(status for status in TERMINAL if status != CaseStatus.CLOSED)

# 我的办件's tabs: (key, label, the cases it lists).
TABS = (
    ("all", "全部", Q()),
    ("active", "办理中", Q(status__in=[CaseStatus.RECEIVED, CaseStatus.PROCESSING,
                                      CaseStatus.SUSPENDED, CaseStatus.DECIDED])),
    ("correction", "待补正", Q(status=CaseStatus.CORRECTION_REQUESTED)),
    ("done", "已办结", Q(status__in=TERMINAL)),
    ("draft", "草稿", Q(status=CaseStatus.DRAFT)),
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    name: str
    state: str  # done, current, stopped, todo
    note: str = ""
    due: date | None = None
    holder: str = ""


def step_bar(case, holders: list[str] | None = None) -> list[Step]:
    """`holders`: the departments holding the case's open steps (the case page knows them);
    otherwise the case's own department is named."""
    at, note = WHERE[case.status]
    due = {1: case.correction_due, 2: case.promised_due, 4: case.licence_due}.get(at)
    holder = "、".join(holders) if holders else case.department.name
    steps = []
    for index, name in enumerate(STEPS):
        if index < at:
            steps.append(Step(name, "done"))
        elif index == at:
            stopped = case.status in STOPPED
            steps.append(Step(name, "stopped" if stopped else "current", note,
                              None if stopped else due, "" if stopped else holder))  # fmt: skip
        else:
            steps.append(Step(name, "todo"))
    return steps


def tab_filter(key: str):
    """The tab's key as asked (an unknown one is 全部) and its condition."""
    for tab_key, _label, where in TABS:
        if tab_key == key:
            return tab_key, where
    return "all", Q()

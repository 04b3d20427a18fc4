"""Flows (CONTRACTS.md "The flow"): stages of parallel steps, the last one the decision.

Plain data in, frozen dataclasses out; no Django. The services store a flow as
the JSON that `flow_to_data` writes and `parse_flow` reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import InvalidInput

ROLES = ("official", "head")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


@dataclass(frozen=True)
class Owner:
    """A fixed department (by code), or — for two-level items — the department of
    kind `kind` in the division the applicant chose (Art. 35, 43)."""

    department: str | None = None
    kind: str | None = None

    @property
    def is_local(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    owner: Owner
    role: str = "official"
    days: int = 1
    verification: bool = False  # Art. 34 ¶3: two different officials
    lead: bool = False
    decision: bool = False


@dataclass(frozen=True)
class Stage:
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Flow:
    stages: tuple[Stage, ...] = field(default_factory=tuple)

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for stage in self.stages for step in stage.steps)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def stage_of(self, key: str) -> int:
        for index, stage in enumerate(self.stages):
            if any(step.key == key for step in stage.steps):
                return index
        raise KeyError(key)

    @property
    def decision_step(self) -> Step | None:
        return next((s for s in self.steps if s.decision), None)

    @property
    def fixed_departments(self) -> frozenset[str]:
        return frozenset(s.owner.department for s in self.steps if s.owner.department)

    @property
    def is_parallel(self) -> bool:
        """Several departments take part (parallel approval, 并联审批)."""
        owners = {s.owner.department or f"kind:{s.owner.kind}" for s in self.steps}
        return len(owners) > 1

    @property
    def is_two_level(self) -> bool:
        return any(s.owner.is_local for s in self.steps)


def parse_flow(data: Mapping | None) -> Flow:
    """Read and check a flow; every problem is reported at once (InvalidInput.errors["flow"])."""
    problems: list[str] = []
    stages: list[Stage] = []
    raw_stages = (data or {}).get("stages") or []
    if not raw_stages:
        problems.append("流程至少要有一个环节。")
    seen: set[str] = set()
    for s_index, raw_stage in enumerate(raw_stages, start=1):
        steps = []
        raw_steps = raw_stage.get("steps") or []
        if not raw_steps:
            problems.append(f"第 {s_index} 阶段没有环节。")
        for raw in raw_steps:
            key = str(raw.get("key", "")).strip()
            name = str(raw.get("name", "")).strip()
            label = f"第 {s_index} 阶段“{name or key}”"
            if not KEY_RE.match(key):
                problems.append(f"{label}的标识须为小写字母开头的字母、数字或下划线。")
            elif key in seen:
                problems.append(f"环节标识“{key}”重复。")
            seen.add(key)
            if not name:
                problems.append(f"{label}缺少名称。")
            owner_raw = raw.get("owner") or {}
            owner = Owner(
                department=owner_raw.get("department") or None, kind=owner_raw.get("kind") or None
            )
            if bool(owner.department) == bool(owner.kind):
                problems.append(f"{label}须指定一个承办部门，或“申请人所选区划的同类部门”。")
            role = raw.get("role", "official")
            if role not in ROLES:
                problems.append(f"{label}的角色须为经办人或负责人。")
            try:
                days = int(raw.get("days", 0))
            except (TypeError, ValueError):
                days = 0
            if days < 1:
                problems.append(f"{label}的环节时限须至少 1 个工作日。")
            steps.append(
                Step(
                    key=key,
                    name=name,
                    owner=owner,
                    role=role,
                    days=max(days, 0),
                    verification=bool(raw.get("verification")),
                    lead=bool(raw.get("lead")),
                    decision=bool(raw.get("decision")),
                )
            )
        stages.append(Stage(tuple(steps)))
    flow = Flow(tuple(stages))
    problems.extend(_structure_problems(flow))
    if problems:
        raise InvalidInput("流程设置有误。", code="invalid_flow", errors={"flow": problems})
    return flow


def _structure_problems(flow: Flow) -> list[str]:
    problems = []
    decisions = [s for s in flow.steps if s.decision]
    if not decisions:
        problems.append("流程缺少批复（决定）环节。")
    elif len(decisions) > 1:
        problems.append("流程只能有一个批复（决定）环节。")
    else:
        decision = decisions[0]
        last = flow.stages[-1].steps if flow.stages else ()
        if last != (decision,):
            problems.append("批复（决定）环节须单独作为最后一个阶段。")
        if decision.role != "head":
            problems.append("批复（决定）环节须由牵头部门负责人办理。")
        if not decision.lead:
            problems.append("批复（决定）环节须属于牵头部门。")
        if decision.owner.is_local:
            problems.append("批复（决定）环节须由固定的牵头部门办理。")
    for index, stage in enumerate(flow.stages):
        if index > 0 and any(s.owner.is_local for s in stage.steps):
            problems.append("“下级同类部门”的环节只能在第一阶段（先经下级审查，第三十五条）。")
            break
    return problems


def flow_to_data(flow: Flow) -> dict:
    return {
        "stages": [
            {
                "steps": [
                    {
                        "key": s.key,
                        "name": s.name,
                        "owner": {"department": s.owner.department}
                        if s.owner.department
                        else {"kind": s.owner.kind},
                        "role": s.role,
                        "days": s.days,
                        "verification": s.verification,
                        "lead": s.lead,
                        "decision": s.decision,
                    }
                    for s in stage.steps
                ]
            }
            for stage in flow.stages
        ]
    }


def default_flow(department: str, *, days: Iterable[int] = (3, 3, 2, 2)) -> Flow:
    """A single department's default: 初审 → 审核 → 复审 → 批复."""
    names = [
        ("first_review", "初审", "official"),
        ("review", "审核", "official"),
        ("second_review", "复审", "official"),
        ("decision", "批复", "head"),
    ]
    stages = []
    for (key, name, role), d in zip(names, days, strict=True):
        stages.append(
            Stage(
                (
                    Step(
                        key,
                        name,
                        Owner(department=department),
                        role,
                        d,
                        lead=True,
                        decision=key == "decision",
                    ),
                )
            )
        )
    return Flow(tuple(stages))


# --- progress: which steps are open, given which are done --------------------------


def opening_steps(flow: Flow) -> tuple[Step, ...]:
    """The first stage's steps, opened when a case is accepted."""
    return flow.stages[0].steps if flow.stages else ()


def steps_opened_by(
    flow: Flow, done: frozenset[str] | set[str], completed: str
) -> tuple[Step, ...]:
    """The steps that open when `completed` is done, `done` holding what was done before.

    A stage opens only when every step of the previous stage is done (the join).
    """
    index = flow.stage_of(completed)
    if completed in done:
        return ()
    now_done = set(done) | {completed}
    stage = flow.stages[index]
    if not all(step.key in now_done for step in stage.steps):
        return ()
    if index + 1 >= len(flow.stages):
        return ()
    return flow.stages[index + 1].steps


def open_steps(flow: Flow, done: frozenset[str] | set[str]) -> tuple[Step, ...]:
    """The steps open now: those of the first stage not complete, not yet done."""
    for stage in flow.stages:
        pending = tuple(step for step in stage.steps if step.key not in done)
        if pending:
            return pending
    return ()


def is_complete(flow: Flow, done: frozenset[str] | set[str]) -> bool:
    return all(step.key in done for step in flow.steps)


def decision_open(flow: Flow, done: frozenset[str] | set[str]) -> bool:
    decision = flow.decision_step
    return decision is not None and decision in open_steps(flow, done)


def unanswered_disagreements(verdicts: dict[str, str], responses: set[str]) -> list[str]:
    """Co-department steps that said `disagree` without a recorded response from the lead:
    the decision step cannot grant while any remain (CONTRACTS.md)."""
    return sorted(
        key for key, verdict in verdicts.items() if verdict == "disagree" and key not in responses
    )


def verdict_required(flow, step_key: str) -> bool:
    """A step not flagged as the lead department's is a co-department's opinion: it is
    completed with an explicit agree or disagree (CONTRACTS.md "The flow"). The page
    shows the control by this rule and task_complete enforces it."""
    return not flow.step(step_key).lead

"""An investment project's one timeline across its items (全程代理): when each item is
expected to be decided, what it waits on, the critical path and the project's expected
completion date, by the working-day calendar (CONTRACTS.md "The clock").

Plain data in and out. An item not yet applied for starts the working day after the last
of the items it depends on is decided (or after today), and is expected to take its
promised limit; one under way is expected by its due date (today, if that has passed);
one decided is done on its day. An item not yet applied for is expected to take its
pre-review as well, as one received and waiting for it is. An item refused or ended leaves the items that depend on
it — and so the project — without a date until it is applied for again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .clock import Calendar, add_working_days

# What an item's state is, as the timeline reads it.
NOT_STARTED, DRAFT, CORRECTION, RUNNING, GRANTED, FAILED = (
    "not_started", "draft", "correction", "running", "granted", "failed",
)  # fmt: skip


@dataclass(frozen=True)
class Node:
    key: str
    name: str
    department: str
    state: str
    promised_days: int
    depends: tuple[str, ...] = ()
    intake_days: int = 0  # the pre-review before the promised limit starts (RCV-04)
    started: date | None = None  # received
    due: date | None = None  # the limit a running item is held to
    done: date | None = None  # decided (granted)


@dataclass
class Row:
    node: Node
    start: date | None = None
    finish: date | None = None
    waits_on: str = ""  # "agent", "investor", "department", "prerequisite", ""
    blocked_by: tuple[str, ...] = ()
    overdue: bool = False
    critical: bool = False
    driver: str | None = field(default=None, repr=False)  # the prerequisite that sets the start


@dataclass
class Timeline:
    rows: list[Row]
    completion: date | None
    critical_path: list[str]
    cycle: bool = False


def _order(nodes: dict[str, Node]) -> list[str] | None:
    """The keys with each after the items it depends on; None if they depend in a circle."""
    order, state = [], {}

    def visit(key) -> bool:
        if state.get(key) == 1:
            return False
        if state.get(key) == 2:
            return True
        state[key] = 1
        for dep in nodes[key].depends:
            if dep in nodes and not visit(dep):
                return False
        state[key] = 2
        order.append(key)
        return True

    for key in nodes:
        if not visit(key):
            return None
    return order


def plan(cal: Calendar, nodes: list[Node], today: date) -> Timeline:
    by_key = {node.key: node for node in nodes}
    order = _order(by_key)
    if order is None:
        return Timeline([Row(node) for node in nodes], None, [], cycle=True)
    rows: dict[str, Row] = {}
    for key in order:
        node, row = by_key[key], Row(by_key[key])
        rows[key] = row
        deps = [rows[d] for d in node.depends if d in rows]
        unfinished = tuple(d.node.key for d in deps if d.node.state != GRANTED)
        if node.state == GRANTED:
            row.start, row.finish = node.started, node.done
        elif node.state == FAILED:
            row.start = node.started
        elif node.state in (RUNNING, CORRECTION):
            row.start = node.started
            row.finish = max(node.due or today, today)
            row.overdue = node.due is not None and node.due < today
            row.waits_on = "investor" if node.state == CORRECTION else "department"
        else:  # not started or a draft: after its prerequisites
            row.blocked_by = unfinished
            row.waits_on = "prerequisite" if unfinished else "agent"
            if any(d.finish is None for d in deps):
                continue
            driver = max(deps, key=lambda d: d.finish, default=None)
            begins = max(today, driver.finish) if driver else today
            if driver and driver.finish >= today:
                row.driver = driver.node.key
            row.start = begins
            row.finish = add_working_days(cal, begins, node.intake_days + node.promised_days)
    if any(row.finish is None for row in rows.values()):
        completion, path = None, []
    else:
        last = max(rows.values(), key=lambda r: (r.finish, r.node.key), default=None)
        completion, path = (last.finish if last else None), []
        while last is not None:
            last.critical = True
            path.append(last.node.key)
            last = rows.get(last.driver) if last.driver else None
        path.reverse()
    return Timeline([rows[node.key] for node in nodes], completion, path)

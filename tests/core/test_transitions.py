"""The case transition table (issue 21): the one place that says which status follows
which, the services' assignments all going through it, and no sequence of actions
reaching a state CONTRACTS.md does not allow."""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shenpi.core import transitions as t
from shenpi.core.errors import Conflict

CASES_APP = Path(__file__).resolve().parents[2] / "shenpi" / "cases"

# CONTRACTS.md "Case states", written out by hand: status -> statuses it may lead to.
CONTRACT = {
    t.DRAFT: {t.RECEIVED},
    t.RECEIVED: {t.CORRECTION_REQUESTED, t.PROCESSING, t.NOT_ACCEPTED, t.WITHDRAWN, t.DECIDED},
    t.CORRECTION_REQUESTED: {t.RECEIVED, t.NOT_ACCEPTED, t.WITHDRAWN},
    t.PROCESSING: {t.SUSPENDED, t.DECIDED, t.WITHDRAWN, t.TERMINATED},
    t.SUSPENDED: {t.PROCESSING, t.WITHDRAWN, t.TERMINATED, t.DECIDED},
    t.DECIDED: {t.CLOSED},
    **{status: set() for status in t.TERMINAL},
}


def test_the_table_allows_exactly_the_contracts_moves():
    moves = {status: set() for status in t.STATUSES}
    for transition in t.TABLE.values():
        if transition.target is not None:
            for source in transition.sources:
                moves[source].add(transition.target)
    assert moves == CONTRACT


def test_the_django_statuses_are_the_cores():
    from shenpi.cases.constants import RENEWAL_PENDING, TERMINAL, CaseStatus

    assert tuple(CaseStatus.values) == t.STATUSES
    assert set(TERMINAL) == t.TERMINAL
    assert set(RENEWAL_PENDING) == t.RENEWAL_PENDING


@given(st.lists(st.sampled_from(sorted(t.TABLE)), max_size=40))
def test_no_sequence_of_actions_leaves_the_contract(actions):
    status, path = t.DRAFT, [t.DRAFT]
    for action in actions:
        if t.allowed(action, status):
            after = t.move(action, status)
            assert after == status or after in CONTRACT[status], (path, action)
            status = after
        else:
            with pytest.raises(Conflict) as refused:
                t.move(action, status)
            assert refused.value.code == t.TABLE[action].code
            assert "{status}" not in refused.value.message
        path.append(status)
        if status in t.TERMINAL:
            assert not any(t.allowed(a, status) for a in t.TABLE), path


def test_every_status_is_reachable_from_a_draft():
    seen, frontier = {t.DRAFT}, [t.DRAFT]
    while frontier:
        status = frontier.pop()
        for action in t.TABLE:
            if t.allowed(action, status):
                after = t.move(action, status)
                if after not in seen:
                    seen.add(after)
                    frontier.append(after)
    assert seen == set(t.STATUSES)


def _status_assignments():
    """(file, line, value) of every `case.status = …` and `Case(status=…)` (or through
    the services' `_new_case`) in the case app."""
    for path in sorted(CASES_APP.glob("**/*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr == "status"
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "case"
                    ):
                        yield path.name, node.lineno, node.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Case", "_new_case")
            ):
                for keyword in node.keywords:
                    if keyword.arg == "status":
                        yield path.name, node.lineno, keyword.value


def test_every_case_status_assignment_asks_the_table():
    found = list(_status_assignments())
    assert len(found) >= 14  # the services' transitions: this test sees them all
    bad = [
        f"{name}:{line}"
        for name, line, value in found
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "move"
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "transitions"
        )
    ]
    assert bad == [], "assign case.status = transitions.move(...): " + ", ".join(bad)

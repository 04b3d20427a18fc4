"""The action table (issue 21): the case page and the API dispatch every action on a case
or a step through cases.actions, so they offer the same actions under the same checks."""

import pytest

from shenpi.accounts.client_operations import OPERATIONS
from shenpi.cases import actions
from shenpi.core.errors import NotFound

TABLES = {"case": actions.CASE, "review": actions.REVIEW, "task": actions.TASK}


def test_every_action_names_an_operation_of_its_table():
    for prefix, table in TABLES.items():
        for name, action in table.actions.items():
            assert action.operation == f"{prefix}.{name}"
            assert action.operation in OPERATIONS


def test_every_dispatched_operation_is_in_a_table():
    dispatched = {
        operation
        for operation in OPERATIONS
        if operation.split(".")[0] in TABLES
        and operation
        not in {
            "case.list", "case.read", "case.personal", "case.draft", "case.material",
            "case.submit", "case.submit_whole", "case.rate", "task.list",
        }
    }  # fmt: skip
    in_tables = {a.operation for t in TABLES.values() for a in t.actions.values()}
    assert dispatched == in_tables


def test_an_unknown_action_is_not_found(demo):
    with pytest.raises(NotFound):
        actions.run(actions.CASE, "explode", user=demo("zhangsan"), target=None, data={})

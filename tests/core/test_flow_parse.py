import pytest
from hypothesis import given
from hypothesis import strategies as st

from shenpi.core.errors import InvalidInput
from shenpi.core.flow import Flow, Owner, Stage, Step, default_flow, flow_to_data, parse_flow


def test_default_flow_is_the_four_steps():
    flow = default_flow("nx-scjg")
    assert [s.name for s in flow.steps] == ["初审", "审核", "复审", "批复"]
    assert flow.decision_step.role == "head"
    assert parse_flow(flow_to_data(flow)) == flow


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidInput) as exc:
        parse_flow(
            {
                "stages": [
                    {"steps": [{"key": "A", "name": "", "owner": {}, "role": "boss", "days": 0}]}
                ]
            }
        )
    problems = exc.value.errors["flow"]
    assert len(problems) >= 5
    assert any("批复" in p for p in problems)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"stages": []},
        {"stages": [{"steps": []}]},
    ],
)
def test_empty_flows_are_refused(data):
    with pytest.raises(InvalidInput):
        parse_flow(data)


def test_decision_must_be_alone_last_and_the_lead_heads():
    decision = {
        "key": "d",
        "name": "批复",
        "owner": {"department": "a"},
        "role": "head",
        "days": 1,
        "lead": True,
        "decision": True,
    }
    other = {
        "key": "o",
        "name": "意见",
        "owner": {"department": "b"},
        "role": "official",
        "days": 1,
    }
    with pytest.raises(InvalidInput):
        parse_flow({"stages": [{"steps": [decision, other]}]})
    with pytest.raises(InvalidInput):
        parse_flow({"stages": [{"steps": [{**decision, "role": "official"}]}]})
    assert parse_flow({"stages": [{"steps": [other]}, {"steps": [decision]}]}).is_parallel


def test_local_owners_only_in_the_first_stage():
    local = {
        "key": "l",
        "name": "下级",
        "owner": {"kind": "market"},
        "role": "official",
        "days": 20,
    }
    decision = {
        "key": "d",
        "name": "批复",
        "owner": {"department": "a"},
        "role": "head",
        "days": 1,
        "lead": True,
        "decision": True,
    }
    assert parse_flow({"stages": [{"steps": [local]}, {"steps": [decision]}]}).is_two_level
    with pytest.raises(InvalidInput):
        parse_flow(
            {
                "stages": [
                    {"steps": [decision | {"decision": False, "key": "x"}]},
                    {"steps": [local]},
                    {"steps": [decision]},
                ]
            }
        )


keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def flows(draw):
    names = draw(
        st.lists(keys, min_size=1, max_size=8, unique=True).filter(lambda k: "decision" not in k)
    )
    stages, i = [], 0
    while i < len(names):
        width = draw(st.integers(1, 3))
        stages.append(
            Stage(
                tuple(
                    Step(
                        k,
                        f"环节{k}",
                        Owner(department=draw(st.sampled_from(["a", "b", "c"]))),
                        "official",
                        draw(st.integers(1, 30)),
                    )
                    for k in names[i : i + width]
                )
            )
        )
        i += width
    stages.append(
        Stage((Step("decision", "批复", Owner("a"), "head", 2, lead=True, decision=True),))
    )
    return Flow(tuple(stages))


@given(flows())
def test_any_series_parallel_flow_survives_a_round_trip(flow):
    assert parse_flow(flow_to_data(flow)) == flow


# --- progress -------------------------------------------------------------------------

from hypothesis import settings  # noqa: E402

from shenpi.core.flow import (  # noqa: E402
    decision_open,
    is_complete,
    open_steps,
    opening_steps,
    steps_opened_by,
    unanswered_disagreements,
)


@settings(max_examples=150)
@given(flows(), st.randoms(use_true_random=False))
def test_no_step_opens_twice_none_is_lost_and_the_decision_opens_last(flow, rnd):
    opened = list(opening_steps(flow))
    done: set[str] = set()
    pending = list(opened)
    while pending:
        step = pending.pop(rnd.randrange(len(pending)))
        if step.decision:
            # The decision step opens exactly when every earlier step is done.
            assert done == {s.key for s in flow.steps if not s.decision}
        newly = steps_opened_by(flow, done, step.key)
        done.add(step.key)
        opened.extend(newly)
        pending.extend(newly)
        assert set(open_steps(flow, done)) == set(pending)
    keys = [s.key for s in opened]
    assert len(keys) == len(set(keys))  # no step opened twice
    assert set(keys) == {s.key for s in flow.steps}  # none lost
    assert is_complete(flow, done)


def test_the_join_waits_for_every_parallel_step():
    flow = parse_flow(
        {
            "stages": [
                {
                    "steps": [
                        {"key": "a", "name": "甲", "owner": {"department": "x"}, "days": 1},
                        {"key": "b", "name": "乙", "owner": {"department": "y"}, "days": 1},
                    ]
                },
                {
                    "steps": [
                        {
                            "key": "d",
                            "name": "决定",
                            "owner": {"department": "x"},
                            "role": "head",
                            "days": 1,
                            "lead": True,
                            "decision": True,
                        }
                    ]
                },
            ]
        }
    )
    assert steps_opened_by(flow, set(), "a") == ()
    assert not decision_open(flow, {"a"})
    assert [s.key for s in steps_opened_by(flow, {"a"}, "b")] == ["d"]
    assert decision_open(flow, {"a", "b"})
    assert steps_opened_by(flow, {"a"}, "a") == ()  # completing twice opens nothing


def test_a_disagreement_needs_the_leads_response():
    assert unanswered_disagreements({"land": "agree", "env": "disagree"}, set()) == ["env"]
    assert unanswered_disagreements({"land": "agree", "env": "disagree"}, {"env"}) == []

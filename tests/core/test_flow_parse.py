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

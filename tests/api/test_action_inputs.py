"""One operation per action (issues 21, 25): each action of the table is its own API
operation with its own input serializer, whose fields come from its table's catalogue,
with those it cannot do without required, and an example."""

from django.urls import reverse
from rest_framework import serializers

from shenpi.api.cases import inputs
from shenpi.cases import actions

PAIRS = [
    (inputs.CASE, inputs.CaseFields, actions.CASE),
    (inputs.REVIEW, inputs.ReviewFields, actions.REVIEW),
    (inputs.TASK, inputs.TaskFields, actions.TASK),
]


def test_every_action_of_the_table_is_an_operation_with_its_own_input_and_example():
    for own, _fields, table in PAIRS:
        assert set(own) == set(table.names())
        for name, action in table.actions.items():
            prefix = "tasks" if table.target == "task" else "cases"
            url = reverse(
                f"api:{table.target}_{name}", args=["00000000-0000-0000-0000-000000000000"]
            )
            assert url.startswith(f"/api/v1/{prefix}/") and url.endswith(f"/{action.resource}/")
            assert own[name](data=inputs.EXAMPLES[name]).is_valid(), name


def test_an_actions_fields_are_its_catalogues():
    for own, catalogue, _table in PAIRS:
        documented = catalogue().fields
        for action, serializer in own.items():
            for name, field in serializer().fields.items():
                assert type(field) is type(documented[name]), (action, name)
                assert field.help_text == documented[name].help_text


def test_an_action_refuses_what_it_cannot_do_without():
    missing = [
        (inputs.CASE, "decide", "outcome"),
        (inputs.CASE, "deliver", "method"),
        (inputs.CASE, "correction", "defects"),
        (inputs.CASE, "originals", "due"),
        (inputs.REVIEW, "hearing_schedule", "on"),
        (inputs.TASK, "pass", "to"),
    ]
    for own, action, field in missing:
        body = own[action](data={})
        assert not body.is_valid()
        assert field in body.errors, (action, body.errors)
    assert inputs.CASE["supplement"](data={"anything": 1}).is_valid()
    assert isinstance(inputs.CASE["decide"]().fields["outcome"], serializers.ChoiceField)

"""One input serializer per action (issue 21): each action checks its own fields, taken
from the union the schema documents, with those it cannot do without required."""

from rest_framework import serializers

from shenpi.api.cases import inputs
from shenpi.cases import actions

PAIRS = [
    (inputs.CASE, inputs.ActionIn, actions.CASE),
    (inputs.REVIEW, inputs.ReviewActionIn, actions.REVIEW),
    (inputs.TASK, inputs.TaskActionIn, actions.TASK),
]


def test_every_action_the_api_offers_has_its_own_input():
    for own, union, table in PAIRS:
        offered = set(union().fields["action"].choices)
        assert set(own) == offered
        assert offered <= set(table.names())


def test_an_actions_fields_are_the_unions():
    for own, union, _table in PAIRS:
        documented = union().fields
        for action, serializer in own.items():
            for name, field in serializer().fields.items():
                assert type(field) is type(documented[name]), (action, name)
                assert field.help_text == documented[name].help_text


def test_an_action_refuses_what_it_cannot_do_without():
    missing = [
        (inputs.CASE, "decide", "outcome"),
        (inputs.CASE, "deliver", "method"),
        (inputs.CASE, "correction", "defects"),
        (inputs.REVIEW, "hearing_schedule", "on"),
        (inputs.TASK, "pass", "to"),
    ]
    for own, action, field in missing:
        body = own[action](data={})
        assert not body.is_valid()
        assert field in body.errors, (action, body.errors)
    assert inputs.CASE["supplement"](data={"anything": 1}).is_valid()
    assert isinstance(inputs.CASE["decide"]().fields["outcome"], serializers.ChoiceField)

"""One input serializer per action (issue 21): each action of cases.actions checks only
its own fields, with those it cannot do without required. They are the union serializers'
fields (ActionIn, ReviewActionIn, TaskActionIn: what the schema documents under `action`),
taken by name, so the two cannot disagree on a field's type or words; the information
exchange (issue 25) can publish each as an operation of its own."""

from __future__ import annotations

import copy

from rest_framework import serializers

# The unions: what the schema documents for each endpoint under `action`.


class ActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            "supplement",
            "withdraw",
            "accept",
            "correction",
            "not_accept",
            "decide",
            "deliver",
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    competent_organ = serializers.CharField(required=False, allow_blank=True)
    defects = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="[{requirement: 材料编号, note: 补正要求}]",
    )
    lenient = serializers.ListField(child=serializers.CharField(), required=False)
    commitment = serializers.CharField(required=False, allow_blank=True)
    lenient_due = serializers.DateField(required=False)
    outcome = serializers.ChoiceField(choices=["granted", "refused"], required=False)
    reasons = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=["window", "post", "online"], required=False)
    tracking_number = serializers.CharField(required=False, allow_blank=True)
    official = serializers.CharField(
        required=False, help_text="系统客户端：以其名义受理、决定或送达的本部门工作人员用户名"
    )


class TaskActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["claim", "hand_back", "pass", "verify", "complete", "respond"]
    )
    opinion = serializers.CharField(required=False, allow_blank=True)
    verdict = serializers.ChoiceField(choices=["agree", "disagree", ""], required=False)
    response = serializers.CharField(required=False, allow_blank=True)
    to = serializers.CharField(required=False, help_text="转交给（用户名）")
    official = serializers.CharField(
        required=False, help_text="系统客户端：办理该环节的本部门工作人员用户名"
    )


class ReviewActionIn(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            "suspend",
            "resume",
            "extend",
            "extension_ask",
            "urge",
            "hearing_notify",
            "hearing_request",
            "hearing_schedule",
            "hearing_record",
        ]
    )
    interested_parties = serializers.CharField(required=False, allow_blank=True)
    on = serializers.DateField(required=False, help_text="听证日期")
    place = serializers.CharField(required=False, allow_blank=True)
    presiding_officer = serializers.CharField(required=False, help_text="主持人用户名")
    record = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, help_text="第四十五条情形")
    expected_days = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True)
    reasons = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    official = serializers.CharField(
        required=False, help_text="系统客户端：以其名义办理的本部门工作人员用户名"
    )


def _input(union, name: str, fields: tuple[str, ...], required: tuple[str, ...] = ()):
    declared = {}
    for field in (*fields, "official"):
        documented = union._declared_fields[field]
        # A field is made again from its arguments (as DRF copies fields), required or not.
        kwargs = {
            key: value if key in ("validators", "regex") else copy.deepcopy(value)
            for key, value in documented._kwargs.items()
        }
        if field in required:
            kwargs["required"] = True
        declared[field] = type(documented)(*copy.deepcopy(documented._args), **kwargs)
    return type(name, (serializers.Serializer,), declared)


CASE = {
    "supplement": _input(ActionIn, "SupplementIn", ()),
    "withdraw": _input(ActionIn, "WithdrawIn", ("reason",)),
    "accept": _input(ActionIn, "AcceptIn", ("lenient", "commitment", "lenient_due")),
    "correction": _input(ActionIn, "CorrectionIn", ("defects",), required=("defects",)),
    "not_accept": _input(
        ActionIn, "NotAcceptIn", ("reason", "text", "competent_organ"), required=("reason",)
    ),
    "decide": _input(ActionIn, "DecideIn", ("outcome", "reasons"), required=("outcome",)),
    "deliver": _input(ActionIn, "DeliverIn", ("method", "tracking_number"), required=("method",)),
}
REVIEW = {
    "suspend": _input(
        ReviewActionIn, "SuspendIn", ("reason", "expected_days", "note"), required=("reason",)
    ),
    "resume": _input(ReviewActionIn, "ResumeIn", ()),
    "extend": _input(ReviewActionIn, "ExtendIn", ("reasons",), required=("reasons",)),
    "extension_ask": _input(ReviewActionIn, "ExtensionAskIn", ("reasons",), required=("reasons",)),
    "urge": _input(ReviewActionIn, "UrgeIn", ("text",)),
    "hearing_notify": _input(ReviewActionIn, "HearingNotifyIn", ("interested_parties",)),
    "hearing_request": _input(ReviewActionIn, "HearingRequestIn", ()),
    "hearing_schedule": _input(
        ReviewActionIn,
        "HearingScheduleIn",
        ("on", "place", "presiding_officer"),
        required=("on", "presiding_officer"),
    ),
    "hearing_record": _input(ReviewActionIn, "HearingRecordIn", ("record",)),
}
TASK = {
    "claim": _input(TaskActionIn, "ClaimIn", ()),
    "hand_back": _input(TaskActionIn, "HandBackIn", ()),
    "pass": _input(TaskActionIn, "PassIn", ("to",), required=("to",)),
    "verify": _input(TaskActionIn, "VerifyIn", ()),
    "complete": _input(TaskActionIn, "CompleteIn", ("opinion", "verdict")),
    "respond": _input(TaskActionIn, "RespondIn", ("response",)),
}


def validated(inputs: dict, request, action: str) -> dict:
    """The request's fields for `action`, checked by its own serializer (a 400 naming
    each field that is wrong or missing)."""
    body = inputs[action](data=request.data)
    body.is_valid(raise_exception=True)
    return {**body.validated_data, "action": action}

"""One input serializer per action of cases.actions, each its own operation in the API
(issue 25: POST /cases/{id}/acceptance/, /tasks/{id}/completion/ …), checking only its own
fields, with those it cannot do without required. Every field is declared once, in the
catalogues below (one per table), and taken from there by name, so no two operations can
disagree on a field's type or words; each operation's example is beside its serializer."""

from __future__ import annotations

import copy

from rest_framework import serializers

# The catalogues of fields, one per table of cases.actions.


class CaseFields(serializers.Serializer):
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
    due = serializers.DateField(required=False, help_text="到窗口核验原件的截止日期")
    official = serializers.CharField(
        required=False, help_text="系统客户端：以其名义受理、决定或送达的本部门工作人员用户名"
    )


class TaskFields(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True)
    verdict = serializers.ChoiceField(choices=["agree", "disagree", ""], required=False)
    response = serializers.CharField(required=False, allow_blank=True)
    to = serializers.CharField(required=False, help_text="转交给（用户名）")
    official = serializers.CharField(
        required=False, help_text="系统客户端：办理该环节的本部门工作人员用户名"
    )


class ReviewFields(serializers.Serializer):
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
    "supplement": _input(CaseFields, "SupplementIn", ()),
    "withdraw": _input(CaseFields, "WithdrawIn", ("reason",)),
    "accept": _input(CaseFields, "AcceptIn", ("lenient", "commitment", "lenient_due")),
    "correction": _input(CaseFields, "CorrectionIn", ("defects",), required=("defects",)),
    "not_accept": _input(
        CaseFields, "NotAcceptIn", ("reason", "text", "competent_organ"), required=("reason",)
    ),
    "decide": _input(CaseFields, "DecideIn", ("outcome", "reasons"), required=("outcome",)),
    "originals": _input(CaseFields, "OriginalsIn", ("due",), required=("due",)),
    "deliver": _input(CaseFields, "DeliverIn", ("method", "tracking_number"), required=("method",)),
}
REVIEW = {
    "suspend": _input(
        ReviewFields, "SuspendIn", ("reason", "expected_days", "note"), required=("reason",)
    ),
    "resume": _input(ReviewFields, "ResumeIn", ()),
    "extend": _input(ReviewFields, "ExtendIn", ("reasons",), required=("reasons",)),
    "extension_ask": _input(ReviewFields, "ExtensionAskIn", ("reasons",), required=("reasons",)),
    "urge": _input(ReviewFields, "UrgeIn", ("text",)),
    "hearing_notify": _input(ReviewFields, "HearingNotifyIn", ("interested_parties",)),
    "hearing_request": _input(ReviewFields, "HearingRequestIn", ()),
    "hearing_schedule": _input(
        ReviewFields,
        "HearingScheduleIn",
        ("on", "place", "presiding_officer"),
        required=("on", "presiding_officer"),
    ),
    "hearing_record": _input(ReviewFields, "HearingRecordIn", ("record",)),
}
TASK = {
    "claim": _input(TaskFields, "ClaimIn", ()),
    "hand_back": _input(TaskFields, "HandBackIn", ()),
    "pass": _input(TaskFields, "PassIn", ("to",), required=("to",)),
    "verify": _input(TaskFields, "VerifyIn", ()),
    "complete": _input(TaskFields, "CompleteIn", ("opinion", "verdict")),
    "respond": _input(TaskFields, "RespondIn", ("response",)),
}


def validated(serializer, request) -> dict:
    """The request's fields, checked by the operation's own serializer (a 400 naming each
    field that is wrong or missing)."""
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


# Each operation's example request, as a department system would send it.
EXAMPLES = {
    "supplement": {},
    "withdraw": {"reason": "经营场所变更，重新申请"},
    "accept": {"official": "yc_scjg_off1"},
    "correction": {
        "defects": [{"requirement": "3", "note": "营业执照复印件须加盖公章"}],
        "official": "yc_scjg_off1",
    },
    "not_accept": {"reason": "not_competent", "competent_organ": "自治区市场监管厅"},
    "originals": {"due": "2026-12-14", "official": "yc_scjg_off1"},
    "decide": {
        "outcome": "granted",
        "reasons": "材料齐全，符合法定条件",
        "official": "yc_scjg_head",
    },
    "deliver": {"method": "online", "official": "yc_scjg_off1"},
    "suspend": {"reason": "expert_review", "expected_days": 10, "note": "组织专家评审"},
    "resume": {},
    "extend": {"reasons": "需现场核查，二十日内不能作出决定"},
    "extension_ask": {"reasons": "需现场核查，二十日内不能作出决定"},
    "urge": {"text": "请加快办理"},
    "hearing_notify": {"interested_parties": "相邻住户"},
    "hearing_request": {},
    "hearing_schedule": {
        "on": "2026-12-21",
        "place": "第三会议室",
        "presiding_officer": "yc_scjg_head",
    },
    "hearing_record": {"record": "听证笔录全文"},
    "claim": {"official": "yc_scjg_off1"},
    "hand_back": {"official": "yc_scjg_off1"},
    "pass": {"to": "yc_scjg_off2", "official": "yc_scjg_off1"},
    "verify": {"official": "yc_scjg_off2"},
    "complete": {"opinion": "经审查，符合条件", "verdict": "agree", "official": "yc_scjg_off1"},
    "respond": {"response": "已补充核查，维持原意见", "official": "yc_scjg_off1"},
}

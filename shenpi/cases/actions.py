"""One table of what can be done to a case and to its steps: for each action, the
operation a system client needs for it (accounts.client_operations), the service it calls
with which fields of the input, and what the page says once it is done. The case page and
the API read their input each their own way (a form, a serializer) into the same fields,
then both call `run`: the permission check and the call happen here once, so the pages,
the API and the clients cannot drift apart.

Fields an action takes: text as given; dates as `date`; people as `User` (the page names
them by id, the API by user name; each resolves them before calling `run`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shenpi.accounts.client_operations import acts_as_department, ensure_client_may, is_client
from shenpi.accounts.models import User
from shenpi.core.errors import InvalidInput, NotFound

from . import services


@dataclass(frozen=True)
class Action:
    operation: str  # the name in accounts.client_operations.OPERATIONS
    service: Callable
    arguments: Callable[[dict], dict]  # the service's keyword arguments from the input
    done: str  # the page's message; "{step}" is the step's name, "{to}" who it went to
    resource: str  # the API's operation: POST /cases/{id}/<resource>/ (tasks/{id}/ for steps)
    title: str  # the operation's summary in the API's documentation


@dataclass(frozen=True)
class Table:
    target: str  # the keyword the services take the object by: "case" or "task"
    actions: dict[str, Action]

    def __contains__(self, name: str) -> bool:
        return name in self.actions

    def names(self) -> list[str]:
        return list(self.actions)


def _text(*names: str) -> Callable[[dict], dict]:
    return lambda data: {name: data.get(name) or "" for name in names}


def _nothing(data: dict) -> dict:
    return {}


def _required(data: dict, name: str, message: str):
    if not data.get(name):
        raise InvalidInput(message, errors={name: ["必填。"]})
    return data[name]


CASE = Table(
    "case",
    {
        "supplement": Action(
            "case.supplement",
            services.case_supplement,
            _nothing,
            "补正材料已提交，等待预审。",
            resource="supplements",
            title="提交补正材料",
        ),
        "withdraw": Action(
            "case.withdraw",
            services.case_withdraw,
            _text("reason"),
            "申请已撤回。",
            resource="withdrawal",
            title="撤回申请",
        ),
        "accept": Action(
            "case.accept",
            services.case_accept,
            lambda d: {
                "lenient": d.get("lenient"),
                "commitment": d.get("commitment") or "",
                "lenient_due": d.get("lenient_due"),
            },
            "已受理，受理通知书已生成。",
            resource="acceptance",
            title="受理",
        ),
        "correction": Action(
            "case.correction",
            services.case_request_correction,
            lambda d: {"defects": d.get("defects") or []},
            "一次性补正通知已发出（一件事的，与其他部门的要求合并后一次告知申请人）。",
            resource="correction-notices",
            title="一次性告知补正",
        ),
        "not_accept": Action(
            "case.not_accept",
            services.case_not_accept,
            _text("reason", "text", "competent_organ"),
            "已作出不予受理决定。",
            resource="non-acceptance",
            title="不予受理",
        ),
        "originals": Action(
            "case.originals",
            services.case_request_originals,
            lambda d: {"due": _required(d, "due", "请填写核验原件的截止日期。")},  # page: today
            "已通知申请人到窗口核验原件。",
            resource="originals-checks",
            title="通知到窗口核验原件",
        ),
        "decide": Action(
            "case.decide",
            services.case_decide,
            _text("outcome", "reasons"),
            "决定已作出，决定书已生成。",
            resource="decision",
            title="作出准予或不予许可的决定",
        ),
        "deliver": Action(
            "case.deliver",
            services.case_deliver,
            _text("method", "tracking_number"),
            "已送达，办件办结。",
            resource="delivery",
            title="送达决定，办结",
        ),
    },
)

REVIEW = Table(
    "case",
    {
        "suspend": Action(
            "review.suspend",
            services.case_suspend,
            lambda d: {
                "reason": d.get("reason") or "",
                "expected_days": d.get("expected_days") or 0,
                "note": d.get("note") or "",
            },
            "已进入特别程序，暂停计时，告知书已生成。",
            resource="suspensions",
            title="进入特别程序（暂停计时）",
        ),
        "resume": Action(
            "review.resume",
            services.case_resume,
            _nothing,
            "已恢复计时。",
            resource="resumption",
            title="恢复计时",
        ),
        "extend": Action(
            "review.extend",
            services.case_extend,
            _text("reasons"),
            "已批准延期，告知书已生成。",
            resource="extensions",
            title="批准延期（负责人）",
        ),
        "extension_ask": Action(
            "review.extension_ask",
            services.extension_ask,
            _text("reasons"),
            "延期申请已提交，等待负责人审批。",
            resource="extension-requests",
            title="申请延期",
        ),
        "urge": Action(
            "review.urge",
            services.case_urge,
            _text("text"),
            "已催办。",
            resource="urgings",
            title="催办",
        ),
        "hearing_notify": Action(
            "review.hearing_notify",
            services.hearing_notify_rights,
            _text("interested_parties"),
            "已告知听证权利。",
            resource="hearing-notices",
            title="告知听证权利",
        ),
        "hearing_request": Action(
            "review.hearing_request",
            services.hearing_request,
            _nothing,
            "已申请听证。",
            resource="hearing-requests",
            title="申请听证（申请人）",
        ),
        "hearing_schedule": Action(
            "review.hearing_schedule",
            services.hearing_schedule,
            lambda d: {
                "on": _required(d, "on", "请填写听证日期。"),
                "place": d.get("place") or "",
                "presiding_officer": _required(d, "presiding_officer", "请选择听证主持人。"),
            },
            "已安排听证并通知。",
            resource="hearings",
            title="安排听证",
        ),
        "hearing_record": Action(
            "review.hearing_record",
            services.hearing_record,
            _text("record"),
            "听证笔录已归档。",
            resource="hearing-records",
            title="归档听证笔录",
        ),
    },
)

TASK = Table(
    "task",
    {
        "claim": Action(
            "task.claim",
            services.task_claim,
            _nothing,
            "已认领：{step}",
            resource="claim",
            title="认领环节",
        ),
        "hand_back": Action(
            "task.hand_back",
            services.task_hand_back,
            _nothing,
            "已退回待办。",
            resource="hand-back",
            title="退回待办",
        ),
        "pass": Action(
            "task.pass",
            services.task_pass,
            lambda d: {"to": _required(d, "to", "请选择转交给谁。")},
            "已转交给{to}。",
            resource="handover",
            title="转交同事",
        ),
        "verify": Action(
            "task.verify",
            services.task_verify,
            _nothing,
            "已复核（两人核查）。",
            resource="verification",
            title="复核（两人核查）",
        ),
        "complete": Action(
            "task.complete",
            services.task_complete,
            _text("opinion", "verdict"),
            "{step}已完成。",
            resource="completion",
            title="完成环节",
        ),
        "respond": Action(
            "task.respond",
            services.task_respond,
            _text("response"),
            "已答复不同意意见。",
            resource="response",
            title="答复不同意意见",
        ),
    },
)


def actor_for(user, operation: str, official: str = ""):
    """The one client check (accounts.client_operations) for `operation`; for the
    department's operations a system client names the official who takes it, and the
    services apply their rules to that person."""
    ensure_client_may(user, operation)
    if not is_client(user) or not acts_as_department(operation):
        return user
    person = User.objects.filter(
        username=official or "",
        is_active=True,
        office__department_id=user.client.department_id,
    ).first()
    if person is None or user.client.department_id is None:
        raise InvalidInput(
            "须写明办理该事项的本部门工作人员（official）。", errors={"official": ["无效。"]}
        )
    return person


def run(table: Table, name: str, *, user, target, data: dict):
    """Do action `name` of `table` on `target` (a case or a step) for `user`, with the
    input's fields in `data`; returns the target acted on. `target` may be a function that
    finds it: then the client's permission is checked before the object is looked up, so a
    client not allowed the action learns nothing about the object."""
    action = table.actions.get(name)
    if action is None:
        raise NotFound("没有这项操作。")
    actor = actor_for(user, action.operation, data.get("official", ""))
    found = target() if callable(target) else target
    action.service(actor=actor, **{table.target: found}, **action.arguments(data))
    return found


def done_message(table: Table, name: str, **context) -> str:
    return table.actions[name].done.format(**context)

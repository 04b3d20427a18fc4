"""延期审批 (issue 23): the official asks with reasons, the approver Art. 42 names grants
or refuses before the statutory limit ends (TL-01 ¶1 the department's head, TL-02 ¶2 the
government's leader), once per case; a request left undecided is a supervision light.
The page, the tile and the API go through the same selectors and service."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shenpi.accounts.constants import ClientAction
from shenpi.accounts.models import User
from shenpi.cases import access, selectors, services
from shenpi.cases.constants import NoticeKind
from shenpi.cases.models import Case, ExtensionRequest
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.supervision import scan
from shenpi.supervision.models import Warning, WarningKind
from tests.api.test_api import assert_problem, make_client, token_for

from .conftest import FOOD_FORM, complete_draft
from .test_review import accepted_project
from .test_views import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(demo, food):
    """A food-business case of 张三's accepted in 银川 (single handling)."""
    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    return services.case_accept(actor=demo("yc_scjg_off1"), case=case)


def ask(demo, case, who="yc_scjg_off1", reasons="需现场核查，二十日内不能作出决定"):
    return services.extension_ask(actor=demo(who), case=case, reasons=reasons)


def set_due(case, due):
    Case.objects.filter(pk=case.pk).update(statutory_due=due)
    case.refresh_from_db()


def test_tl01_the_official_asks_and_the_head_grants(demo, running):
    due, promised = running.statutory_due, running.promised_due
    request = ask(demo, running)
    assert request.days == 10 and not request.needs_leader
    head = demo("yc_scjg_head")
    assert head.messages.filter(title__startswith="延期待批").exists()
    running.refresh_from_db()
    assert running.extension_days == 0  # nothing moves before the approval
    services.extension_decide(actor=head, request=request, approve=True)
    running.refresh_from_db()
    assert running.extension_days == 10
    assert running.statutory_due > due and running.promised_due > promised
    # The reasons are told to the applicant in writing (Art. 42).
    assert running.notices.filter(kind=NoticeKind.EXTENSION).exists()
    assert demo("zhangsan").messages.filter(title__startswith="办理期限延长").exists()
    assert demo("yc_scjg_off1").messages.filter(title__startswith="延期申请已批准").exists()
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == head
    with pytest.raises(Conflict) as again:  # a double click changes nothing
        services.extension_decide(actor=head, request=request, approve=True)
    assert again.value.code == "extension_decided"
    with pytest.raises(Conflict) as twice:  # once per case
        ask(demo, running)
    assert twice.value.code == "already_extended"


def test_one_pending_request_and_a_refusal_needs_its_reason(demo, running):
    request = ask(demo, running)
    with pytest.raises(Conflict) as pending:
        ask(demo, running)
    assert pending.value.code == "extension_pending"
    head = demo("yc_scjg_head")
    with pytest.raises(InvalidInput):
        services.extension_decide(actor=head, request=request, approve=False, answer=" ")
    services.extension_decide(actor=head, request=request, approve=False, answer="可在期限内办结")
    running.refresh_from_db()
    assert running.extension_days == 0
    assert not running.notices.filter(kind=NoticeKind.EXTENSION).exists()
    assert demo("yc_scjg_off1").messages.filter(title__startswith="延期申请不予批准").exists()
    # Refused, it may be asked again with better reasons.
    assert ask(demo, running, reasons="检验结果需要复核").status == "pending"


def test_only_the_step_staff_ask_and_only_the_approver_decides(demo, running):
    with pytest.raises(NotFound):  # another division's official
        ask(demo, running, who="nx_scjg_off1")
    with pytest.raises(NotFound):  # the applicant
        ask(demo, running, who="zhangsan")
    request = ask(demo, running)
    for outsider in ("yc_zfb_leader", "yc_scjg_off1", "nx_scjg_head"):
        with pytest.raises(NotAllowed):
            services.extension_decide(actor=demo(outsider), request=request, approve=True)
    # Out of the outsiders' queues: 404 on the page and the API.
    with pytest.raises(Http404):
        selectors.extension_for_approver(demo("nx_scjg_head"), request.pk)


def test_tl02_joint_handling_goes_to_the_division_leader(demo):
    case = accepted_project(demo)
    request = ask(demo, case, who="nx_fgw_off1", reasons="多部门意见需协调")
    assert request.needs_leader and request.days == 15
    assert request not in selectors.extension_queue(demo("nx_fgw_head"))
    assert request in selectors.extension_queue(demo("nx_zfb_leader"))
    with pytest.raises(NotAllowed):
        services.extension_decide(actor=demo("nx_fgw_head"), request=request, approve=True)
    services.extension_decide(actor=demo("nx_zfb_leader"), request=request, approve=True)
    case.refresh_from_db()
    assert case.extension_days == 15


def test_tl01_edge_of_the_statutory_limit(demo, running):
    """Art. 42 extends a limit "二十日内不能作出决定的": asked and granted on its last
    day, not the day after, even when no periodic job has run since."""
    today = timezone.localdate()
    set_due(running, today)
    request = ask(demo, running)
    services.extension_decide(actor=demo("yc_scjg_head"), request=request, approve=True)
    running.refresh_from_db()
    assert running.extension_days == 10


def test_after_the_limit_it_can_be_neither_asked_nor_granted(demo, running):
    today = timezone.localdate()
    request = ask(demo, running)
    set_due(running, today - timedelta(days=1))
    with pytest.raises(Conflict) as late:
        services.extension_decide(actor=demo("yc_scjg_head"), request=request, approve=True)
    assert late.value.code == "limit_passed"
    # It can still be closed, with the reason.
    services.extension_decide(
        actor=demo("yc_scjg_head"), request=request, approve=False, answer="已超过法定期限"
    )
    with pytest.raises(Conflict) as asked:
        ask(demo, running)
    assert asked.value.code == "limit_passed"


def test_the_queue_is_the_approval_rule(demo, running):
    """Every staff member's queue holds exactly the requests `may_approve_extension`
    lets them decide: the filter and the check are one rule."""
    single = ask(demo, running)
    joint = ask(demo, accepted_project(demo), who="nx_fgw_off1", reasons="协调")
    for user in User.objects.filter(account_type="staff"):
        queue = set(selectors.extension_queue(user).values_list("pk", flat=True))
        allowed = {
            r.pk
            for r in (single, joint)
            if access.may_approve_extension(
                user,
                needs_leader=r.needs_leader,
                department_id=r.department_id,
                division_id=r.division_id,
            )
        }
        assert queue == allowed, user.username
    assert selectors.extension_queue(demo("yc_scjg_head")).get() == single
    assert selectors.extension_queue(demo("nx_zfb_leader")).get() == joint


def test_a_pending_request_is_a_light_red_once_the_limit_passes(demo, running):
    today = timezone.localdate()
    ask(demo, running)
    key = (running.pk, None, WarningKind.EXTENSION)
    assert scan.desired_warnings(today)[key][0] == "yellow"
    scan.scan_deadlines()
    card = Warning.objects.get(case=running, kind=WarningKind.EXTENSION, cleared_at__isnull=True)
    assert card.level == "yellow" and card.rule_id == "TL-01"
    set_due(running, today - timedelta(days=1))
    assert scan.desired_warnings(today)[key][0] == "red"
    scan.scan_deadlines()
    assert (
        Warning.objects.get(case=running, kind=WarningKind.EXTENSION, cleared_at__isnull=True).level
        == "red"
    )
    request = ExtensionRequest.objects.get(case=running)
    services.extension_decide(
        actor=demo("yc_scjg_head"), request=request, approve=False, answer="已超过法定期限"
    )
    assert key not in scan.desired_warnings(today)
    scan.scan_deadlines()
    assert not Warning.objects.filter(
        case=running, kind=WarningKind.EXTENSION, cleared_at__isnull=True
    ).exists()


def test_the_approver_extends_directly_with_the_same_history(demo, running):
    services.case_extend(actor=demo("yc_scjg_head"), case=running, reasons="现场核查")
    request = ExtensionRequest.objects.get(case=running)
    assert request.status == "approved" and request.asked_by == request.decided_by


# --- pages ---------------------------------------------------------------------------------


def test_the_official_asks_on_the_case_page_and_the_head_grants_from_the_tile(
    client, demo, running
):
    login(client, "yc_scjg_off1")
    page = client.get(reverse("cases:detail", args=[running.pk])).content.decode()
    assert "申请延期" in page and 'value="extend"' not in page
    client.post(
        reverse("cases:review_act", args=[running.pk]),
        {"action": "extension_ask", "reasons": "需现场核查"},
    )
    page = client.get(reverse("cases:detail", args=[running.pk])).content.decode()
    assert 'data-testid="extension-pending"' in page

    login(client, "yc_scjg_head")
    home = client.get("/workbench/head/").content.decode()
    assert "/desk/extensions/" in home and "1 件待办" in home
    queue = client.get(reverse("cases:extensions")).content.decode()
    assert running.number in queue and "需现场核查" in queue
    request = ExtensionRequest.objects.get(case=running)
    done = client.post(
        reverse("cases:extension_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert done.status_code == 302
    running.refresh_from_db()
    assert running.extension_days == 10
    assert "1 件待办" not in client.get("/workbench/head/").content.decode()


def test_a_refused_decision_keeps_the_typed_answer(client, demo, running):
    request = ask(demo, running)
    set_due(running, timezone.localdate() - timedelta(days=1))
    login(client, "yc_scjg_head")
    page = client.post(
        reverse("cases:extension_decide", args=[request.pk]),
        {"decision": "approve", "answer": "同意，抓紧办理"},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "不能再延期（第四十二条）" in text and 'value="同意，抓紧办理"' in text


@pytest.mark.parametrize("username", ["yc_scjg_off1", "zhangsan", "nx_jc_sup"])
def test_the_queue_is_for_approvers_only(client, demo, username):
    login(client, username)
    assert client.get(reverse("cases:extensions")).status_code == 404


def test_a_malformed_or_foreign_request_id_is_404(client, demo, running):
    request = ask(demo, running)
    login(client, "nx_scjg_head")
    assert (
        client.post(f"/desk/extensions/{request.pk}/", {"decision": "approve"}).status_code == 404
    )
    assert client.post("/desk/extensions/not-a-uuid/", {"decision": "approve"}).status_code == 404


# --- API -----------------------------------------------------------------------------------


def test_asked_listed_and_decided_over_the_api(client, demo, running):
    off = token_for(client, "yc_scjg_off1")
    asked = client.post(
        f"/api/v1/cases/{running.pk}/extension-requests/",
        {},
        content_type="application/json",
        **off,
    )
    assert asked.status_code == 400  # reasons are required
    asked = client.post(
        f"/api/v1/cases/{running.pk}/extension-requests/",
        {"reasons": "需现场核查"},
        content_type="application/json",
        **off,
    )
    assert asked.status_code == 200, asked.content
    head = token_for(client, "yc_scjg_head")
    queue = client.get("/api/v1/extension-requests/", **head).json()
    assert [r["number"] for r in queue] == [running.number]
    assert queue[0]["statutory_due"] == running.statutory_due.isoformat()
    rid = queue[0]["id"]
    assert client.get("/api/v1/extension-requests/", **off).json() == []
    refused = client.post(
        f"/api/v1/extension-requests/{rid}/decision/",
        {"decision": "refuse"},
        content_type="application/json",
        **head,
    )
    assert refused.status_code == 400
    done = client.post(
        f"/api/v1/extension-requests/{rid}/decision/",
        {"decision": "approve"},
        content_type="application/json",
        **head,
    )
    assert done.status_code == 200 and done.json()["status"] == "approved"
    again = client.post(
        f"/api/v1/extension-requests/{rid}/decision/",
        {"decision": "approve"},
        content_type="application/json",
        **head,
    )
    assert_problem(again, 409, "extension_decided")
    other = token_for(client, "nx_scjg_head")
    assert (
        client.post(
            f"/api/v1/extension-requests/{rid}/decision/",
            {"decision": "refuse", "answer": "x"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )


def test_a_system_client_cannot_approve(client, demo):
    _sc, auth = make_client(department="yc-scjg", actions=[ClientAction.CASE_ACT])
    assert_problem(client.get("/api/v1/extension-requests/", **auth), 403, "people_only")


def test_a_request_left_pending_turns_red_with_nothing_else_changing(demo, running):
    """The day after the statutory limit, the incremental scan turns the waiting request
    red though no row changed since the last scan (TL-01: it can no longer be granted)."""
    import time_machine
    from django.db import connection

    today = timezone.localdate()
    ask(demo, running)
    with connection.cursor() as cursor:
        # The limit moved to today behind the scan's back (no change recorded), so that
        # only time tells the next scan anything.
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE cases_case SET statutory_due = %s WHERE id = %s", [today, running.pk.hex]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    scan.scan_deadlines()
    card = Warning.objects.get(case=running, kind=WarningKind.EXTENSION, cleared_at__isnull=True)
    assert card.level == "yellow"
    with time_machine.travel(today + timedelta(days=1), tick=False):
        report = scan.scan_deadlines()
    assert (
        Warning.objects.get(case=running, kind=WarningKind.EXTENSION, cleared_at__isnull=True).level
        == "red"
    ), report

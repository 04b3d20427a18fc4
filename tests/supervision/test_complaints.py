"""Complaints (投诉举报) whose loops close (issue 20, defect 7): each step has its light and
is warned, a transferred complaint reaches its handler, the finding is supervision's, and
the complainant rates the reply on a page of their own."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from shenpi.accounts.models import Department
from shenpi.core.clock import add_working_days
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.notify.models import Message
from shenpi.supervision import feedback
from shenpi.workdays.services import calendar

pytestmark = pytest.mark.django_db


def filed(demo, who="zhangsan"):
    return feedback.complaint_file(
        actor=demo(who),
        department=Department.objects.get(code="yc-scjg"),
        subject="办理慢",
        body="超过承诺时限",
    )


def transferred(demo):
    complaint = filed(demo)
    return feedback.complaint_decide(
        actor=demo("yc_jc_sup"), complaint=complaint, take=True, handler=demo("yc_scjg_off1")
    )


def test_a_transferred_complaint_reaches_the_officials_page(client, demo):
    complaint = transferred(demo)
    client.force_login(demo("yc_scjg_off1"))
    page = client.get(reverse("supervision:complaints"))
    assert page.status_code == 200 and complaint.number in page.content.decode()
    client.post(
        reverse("supervision:complaint_act", args=[complaint.pk]),
        {"action": "reply", "reply": "已约谈窗口人员并加快办理"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "replied" and complaint.reply.startswith("已约谈")
    # Another department's official is not shown it.
    client.force_login(demo("nx_scjg_off1"))
    assert complaint.number not in client.get(reverse("supervision:complaints")).content.decode()


def test_a_complaint_is_transferred_only_to_supervision_or_the_department(demo):
    complaint = filed(demo)
    with pytest.raises(InvalidInput):
        feedback.complaint_decide(
            actor=demo("yc_jc_sup"), complaint=complaint, take=True, handler=demo("nx_fgw_off1")
        )


def test_the_department_cannot_find_its_own_complaint_unfounded(demo):
    complaint = transferred(demo)
    feedback.complaint_reply(
        actor=demo("yc_scjg_off1"), complaint=complaint, reply="已加快", substantiated=False
    )
    complaint.refresh_from_db()
    assert complaint.substantiated is None and complaint.found_by is None
    assert Message.objects.filter(
        user=demo("yc_jc_sup"), title__startswith="投诉已答复，待认定"
    ).exists()
    with pytest.raises(NotFound):
        feedback.complaint_find(
            actor=demo("yc_scjg_head"), complaint=complaint, substantiated=False
        )
    feedback.complaint_find(actor=demo("yc_jc_sup"), complaint=complaint, substantiated=True)
    complaint.refresh_from_db()
    assert complaint.substantiated is True and complaint.found_by == demo("yc_jc_sup")
    with pytest.raises(Conflict):
        feedback.complaint_find(actor=demo("yc_jc_sup"), complaint=complaint, substantiated=False)


def test_a_supervisor_replying_must_find_it(demo):
    complaint = filed(demo)
    feedback.complaint_decide(actor=demo("yc_jc_sup"), complaint=complaint, take=True)
    with pytest.raises(InvalidInput):
        feedback.complaint_reply(actor=demo("yc_jc_sup"), complaint=complaint, reply="已处理")
    feedback.complaint_reply(
        actor=demo("yc_jc_sup"), complaint=complaint, reply="已处理", substantiated=False
    )
    complaint.refresh_from_db()
    assert complaint.substantiated is False and complaint.found_by == demo("yc_jc_sup")


def test_each_step_turns_yellow_then_red_and_is_warned_once(demo):
    cal = calendar()
    complaint = filed(demo)
    supervisor = demo("yc_jc_sup")

    def warnings():
        return Message.objects.filter(user=supervisor, title__contains=complaint.subject).filter(
            title__startswith="投诉受理决定"
        )

    today = timezone.localdate()
    assert feedback.complaint_light(complaint, today, cal)[2] == "green"
    eve = complaint.decide_by  # its last day: one working day left or fewer
    with time_machine.travel(f"{eve.isoformat()} 09:00 +0800", tick=False):
        assert feedback.complaint_light(complaint, eve, cal)[2] == "yellow"
        assert feedback.complaints_watch() >= 1
        assert feedback.complaints_watch() == 0  # once
    assert warnings().filter(title__contains="即将到期").count() == 1
    late = complaint.decide_by + timedelta(days=1)
    with time_machine.travel(f"{late.isoformat()} 09:00 +0800", tick=False):
        feedback.complaints_watch()
    assert warnings().filter(title__contains="已逾期").count() == 1


def test_the_reply_deadline_warns_the_handler(demo):
    complaint = transferred(demo)
    late = complaint.reply_due + timedelta(days=1)
    with time_machine.travel(f"{late.isoformat()} 09:00 +0800", tick=False):
        feedback.complaints_watch()
    assert Message.objects.filter(
        user=demo("yc_scjg_off1"), title__startswith="投诉答复已逾期"
    ).exists()


def test_the_complainant_rates_the_reply_on_their_page(client, demo):
    complaint = transferred(demo)
    feedback.complaint_reply(actor=demo("yc_scjg_off1"), complaint=complaint, reply="已加快")
    client.force_login(demo("zhangsan"))
    page = client.get(reverse("supervision:my_complaints")).content.decode()
    assert "已加快" in page and 'name="satisfaction"' in page
    response = client.post(
        reverse("supervision:complaint_act", args=[complaint.pk]),
        {"action": "rate", "satisfaction": "基本满意", "next": "/my/complaints/"},
    )
    assert response.status_code == 302 and response["Location"] == "/my/complaints/"
    complaint.refresh_from_db()
    assert complaint.satisfaction == "基本满意"


def test_the_complaint_page_redirects_only_within_the_site(client, demo):
    complaint = transferred(demo)
    client.force_login(demo("zhangsan"))
    response = client.post(
        reverse("supervision:complaint_act", args=[complaint.pk]),
        {"action": "rate", "satisfaction": "满意", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("supervision:complaints")


def test_the_yellow_edge_is_the_platforms_rule(demo):
    cal = calendar()
    complaint = filed(demo)
    start = timezone.localtime(complaint.filed_at).date()
    # Two working days before the decision's due date: left 2, used 3 of 5 (60 %): green.
    two_before = add_working_days(cal, start, 3)
    assert feedback.complaint_light(complaint, two_before, cal)[2] == "green"


def test_the_api_takes_the_same_actions_and_lists_with_lights(client, demo):
    from tests.api.test_api import token_for

    complaint = filed(demo)
    supervisor = token_for(client, "yc_jc_sup")
    listed = client.get("/api/v1/complaints/", **supervisor).json()
    row = next(r for r in listed if r["number"] == complaint.number)
    assert row["light"]["step"] == "decide" and row["light"]["light"] in ("green", "yellow")
    url = f"/api/v1/complaints/{complaint.number}/actions/"
    taken = client.post(
        url,
        {"action": "take", "handler": "yc_scjg_off1"},
        content_type="application/json",
        **supervisor,
    )
    assert taken.status_code == 200 and taken.json()["handler"] == "yc_scjg_off1"
    official = token_for(client, "yc_scjg_off1")
    replied = client.post(
        url,
        {"action": "reply", "reply": "已加快", "substantiated": False},
        content_type="application/json",
        **official,
    )
    assert replied.json()["substantiated"] is None  # the finding is supervision's
    stranger = token_for(client, "nx_fgw_off1")
    assert (
        client.post(
            url,
            {"action": "find", "substantiated": True},
            content_type="application/json",
            **stranger,
        ).status_code
        == 404
    )
    found = client.post(
        url,
        {"action": "find", "substantiated": True},
        content_type="application/json",
        **supervisor,
    )
    assert found.status_code == 200 and found.json()["substantiated"] is True

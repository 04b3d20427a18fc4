"""Hearings (HRG-01..03; Art. 36, 46-48) at their edges."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from shenpi.cases import services
from shenpi.cases.models import Task
from shenpi.catalog.models import Item
from shenpi.core.clock import add_working_days
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.workdays.services import calendar

from .conftest import complete_draft

pytestmark = pytest.mark.django_db

FORM = {
    "applicant_name": "宁夏塞上能源有限公司",
    "contact": "马建华",
    "phone": "13895000003",
    "project": "宁东扩建",
    "assessor": "宁夏环境科学研究院",
}


def reviewed(
    demo, code, official, head_steps=("first_review", "review", "second_review"), form=FORM
):
    item = Item.objects.get(code=code)
    case = complete_draft(services, demo("saishang"), item)
    fields = {
        f["key"]: form.get(f["key"], "100" if f["type"] == "number" else "示例")
        for f in item.current.form_fields
    }
    case = services.case_submit(
        actor=demo("saishang"), case=case, declaration=True, form_data=fields
    )
    case = services.case_accept(actor=demo(official), case=case)
    for key in head_steps:
        services.task_complete(
            actor=demo(official), task=Task.objects.get(case=case, step_key=key), opinion="符合"
        )
    return case


def test_hrg01_a_mandatory_hearing_must_be_held_before_the_decision(demo):
    case = reviewed(demo, "640000-STHJ-001", "nx_sthj_off1")
    with pytest.raises(Conflict) as exc:
        services.case_decide(actor=demo("nx_sthj_head"), case=case, outcome="granted")
    assert exc.value.code == "hearing_pending" and "第四十六条" in exc.value.message
    services.hearing_notify_rights(
        actor=demo("nx_sthj_off1"), case=case, interested_parties="周边村民"
    )
    today = timezone.localdate()
    soon = add_working_days(calendar(), today, 6)
    with pytest.raises(InvalidInput) as exc:  # HRG-03: 7 working days' notice
        services.hearing_schedule(
            actor=demo("nx_sthj_off1"),
            case=case,
            on=soon,
            place="会议室",
            presiding_officer=demo("nx_sthj_off2"),
        )
    assert exc.value.code == "notice_too_short"
    on = add_working_days(calendar(), today, 7)
    with pytest.raises(InvalidInput) as exc:  # HRG-03: not a reviewer of the case
        services.hearing_schedule(
            actor=demo("nx_sthj_off1"),
            case=case,
            on=on,
            place="会议室",
            presiding_officer=demo("nx_sthj_off1"),
        )
    assert exc.value.code == "presiding_reviewer"
    services.hearing_schedule(
        actor=demo("nx_sthj_off1"),
        case=case,
        on=on,
        place="自治区生态环境厅听证室",
        presiding_officer=demo("nx_sthj_off2"),
    )
    case.refresh_from_db()
    assert case.status == "suspended"  # TL-05: the hearing's time does not count
    with pytest.raises(NotFound):
        services.hearing_record(actor=demo("nx_sthj_off1"), case=case, record="x")
    with time_machine.travel(on + timedelta(hours=12), tick=False):
        services.hearing_record(
            actor=demo("nx_sthj_off2"), case=case, record="听证笔录：……各方签字确认。"
        )
    case.refresh_from_db()
    from shenpi.core.clock import excluded_by_suspension

    assert case.status == "processing"
    assert case.suspended_days == excluded_by_suspension(calendar(), today, on)
    case = services.case_decide(actor=demo("nx_sthj_head"), case=case, outcome="granted")
    text = "".join(
        "".join(p.extract_text().split())
        for p in PdfReader(case.notices.get(kind="grant").file.open("rb")).pages
    )
    assert "听证笔录作出" in text


def test_hrg02_the_decision_waits_for_the_5_working_day_request_window(demo):
    case = reviewed(demo, "640100-ZRZY-001", "yc_zrzy_off1")
    with time_machine.travel("2026-12-04 10:00 +0800", tick=False):  # a Friday
        hearing = services.hearing_notify_rights(
            actor=demo("yc_zrzy_off1"), case=case, interested_parties="相邻业主"
        )
    assert hearing.request_due.isoformat() == "2026-12-11"  # 7, 8, 9, 10, 11 Dec
    with time_machine.travel("2026-12-11 18:00 +0800", tick=False), pytest.raises(Conflict) as exc:
        services.case_decide(actor=demo("yc_zrzy_head"), case=case, outcome="granted")
    assert exc.value.code == "hearing_pending"
    with time_machine.travel("2026-12-12 09:00 +0800", tick=False):
        with pytest.raises(Conflict) as exc:
            services.hearing_request(actor=demo("saishang"), case=case)
        assert exc.value.code == "request_late"
        services.case_decide(actor=demo("yc_zrzy_head"), case=case, outcome="granted")


def requested(demo):
    """A reviewed land case whose applicant, told of the right, asked for a hearing."""
    case = reviewed(demo, "640100-ZRZY-001", "yc_zrzy_off1")
    services.hearing_notify_rights(actor=demo("yc_zrzy_off1"), case=case)
    services.hearing_request(actor=demo("saishang"), case=case)
    return case


def test_hrg02_a_requested_hearing_is_held_within_20_working_days(demo):
    case = requested(demo)
    with pytest.raises(Conflict):
        services.hearing_request(actor=demo("saishang"), case=case)
    late = add_working_days(calendar(), timezone.localdate(), 21)
    with pytest.raises(InvalidInput) as exc:
        services.hearing_schedule(
            actor=demo("yc_zrzy_off1"),
            case=case,
            on=late,
            place="听证室",
            presiding_officer=demo("yc_zrzy_off2"),
        )
    assert exc.value.code == "hearing_too_late"
    with pytest.raises(Conflict):  # requested but not held: no decision yet
        services.case_decide(actor=demo("yc_zrzy_head"), case=case, outcome="refused", reasons="x")


def scheduled(demo, on):
    case = requested(demo)
    services.hearing_schedule(
        actor=demo("yc_zrzy_off1"),
        case=case,
        on=on,
        place="听证室",
        presiding_officer=demo("yc_zrzy_off2"),
    )
    return case


def test_hrg03_a_hearing_cannot_be_recorded_before_its_day(demo):
    """Art. 48(1): set for the 8th working day, recorded the day before is refused and the
    decision stays blocked; on the day itself the record is taken."""
    on = add_working_days(calendar(), timezone.localdate(), 8)
    case = scheduled(demo, on)
    eve = on - timedelta(days=1)
    with (
        time_machine.travel(f"{eve.isoformat()} 17:00 +0800", tick=False),
        pytest.raises(Conflict) as exc,
    ):
        services.hearing_record(actor=demo("yc_zrzy_off2"), case=case, record="笔录")
    assert exc.value.code == "hearing_not_yet_held" and "第四十八条" in exc.value.message
    assert services.hearing_blocks_decision(case)
    with time_machine.travel(f"{on.isoformat()} 09:00 +0800", tick=False):
        hearing = services.hearing_record(actor=demo("yc_zrzy_off2"), case=case, record="笔录")
    assert hearing.held_on == on and services.hearing_blocks_decision(case) is None


def test_hrg03_a_hearing_is_not_set_on_a_day_off(demo):
    cal = calendar()
    day = add_working_days(cal, timezone.localdate(), 9)
    while cal.is_working(day):
        day += timedelta(days=1)
    case = requested(demo)
    with pytest.raises(InvalidInput) as exc:
        services.hearing_schedule(
            actor=demo("yc_zrzy_off1"),
            case=case,
            on=day,
            place="听证室",
            presiding_officer=demo("yc_zrzy_off2"),
        )
    assert exc.value.code == "hearing_not_on_a_working_day"

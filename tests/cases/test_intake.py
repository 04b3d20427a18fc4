"""Applying and acceptance (Art. 29-34, RCV-01..08, REV-01, PUB-05, SAN-01), at the edges."""

from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from shenpi.audit.models import AuditRecord
from shenpi.cases import services
from shenpi.cases.models import Bar, Case, CaseEvent, Licence, Task
from shenpi.catalog.models import Item
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

from .conftest import FOOD_FORM, complete_draft, pdf_upload

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_SPRING_FESTIVAL = "2026-02-13 16:30 +0800"


def submitted(food, demo, **kwargs):
    case = complete_draft(services, demo("zhangsan"), food, **kwargs)
    return services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )


def pdf_text(filefield):
    """The PDF's text with line breaks removed (the notice wraps long lines)."""
    return "".join(
        "".join(page.extract_text().split()) for page in PdfReader(filefield.open("rb")).pages
    )


def test_submit_numbers_the_case_and_sets_the_correction_deadline(food, demo):
    with time_machine.travel(FRIDAY_BEFORE_SPRING_FESTIVAL, tick=False):
        case = submitted(food, demo)
    assert case.status == "received"
    assert case.number.startswith("64010020260213") and len(case.number) == 19
    assert len(case.query_password) == 8
    # RCV-04: 5 working days from a Friday receipt across the Spring Festival 2026
    # (Sat 14 Feb is a make-up working day; 15-23 Feb are off): 14, 24, 25, 26, 27 Feb.
    assert case.correction_due == date(2026, 2, 27)
    assert case.applicant.messages.filter(case=case).exists()
    assert AuditRecord.objects.filter(stream=f"case:{case.pk}", action="case.submit").exists()


def test_submitting_twice_is_a_409_and_changes_nothing(food, demo):
    case = submitted(food, demo)
    with pytest.raises(Conflict) as exc:
        services.case_submit(actor=demo("zhangsan"), case=case, declaration=True)
    assert exc.value.code == "already_submitted"


def test_a_missing_required_material_is_refused(food, demo):
    case = complete_draft(
        services, demo("zhangsan"), food, skip=("经营场所平面布局图和设备布局、操作流程图",)
    )
    with pytest.raises(InvalidInput) as exc:
        services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
    assert "经营场所平面布局图" in exc.value.errors["materials"][0]
    case.refresh_from_db()
    assert case.status == "draft" and case.number is None


def test_pub05_the_truthfulness_declaration_is_required(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    with pytest.raises(InvalidInput) as exc:
        services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=False, form_data=FOOD_FORM
        )
    assert "第三十一条" in exc.value.message


def test_the_items_form_is_validated(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    with pytest.raises(InvalidInput) as exc:
        services.case_submit(
            actor=demo("zhangsan"),
            case=case,
            declaration=True,
            form_data={**FOOD_FORM, "business_type": "黑作坊", "area": "很大"},
        )
    assert set(exc.value.errors) == {"business_type", "area"}


def test_a_crash_in_the_middle_leaves_no_half_submitted_case(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    with (
        mock.patch("shenpi.cases.records.notify", side_effect=RuntimeError("gateway down")),
        pytest.raises(RuntimeError),
    ):
        services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
    case.refresh_from_db()
    assert case.status == "draft" and case.number is None
    assert not CaseEvent.objects.filter(case=case).exists()


def test_an_abolished_item_takes_no_application(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    Item.objects.filter(pk=food.pk).update(abolished_at=timezone.now())
    with pytest.raises(Conflict) as exc:
        services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
    assert exc.value.code == "item_abolished"


def test_another_departments_official_cannot_pre_review(food, demo):
    case = submitted(food, demo)
    with pytest.raises(NotFound):
        services.case_accept(actor=demo("nx_scjg_off1"), case=case)


def test_rcv05_acceptance_opens_the_first_stage_with_due_dates(food, demo):
    with time_machine.travel("2026-09-24 10:00 +0800", tick=False):
        case = services.case_accept(actor=demo("yc_scjg_off1"), case=submitted(food, demo))
    # TL-01: 20 working days from acceptance on Thursday 24 Sep 2026, across Mid-Autumn and
    # National Day, the make-up Saturday 10 Oct counting.
    assert case.statutory_due == date(2026, 10, 29)
    assert case.promised_due == date(2026, 10, 15)
    task = Task.objects.get(case=case)
    # The step's 3 days: Fri 25 Sep is Mid-Autumn, so 28, 29, 30 Sep.
    assert (task.step_key, task.department.code, task.due_date) == (
        "first_review",
        "yc-scjg",
        date(2026, 9, 30),
    )
    assert case.notices.get(kind="acceptance")
    assert "决定予以受理" in pdf_text(case.notices.get(kind="acceptance").file)


def test_rcv04_deemed_acceptance_only_after_the_5th_working_day(food, demo):
    with time_machine.travel(FRIDAY_BEFORE_SPRING_FESTIVAL, tick=False):
        case = submitted(food, demo)
    with time_machine.travel(
        "2026-02-27 23:59 +0800", tick=False
    ):  # the 5th working day: still in time
        assert services.cases_deadlines()["deemed_accepted"] == 0
    with time_machine.travel("2026-02-28 00:01 +0800", tick=False):
        assert services.cases_deadlines()["deemed_accepted"] == 1
        assert services.cases_deadlines()["deemed_accepted"] == 0  # once only
    case.refresh_from_db()
    assert case.status == "processing" and case.deemed_accepted
    # Accepted as of the receipt, so the statutory clock runs from 13 Feb: the make-up
    # Saturdays 14 and 28 Feb count, 15-23 Feb do not; the 20th working day is 19 March.
    assert timezone.localtime(case.accepted_at).date() == date(2026, 2, 13)
    assert case.statutory_due == date(2026, 3, 19)
    assert CaseEvent.objects.get(case=case, kind="deemed_accepted").breach == "RCV-04"


def test_rcv04_one_notice_listing_every_defect_then_supplement(food, demo):
    case = submitted(food, demo)
    plan, rules = food.current.materials.filter(
        name__in=["经营场所平面布局图和设备布局、操作流程图", "食品安全管理制度"]
    )
    notice = services.case_request_correction(
        actor=demo("yc_scjg_off1"),
        case=case,
        defects=[
            {"requirement": plan.pk, "note": "平面图缺少比例尺"},
            {"requirement": rules.pk, "note": "未盖公章"},
        ],
    )
    assert [d["name"] for d in notice.defects] == [plan.name, rules.name]
    case.refresh_from_db()
    assert case.status == "correction_requested"
    text = pdf_text(case.notices.get(kind="correction").file)
    assert "平面图缺少比例尺" in text and "未盖公章" in text and "一次告知" in text
    # The supplement must bring every piece named.
    services.case_add_material(
        actor=demo("zhangsan"), case=case, requirement_id=plan.pk, upload=pdf_upload()
    )
    with pytest.raises(InvalidInput):
        services.case_supplement(actor=demo("zhangsan"), case=case)
    services.case_add_material(
        actor=demo("zhangsan"), case=case, requirement_id=rules.pk, upload=pdf_upload()
    )
    case = services.case_supplement(actor=demo("zhangsan"), case=case)
    assert case.status == "received" and case.correction_round == 1
    # A second notice may only name what the first one named (Art. 32(4)).
    other = food.current.materials.get(name="食品经营许可申请书")
    with pytest.raises(InvalidInput) as exc:
        services.case_request_correction(
            actor=demo("yc_scjg_off1"),
            case=case,
            defects=[{"requirement": other.pk, "note": "字迹不清"}],
        )
    assert exc.value.code == "not_in_first_notice"
    services.case_request_correction(
        actor=demo("yc_scjg_off1"),
        case=case,
        defects=[{"requirement": plan.pk, "note": "比例尺仍不清楚"}],
    )


def test_pub05_a_correction_only_asks_for_listed_materials(food, demo):
    case = submitted(food, demo)
    with pytest.raises(InvalidInput) as exc:
        services.case_request_correction(
            actor=demo("yc_scjg_off1"),
            case=case,
            defects=[{"requirement": 999999, "note": "请提供房产证"}],
        )
    assert exc.value.code == "not_on_list"


def test_the_supplement_deadline_passing_is_a_deemed_withdrawal(food, demo):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = submitted(food, demo)
        plan = food.current.materials.get(name="食品安全管理制度")
        services.case_request_correction(
            actor=demo("yc_scjg_off1"),
            case=case,
            defects=[{"requirement": plan.pk, "note": "补盖公章"}],
        )
    case.refresh_from_db()
    assert case.supplement_due == date(
        2026, 4, 1
    )  # 30 calendar days, read in the applicant's favour
    with time_machine.travel("2026-04-01 20:00 +0800", tick=False):
        assert services.cases_deadlines()["deemed_withdrawn"] == 0
    with time_machine.travel("2026-04-02 08:00 +0800", tick=False):
        assert services.cases_deadlines()["deemed_withdrawn"] == 1
    case.refresh_from_db()
    assert case.status == "withdrawn"


def test_acceptance_of_an_incomplete_case_is_refused(food, demo):
    case = complete_draft(services, demo("zhangsan"), food)
    services.case_submit(actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM)
    case.materials.filter(requirement__name="食品安全管理制度").delete()
    with pytest.raises(Conflict) as exc:
        services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    assert exc.value.code == "incomplete"


def test_lenient_acceptance_then_termination_when_the_gap_is_not_filled(food, demo):
    lenient = food.current.materials.get(lenient_allowed=True)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = complete_draft(services, demo("zhangsan"), food, skip=(lenient.name,))
        services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )
        with pytest.raises(InvalidInput):
            services.case_accept(actor=demo("yc_scjg_off1"), case=case, lenient=[lenient.pk])
        case = services.case_accept(
            actor=demo("yc_scjg_off1"),
            case=case,
            lenient=[lenient.pk],
            commitment="20日内补交人员名单",
            lenient_due=date(2026, 3, 20),
        )
    assert case.notices.filter(kind="lenient").exists()
    with time_machine.travel("2026-03-21 09:00 +0800", tick=False):
        assert services.cases_deadlines()["terminated"] == 1
    case.refresh_from_db()
    assert case.status == "terminated"


def test_rcv07_and_rcv02_non_acceptance_needs_reasons_and_names_the_organ(food, demo):
    case = submitted(food, demo)
    with pytest.raises(InvalidInput):
        services.case_not_accept(actor=demo("yc_scjg_off1"), case=case, reason="other", text=" ")
    with pytest.raises(InvalidInput) as exc:
        services.case_not_accept(
            actor=demo("yc_scjg_off1"), case=case, reason="not_competent", text="不属本局"
        )
    assert "competent_organ" in exc.value.errors
    case = services.case_not_accept(
        actor=demo("yc_scjg_off1"),
        case=case,
        reason="not_competent",
        text="经营场所位于石嘴山市",
        competent_organ="石嘴山市市场监督管理局",
    )
    assert case.status == "not_accepted"
    text = pdf_text(case.notices.get(kind="non_acceptance").file)
    assert "石嘴山市市场监督管理局" in text and "行政复议" in text


def test_san01_false_materials_on_a_safety_item_bar_the_applicant_for_a_year(food, demo):
    case = submitted(food, demo)
    services.case_not_accept(
        actor=demo("yc_scjg_off1"), case=case, reason="false_materials", text="营业执照系伪造"
    )
    bar = Bar.objects.get(case=case)
    assert (bar.until - timezone.localdate()).days == 365 and bar.article == "第七十八条"
    with pytest.raises(NotAllowed) as exc:
        services.case_create_draft(actor=demo("zhangsan"), item=food)
    assert exc.value.code == "barred" and "前不得再次申请" in exc.value.message


def test_san01_a_bar_holds_through_its_last_day_and_the_latest_is_told(food, demo):
    """SAN-01/02 (Art. 78, 79): barred until and including `until`; of two bars in force
    the applicant is told the one that ends last; the day after, the applicant may apply."""
    import time_machine

    case = submitted(food, demo)
    code = demo("zhangsan").id_number
    for until in ("2026-06-30", "2027-01-15", "2025-01-01"):
        Bar.objects.create(
            applicant_code=code, item=food, until=until, article="第七十八条", case=case
        )
    for moment in ("2026-06-30 09:00 +0800", "2027-01-15 23:00 +0800"):
        with time_machine.travel(moment, tick=False), pytest.raises(NotAllowed) as exc:
            services.case_create_draft(actor=demo("zhangsan"), item=food)
        assert "2027年01月15日" in exc.value.message
    with time_machine.travel("2027-01-16 00:30 +0800", tick=False):
        draft = services.case_create_draft(actor=demo("zhangsan"), item=food)
    assert draft.status == "draft"


def test_accepting_a_withdrawn_case_is_out_of_turn(food, demo):
    case = submitted(food, demo)
    services.case_withdraw(actor=demo("zhangsan"), case=case)
    with pytest.raises(Conflict):
        services.case_accept(actor=demo("yc_scjg_off1"), case=case)


def test_a_stranger_cannot_withdraw(food, demo):
    case = submitted(food, demo)
    with pytest.raises(NotFound):
        services.case_withdraw(actor=demo("lisi"), case=case)


def test_two_level_cases_go_to_the_chosen_divisions_department(demo):
    from shenpi.accounts.models import Division

    item = Item.objects.get(code="640000-SCJG-002")
    case = services.case_create_draft(
        actor=demo("saishang"), item=item, chosen_division=Division.objects.get(code="640104")
    )
    assert case.department.code == "xq-scjg"
    with pytest.raises(InvalidInput):
        services.case_create_draft(actor=demo("saishang"), item=item)


def test_rev01_an_instant_item_is_decided_at_the_window_in_one_sitting(demo):
    item = Item.objects.get(code="640104-SCJG-001")
    with pytest.raises(
        NotAllowed
    ):  # the regional market-regulation window does not act for Xingqing
        services.case_create_draft(
            actor=demo("clerk_nx_scjg"), item=item, applicant=demo("lisi"), channel="window"
        )
    clerk = demo("clerk_xq_scjg")  # Xingqing's window at the Yinchuan service centre
    case = services.case_create_draft(
        actor=clerk, item=item, applicant=demo("lisi"), channel="window"
    )
    for requirement in item.current.materials.all():
        services.case_add_material(
            actor=clerk, case=case, requirement_id=requirement.pk, upload=pdf_upload(), scanned=True
        )
    services.case_save_form(
        actor=clerk, case=case, data={"operator": "李四", "premises": "兴庆区", "scope": "百货"}
    )
    case = services.case_window_instant(actor=clerk, case=case)
    assert case.status == "closed" and case.outcome == "granted"
    licence = Licence.objects.get(case=case)
    assert "个体工商户营业执照" in pdf_text(licence.file)
    assert case.materials.filter(original_seen_at__isnull=False).count() == 2
    assert {n.kind for n in case.notices.all()} == {"acceptance", "grant"}


def test_dec02_a_refusal_needs_reasons_and_states_the_remedies(demo):
    item = Item.objects.get(code="640104-SCJG-001")
    case = services.case_create_draft(actor=demo("zhangsan"), item=item)
    for requirement in item.current.materials.all():
        services.case_add_material(
            actor=demo("zhangsan"), case=case, requirement_id=requirement.pk, upload=pdf_upload()
        )
    case = services.case_submit(
        actor=demo("zhangsan"),
        case=case,
        declaration=True,
        form_data={"operator": "张三", "premises": "兴庆区", "scope": "百货"},
    )
    case = services.case_accept(actor=demo("xq_scjg_off1"), case=case)
    assert case.promised_due is not None  # instant online: 1 working day
    with pytest.raises(InvalidInput):
        services.case_decide(actor=demo("xq_scjg_off1"), case=case, outcome="refused", reasons="")
    case = services.case_decide(
        actor=demo("xq_scjg_off1"), case=case, outcome="refused", reasons="经营范围属于禁止类"
    )
    text = pdf_text(case.notices.get(kind="refusal").file)
    assert "六十日内" in text and "六个月内" in text and "经营范围属于禁止类" in text
    with pytest.raises(Conflict):
        services.case_decide(actor=demo("xq_scjg_off1"), case=case, outcome="granted")


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_stored(food, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = services.case_create_draft(actor=demo("zhangsan"), item=food)
    requirement = food.current.materials.first()
    with pytest.raises(InvalidInput) as exc:
        services.case_add_material(
            actor=demo("zhangsan"),
            case=case,
            requirement_id=requirement.pk,
            upload=SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00" + b"\x00" * 300),
        )
    assert exc.value.code == "file_type"
    assert not case.materials.exists()


def test_the_case_size_limit(food, demo, settings):
    from shenpi.core.errors import TooLarge

    settings.SHENPI_MAX_CASE_MB = 0
    case = services.case_create_draft(actor=demo("zhangsan"), item=food)
    with pytest.raises(TooLarge):
        services.case_add_material(
            actor=demo("zhangsan"),
            case=case,
            requirement_id=food.current.materials.first().pk,
            upload=pdf_upload(),
        )


def test_a_new_application_takes_the_version_in_force_at_submission(food, demo):
    from shenpi.catalog import services as catalog
    from tests.catalog.conftest import version_data

    case = complete_draft(services, demo("zhangsan"), food)
    draft = catalog.version_draft_next(actor=demo("yc_scjg_off1"), item=food)
    data, materials, fees = version_data(draft)
    catalog.version_update(
        actor=demo("yc_scjg_off1"),
        version=draft,
        data={**data, "promised_days": 7},
        materials=materials,
        fees=fees,
    )
    catalog.version_submit(actor=demo("yc_scjg_off1"), version=draft)
    catalog.version_approve(actor=demo("yc_fzb_legal"), version=draft)
    case.materials.all().delete()
    case = complete_draft(services, demo("zhangsan"), Item.objects.get(pk=food.pk))
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    assert case.version.number == 3


def test_outbox_delivers_sms_and_email_after_commit(food, demo, mailoutbox):
    from shenpi.notify.models import Outbox
    from shenpi.notify.services import outbox_deliver

    submitted(food, demo)
    assert "13895000001" in [o.to for o in Outbox.objects.filter(channel="sms")]
    outbox_deliver()
    assert not Outbox.objects.filter(delivered_at__isnull=True).exists()
    assert any("申请已收件" in m.subject for m in mailoutbox)


def test_case_count_is_stable(food, demo):
    before = Case.objects.count()
    submitted(food, demo)
    assert Case.objects.count() == before + 1


def test_provisional_due_dates_are_marked_and_recomputed_when_the_year_is_announced(food, demo):
    """CONTRACTS.md: a year not yet announced counts provisionally and is recomputed later."""
    from shenpi.workdays.models import CalendarDay
    from shenpi.workdays.services import calendar_changed

    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        calendar_changed()
        case = services.case_accept(actor=demo("yc_scjg_off1"), case=submitted(food, demo))
        assert case.due_provisional  # 20 working days run into January 2027
        before = case.statutory_due
        # The State Council announces 2027: 4 Jan 2027 off, Sunday 10 Jan a make-up working day.
        CalendarDay.objects.create(date=date(2027, 1, 4), kind="holiday", note="元旦调休")
        CalendarDay.objects.create(date=date(2027, 1, 10), kind="workday", note="元旦调休上班")
        calendar_changed()
        moved = services.cases_recompute_provisional()
    case.refresh_from_db()
    # Thursday 10 Dec 2026 + 20 working days, 1 Jan off: provisionally Friday 8 Jan 2027.
    assert before == date(2027, 1, 8)
    # Announced: 4 Jan off, Sunday 10 Jan worked, so the 20th working day is that Sunday.
    assert case.statutory_due == date(2027, 1, 10)
    assert not case.due_provisional
    assert [m["number"] for m in moved] == [case.number]
    assert case.events.filter(kind="recomputed").exists()


def test_originals_requested_then_seen_at_the_window(food, demo):
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=submitted(food, demo))
    services.case_request_originals(actor=demo("yc_scjg_off1"), case=case, due=timezone.localdate())
    material = case.materials.get(requirement__show_original=True)
    with pytest.raises(NotFound):
        services.material_mark_original_seen(actor=demo("clerk_nx_scjg"), material=material)
    services.material_mark_original_seen(actor=demo("clerk_yc_scjg"), material=material)
    material.refresh_from_db()
    assert material.original_seen_by == demo("clerk_yc_scjg")


def test_an_earlier_upload_can_be_used_again(food, demo):
    first = submitted(food, demo)
    old = first.materials.first()
    case = services.case_create_draft(actor=demo("zhangsan"), item=food)
    copy = services.case_reuse_material(
        actor=demo("zhangsan"), case=case, requirement_id=old.requirement_id, material=old
    )
    assert copy.sha256 == old.sha256 and copy.file.name == old.file.name
    with pytest.raises(NotFound):  # someone else's document
        other = services.case_create_draft(actor=demo("lisi"), item=food)
        services.case_reuse_material(
            actor=demo("lisi"), case=other, requirement_id=old.requirement_id, material=old
        )


def test_rcv04_a_correction_notice_after_the_5th_working_day_is_refused_before_the_job_runs(
    food, demo
):
    """Art. 32(4): on 28 Feb the notice is late whether or not the periodic job has run;
    the case is deemed accepted as of receipt and the refusal says so."""
    with time_machine.travel(FRIDAY_BEFORE_SPRING_FESTIVAL, tick=False):
        case = submitted(food, demo)
    requirement = food.current.materials.first()
    defects = [{"requirement": requirement.pk, "note": "未盖章"}]
    with time_machine.travel("2026-02-28 09:00 +0800", tick=False), pytest.raises(Conflict) as exc:
        services.case_request_correction(actor=demo("yc_scjg_off1"), case=case, defects=defects)
    assert exc.value.code == "deemed_accepted" and "第三十二条第一款第四项" in exc.value.message
    case.refresh_from_db()
    assert case.status == "processing" and case.deemed_accepted
    assert not case.corrections.exists()


def test_rcv04_the_last_day_for_the_notice_is_still_in_time(food, demo):
    with time_machine.travel(FRIDAY_BEFORE_SPRING_FESTIVAL, tick=False):
        case = submitted(food, demo)
    requirement = food.current.materials.first()
    with time_machine.travel("2026-02-27 23:50 +0800", tick=False):
        services.case_request_correction(
            actor=demo("yc_scjg_off1"),
            case=case,
            defects=[{"requirement": requirement.pk, "note": "未盖章"}],
        )
    case.refresh_from_db()
    assert case.status == "correction_requested" and not case.deemed_accepted


def test_rcv04_a_late_explicit_acceptance_keeps_the_clock_from_receipt(food, demo):
    """Accepting on 2 March, the job not yet run: the case is deemed accepted as of 13 Feb
    (statutory due 19 March), not accepted on 2 March (due 30 March)."""
    with time_machine.travel(FRIDAY_BEFORE_SPRING_FESTIVAL, tick=False):
        case = submitted(food, demo)
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False), pytest.raises(Conflict) as exc:
        services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    assert exc.value.code == "deemed_accepted"
    case.refresh_from_db()
    assert case.deemed_accepted and timezone.localtime(case.accepted_at).date() == date(2026, 2, 13)
    assert case.statutory_due == date(2026, 3, 19)


def test_a_supplement_after_its_deadline_finds_the_case_withdrawn_before_the_job_runs(food, demo):
    case = submitted(food, demo)
    requirement = food.current.materials.first()
    services.case_request_correction(
        actor=demo("yc_scjg_off1"),
        case=case,
        defects=[{"requirement": requirement.pk, "note": "未盖章"}],
    )
    case.refresh_from_db()
    services.case_add_material(
        actor=demo("zhangsan"), case=case, requirement_id=requirement.pk, upload=pdf_upload()
    )
    late = case.supplement_due + timedelta(days=1)
    with (
        time_machine.travel(f"{late.isoformat()} 09:00 +0800", tick=False),
        pytest.raises(Conflict),
    ):
        services.case_supplement(actor=demo("zhangsan"), case=case)
    case.refresh_from_db()
    assert case.status == "withdrawn"

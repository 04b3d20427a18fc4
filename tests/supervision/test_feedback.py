import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shenpi.accounts.models import Department
from shenpi.audit.models import AuditRecord
from shenpi.core.errors import Conflict, InvalidInput, NotFound
from shenpi.supervision import feedback
from shenpi.supervision.models import Watch
from tests.cases.test_licences import granted

pytestmark = pytest.mark.django_db


def test_an_anonymous_complaint_is_taken_replied_and_read_back(client, demo):
    response = client.post(
        reverse("supervision:complaint_new"),
        {"department": "yc-scjg", "subject": "窗口人员态度差", "body": "要求提供与事项无关的材料"},
    )
    html = response.content.decode()
    assert "投诉已提交" in html
    from shenpi.supervision.models import Complaint

    complaint = Complaint.objects.get(subject="窗口人员态度差")
    assert complaint.complainant is None
    with pytest.raises(
        NotFound
    ):  # the region's supervisor of another city? no: the region sees all below
        feedback.complaint_decide(actor=demo("nx_scjg_off1"), complaint=complaint, take=True)
    feedback.complaint_decide(actor=demo("yc_jc_sup"), complaint=complaint, take=True)
    with pytest.raises(Conflict):
        feedback.complaint_decide(actor=demo("yc_jc_sup"), complaint=complaint, take=True)
    feedback.complaint_reply(
        actor=demo("yc_jc_sup"),
        complaint=complaint,
        reply="经核实属实，已责令整改",
        substantiated=True,
    )
    lookup = client.post(
        reverse("supervision:complaint_lookup"),
        {"number": complaint.number, "password": complaint.query_password},
    )
    assert "已责令整改" in lookup.content.decode()


def test_a_malicious_attachment_is_refused_and_nothing_is_filed(demo):
    from shenpi.supervision.models import Complaint

    before = Complaint.objects.count()
    with pytest.raises(InvalidInput):
        feedback.complaint_file(
            actor=None,
            department=Department.objects.get(code="yc-scjg"),
            subject="x",
            body="y",
            attachment=SimpleUploadedFile("a.pdf", b"MZ" + b"\0" * 100),
        )
    assert Complaint.objects.count() == before


def test_a_named_complainant_rates_the_reply(demo):
    complaint = feedback.complaint_file(
        actor=demo("zhangsan"),
        department=Department.objects.get(code="yc-scjg"),
        subject="办理慢",
        body="超过承诺时限",
    )
    feedback.complaint_decide(
        actor=demo("yc_jc_sup"), complaint=complaint, take=True, handler=demo("yc_scjg_head")
    )
    feedback.complaint_reply(
        actor=demo("yc_scjg_head"),
        complaint=complaint,
        reply="已加快",
        substantiated=False,
    )
    with pytest.raises(NotFound):
        feedback.complaint_rate(actor=demo("lisi"), complaint=complaint, satisfaction="满意")
    feedback.complaint_rate(actor=demo("zhangsan"), complaint=complaint, satisfaction="基本满意")


def test_ratings_once_by_the_applicant_and_a_bad_one_opens_a_follow_up(demo):
    case = granted(demo).case  # closed at the window for 李四
    with pytest.raises(NotFound):
        feedback.case_rate(
            actor=demo("zhangsan"),
            case=case,
            overall=5,
            efficiency=5,
            guide_accuracy=5,
            convenience=5,
        )
    rating = feedback.case_rate(
        actor=demo("lisi"),
        case=case,
        overall=2,
        efficiency=2,
        guide_accuracy=3,
        convenience=3,
        comment="等候时间长",
    )
    assert rating.is_bad and rating.follow_up_due
    with pytest.raises(Conflict):
        feedback.case_rate(
            actor=demo("lisi"), case=case, overall=5, efficiency=5, guide_accuracy=5, convenience=5
        )
    with pytest.raises(InvalidInput):
        feedback.rating_follow_up(
            actor=demo("xq_scjg_head"), rating=rating, callback="", rectification=""
        )
    feedback.rating_follow_up(
        actor=demo("xq_scjg_head"),
        rating=rating,
        callback="已电话回访",
        rectification="增设一个窗口",
    )
    assert demo("lisi").messages.filter(title="差评整改反馈").exists()
    feedback.rating_appeal_decide(
        actor=demo("yc_jc_sup"), rating=rating, appeal="申请人误评", upheld=False
    )


def test_an_open_case_cannot_be_rated(demo, food):
    from shenpi.cases import services
    from tests.cases.conftest import FOOD_FORM, complete_draft

    case = complete_draft(services, demo("zhangsan"), food)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    with pytest.raises(Conflict) as exc:
        feedback.case_rate(
            actor=demo("zhangsan"),
            case=case,
            overall=5,
            efficiency=5,
            guide_accuracy=5,
            convenience=5,
        )
    assert exc.value.code == "not_rateable"


def test_the_observer_sees_only_watched_cases_masked_and_every_view_is_audited(client, demo):
    case = granted(demo).case
    other = granted(demo, applicant="zhangsan").case
    Watch.objects.create(observer=demo("observer"), case=case)
    client.post(reverse("accounts:login"), {"username": "observer", "password": "Shenpi#2026"})
    page = client.get(reverse("supervision:watched"), {"case": case.pk}).content.decode()
    assert case.number in page and other.number not in page
    assert case.applicant_code not in page and "6401" in page
    assert AuditRecord.objects.filter(action="observer.view", object_id=str(case.pk)).exists()
    assert client.get(reverse("supervision:watched"), {"case": other.pk}).status_code == 404
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404


def test_findings_cite_the_rule_and_the_official_states_their_side(demo):
    case = granted(demo).case
    finding = feedback.finding_record(
        actor=demo("yc_jc_sup"),
        case=case,
        kind="responsibility",
        rule="RCV-04",
        text="未在五个工作日内一次告知",
        official=demo("xq_scjg_off1"),
    )
    with pytest.raises(NotFound):
        feedback.finding_statement(actor=demo("lisi"), finding=finding, statement="x")
    feedback.finding_statement(
        actor=demo("xq_scjg_off1"), finding=finding, statement="当日系统故障"
    )
    with pytest.raises(NotFound):
        feedback.finding_record(
            actor=demo("nx_scjg_off1"), case=case, kind="correction", rule="TL-01", text="x"
        )


def test_supervisors_verify_the_audit_chain_from_the_ui(client, demo):
    client.post(reverse("accounts:login"), {"username": "yc_jc_sup", "password": "Shenpi#2026"})
    page = client.post(reverse("supervision:audit")).content.decode()
    assert "审计链完整" in page
    assert (
        "login" in client.get(reverse("supervision:audit"), {"who": "yc_jc_sup"}).content.decode()
    )


def test_the_official_sees_findings_about_them_and_states_their_side(client, demo):
    case = granted(demo).case
    feedback.finding_record(
        actor=demo("yc_jc_sup"),
        case=case,
        kind="responsibility",
        rule="TL-04",
        text="证照送达超期",
        official=demo("xq_scjg_off1"),
    )
    client.post(reverse("accounts:login"), {"username": "xq_scjg_off1", "password": "Shenpi#2026"})
    page = client.get(reverse("supervision:findings")).content.decode()
    assert "证照送达超期" in page
    from shenpi.supervision.models import Finding

    finding = Finding.objects.get(case=case)
    client.post(reverse("supervision:findings"), {"finding": finding.pk, "statement": "邮寄延误"})
    finding.refresh_from_db()
    assert finding.statement == "邮寄延误"


def test_a_supervisor_decides_a_rating_appeal_from_the_case_page(client, demo):
    case = granted(demo).case
    feedback.case_rate(
        actor=demo("lisi"),
        case=case,
        overall=1,
        efficiency=1,
        guide_accuracy=1,
        convenience=1,
        comment="不满意",
    )
    client.post(reverse("accounts:login"), {"username": "yc_jc_sup", "password": "Shenpi#2026"})
    client.post(
        reverse("supervision:rating_appeal", args=[case.pk]),
        {"appeal": "与本件无关的辱骂", "upheld": "1"},
    )
    case.rating.refresh_from_db()
    assert case.rating.appeal_upheld is True

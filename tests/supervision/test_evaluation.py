import pytest
from django.urls import reverse

from shenpi.supervision.evaluation import period_bounds, raw_indicators, warning_counts
from shenpi.supervision.models import EvaluationScheme
from tests.cases.test_licences import granted

pytestmark = pytest.mark.django_db


def login(client, username):
    client.post(reverse("accounts:login"), {"username": username, "password": "Shenpi#2026"})


def test_periods():
    from datetime import date

    assert period_bounds("month", "2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_bounds("quarter", "2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_bounds("year", "2026") == (date(2026, 1, 1), date(2026, 12, 31))


def test_raw_indicators_from_real_cases(demo):
    from django.utils import timezone

    licence = granted(demo)  # decided on the spot at the window, on time and early
    today = timezone.localdate()
    raw = raw_indicators(licence.department, today.replace(day=1), today)
    assert raw["on_time_rate"] == 100 and raw["online_rate"] == 0.0  # a window case is not online
    assert raw["warnings"] == (0, 0)


def test_a_periods_cards_are_counted_by_department_and_level_in_local_days(demo):
    """The evaluation counts the cards raised in the period's local days: one raised at
    00:10 on its first day (still the previous day in UTC) counts, one at 23:50 the day
    before does not; likewise at its end. Every department's in one read."""
    from datetime import date, datetime

    from shenpi.accounts.models import Department
    from shenpi.supervision.models import Warning

    licence = granted(demo)
    mine, other = licence.department, Department.objects.exclude(pk=licence.department_id)[0]
    for at, level, department in (
        ("2026-02-28 23:50 +0800", "red", mine),  # the day before: not counted
        ("2026-03-01 00:10 +0800", "yellow", mine),
        ("2026-03-15 10:00 +0800", "yellow", other),
        ("2026-03-31 23:50 +0800", "red", mine),
        ("2026-04-01 00:05 +0800", "yellow", mine),  # the day after: not counted
    ):
        card = Warning.objects.create(
            case=licence.case, kind="promised", level=level, department=department
        )
        Warning.objects.filter(pk=card.pk).update(
            raised_at=datetime.strptime(at, "%Y-%m-%d %H:%M %z"), cleared_at=card.raised_at
        )
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    assert warning_counts(start, end) == {
        (mine.pk, "yellow"): 1,
        (mine.pk, "red"): 1,
        (other.pk, "yellow"): 1,
    }
    assert raw_indicators(mine, start, end)["warnings"] == (1, 1)
    assert raw_indicators(other, start, end, warning_counts(start, end))["warnings"] == (1, 0)


def test_the_page_ranks_explains_and_reports_as_pdf(client, demo):
    granted(demo)
    login(client, "yc_jc_sup")
    page = client.get(reverse("supervision:evaluation")).content.decode()
    assert "银川市兴庆区市场监督管理局" in page and "按时办结率" in page and "优秀" in page
    pdf = client.get(reverse("supervision:evaluation"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_regions_supervisor_sets_weights(client, demo):
    login(client, "nx_jc_sup")  # the scheme is region-wide
    data = {
        f"w_{c}": 0
        for c in (
            "time_used",
            "early_rate",
            "warnings",
            "findings",
            "complaints",
            "satisfaction",
            "online_rate",
        )
    }
    data["w_on_time_rate"] = 100
    client.post(reverse("supervision:evaluation"), data)
    assert EvaluationScheme.objects.get().weights == {"on_time_rate": 100.0}
    bad = client.post(reverse("supervision:evaluation"), {"w_on_time_rate": -5}, follow=True)
    assert "权重须为非负数" in bad.content.decode()


def test_a_department_with_no_activity_is_not_ranked_excellent(client, demo):
    """Issue 20, defect 9: with nothing received, decided, rated, warned, found or
    complained of, a department is listed as not evaluated, not scored 100 and first."""
    from django.utils import timezone

    from shenpi.supervision.evaluation import evaluate_departments

    licence = granted(demo)  # Xingqing's market regulation bureau decided one case today
    key = f"{timezone.localdate():%Y-%m}"
    _start, _end, results, idle = evaluate_departments(demo("nx_jc_sup"), "month", key)
    ranked = {r.unit for r in results}
    assert licence.department.name in ranked
    assert "宁夏回族自治区水利厅" in idle and "宁夏回族自治区水利厅" not in ranked
    client.force_login(demo("nx_jc_sup"))
    html = client.get(f"/supervision/evaluation/?kind=month&key={key}").content.decode()
    assert "不参与排名" in html and "宁夏回族自治区水利厅" in html
    body = client.get(f"/api/v1/supervision/evaluation/?kind=month&key={key}").json()
    assert "宁夏回族自治区水利厅" in body["not_evaluated"]


def test_with_no_department_to_evaluate_the_pdf_is_a_report_not_a_500(client, demo):
    """A supervisor of 西夏区, which has no department of its own yet."""
    from shenpi.accounts.constants import AccountType, Role
    from shenpi.accounts.models import Division, RoleAssignment, User

    supervisor = User.objects.create(
        username="xx_jc_sup",
        real_name="西夏区监察",
        account_type=AccountType.STAFF,
        division=Division.objects.get(code="640105"),
    )
    RoleAssignment.objects.create(user=supervisor, role=Role.SUPERVISOR)
    client.force_login(supervisor)
    response = client.get("/supervision/evaluation/?kind=month&key=2026-11&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        "没有可评估的部门"
        in client.get("/supervision/evaluation/?kind=month&key=2026-11").content.decode()
    )


def test_a_rate_with_no_base_counts_neither_full_nor_zero():
    from shenpi.core.scoring import evaluate

    weights = {"on_time_rate": 50, "warnings": 50}
    results = {
        r.unit: r
        for r in evaluate(
            {
                "甲局": {"on_time_rate": None, "warnings": (2, 0)},
                "乙局": {"on_time_rate": 100, "warnings": (0, 0)},
            },
            weights,
        )
    }
    # 甲局 decided nothing: its total is its cards' score alone (98), not 99 or 49.
    assert results["甲局"].total == 98 and results["乙局"].total == 100
    assert next(x for x in results["甲局"].lines if x.code == "on_time_rate").score is None


def test_the_pdfs_headers_fit_their_columns_and_the_page():
    """Issue 28: nine indicator headers, each wrapped within its own column, the last one
    inside the right margin (they ran into one another and off the page)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from shenpi.cases.documents import pdf_font
    from shenpi.core.scoring import INDICATORS
    from shenpi.supervision.evaluation import HEADER_SIZE, report_columns, wrapped

    font, (width, _height) = pdf_font(), landscape(A4)
    columns = report_columns(len(INDICATORS), width)
    assert columns[-1][0] + columns[-1][1] <= width - 20
    for (_x, w), header in zip(columns[4:], INDICATORS.values(), strict=True):
        lines = wrapped(header, font, HEADER_SIZE, w - 4)
        assert "".join(lines) == header and len(lines) <= 3
        assert all(stringWidth(line, font, HEADER_SIZE) <= w - 4 for line in lines)
    pairs = zip(columns, columns[1:], strict=False)
    assert all(left_x + left_w <= right_x + 1e-6 for (left_x, left_w), (right_x, _w) in pairs)

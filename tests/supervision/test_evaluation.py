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


def test_a_supervisor_sets_weights(client, demo):
    login(client, "yc_jc_sup")
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

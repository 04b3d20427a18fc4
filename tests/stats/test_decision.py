"""决策辅助 (issue 23): a leader's division side by side, trends against a year earlier,
the fastest-growing items, a seasonal forecast that says how well it did on months it
was not shown — and that says why it shows nothing with under 24 months — and staffing
hints; the same departments over the API."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shenpi.catalog.models import Item
from shenpi.stats import decision, forecast, tasks
from shenpi.stats.demo import seed_history
from shenpi.stats.models import Forecast, ForecastRun, Measure, Tally
from tests.api.test_api import token_for
from tests.cases.test_views import login

pytestmark = pytest.mark.django_db


def test_a_seasonal_series_is_forecast_within_its_interval():
    """Applications per working day follow a yearly season; the forecast of a month it
    was not shown lands within the 80 % interval, and a quarter is about three months."""
    season = [0.75, 0.7, 1.1, 1.1, 1.05, 1.0, 0.95, 0.9, 1.05, 0.9, 1.05, 1.25]
    days = [21, 17, 22, 21, 20, 21, 23, 21, 22, 17, 21, 22] * 3
    history = [round(5 * season[i % 12] * days[i]) for i in range(36)]
    months, quarter = forecast.forecast_series(history[:33], days[:33], days[33:36])
    for (expected, low, high), actual in zip(months, history[33:], strict=True):
        assert low <= actual <= high and low < expected < high
    assert quarter[0] == pytest.approx(sum(m[0] for m in months), rel=0.05)


def test_the_demo_history_is_forecast_and_its_accuracy_measured(demo):
    today = timezone.localdate()
    seed_history(today)
    run = forecast.forecast_all(today)
    items = Item.objects.filter(current__isnull=False, abolished_at__isnull=True).count()
    assert run.series == items and run.history_months == 36
    assert run.wape is not None and 0 <= run.coverage <= 100
    rows = Forecast.objects.filter(run=run)
    assert rows.filter(horizon="month").count() == items
    assert all(r.low <= r.expected <= r.high for r in rows)
    # One run kept: the next replaces it.
    forecast.forecast_all(today)
    assert ForecastRun.objects.count() == 1


def test_under_24_months_there_is_no_forecast_and_the_page_says_why(client, demo):
    today = timezone.localdate()
    seed_history(today, months=12)
    assert tasks.stats_forecast_task()["series"] == 0  # the periodic job
    run = ForecastRun.objects.get()
    assert run.series == 0 and run.history_months == 12
    login(client, "nx_zfb_leader")
    text = client.get("/desk/decision/").content.decode()
    assert 'data-testid="no-forecast"' in text and "不足 24 个月" in text


def test_the_leader_sees_trends_growth_forecast_and_staffing(client, demo):
    today = timezone.localdate()
    seed_history(today)
    forecast.forecast_all(today)
    login(client, "nx_zfb_leader")
    page = client.get("/desk/decision/")
    assert page.status_code == 200
    text = page.content.decode()
    for part in ("trend", "forecast", "forecast-footnote", "growing", "staffing"):
        assert f'data-testid="{part}"' in text, part
    assert "加权绝对百分比误差" in text
    xlsx = client.get("/desk/decision/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["各部门", "逐月趋势", "申请量预测", "增长最快的事项", "人员配置提示"]
    assert book["逐月趋势"].max_row == 13 and book["申请量预测"].max_row > 1
    # Yinchuan's leader: Yinchuan's departments only.
    yc = decision.leader_departments(demo("yc_zfb_leader"))
    assert yc and all(d.division.path.startswith("640000/640100/") for d in yc)
    api = client.get("/api/v1/statistics/forecast/", **token_for(client, "yc_zfb_leader")).json()
    assert {r["department"] for r in api["rows"]} <= {d.code for d in yc}
    assert api["accuracy"]["series"] == len(api["rows"])


def test_the_fastest_growing_items_compare_the_same_months_a_year_earlier(demo):
    today = timezone.localdate()
    item = Item.objects.get(code="640100-SCJG-001")
    department = item.department
    first = date(today.year, today.month, 1)
    recent = first - timedelta(days=20)
    year_before = recent.replace(year=recent.year - 1)
    for day, n in ((recent, 30), (year_before, 20)):
        Tally.objects.create(
            day=day,
            division_id=department.division_id,
            department=department,
            item=item,
            measure=Measure.RECEIVED,
            n=n,
        )
    (grown,) = decision.growing_items([department], today)
    assert (grown["now"], grown["before"], grown["growth"]) == (30, 20, 50.0)
    trend = decision.trend([department], today)
    last = trend[-1]
    assert last["received"] == 30 and last["received_before"] == 20


def test_a_department_whose_forecast_exceeds_its_decisions_is_flagged(demo):
    today = timezone.localdate()
    item = Item.objects.get(code="640100-SCJG-001")
    department = item.department
    run = ForecastRun.objects.create(made_on=today, first_month=today.replace(day=1))
    Forecast.objects.create(
        run=run, department=department, item=item, horizon="month", expected=500, low=400, high=600
    )
    ahead = decision.forecasts([department])
    (hint,) = decision.staffing([department], today, ahead["rows"])
    assert hint["at_risk"] and hint["officials"] >= 2


@pytest.mark.parametrize("username", ["yc_scjg_head", "zhangsan", "nx_jc_sup"])
def test_decision_support_is_for_leaders(client, demo, username):
    login(client, username)
    assert client.get("/desk/decision/").status_code == 404

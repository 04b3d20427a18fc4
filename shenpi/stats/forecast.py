"""Next month's and next quarter's applications per department and item, from the
rollup's monthly history, by a seasonal model that knows the working-day calendar.

The series modelled is applications per working day of each month (so that a month
with the Spring Festival or a National Day week is not read as a fall in demand); the
model is exponential smoothing with an additive level and an additive yearly season
(statsmodels' ETSModel, "ANA"), chosen over a trend model for its speed at hundreds of
series and its prediction by simulation: 1,000 sample paths of the next three months'
rates, each multiplied by that month's working days, give the month's and the quarter's
80 % intervals. How well it does is measured, not claimed: the same model fitted
without the last six months forecasts them, and the page shows the error (WAPE) and how
many of those months fell within their intervals.

It runs as a periodic job (`forecast_all`) and stores what it found (ForecastRun,
Forecast); pages read the stored rows.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Forecast, ForecastRun, Measure, Tally
from .periods import month_of, months_before, months_from

MIN_MONTHS = 24  # two full seasons before a seasonal model says anything
HELD_OUT = 6
PATHS = 1000
LEVEL = 0.8  # the intervals' coverage


def monthly_received(before: date) -> dict[tuple, dict[date, int]]:
    """{(department id, item id): {first of month: applications}} of complete months."""
    series: dict = defaultdict(dict)
    rows = (
        Tally.objects.filter(measure=Measure.RECEIVED, day__lt=before)
        .annotate(m=TruncMonth("day"))
        .values_list("department_id", "item_id", "m")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for department_id, item_id, first, total in rows:
        first = first.date() if hasattr(first, "date") else first
        series[(department_id, item_id)][first] = total
    return series


def _fit(rates):
    import numpy as np
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes on short, flat series
        model = ETSModel(
            np.asarray(rates, dtype=float),
            error="add",
            trend=None,
            seasonal="add",
            seasonal_periods=12,
        )
        return model.fit(disp=False)


def _paths(fitted, days: list[int], seed: int):
    """Sample paths of the next months' counts: rates simulated by the model, times the
    months' working days, never below zero."""
    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rates = fitted.simulate(
            len(days), repetitions=PATHS, anchor="end", rng=np.random.default_rng(seed)
        )  # (months, paths)
    return np.clip(np.asarray(rates) * np.asarray(days)[:, None], 0, None)


def forecast_series(history: list[int], days: list[int], ahead_days: list[int], seed=0):
    """For one series of monthly counts (`days`: each month's working days), the next
    months' expected counts with 80 % intervals, and the quarter's sum."""
    import numpy as np

    fitted = _fit([y / d if d else 0.0 for y, d in zip(history, days, strict=True)])
    paths = _paths(fitted, ahead_days, seed)
    low, high = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2
    months = [
        (float(np.mean(p)), float(np.quantile(p, low)), float(np.quantile(p, high))) for p in paths
    ]
    quarter = paths.sum(axis=0)
    return months, (
        float(np.mean(quarter)),
        float(np.quantile(quarter, low)),
        float(np.quantile(quarter, high)),
    )


def held_out(history: list[int], days: list[int]) -> tuple[float, float, int]:
    """Fitted without the last HELD_OUT months, how far it was from them: (sum of
    absolute errors, sum of the actual counts, months within their interval)."""
    cut = len(history) - HELD_OUT
    months, _ = forecast_series(history[:cut], days[:cut], days[cut:], seed=1)
    error = sum(
        abs(expected - y) for (expected, _, _), y in zip(months, history[cut:], strict=True)
    )
    within = sum(1 for (_, lo, hi), y in zip(months, history[cut:], strict=True) if lo <= y <= hi)
    return error, float(sum(history[cut:])), within


@transaction.atomic
def forecast_all(today: date | None = None) -> ForecastRun:
    """Every department's and item's series with MIN_MONTHS complete months of history
    is forecast; the previous run's rows are replaced."""
    today = today or timezone.localdate()
    this_month = date(today.year, today.month, 1)
    series = monthly_received(this_month)
    ahead = months_from(this_month, 3)
    ahead_days = [month_of(m).working_days() for m in ahead]
    every = months_before(this_month, 36)
    days_of = {m: month_of(m).working_days() for m in every}
    run = ForecastRun.objects.create(made_on=today, first_month=ahead[0])
    rows, error, actual, within, tried, longest = [], 0.0, 0.0, 0, 0, 0
    for index, ((department_id, item_id), counts) in enumerate(sorted(series.items())):
        # Each series from its own first month (a new item has no zeros before it).
        months = [m for m in every if m >= min(counts)]
        longest = max(longest, len(months))
        if len(months) < MIN_MONTHS:
            continue
        history, days = [counts.get(m, 0) for m in months], [days_of[m] for m in months]
        coming, quarter = forecast_series(history, days, ahead_days, seed=index)
        e, a, w = held_out(history, days)
        error, actual, within, tried = error + e, actual + a, within + w, tried + 1
        for horizon, (expected, low, high) in (("month", coming[0]), ("quarter", quarter)):
            rows.append(
                Forecast(
                    run=run,
                    department_id=department_id,
                    item_id=item_id,
                    horizon=horizon,
                    expected=round(expected, 1),
                    low=round(low, 1),
                    high=round(high, 1),
                    held_out_error=round(e, 2),
                    held_out_actual=a,
                    held_out_within=w,
                )
            )
    Forecast.objects.bulk_create(rows, batch_size=1000)
    run.series, run.history_months = tried, longest
    run.wape = round(100 * error / actual, 1) if actual else None
    run.coverage = round(100 * within / (tried * HELD_OUT), 1) if tried else None
    run.save(update_fields=["series", "history_months", "wape", "coverage"])
    ForecastRun.objects.exclude(pk=run.pk).delete()
    return run

import math
import random
from datetime import date, timedelta

import numpy as np
import pytest
from analyticskit import TZ, well_rows

from shared.analytics.anomalies import anomalies, metric_values, rolling_scores
from shared.analytics.robust import median_mad, robust_z
from shared.analytics.series import DailyRow, daily_series
from shared.validation import day_length_hours

FIRST = date(2026, 1, 1)


def steady(days: int, *, decline: float = 0.003, noise: float = 0.03, seed: int = 1):
    """A clean producer: exponential decline, multiplicative noise, full days on."""
    rng = random.Random(seed)
    rows = []
    for i in range(days):
        d = FIRST + timedelta(days=i)
        oil = 400.0 * (1 - decline) ** i * rng.uniform(1 - noise, 1 + noise)
        gas = oil * 1.5 * rng.uniform(1 - noise, 1 + noise)
        water = oil * 0.8 * rng.uniform(1 - noise, 1 + noise)
        rows.append(DailyRow(d, oil, gas, water, day_length_hours(d, TZ)))
    return rows


def test_a_planted_spike_is_caught_with_its_expected_value():
    rows = steady(120)
    base = rows[80]
    rows[80] = DailyRow(base.production_date, base.oil_bbl * 3, base.gas_mcf, base.water_bbl, 24.0)
    found = anomalies(daily_series(rows, tz=TZ))
    oil = [a for a in found if a.metric == "oil"]
    assert [a.day for a in oil] == [base.production_date]  # the neighbours stay quiet
    [spike] = oil
    assert spike.value == pytest.approx(base.oil_bbl * 3)
    assert spike.expected == pytest.approx(base.oil_bbl, rel=0.15)
    assert spike.score > 3.5
    cut = [a for a in found if a.metric == "water_cut"]
    assert [a.day for a in cut] == [base.production_date]  # 3× oil drops the water cut
    assert cut[0].score < 0


@pytest.mark.parametrize("decline", [0.0005, 0.003, 0.01, 0.03])
def test_a_steady_decline_is_not_an_anomaly(decline: float):
    # up to 3 %/day: the trailing median lags the rate by ~15 days, but the window's spread
    # grows with the decline too, so the score stays near 1.4
    series = daily_series(steady(730, decline=decline, noise=0.0), tz=TZ)
    assert anomalies(series) == []


@pytest.mark.parametrize("decline", [0.0, 0.001, 0.003])
def test_a_noisy_decline_flags_only_rare_days(decline: float):
    # ±5 % uniform meter noise on every stream: the robust z of a 30-day window still has
    # heavier tails than a normal z, so a few extreme days pass 3.5 — under 1 % of them
    found = anomalies(daily_series(steady(730, decline=decline, noise=0.05, seed=7), tz=TZ))
    for metric in ("oil", "gas", "water"):
        assert sum(a.metric == metric for a in found) <= 0.01 * 730


def test_shut_ins_and_partial_days_are_not_anomalies():
    rows = steady(150)
    for i in (40, 41, 42, 90):  # shut in with a reason
        rows[i] = DailyRow(rows[i].production_date, 0.0, 0.0, 0.0, 0.0, 24.0, "workover")
    r = rows[100]  # 6 hours on: a quarter of the volume, the same rate
    rows[100] = DailyRow(
        r.production_date, r.oil_bbl / 4, r.gas_mcf / 4, r.water_bbl / 4, 6.0, 18.0, "pump"
    )
    del rows[60:65]  # missing days
    assert anomalies(daily_series(rows, tz=TZ)) == []


def test_a_drop_is_flagged_with_a_negative_score_and_only_on_producing_days():
    rows = steady(100)
    r = rows[70]
    rows[70] = DailyRow(r.production_date, r.oil_bbl * 0.3, r.gas_mcf * 0.3, r.water_bbl, 24.0)
    found = anomalies(daily_series(rows, tz=TZ), z_limit=3.5)
    assert {a.metric for a in found} == {"oil", "gas", "water_cut"}
    assert all(a.day == r.production_date for a in found)
    assert next(a for a in found if a.metric == "oil").score < -3.5


def test_too_little_history_is_never_judged():
    rows = steady(10)
    rows[9] = DailyRow(rows[9].production_date, 5000.0, 1.0, 1.0, 24.0)
    assert anomalies(daily_series(rows, tz=TZ)) == []
    assert anomalies(daily_series(rows, tz=TZ), min_history=9) != []


def test_scores_equal_a_plain_loop_over_the_trailing_producing_days():
    series = daily_series(well_rows(42, date(2025, 6, 1), 300), tz=TZ)
    for metric in ("oil", "gas", "water", "water_cut"):
        values = metric_values(series, metric)  # type: ignore[arg-type]
        kept = [v for v in values.tolist() if not math.isnan(v)]
        expected, score = rolling_scores(np.array(kept))
        for i, value in enumerate(kept):
            history = kept[max(0, i - 30) : i]
            if len(history) < 10:
                assert math.isnan(expected[i]) and math.isnan(score[i])
                continue
            center, spread = median_mad(history)
            assert expected[i] == pytest.approx(center)
            z = robust_z(value, center, spread, floor=0.01 * abs(center))
            assert score[i] == pytest.approx(z)


def test_loop_and_flags_agree():
    series = daily_series(well_rows(43, date(2025, 6, 1), 400), tz=TZ)
    found = anomalies(series, z_limit=2.5)
    assert found  # noisy synthetic data: something beyond 2.5
    oil = metric_values(series, "oil")
    kept_days = [
        series.first + timedelta(days=i) for i in np.flatnonzero(np.isfinite(oil)).tolist()
    ]
    kept = oil[np.isfinite(oil)]
    _, score = rolling_scores(kept)
    want = [kept_days[i] for i in range(len(kept)) if abs(score[i]) > 2.5]
    assert [a.day for a in found if a.metric == "oil"] == want


def test_water_cut_metric_is_a_percentage_of_liquid():
    rows = [
        DailyRow(FIRST, 75.0, 10.0, 25.0, 24.0),
        DailyRow(FIRST + timedelta(days=1), 0.0, 50.0, 0.0, 24.0),  # gas only: no cut
        DailyRow(FIRST + timedelta(days=2), 0.0, 0.0, 0.0, 0.0, 24.0, "weather"),
    ]
    cut = metric_values(daily_series(rows, tz=TZ), "water_cut")
    assert cut[0] == 25.0
    assert np.isnan(cut[1:]).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match="min_history"):
        anomalies(daily_series(steady(5), tz=TZ), window=5, min_history=6)

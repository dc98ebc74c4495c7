"""The Charts screen's fits: the shared analytics called on the producing days only."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from chartkit import END, declining_rows, with_gaps

from fieldapp.ui.charts_analysis import (
    AnalysisCache,
    analyse,
    complete_series,
    producing_rates,
    volume_words,
)
from shared.analytics.decline import DeclineFit, fit_decline
from shared.analytics.forecast import forecast
from shared.analytics.series import daily_series, sum_series


def test_shut_in_and_missing_days_never_enter_the_fits() -> None:
    rows = with_gaps(declining_rows(120), missing={10, 11}, shut={50, 51, 52})
    series = daily_series(rows, tz="UTC")
    days, rates = producing_rates(series, "oil")
    assert len(days) == 115 and np.isfinite(rates).all() and (rates > 0).all()
    found = analyse(series, "oil")
    direct = forecast(days, rates, horizon=7)
    assert found.forecast is not None
    assert list(found.forecast.mean) == list(direct.mean)
    assert found.forecast_note == f"{direct.method} forecast on 115 producing days"
    fit = fit_decline(days, rates)
    assert isinstance(fit, DeclineFit) and found.decline is not None
    assert found.decline.eur == fit.eur and found.decline_note == ""


def test_a_series_too_short_says_why_it_has_no_decline() -> None:
    found = analyse(daily_series(declining_rows(5), tz="UTC"), "water")
    assert found.decline is None and found.decline_note
    shut = daily_series(with_gaps(declining_rows(3), set(), {0, 1, 2}), tz="UTC")
    none = analyse(shut, "oil")
    assert none.forecast is None and none.forecast_note == "No forecast: no producing day yet."


def test_the_cache_keeps_the_newest_entries() -> None:
    cache = AnalysisCache(entries=2)
    found = analyse(daily_series(declining_rows(40), tz="UTC"), "oil")
    for key in ("a", "b", "c"):
        cache.put(key, found)
    assert cache.get("a") is None and cache.get("c") is found and len(cache) == 2
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_groups_trailing_partial_days_are_set_aside_and_a_wells_never() -> None:
    wells = [daily_series(declining_rows(40, qi=100.0 + 10 * k), tz="UTC") for k in range(4)]
    today_two = [
        daily_series(declining_rows(41, END + timedelta(days=1), 100.0 + 10 * k)[-1:], tz="UTC")
        for k in range(2)
    ]  # the route half done: two of four wells recorded the newest day
    total = sum_series(wells + today_two)
    kept, dropped = complete_series(total)
    assert dropped == 1 and kept.days[-1] == total.days[-2] and kept.wells == 6
    assert complete_series(wells[0]) == (wells[0], 0)
    assert complete_series(sum_series(wells))[1] == 0
    found = analyse(total, "oil")
    assert found.forecast is not None and found.forecast.days[0] == total.days[-1]


def test_reserves_are_worded_as_reserves_are_quoted() -> None:
    assert volume_words(9_876.4, "bbl") == "9,876 bbl"
    assert volume_words(653_497, "bbl") == "653 Mbbl"
    assert volume_words(4_265_755, "bbl") == "4.27 MMbbl"
    assert volume_words(13_298_207, "Mcf") == "13.3 Bcf"
    assert volume_words(52_000, "m³") == "52 10³ m³"

"""The trend cards' words, checked against the numbers they summarise."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from chartkit import END, declining_rows, with_gaps

from fieldapp.ui.charts_analysis import analyse
from fieldapp.ui.charts_cards_state import metric_card
from shared.analytics.series import daily_series
from shared.analytics.trends import trend

LABELS = ("bbl", "Mcf")


def test_a_declining_well_card() -> None:
    rows = with_gaps(declining_rows(60), missing=set(), shut={58})
    series = daily_series(rows, tz="UTC")
    found = analyse(series, "oil")
    card = metric_card(series, "oil", END - timedelta(days=29), END, 1.0, LABELS, found)
    last = rows[-1]
    assert card.title == "Oil rate (bbl/d)"
    assert card.current == f"Now {last.oil_bbl:,.1f} ({last.production_date:%a %d %b})"
    week = [
        r.oil_bbl
        for r in rows
        if r.production_date > last.production_date - timedelta(days=7) and r.hours_on
    ]
    assert card.averages.startswith(f"Avg 7 d {np.mean(week):,.1f} · 30 d ")
    assert (
        card.direction == "declining"
        and card.arrow == "↘"
        and card.trend.startswith("↘ Declining -")
    )
    assert card.forecast.startswith("In 7 d ")
    producing = [r for r in rows if r.hours_on and r.production_date > END - timedelta(days=30)]
    fitted = trend(
        np.array([r.production_date.toordinal() for r in producing], dtype=np.int64),
        np.array([r.oil_bbl for r in producing]),
        window=None,
    )
    assert fitted is not None
    assert fitted.pct_change is not None
    assert card.r_squared == (
        f"{fitted.pct_change:+.1f}% over {fitted.n} d, R² {fitted.r_squared:.2f}"
    )
    fc = found.forecast
    assert fc is not None
    assert card.forecast == f"In 7 d {fc.mean[6]:,.1f} ({fc.lower[6]:,.1f}–{fc.upper[6]:,.1f})"
    assert card.spoken().startswith("Oil rate (bbl/d). Now ")
    assert found.forecast is not None and found.decline is not None
    assert card.fit == f"{found.forecast.method} · Arps b {found.decline.b:.2f}, Di" + (
        f" {found.decline.di * 365.25 * 100:.0f} %/yr, R² {found.decline.r_squared:.2f}"
    )


def test_cards_before_the_fit_and_without_production() -> None:
    series = daily_series(declining_rows(2), tz="UTC")
    card = metric_card(series, "gas", END - timedelta(days=29), END, 1.0, LABELS, None)
    assert card.title == "Gas rate (Mcf/d)" and card.forecast == "In 7 d: fitting…"
    assert card.trend == "Too few days for a trend" and card.arrow == ""
    shut = daily_series(with_gaps(declining_rows(3), set(), {0, 1, 2}), tz="UTC")
    empty = metric_card(shut, "oil", END, END, 1.0, LABELS, None)
    assert empty.current == "No producing day recorded" and empty.lines()[1:] == ("",) * 4

"""The Charts screen's state without a QApplication: requests, the two-step load, the cache,
and what hover, click and CSV export answer."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from chartkit import END, declining_rows, source, with_gaps

from fieldapp.core.analytics_source import Selection
from fieldapp.ui.charts_analysis import AnalysisCache, analyse
from fieldapp.ui.charts_state import (
    ChartsState,
    Loaded,
    clicked_day,
    csv_rows,
    hover_text,
    open_args,
)
from fieldapp.ui.charts_view import to_x
from shared.analytics.series import DailyRow


def loaded_for(
    state: ChartsState, rows: list[DailyRow], version: tuple[int, int, int, int] = (1, 1, 1, 0)
) -> Loaded:
    request = state.choose(Selection("well", "well-1"))
    assert request is not None
    return state.rebuild(source(rows, version=version), END, request)


def test_a_first_load_paints_without_analyses_and_the_second_step_fills_them() -> None:
    state = ChartsState()
    first = loaded_for(state, declining_rows())
    assert not first.complete and not first.view.analysed
    assert all(m.forecast is None and m.decline is None for m in first.view.metrics)
    assert first.view.notes[0].startswith("Fitting")
    full = state.analyse(first)
    assert full.complete and full.view.analysed
    oil = full.view.metric("oil")
    assert oil is not None and oil.forecast is not None and oil.decline is not None
    assert len(oil.forecast.x) == state.settings.horizon
    assert oil.forecast.x[0] == to_x(full.view.days[-1:])[0] + 86400
    assert "EUR" in oil.decline.label and "remaining" in oil.decline.label
    assert len(state.cache) == 3  # oil, gas and water


def test_the_cache_answers_the_same_data_version_and_not_a_new_one() -> None:
    cache = AnalysisCache()
    state = ChartsState(cache)
    rows = declining_rows()
    state.analyse(loaded_for(state, rows))
    again = loaded_for(state, rows)
    assert again.complete and again.view.metric("oil").forecast is not None  # type: ignore[union-attr]
    changed = loaded_for(state, rows, version=(2, 2, 2, 0))
    assert not changed.complete
    expected = analyse(again.source.series, "oil")  # type: ignore[arg-type]
    got = again.view.metric("oil").forecast  # type: ignore[union-attr]
    assert list(got.mean) == list(expected.forecast.mean)  # type: ignore[union-attr]


def test_toggling_a_metric_on_asks_for_its_analysis_only() -> None:
    state = ChartsState()
    state.options = state.options.toggled("water", False)
    state.analyse(loaded_for(state, declining_rows()))
    assert len(state.cache) == 2
    state.options = state.options.toggled("water", True)
    loaded = loaded_for(state, declining_rows())
    assert not loaded.complete
    state.analyse(loaded)
    assert len(state.cache) == 3


def test_an_answer_to_an_older_request_is_dropped() -> None:
    state = ChartsState()
    old = loaded_for(state, declining_rows())
    newer = state.set_options(state.options.with_(range_key="30"))
    assert newer is not None and not state.accept(old)
    fresh = state.rebuild(old.source, END, newer)
    assert state.accept(fresh) and state.view is fresh.view
    state.clear()
    assert state.view is None and not state.accept(fresh)
    assert ChartsState().request() is None  # nothing chosen yet


def test_hover_names_the_day_its_values_and_the_shut_in_days() -> None:
    rows = with_gaps(declining_rows(40), missing={30}, shut={35})
    state = ChartsState()
    view = state.analyse(loaded_for(state, rows)).view
    last = view.days[-1]
    text = hover_text(view, float(to_x(view.days[-1:])[0]))
    assert text is not None and text.startswith(f"{date.fromordinal(int(last)):%a %d %b %Y} — ")
    assert "Oil " in text and "bbl/d" in text and "Mcf/d" in text
    shut_day = date.fromordinal(int(view.days[0])) + timedelta(days=35)
    shut_x = float(to_x(view.days[35:36])[0])
    assert hover_text(view, shut_x).startswith(f"{shut_day:%a %d %b %Y} — Shut in")  # type: ignore[union-attr]
    assert "No reading" in hover_text(view, float(to_x(view.days[30:31])[0]))  # type: ignore[operator]
    band = view.metric("oil").forecast  # type: ignore[union-attr]
    assert "Oil forecast" in hover_text(view, float(band.x[2]))  # type: ignore[union-attr, operator]
    assert hover_text(view, float(to_x(view.days[:1])[0]) - 5 * 86400) is None


def test_a_click_opens_the_well_day_or_for_a_group_the_route_of_that_day() -> None:
    state = ChartsState()
    view = loaded_for(state, declining_rows(40)).view
    x = float(to_x(view.days[10:11])[0]) + 3600  # anywhere in the day's column
    day = clicked_day(view, x)
    assert day == date.fromordinal(int(view.days[10]))
    assert open_args(view, day) == ("production", {"well_id": "well-1", "day": day})
    assert clicked_day(view, float(to_x(view.days[-1:])[0]) + 2 * 86400) is None
    group = replace(view, selection=Selection("all"))
    assert open_args(group, day) == ("route", {"day": day})


def test_csv_rows_are_the_days_shown_then_the_forecast_with_its_interval() -> None:
    rows = with_gaps(declining_rows(40), missing={5}, shut={6})
    state = ChartsState()
    state.options = state.options.with_(range_key="30").toggled("gas", False)
    view = state.analyse(loaded_for(state, rows)).view
    table = csv_rows(view)
    assert table[0] == [
        "date",
        "status",
        "oil (bbl/d)",
        "water (bbl/d)",
        "oil forecast",
        "oil lower 95%",
        "oil upper 95%",
        "water forecast",
        "water lower 95%",
        "water upper 95%",
    ]
    days = [r for r in table[1:] if r[1] != "forecast"]
    assert (
        len(days) == len(view.days)
        and days[-1][0] == date.fromordinal(int(view.days[-1])).isoformat()
    )
    oil = view.metric("oil")
    assert oil is not None
    for row, value in zip(days, oil.y, strict=True):
        assert (row[2] == "") == (not math.isfinite(value))
    ahead = [r for r in table[1:] if r[1] == "forecast"]
    assert len(ahead) == state.settings.horizon
    assert all(float(r[5]) <= float(r[4]) <= float(r[6]) for r in ahead)

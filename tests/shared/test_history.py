"""WellHistory: the per-well day volumes the validation rules read."""

from __future__ import annotations

from datetime import date, timedelta

from shared.history import DayVolumes, WellHistory

D = date(2026, 5, 20)


def test_well_history_add_replace_get_window() -> None:
    wh = WellHistory(window_days=3)
    assert len(wh) == 0
    for k in (5, 1, 3, 2, 4):
        wh.add(DayVolumes(D - timedelta(days=k), float(k), 0.0, 0.0))
    assert len(wh) == 5
    window = wh.window_before(D)
    assert [x.production_date for x in window] == [D - timedelta(days=k) for k in (3, 2, 1)]
    replacement = DayVolumes(D - timedelta(days=2), 42.0, 1.0, 1.0)
    wh.add(replacement)
    assert len(wh) == 5
    assert wh.get(D - timedelta(days=2)) == replacement
    assert wh.get(D) is None
    assert wh.window_before(D)[1] == replacement
    assert [x.oil_bbl for x in wh.window_before(D, 30)] == [5.0, 4.0, 3.0, 42.0, 1.0]
    assert wh.window_before(D - timedelta(days=10)) == []


def test_well_history_discard_forgets_a_day_and_keeps_the_rest_in_order() -> None:
    wh = WellHistory(DayVolumes(D - timedelta(days=k), float(k), 0.0, 0.0) for k in (1, 2, 3))
    wh.discard(D - timedelta(days=2))
    wh.discard(D - timedelta(days=9))  # absent: nothing happens
    assert len(wh) == 2
    assert wh.get(D - timedelta(days=2)) is None
    assert [x.oil_bbl for x in wh.window_before(D)] == [3.0, 1.0]
    wh.add(DayVolumes(D - timedelta(days=2), 7.0, 0.0, 0.0))
    assert [x.oil_bbl for x in wh.window_before(D)] == [3.0, 7.0, 1.0]

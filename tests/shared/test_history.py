"""WellHistory: the per-well days the validation rules read, and the rates of its producing
days."""

from __future__ import annotations

from datetime import date, timedelta

from shared.history import (
    DayVolumes,
    ProducingDay,
    WellHistory,
    Window,
    day_rate,
    is_producing,
    water_cut,
)

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


def test_producing_status_and_rate() -> None:
    assert is_producing(0.0, 0.0, 0.0, 2.0)  # on, even with nothing measured
    assert not is_producing(5.0, 0.0, 0.0, 0.0)  # hours 0: shut in (volumes are an error)
    assert is_producing(0.0, 1.0, 0.0, None) and not is_producing(0.0, 0.0, 0.0, None)
    assert day_rate(50.0, 12.0, 24.0) == 100.0
    assert day_rate(23.0, 23.0, 23.0) == 23.0  # a full 23-hour day
    assert day_rate(50.0, None, 24.0) == 50.0
    assert water_cut(0.0, 0.0) is None and water_cut(75.0, 25.0) == 25.0


def test_producing_window_holds_rates_of_producing_days_only() -> None:
    wh = WellHistory(
        [
            DayVolumes(D - timedelta(days=4), 100.0, 50.0, 0.0, hours_on=24.0, choke_64ths=20),
            DayVolumes(D - timedelta(days=3), 25.0, 0.0, 25.0, hours_on=6.0, choke_64ths=24),
            DayVolumes(D - timedelta(days=2), 0.0, 0.0, 0.0, hours_on=0.0),
            DayVolumes(D - timedelta(days=1), 0.0, 0.0, 0.0),
        ]
    )
    w = wh.producing_window(D, 30)
    assert w.rates == [100.0, 100.0]
    assert w.ratios == [0.5, 0.0] and w.cuts == [0.0, 50.0]
    assert w.previous == ProducingDay(D - timedelta(days=3), 100.0, 6.0, 24, 50.0)
    assert len(wh.window_before(D)) == 4  # every day is still a day of the history
    wh.add(DayVolumes(D - timedelta(days=3), 0.0, 0.0, 0.0, hours_on=0.0))  # now shut in
    assert wh.producing_window(D, 30).previous == ProducingDay(
        D - timedelta(days=4), 100.0, 24.0, 20, 0.0
    )
    wh.discard(D - timedelta(days=4))
    empty = wh.producing_window(D, 30)
    assert (empty.rates, empty.ratios, empty.cuts, empty.previous) == ([], [], [], None)
    assert Window().rates == [] and Window().previous is None
    assert wh.producing_window(D - timedelta(days=4), 30).rates == []


def test_producing_window_normalises_to_the_local_day() -> None:
    spring = date(2026, 3, 8)  # 23 hours in Chicago, 24 in UTC
    day = DayVolumes(spring, 23.0, 0.0, 0.0, hours_on=11.5)
    assert WellHistory([day]).producing_window(spring + timedelta(days=1), 5).rates == [46.0]
    utc = WellHistory([day], tz="UTC").producing_window(spring + timedelta(days=1), 5)
    assert utc.rates == [48.0]

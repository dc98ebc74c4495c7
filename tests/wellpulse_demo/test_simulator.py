"""The demo production simulator: deterministic, declining, correlated by field, and clean under
the shared validation rules except where it plants anomalies."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import date, timedelta

import pytest

from shared.api_number import api_number_issues, parse_api_number
from shared.validation import (
    DayVolumes,
    ProductionInput,
    Severity,
    WellHistory,
    day_length_hours,
    validate_production,
)
from wellpulse_demo.simulator import DOWNTIME_REASONS, Simulation, simulate

END = date(2025, 3, 31)  # the history spans two daylight-saving changes each year
TZ = "America/Chicago"


@pytest.fixture(scope="module")
def sim() -> Simulation:
    return simulate(wells=16, days=730, end=END, seed=11, timezone=TZ)


def series(sim: Simulation, well: int) -> list[float]:
    return [d.oil_bbl for d in sim.days if d.well == well]


def test_same_seed_same_history_other_seed_other_history() -> None:
    first = simulate(wells=4, days=90, end=END, seed=3)
    assert simulate(wells=4, days=90, end=END, seed=3) == first
    other = simulate(wells=4, days=90, end=END, seed=4)
    assert [d.oil_bbl for d in other.days] != [d.oil_bbl for d in first.days]


def test_one_record_per_well_day_ending_on_the_given_day(sim: Simulation) -> None:
    assert len(sim.days) == 16 * 730
    assert len({(d.well, d.production_date) for d in sim.days}) == len(sim.days)
    assert sim.last_day == END and max(d.production_date for d in sim.days) == END
    assert sim.first_day == END - timedelta(days=729) == min(d.production_date for d in sim.days)


def test_wells_have_valid_texas_api_numbers_in_two_fields(sim: Simulation) -> None:
    apis = [w.api_number for w in sim.wells]
    assert len(set(apis)) == len(apis) and len({w.name for w in sim.wells}) == len(apis)
    for api in apis:
        assert api_number_issues(api) == []  # no error, no even-county warning
        assert parse_api_number(api).state_code == "42"
    assert Counter(w.field for w in sim.wells) == {"Spraberry Trend": 8, "Wolfbone Flats": 8}
    assert all(30 < w.latitude < 33 and -104 < w.longitude < -101 for w in sim.wells)


def test_every_well_declines(sim: Simulation) -> None:
    for well in range(len(sim.wells)):
        oil = series(sim, well)
        assert statistics.median(oil[-90:]) < 0.9 * statistics.median(oil[:90])


def test_wells_of_one_field_move_together(sim: Simulation) -> None:
    """Correlation of daily deviations (log oil vs the well's centred 15-day mean, full days)."""
    deviations = []
    for well in range(len(sim.wells)):
        oil = series(sim, well)
        days = [d for d in sim.days if d.well == well]
        row: list[float | None] = []
        for t, day in enumerate(days):
            window = oil[max(0, t - 7) : t + 8]
            full = day.downtime_hours == 0 and oil[t] > 0
            row.append(math.log(oil[t] / statistics.fmean(window)) if full else None)
        deviations.append(row)

    def corr(a: int, b: int) -> float:
        pairs = [
            (x, y)
            for x, y in zip(deviations[a], deviations[b], strict=True)
            if x is not None and y is not None
        ]
        return statistics.correlation([p[0] for p in pairs], [p[1] for p in pairs])

    pairs = [(a, b) for a in range(len(sim.wells)) for b in range(a + 1, len(sim.wells))]
    same = [corr(a, b) for a, b in pairs if sim.wells[a].field == sim.wells[b].field]
    other = [corr(a, b) for a, b in pairs if sim.wells[a].field != sim.wells[b].field]
    assert statistics.fmean(same) > 0.2
    assert statistics.fmean(same) > statistics.fmean(other) + 0.15


def test_downtime_has_reasons_and_hours_fill_the_day(sim: Simulation) -> None:
    down = [d for d in sim.days if d.downtime_hours > 0]
    assert 0.01 < len(down) / len(sim.days) < 0.1
    assert {d.downtime_reason for d in down} == set(DOWNTIME_REASONS)
    for d in sim.days:
        assert d.hours_on + d.downtime_hours == day_length_hours(d.production_date, TZ)
        assert (d.downtime_reason is not None) == (d.downtime_hours > 0)
        if d.hours_on == 0:
            assert d.oil_bbl == d.gas_mcf == d.water_bbl == 0
    assert {day_length_hours(d.production_date, TZ) for d in sim.days} == {23.0, 24.0, 25.0}


def test_field_wide_outages_hit_most_wells_of_the_field_on_one_day(sim: Simulation) -> None:
    by_day = Counter(
        (d.production_date, sim.wells[d.well].field)
        for d in sim.days
        if d.downtime_reason in ("POWER", "WEATHER")
    )
    assert sum(1 for n in by_day.values() if n >= 6) >= 4  # of 8 wells per field


def test_validation_errors_never_warnings_rarely_anomalies_always(sim: Simulation) -> None:
    histories = [WellHistory() for _ in sim.wells]
    planted = {(a.well, a.production_date): a for a in sim.anomalies}
    assert {a.kind for a in sim.anomalies} == {"oil_spike", "gor_jump", "water_cut_jump"}
    ordinary = warned = 0
    for d in sim.days:
        issues = validate_production(
            ProductionInput(
                d.production_date,
                d.oil_bbl,
                d.gas_mcf,
                d.water_bbl,
                d.hours_on,
                d.downtime_hours,
                d.downtime_reason,
            ),
            today=END + timedelta(days=1),
            history=histories[d.well],
        )
        histories[d.well].add(
            DayVolumes(d.production_date, d.oil_bbl, d.gas_mcf, d.water_bbl, d.hours_on)
        )
        assert not [i for i in issues if i.severity == Severity.ERROR], (d, issues)
        key = (d.well, d.production_date)
        if key in planted:
            rules = {i.rule for i in issues if i.severity == Severity.WARNING}
            assert planted[key].rule in rules, (planted[key], issues)
        else:  # shut-in, partial and DST days, and the days after an anomaly, too
            ordinary += 1
            warned += bool(issues)
    assert ordinary == len(sim.days) - len(planted)
    assert warned / ordinary < 0.02

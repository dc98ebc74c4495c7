"""The Charts screen's reads on a real SQLCipher store: series, group totals, data versions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from corekit import TODAY, day

from fieldapp.core.analytics_source import (
    GroupCache,
    Selection,
    choices,
    data_version,
    find_well,
    load_series,
    read_series,
    search_wells,
    wells_of,
)
from fieldapp.core.errors import UnknownWellError
from fieldapp.core.production import save_production, void_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.analytics.series import DayStatus, sum_series
from shared.contracts import ProductionRecorded, WellRegistered


def put(store: Store, well: Well, n: int, oil: float, hours: float = 24.0, **more: object) -> str:
    """Record `well` on day(n): gas 2x and water 0.5x the oil; its record id."""
    entry = ProductionRecorded(
        well_id=well.well_id,
        production_date=day(n),
        oil_bbl=oil,
        gas_mcf=oil * 2,
        water_bbl=oil * 0.5,
        hours_on=hours,
        **more,  # type: ignore[arg-type]
    )
    return save_production(store, entry, today=TODAY).record_id


def shut_in(store: Store, well: Well, n: int) -> str:
    return put(store, well, n, 0.0, 0.0, downtime_hours=24.0, downtime_reason="POWER")


@pytest.fixture
def wells(store: Store) -> list[Well]:
    """Three wells: two on lease Mabee (field Spraberry), one shut in on lease Toyah."""
    specs = [
        ("42-329-40107", "Mabee 1H", "Mabee", "Spraberry", "active"),
        ("42-329-40114", "Mabee 2", "Mabee", "Spraberry", "active"),
        ("42-389-40121", "Toyah 3H", "Toyah", "Wolfbone", "shut_in"),
    ]
    return [
        register_well(
            store,
            WellRegistered(api_number=api, name=name, lease=lease, field=field, status=status),  # type: ignore[arg-type]
        )[0]
        for api, name, lease, field, status in specs
    ]


def test_a_well_series_has_every_day_with_missing_and_shut_in_told_apart(
    store: Store, wells: list[Well]
) -> None:
    well = wells[0]
    for n, oil in ((9, 100.0), (8, 98.0), (6, 95.0), (4, 90.0)):  # day 7 and 5 not recorded
        put(store, well, n, oil)
    shut_in(store, well, 5)
    put(store, well, 3, 40.0, hours=12.0, downtime_hours=12.0, downtime_reason="PUMP_FAIL")
    got = load_series(store, Selection("well", well.well_id))
    series = got.series
    assert series is not None and got.label == "Mabee 1H (42-329-40107)"
    assert series.first == day(9) and len(series.days) == 7
    assert [date.fromordinal(int(d)) for d in series.days] == [day(n) for n in range(9, 2, -1)]
    assert list(series.status) == [
        DayStatus.PRODUCING,
        DayStatus.PRODUCING,
        DayStatus.MISSING,
        DayStatus.PRODUCING,
        DayStatus.SHUT_IN,
        DayStatus.PRODUCING,
        DayStatus.PRODUCING,
    ]
    assert np.isnan(series.oil[2]) and series.oil[4] == 0.0
    assert series.gas[0] == pytest.approx(200.0) and series.water[6] == pytest.approx(20.0)
    assert series.hours_on[6] == 12.0 and series.downtime_reason[4] == "POWER"
    assert series.wells == 1 and got.version[0] == 6


def test_voided_records_leave_the_series_and_every_change_moves_the_version(
    store: Store, wells: list[Well]
) -> None:
    well, other = wells[0], wells[1]
    selection = Selection("well", well.well_id)
    first = put(store, well, 3, 100.0)
    put(store, well, 2, 90.0)
    with store.read() as conn:
        seen = [data_version(conn, selection)]
    put(store, other, 2, 50.0)  # another well's day: this well's version stays
    with store.read() as conn:
        assert data_version(conn, selection) == seen[-1]
    for change in (
        lambda: put(store, well, 2, 91.0),  # a correction
        lambda: void_production(store, first, "wrong well"),
        lambda: put(store, well, 1, 80.0),  # a new day
    ):
        change()
        with store.read() as conn:
            seen.append(data_version(conn, selection))
    assert len(set(seen)) == 4
    series = load_series(store, selection).series
    assert series is not None and series.first == day(2)
    assert list(series.oil) == [91.0, 80.0]


def test_group_totals_equal_a_plain_sum_of_the_wells_records(
    store: Store, wells: list[Well]
) -> None:
    values = {0: {6: 100.0, 5: 90.0, 3: 80.0}, 1: {6: 40.0, 4: 30.0, 3: 20.0}, 2: {6: 7.0}}
    for index, days in values.items():
        for n, oil in days.items():
            put(store, wells[index], n, oil)
    shut_in(store, wells[0], 2)
    shut_in(store, wells[1], 2)  # every reporting well shut in on day 2
    for selection, members in (
        (Selection("lease", "Mabee"), (0, 1)),
        (Selection("field", "Spraberry"), (0, 1)),
        (Selection("all"), (0, 1, 2)),
        (Selection("route"), (0, 1)),  # Toyah 3H is shut in: not on the route
    ):
        got = load_series(store, selection)
        series = got.series
        assert series is not None and series.wells == len(members)
        assert got.well_ids == tuple(wells[i].well_id for i in members)
        assert [date.fromordinal(int(d)) for d in series.days] == [day(n) for n in range(6, 1, -1)]
        for k, n in enumerate(range(6, 1, -1)):
            oil = [values[i][n] for i in members if n in values[i]]
            if n == 2:
                assert series.status[k] == DayStatus.SHUT_IN and series.oil[k] == 0.0
            elif not oil:
                assert series.status[k] == DayStatus.MISSING
            else:
                assert series.status[k] == DayStatus.PRODUCING
                assert series.oil[k] == pytest.approx(sum(oil))
                assert series.gas[k] == pytest.approx(2 * sum(oil))
                assert series.water[k] == pytest.approx(0.5 * sum(oil))
        assert series.downtime_hours[-1] == 48.0
    assert load_series(store, Selection("lease", "Mabee")).label == "Mabee (lease, 2 wells)"


def test_a_group_total_equals_sum_series_over_its_wells_own_series(
    store: Store, wells: list[Well]
) -> None:
    """The SQL totals against the shared sum of the wells' series: partial days, unknown
    hours, a shut-in, a gap; every column the chart reads."""
    for n in range(12, 0, -1):
        put(store, wells[0], n, 100.0 - n, hours=24.0 if n % 4 else 18.0)
        if n % 3:
            put(store, wells[1], n, 40.0 + n, hours=24.0 if n != 5 else 6.0)
    shut_in(store, wells[2], 7)
    shut_in(store, wells[0], 13)
    entry = ProductionRecorded(
        well_id=wells[2].well_id, production_date=day(2), oil_bbl=5.0, gas_mcf=1.0, water_bbl=0.0
    )  # hours not given: its rate is its volume
    save_production(store, entry, today=TODAY)
    tz = store.thresholds.timezone
    with store.read() as conn:
        own = [read_series(conn, Selection("well", w.well_id), tz).series for w in wells]
        got = read_series(conn, Selection("all"), tz).series
    expected = sum_series([s for s in own if s is not None])
    assert got is not None and got.first == expected.first and got.wells == 3
    assert list(got.status) == list(expected.status)
    for name in ("oil", "gas", "water", "hours_on", "downtime_hours", "day_hours"):
        np.testing.assert_allclose(getattr(got, name), getattr(expected, name), err_msg=name)
    for name in ("reading_wells", "producing_wells", "timed_day_hours"):
        np.testing.assert_allclose(getattr(got, name), getattr(expected, name), err_msg=name)
    for metric in ("oil", "gas", "water"):
        np.testing.assert_allclose(got.rate(metric), expected.rate(metric), err_msg=metric)


def test_a_group_version_follows_its_wells_only(store: Store, wells: list[Well]) -> None:
    put(store, wells[0], 3, 100.0)
    with store.read() as conn:
        mabee = data_version(conn, Selection("lease", "Mabee"))
        toyah = data_version(conn, Selection("lease", "Toyah"))
    put(store, wells[2], 3, 5.0)
    with store.read() as conn:
        assert data_version(conn, Selection("lease", "Mabee")) == mabee
        assert data_version(conn, Selection("lease", "Toyah")) != toyah


def test_nothing_recorded_reads_as_no_series(store: Store, wells: list[Well]) -> None:
    with store.read() as conn:
        for selection in (Selection("well", wells[0].well_id), Selection("lease", "Nowhere")):
            got = read_series(conn, selection, "America/Chicago")
            assert got.series is None and got.version == (0, 0, 0, 0)
        with pytest.raises(UnknownWellError):
            wells_of(conn, Selection("well", "no-such-well"))


def test_wells_are_found_by_name_or_api_number_in_any_formatting(
    store: Store, wells: list[Well]
) -> None:
    with store.read() as conn:
        assert [w.name for w in search_wells(conn, "mabee")] == ["Mabee 1H", "Mabee 2"]
        assert [w.name for w in search_wells(conn, "42-389")] == ["Toyah 3H"]
        assert [w.name for w in search_wells(conn, "4032940114")] == []
        assert [w.name for w in search_wells(conn, "329 40114")] == ["Mabee 2"]
        assert len(search_wells(conn, "")) == 3 and len(search_wells(conn, "", limit=2)) == 2
        assert find_well(conn, "TOYAH").name == "Toyah 3H"
        with pytest.raises(UnknownWellError, match="more than one"):
            find_well(conn, "Mabee")
        with pytest.raises(UnknownWellError, match="no well"):
            find_well(conn, "Estes")
        offered = choices(conn)
    assert offered.leases == ("Mabee", "Toyah") and offered.fields == ("Spraberry", "Wolfbone")
    assert (offered.route_wells, offered.all_wells) == (2, 3)


@pytest.mark.parametrize(
    ("scope", "key"), [("well", ""), ("lease", ""), ("all", "x"), ("basin", "")]
)
def test_a_selection_names_what_its_scope_needs(scope: str, key: str) -> None:
    with pytest.raises(ValueError, match="scope"):
        Selection(scope, key)  # type: ignore[arg-type]


def test_a_group_read_is_cached_until_the_store_changes(store: Store, wells: list[Well]) -> None:
    put(store, wells[0], 3, 100.0)
    cache: GroupCache = {}
    lease = Selection("lease", "Mabee")
    first = load_series(store, lease, cache)
    assert load_series(store, lease, cache) is first and len(cache) == 1
    assert load_series(store, Selection("well", wells[0].well_id), cache).series is not None
    assert len(cache) == 1  # a well is never cached
    put(store, wells[2], 3, 5.0)  # another lease's well: the token moves, the lease re-reads
    again = load_series(store, lease, cache)
    assert again is not first and again.version == first.version
    put(store, wells[1], 2, 40.0)
    moved = load_series(store, lease, cache)
    assert moved.version != first.version and moved.series is not None
    assert moved.series.oil[-1] == 40.0

"""RouteState and the route loaders: plain Python, no QApplication."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from uuid import UUID

import pytest

from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.ui.route_state import (
    COLUMNS,
    Flag,
    RouteRow,
    RouteState,
    column_title,
    display,
    format_api,
    format_number,
    load_route,
    load_snapshot,
    matches,
    parse_flags,
    tooltip,
)
from shared.contracts import ProductionRecorded
from shared.units import UnitSystem
from shared.validation import org_today


def row(name: str, api: str, oil: float | None = None, **extra: object) -> RouteRow:
    recorded = {"record_id": f"r-{name}", "oil_bbl": oil} if oil is not None else {}
    return RouteRow(
        well_id=f"w-{name}", api_number=api, name=name, field="F", lease="L", **recorded, **extra
    )  # type: ignore[arg-type]


ROWS = [
    row("Wolfcamp 2H", "42-329-40114", 120.0),
    row("Spraberry 1H", "42-317-40107"),
    row("wolfcamp 1", "42-329-40100", 80.5),
    row(
        "Spraberry 2",
        "42-317-40121",
        300.0,
        flags=(Flag("oil_day_change", "oil_bbl", "warning", "Oil is up 60%."),),
    ),
]


def test_module_imports_no_qt() -> None:
    code = (
        "import sys, fieldapp.ui.route_state\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_states_follow_the_record_and_its_flags() -> None:
    assert [r.state for r in ROWS] == ["recorded", "not recorded", "recorded", "flagged"]
    info_only = row("X", "42-329-40100", 5.0, flags=(Flag("tip", "oil_bbl", "info", "Advice"),))
    assert info_only.state == "recorded"
    assert ROWS[3].state_label == "Flagged"


def test_parse_flags_reads_the_stored_json() -> None:
    text = (
        '[{"field": "oil_bbl", "message": "Oil up", "rule": "oil_day_change",'
        ' "severity": "warning"}]'
    )
    assert parse_flags(text) == (Flag("oil_day_change", "oil_bbl", "warning", "Oil up"),)
    assert parse_flags("[]") == ()
    assert parse_flags(None) == ()


def test_format_api_dashes_valid_numbers_and_keeps_others() -> None:
    assert format_api("4232940100") == "42-329-40100"
    assert format_api("42329401000100") == "42-329-40100-01-00"
    assert format_api("not-an-api") == "not-an-api"


def test_filter_by_name_is_case_insensitive() -> None:
    state = RouteState(ROWS)
    assert state.set_filter("WOLF") is True
    assert [r.name for r in state.visible] == ["wolfcamp 1", "Wolfcamp 2H"]
    assert state.set_filter("WOLF") is False  # unchanged: nothing to redraw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42-317", {"Spraberry 1H", "Spraberry 2"}),
        ("42317", {"Spraberry 1H", "Spraberry 2"}),
        ("4032940", set()),
        ("40121", {"Spraberry 2"}),
        ("329 40100", {"wolfcamp 1"}),
        ("  ", {r.name for r in ROWS}),
    ],
)
def test_filter_by_api_number_with_or_without_dashes(text: str, expected: set[str]) -> None:
    assert {r.name for r in ROWS if matches(r, text)} == expected


def test_default_sort_is_by_name_and_blank_values_sort_last_both_ways() -> None:
    state = RouteState(ROWS)
    assert [r.name for r in state.visible] == [
        "Spraberry 1H",
        "Spraberry 2",
        "wolfcamp 1",
        "Wolfcamp 2H",
    ]
    state.sort("oil_bbl", ascending=False)
    assert [r.oil_bbl for r in state.visible] == [300.0, 120.0, 80.5, None]
    state.sort("oil_bbl", ascending=True)
    assert [r.oil_bbl for r in state.visible] == [80.5, 120.0, 300.0, None]


def test_sort_by_state_puts_wells_to_record_first_and_survives_new_rows() -> None:
    state = RouteState(ROWS)
    state.sort("state")
    assert [r.state for r in state.visible] == ["not recorded", "flagged", "recorded", "recorded"]
    state.set_filter("spraberry")
    state.set_rows([*ROWS, row("Spraberry 9", "42-317-40199")])
    assert [r.name for r in state.visible] == ["Spraberry 1H", "Spraberry 9", "Spraberry 2"]
    with pytest.raises(ValueError, match="unknown column"):
        state.sort("pressure")


def test_counts_and_index_of() -> None:
    state = RouteState(ROWS)
    assert state.counts() == (3, 4)
    assert state.index_of("w-wolfcamp 1") == 2
    state.set_filter("spra")
    assert state.index_of("w-wolfcamp 1") is None
    assert state.counts() == (3, 4)  # counts cover the whole route, not the filtered rows


def test_every_column_key_sorts() -> None:
    state = RouteState(ROWS)
    for column in COLUMNS:
        state.sort(column.key, ascending=False)
        assert len(state.visible) == len(ROWS)


def test_load_route_today_lists_every_well_unrecorded(store: Store) -> None:
    today = org_today(store.thresholds.timezone)
    rows = load_route(store, today)
    assert len(rows) == 12
    assert {r.state for r in rows} == {"not recorded"}
    assert all(r.api_number.count("-") == 2 for r in rows)
    assert {r.field for r in rows} == {"Wolfcamp North", "Spraberry East"}


def test_load_route_past_day_has_the_recorded_volumes(store: Store) -> None:
    yesterday = org_today(store.thresholds.timezone) - timedelta(days=1)
    rows = load_route(store, yesterday)
    assert all(r.record_id is not None for r in rows)
    assert all(r.oil_bbl is not None and r.oil_bbl > 0 for r in rows)
    assert all(r.hours_on is not None for r in rows)


def test_load_route_sees_a_save_and_its_warning_flags(store: Store) -> None:
    today = org_today(store.thresholds.timezone)
    first = load_route(store, today)[0]
    record = ProductionRecorded(
        well_id=UUID(first.well_id),
        production_date=today,
        oil_bbl=5000,  # far above this well's history: warnings, still saved
        gas_mcf=10,
        water_bbl=10,
        hours_on=24,
    )
    result = save_production(store, record)
    after = next(r for r in load_route(store, today) if r.well_id == first.well_id)
    assert after.record_id == result.record_id
    assert after.oil_bbl == 5000
    assert after.state == "flagged"
    assert {f.rule for f in after.flags} == {i.rule for i in result.issues}


def test_load_snapshot_defaults_to_today_and_never_shows_the_future(store: Store) -> None:
    today = org_today(store.thresholds.timezone)
    snapshot = load_snapshot(store)
    assert snapshot.day == snapshot.today == today
    assert len(snapshot.rows) == 12
    assert all(row.record_id is None for row in snapshot.rows)  # today is not recorded yet
    future = load_snapshot(store, today + timedelta(days=3))
    assert future.day == today
    past = load_snapshot(store, today - timedelta(days=2))
    assert past.day == today - timedelta(days=2)
    assert len(past.rows) == 12


def test_format_number() -> None:
    assert format_number(None) == ""
    assert format_number(24.0, 2) == "24"
    assert format_number(23.25, 2) == "23.25"
    assert format_number(602.0, 1, trim=False) == "602.0"
    assert format_number(10000.0, 1, trim=False) == "10,000.0"


def test_cells_and_tooltips_in_words_and_units() -> None:
    flagged = ROWS[3]
    recorded = RouteRow("w-x", "42-329-40100", "X", "", "", record_id="r-x", hours_on=23.25)
    assert display(flagged, "state") == "⚠ Flagged"
    assert display(ROWS[1], "state") == "○ Not recorded"
    assert display(ROWS[0], "state") == "✓ Recorded"
    assert display(flagged, "oil_bbl") == "300.0"
    assert display(flagged, "oil_bbl", UnitSystem.METRIC) == "47.7"  # m³
    assert display(ROWS[1], "oil_bbl") == ""
    assert display(recorded, "hours_on") == "23.25"
    assert display(flagged, "api_number") == "42-317-40121"
    assert tooltip(ROWS[1]).splitlines() == [
        "Spraberry 1H — API 42-317-40107",
        "L · F",
        "No production recorded for this day.",
    ]
    assert tooltip(flagged).splitlines()[-1] == "⚠ Oil is up 60%."
    oil = next(c for c in COLUMNS if c.key == "oil_bbl")
    assert column_title(oil, UnitSystem.FIELD) == ("Oil (bbl)", "Oil\nbbl")
    assert column_title(oil, UnitSystem.METRIC) == ("Oil (m³)", "Oil\nm³")
    name = COLUMNS[0]
    assert column_title(name, UnitSystem.METRIC) == (name.title, name.header)

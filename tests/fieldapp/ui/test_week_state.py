"""WeekState and the entry helpers, without Qt: cells, changes, units, issues and outcomes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from fieldapp.core.production_days import DayOutcome, ProductionWeek, week_days
from fieldapp.core.validation_context import ValidationContext
from fieldapp.ui.week_state import (
    WeekState,
    flag_issues,
    parse_values,
    saved_head,
)
from shared.history import DayVolumes, WellHistory
from shared.units import UnitSystem
from shared.validation import Issue, Severity, Thresholds

END = date(2026, 3, 10)
WELL = "6f1c1e5e-8d1d-4a8e-9a51-2d5b8f0f7a11"
OIL, GAS, WATER, HOURS, DOWN, REASON = range(6)


def stored(oil: float, **extra: Any) -> dict[str, Any]:
    row = {
        "record_id": f"r{oil}",
        "oil_bbl": oil,
        "gas_mcf": 150.0,
        "water_bbl": 40.0,
        "hours_on": 24.0,
        "downtime_hours": None,
        "downtime_reason": None,
    }
    return {**row, **extra}


def week(records: dict[date, dict[str, Any]] | None = None) -> ProductionWeek:
    days = week_days(END)
    history = WellHistory(
        DayVolumes(END - timedelta(days=n), 100.0, 150.0, 40.0) for n in range(1, 20)
    )
    ctx = ValidationContext(WELL, END, END, Thresholds(), history)
    return ProductionWeek(WELL, END, END, days, records or {}, ctx)


def loaded(units: UnitSystem = UnitSystem.FIELD, **records: dict[str, Any]) -> WeekState:
    state = WeekState(units)
    by_day = {END - timedelta(days=int(k[1:])): v for k, v in records.items()}
    state.load(week(by_day))
    return state


def test_rows_are_the_seven_days_oldest_first_with_stored_values() -> None:
    state = loaded(d1=stored(100.5))
    assert state.days == [END - timedelta(days=n) for n in range(6, -1, -1)]
    assert state.text(5, OIL) == "100.5"
    assert state.text(5, HOURS) == "24"
    assert state.text(6, OIL) == ""
    assert [state.status(5), state.status(6)] == ["recorded", "empty"]
    assert state.status_text(6) == "Not recorded"
    assert state.dirty_count() == 0
    assert state.rows_to_save() == []


def test_typing_changes_a_row_and_only_changed_rows_are_saved() -> None:
    state = loaded(d1=stored(100.0))
    assert state.set_text(6, OIL, "101")
    assert not state.set_text(6, OIL, "101")  # the same text: nothing changed
    for column, text in ((GAS, "150"), (WATER, "40"), (HOURS, "24")):
        state.set_text(6, column, text)
    assert state.status(6) == "changed"
    assert state.dirty_count() == 1
    [row] = state.rows_to_save()
    assert row.day == END
    assert dict(row.values) == {
        "oil_bbl": 101.0,
        "gas_mcf": 150.0,
        "water_bbl": 40.0,
        "hours_on": 24.0,
        "downtime_hours": None,
    }


def test_a_row_that_does_not_parse_or_breaks_a_rule_waits_marked() -> None:
    state = loaded(d1=stored(100.0), d2=stored(100.0))
    state.set_text(5, OIL, "abc")
    state.set_text(4, DOWN, "3")
    assert state.status(5) == "error"
    assert "'abc' is not a number" in state.status_text(5)
    assert state.status(4) == "error"
    assert "needs a downtime reason" in state.status_text(4)
    assert state.rows_to_save() == []
    assert state.blocked_rows() == [4, 5]
    state.set_text(4, REASON, "POWER")
    state.set_text(4, HOURS, "21")
    assert state.status(4) == "changed"
    assert [r.downtime_reason for r in state.rows_to_save()] == ["POWER"]


def test_an_unusual_value_warns_and_still_saves() -> None:
    state = loaded(d1=stored(100.0))
    state.set_text(5, OIL, "400")
    assert state.status(5) == "changed"
    assert "from the last producing day" in state.status_text(5)
    assert len(state.rows_to_save()) == 1


def test_cubic_metres_show_and_keep_stored_values_exactly() -> None:
    state = loaded(UnitSystem.METRIC, d1=stored(123.456789))
    assert state.text(5, OIL) == "19.628"  # 123.456789 bbl in m³
    assert not state.is_changed(5)
    state.set_text(5, WATER, "10")
    [row] = state.rows_to_save()
    assert row.values["oil_bbl"] == 123.456789  # untouched: the stored value, not rounded
    assert row.values["water_bbl"] == pytest.approx(62.898, abs=1e-3)
    state.set_units(UnitSystem.FIELD)
    assert state.text(5, OIL) == "123.457"
    assert float(state.text(5, WATER)) == pytest.approx(62.898, abs=1e-3)  # typed, converted


def test_outcomes_keep_refused_typing_and_mark_saved_days() -> None:
    state = loaded(d1=stored(100.0))
    state.set_text(5, OIL, "105")
    state.set_text(6, OIL, "-3")
    state.set_text(4, OIL, "x")  # never sent
    fresh = week({END - timedelta(days=1): stored(105.0)})
    refused = Issue("volume_negative", "oil_bbl", Severity.ERROR, "Oil -3 bbl is negative.")
    state.apply_outcomes(
        [DayOutcome(END - timedelta(days=1), "corrected"), DayOutcome(END, "failed", [refused])],
        fresh,
    )
    assert state.text(5, OIL) == "105" and state.status(5) == "saved"
    assert state.text(6, OIL) == "-3" and state.status(6) == "failed"
    assert state.text(4, OIL) == "x"
    assert state.dirty_count() == 2


def test_parse_values_and_the_choke() -> None:
    values, issues = parse_values({"choke_64ths": "24", "tubing_psi": ""}, UnitSystem.FIELD)
    assert values == {"choke_64ths": 24, "tubing_psi": None}
    assert issues == []
    _values, issues = parse_values({"choke_64ths": "12.5"}, UnitSystem.FIELD)
    assert [i.rule for i in issues] == ["choke_range"]


def test_saved_head_flag_issues_and_the_context_check() -> None:
    warning = Issue("oil_day_change", "oil_bbl", Severity.WARNING, "Oil is up.")
    assert saved_head("recorded", [], "Smith 1H") == "Saved for Smith 1H."
    assert saved_head("corrected", [warning], "A") == (
        "Correction saved for A. Flagged for review (1 warning):"
    )
    assert saved_head("unchanged", [], "A").startswith("Nothing changed")
    flags = (
        '[{"rule": "a", "field": "oil_bbl", "severity": "warning", "message": "m"},'
        ' {"rule": "b", "field": "gas_mcf", "severity": "info", "message": "n"}]'
    )
    assert [i.rule for i in flag_issues(flags)] == ["a"]
    from shared.contracts import ProductionRecorded

    rec = ProductionRecorded.model_validate(
        {
            "well_id": WELL,
            "production_date": END + timedelta(days=1),
            "oil_bbl": 1,
            "gas_mcf": 1,
            "water_bbl": 1,
        }
    )
    assert "future_date" in {i.rule for i in week().context.check(rec)}


def test_typing_of_another_well_is_put_aside_and_comes_back() -> None:
    state = loaded(d1=stored(100.0))
    state.set_text(5, OIL, "120")
    other = week()
    other = ProductionWeek("other-well", other.end_day, other.today, other.days, {}, other.context)
    state.load(other)
    assert state.text(5, OIL) == "" and not state.is_changed(5)
    assert state.dirty_count() == 1  # still counted: the window warns before closing
    state.set_units(UnitSystem.METRIC)
    state.set_units(UnitSystem.FIELD)
    state.load(week({END - timedelta(days=1): stored(100.0)}))
    assert state.text(5, OIL) == "120"
    assert state.dirty_count() == 1

"""The Production page's round trips (a save reads its day or week back) and its words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from corekit import PASSPHRASE
from productionkit import record, today

from fieldapp.core.keystore import Keystore
from fieldapp.core.production import save_production
from fieldapp.core.production_days import DayOutcome, DayValues, well_day
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from fieldapp.ui import production_state as ps
from shared.contracts import WellRegistered
from shared.validation import Issue, Severity


@pytest.fixture
def empty_store(tmp_path: Path, keystore: Keystore) -> Iterator[Store]:
    """A store with no production yet (the demo store has months of it)."""
    with Store.create(tmp_path / "empty", PASSPHRASE, keystore) as opened:
        yield opened


@pytest.fixture
def well(empty_store: Store) -> Well:
    registered = WellRegistered(api_number="42-501-20130", name="Smith 1H")
    return register_well(empty_store, registered)[0]


def test_saving_a_day_reads_it_back(empty_store: Store, well: Well) -> None:
    store, day = empty_store, today(empty_store)
    result, entry = ps.save_day(store, record(well, day))
    assert result.outcome == "recorded"
    assert entry.record is not None and entry.record["record_id"] == result.record_id
    assert [v.kind for v in entry.versions] == ["recorded"]
    assert well_day(store, well.well_id, day - timedelta(days=1)).record is None


def test_saving_the_week_reads_the_week_back(empty_store: Store, well: Well) -> None:
    store, end = empty_store, today(empty_store)
    save_production(store, record(well, end))
    rows = [
        DayValues(end, {"oil_bbl": 12.5, "gas_mcf": 30.0, "water_bbl": 4.0}),
        DayValues(end - timedelta(days=1), {"oil_bbl": -1.0, "gas_mcf": 1.0, "water_bbl": 1.0}),
    ]
    outcomes, week = ps.save_week(store, well.well_id, rows, end)
    assert [o.outcome for o in outcomes] == ["corrected", "failed"]
    assert (week.well_id, week.end_day) == (well.well_id, end)
    assert week.records[end]["oil_bbl"] == 12.5


def test_the_picker_lists_every_well_with_the_org_s_today(store: Store, wells: list[Well]) -> None:
    listed, day = ps.picker_wells(store)
    assert listed == wells and day == today(store)
    assert ps.well_choice(wells[0]).startswith(f"{wells[0].name}  (API ")


def test_same_as_yesterday_copies_the_latest_record_before_the_day(
    store: Store, wells: list[Well]
) -> None:
    well, day = wells[2], today(store) + timedelta(days=400)  # after every demo record
    save_production(store, record(well, today(store), oil=77.0))
    found = ps.yesterday_values(store, well.well_id, day)
    assert found is not None and found["oil_bbl"] == 77.0
    assert ps.copied_words(found) == f"Copied from {today(store):%a %d %b}"
    assert ps.yesterday_values(store, well.well_id, date(2000, 1, 1)) is None


def test_what_the_page_says_about_days_and_saves() -> None:
    day, today_ = date(2026, 12, 8), date(2026, 12, 7)
    assert ps.future_day_message(day, today_) == (
        "Tue 08 Dec 2026 is in the future: production can be recorded up to today"
        " (Mon 07 Dec 2026)."
    )
    assert ps.saved_words("recorded") == "Saved"
    assert ps.saved_words("corrected") == "Saved (correction)"
    assert ps.saved_words("unchanged") == "Nothing changed"


def test_saving_the_week_is_summed_up_in_days() -> None:
    refused = Issue("volume_negative", "oil_bbl", Severity.ERROR, "Oil cannot be negative.")
    d1, d2, d3 = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)
    one = ps.week_saved([DayOutcome(d1, "recorded")], set())
    assert (one.saved, one.not_saved, one.text) == (1, 0, "Saved 1 day.")
    mixed = ps.week_saved(
        [
            DayOutcome(d1, "corrected"),
            DayOutcome(d2, "recorded"),
            DayOutcome(d3, "failed", [refused]),
        ],
        {d3, d1 - timedelta(days=1)},  # d3 refused and marked: counted once
    )
    assert (mixed.saved, mixed.not_saved) == (2, 2)
    assert mixed.text == "Saved 2 days. 2 not saved: fix the marked days."
    assert ps.week_saved([DayOutcome(d1, "unchanged")], set()).text == "Saved 0 days."

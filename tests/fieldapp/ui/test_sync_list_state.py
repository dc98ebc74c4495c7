"""The Sync screen's plain lists (what waits, the last results) and the paging every list
shares, without Qt."""

from __future__ import annotations

from fieldapp.core.outbox import PendingEvent
from fieldapp.core.outcomes import RecordOutcome
from fieldapp.ui.sync_list_state import PendingList, ResultsList
from shared.units import UnitSystem


def pending(seq: int, **values: float) -> PendingEvent:
    return PendingEvent(
        seq,
        "production.recorded",
        f"r{seq}",
        "Wolfcamp 1H",
        "2026-11-30",
        dict(values),
        "2026-12-01T10:00:00+00:00",
    )


def test_pending_rows_say_what_which_well_and_day_in_the_chosen_units() -> None:
    item = PendingEvent(
        3,
        "production.recorded",
        "r1",
        "Wolfcamp 1H",
        "2026-11-30",
        {"oil_bbl": 100.0, "gas_mcf": 1000.0, "water_bbl": 0.0, "hours_on": 24.0, "notes": "ok"},
        "2026-12-01T10:00:00+00:00",
    )
    table = PendingList()
    table.set_items([item])
    what, well, day, values, _when = (table.text(0, c) for c in range(5))
    assert (what, well, day) == ("Production", "Wolfcamp 1H", "2026-11-30")
    assert values == "Oil (bbl) 100, Gas (Mcf) 1,000, Water (bbl) 0, Hours on 24, …"
    table.units = UnitSystem.METRIC
    assert table.text(0, 3).startswith("Oil (m³) 15.9, Gas (m³) 28,316.85")


def test_each_result_is_worded_and_only_open_problems_are_coloured() -> None:
    reasons = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]
    table = ResultsList()
    table.set_items(
        [
            RecordOutcome(5, "production.recorded", "r5", "W", "d", "rejected", "t", reasons),
            RecordOutcome(4, "production.corrected", "r4", "W", "d", "merged", "t"),
            RecordOutcome(3, "production.recorded", "r3", "W", "d", "conflict", "t", detail="open"),
            RecordOutcome(
                2, "production.recorded", "r2", "W", "d", "conflict", "t", detail="resolved"
            ),
            RecordOutcome(1, "well.registered", "w", "W", "", "duplicate", "t"),
        ]
    )
    assert [table.text(r, 0) for r in range(5)] == [
        "✗ Rejected",
        "✓ Merged",
        "⚠ Conflict (open)",
        "⚠ Conflict (resolved)",
        "✓ Accepted (already on server)",
    ]
    assert table.text(0, 4) == "Oil (bbl): negative oil"
    assert "another device" in table.text(1, 4)
    assert [table.tone(r, 0) for r in range(5)] == ["error", "ok", "warning", "", "ok"]
    assert table.tone(0, 1) == ""  # only the result cell


def test_pages_are_added_in_order_each_row_once_and_the_note_counts_the_total() -> None:
    table = PendingList()
    table.set_items([pending(1), pending(2)], more=True, total=2_500)
    assert (table.row_count(), table.more, table.last_key()) == (2, True, 2)
    assert table.showing() == "Showing 2 of 2,500."
    assert table.add_page([pending(2), pending(3), pending(4)], more=True) == 2  # 2 was shown
    assert [i.device_seq for i in table.items] == [1, 2, 3, 4]
    assert table.showing() == "Showing 4 of 2,500."
    assert table.add_page([pending(5)], more=False) == 1
    assert table.showing() == "" and not table.more
    table.set_items([pending(9)])  # a reload starts over
    assert [i.device_seq for i in table.items] == [9] and table.total == 1
    assert table.fresh([pending(9), pending(10)]) == [pending(10)]

"""The Sync screen's rejected records without Qt: the list, and what the panel says and offers
for each kind of rejection."""

from __future__ import annotations

from typing import Any

from fieldapp.core.rejections import OpenRejection, Rejection
from fieldapp.ui.sync_rejected_state import RejectedList, action, rejection_heading
from shared.units import UnitSystem

NEGATIVE = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]
STALE = [{"rule": "stale_resolution", "field": "", "message": "record changed"}]


def refused(event_type: str, reasons: list[dict[str, str]], **more: Any) -> OpenRejection:
    rejection = Rejection(
        7, "e7", event_type, "r7", {"conflict_id": "c7"}, reasons, "2026-12-01T10:00:00Z", None
    )
    fixable = ("oil_bbl",) if event_type.startswith("production") else ()
    return OpenRejection(rejection, "Spraberry 2", "2026-11-29", {}, fixable, bool(fixable), **more)


def test_the_list_says_which_record_and_why_in_the_error_tone() -> None:
    table = RejectedList()
    table.set_items([refused("production.recorded", NEGATIVE)], more=True, total=40)
    assert [table.text(0, c) for c in range(4)] == [
        "Spraberry 2",
        "2026-11-29",
        "Production",
        "Oil (bbl): negative oil",
    ]
    assert (table.tone(0, 3), table.tone(0, 0)) == ("error", "")
    assert table.last_seq() == 7 and table.showing() == "Showing 1 of 40."
    reason = [{"rule": "payload", "field": "changes.status", "message": "not a status"}]
    table.set_items([refused("equipment.updated", reason)])
    assert table.text(0, 3) == "Status: not a status"


def test_a_fixable_record_is_fixed_and_sent_again() -> None:
    shown = refused("production.recorded", NEGATIVE)
    assert action(shown) == "fix"
    assert rejection_heading(shown, UnitSystem.FIELD) == (
        "Spraberry 2 · 2026-11-29: correct the values the server refused, then press"
        " Fix and send again (Ctrl+S)."
    )


def test_a_stale_resolution_says_what_happened_and_offers_resolve_again() -> None:
    shown = refused("conflict.resolved", STALE, conflict_id="c7", conflict_open=True)
    assert action(shown) == "resolve"
    heading = rejection_heading(shown, UnitSystem.FIELD)
    assert "the record changed on the server after you chose" in heading
    assert "press Resolve again to compare the record's current values" in heading
    gone = refused("conflict.resolved", STALE, conflict_id="c7", conflict_open=False)
    assert action(gone) == "none"
    assert "not open on this laptop any more" in rejection_heading(gone, UnitSystem.FIELD)
    other = [{"rule": "conflict_already_resolved", "field": "", "message": "kept theirs"}]
    said = rejection_heading(
        refused("conflict.resolved", other, conflict_id="c7"), UnitSystem.FIELD
    )
    assert "(kept theirs)" in said


def test_a_kind_the_screen_cannot_send_again_says_where_to_record_it() -> None:
    role = [{"rule": "role", "field": "", "message": "wells are managed by the office"}]
    shown = refused("well.updated", role)
    assert action(shown) == "none"
    assert rejection_heading(shown, UnitSystem.FIELD).endswith("record it again on its own screen.")

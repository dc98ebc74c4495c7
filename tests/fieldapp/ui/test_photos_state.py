"""The Photos page's state over a real store: each photo's well and record, order, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from photouikit import attach_jpegs, their_photo

from fieldapp.core.equipment import add_equipment
from fieldapp.core.incidents import report_incident
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import mark_upload
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.photos_state import PhotosState, load_photos, two_lines
from shared.contracts import EquipmentAdded, IncidentReported, MaintenanceLogged
from shared.validation import org_today


def test_every_photo_has_its_well_and_record_and_they_sort_by_well_then_newest(
    store: Store, wells: list[Well], tmp_path: Path
) -> None:
    first, second = wells[0], wells[1]
    pump = add_equipment(
        store,
        EquipmentAdded(
            well_id=UUID(second.well_id), equipment_type="Rod pump", serial_number="RP-7"
        ),
    )
    today = org_today(store.thresholds.timezone)
    entry = log_maintenance(
        store,
        MaintenanceLogged(
            well_id=UUID(second.well_id), performed_on=today, maintenance_type="Repair"
        ),
    )
    spill = report_incident(
        store,
        IncidentReported(
            well_id=UUID(first.well_id),
            incident_type="spill",
            severity="low",
            occurred_at=datetime.now(UTC) - timedelta(hours=1),
            description="a drip",
        ),
    )
    on_well = attach_jpegs(store, PhotoTarget("well", first.well_id), tmp_path, 3)[0]  # Nov 4
    on_spill = attach_jpegs(store, PhotoTarget("incident", spill.incident_id), tmp_path, 9)[0]
    on_pump = attach_jpegs(store, PhotoTarget("equipment", pump.equipment_id), tmp_path, 5)[0]
    on_entry = attach_jpegs(store, PhotoTarget("maintenance", entry.maintenance_id), tmp_path, 1)[0]
    theirs = their_photo(store, "well", first.well_id)  # 2026-11-19, no bytes here

    state = PhotosState()
    state.set_snapshot(load_photos(store))
    assert [r.photo_id for r in state.shown] == [  # the wells in order, each newest first
        theirs,
        on_spill.photo_id,
        on_well.photo_id,
        on_pump.photo_id,
        on_entry.photo_id,
    ]
    records = {r.photo_id: r.record for r in state.shown}
    assert records[on_well.photo_id] == "Well"
    assert records[on_spill.photo_id].startswith("Incident: Spill of ")
    assert records[on_pump.photo_id] == "Equipment: Rod pump RP-7"
    assert records[on_entry.photo_id] == f"Maintenance: Repair of {today.isoformat()}"
    assert {r.well for r in state.shown} == {first.name, second.name}
    by_id = {r.photo_id: r for r in state.shown}
    assert by_id[theirs].sync == "not on this laptop"
    assert by_id[on_well.photo_id].has_thumbnail and not by_id[theirs].has_thumbnail
    assert state.missing_thumbnails() == [theirs]
    assert state.add_thumbnail(theirs, b"\xff\xd8thumb") == 0
    assert state.missing_thumbnails() == [] and state.shown[0].sync == "on server"
    by_id = {r.photo_id: r for r in state.shown}
    assert by_id[on_well.photo_id].full("taken") == "2026-11-04 09:30"
    assert by_id[on_well.photo_id].display("taken") == "2026-11-04\n09:30"  # two lines
    assert by_id[on_pump.photo_id].display("record") == "Equipment\nRod pump RP-7"
    assert state.summary() == "5 photos, by well, newest first"

    state.set_filter(well_id=second.well_id)
    assert {r.photo_id for r in state.shown} == {on_pump.photo_id, on_entry.photo_id}
    state.set_filter(kind="incident")
    assert [r.photo_id for r in state.shown] == [on_spill.photo_id]
    assert state.summary() == "1 of 5 photos, by well, newest first"
    mark_upload(store, on_pump.sha256, "refused", 0, None, "quota full")
    state.set_snapshot(load_photos(store))
    state.set_filter(state="refused")
    assert [r.photo_id for r in state.shown] == [on_pump.photo_id]
    (refused,) = state.shown
    assert refused.display("sync") == "refused"
    assert refused.full("sync") == "refused: quota full"
    assert state.index_of(on_pump.photo_id) == 0 and state.index_of(theirs) is None
    assert [p.photo_id for p in state.photos()] == [on_pump.photo_id]


def test_no_photos_says_where_to_attach_them(store: Store) -> None:
    state = PhotosState()
    state.set_snapshot(load_photos(store))
    assert state.shown == [] and state.summary().startswith("No photos yet")


def test_a_caption_takes_two_short_lines_in_the_table() -> None:
    assert two_lines("Spill") == "Spill"
    assert two_lines("Stuffing box leaking before the repack") == "Stuffing box\nleaking before…"
    assert two_lines("") == ""

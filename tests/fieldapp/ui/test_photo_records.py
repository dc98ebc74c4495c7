"""Which record a page's strip shows: the table's current row, and nothing when it is emptied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from photouikit import attach_jpegs
from pytestqt.qtbot import QtBot
from uikit import on_worker

from fieldapp.core.equipment import add_equipment
from fieldapp.core.incidents import Incident, list_incidents, report_incident
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.equipment_model import make_table
from fieldapp.ui.incidents_model import IncidentsModel
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_records import (
    equipment_record,
    follow_table,
    incident_record,
    maintenance_record,
)
from fieldapp.ui.photo_strip import PhotoStrip
from shared.contracts import EquipmentAdded, IncidentReported


def test_each_kind_of_row_names_its_record(
    qtbot: QtBot, runner: OpRunner, wells: list[Well]
) -> None:
    details = EquipmentAdded(
        well_id=UUID(wells[0].well_id), equipment_type="Rod pump", serial_number="RP-7"
    )
    pump = on_worker(qtbot, runner, lambda s: add_equipment(s, details))
    assert equipment_record(pump) == (
        PhotoTarget("equipment", pump.equipment_id),
        "Rod pump RP-7",
    )
    assert maintenance_record(pump) is None and incident_record(pump) is None
    assert equipment_record("not a row") is None


def test_the_strip_follows_the_current_row_and_empties_with_the_table(
    qtbot: QtBot, runner: OpRunner, wells: list[Well], tmp_path: Path
) -> None:
    report = IncidentReported(
        well_id=UUID(wells[0].well_id),
        incident_type="spill",
        severity="low",
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
        description="a drip",
    )
    spill = on_worker(qtbot, runner, lambda s: report_incident(s, report))
    target = PhotoTarget("incident", spill.incident_id)
    on_worker(qtbot, runner, lambda s: attach_jpegs(s, target, tmp_path, 1, 2))
    incidents = on_worker(qtbot, runner, lambda s: _incidents(s))
    model = IncidentsModel()
    table = make_table(model, "Incidents")
    qtbot.addWidget(table)
    strip = PhotoStrip(runner)
    qtbot.addWidget(strip)
    follow_table(strip, table, incident_record)
    model.set_rows(incidents)
    assert strip.state.target is None
    table.selectRow(0)
    assert strip.state.target == target
    qtbot.waitUntil(lambda: strip.list.count() == 2, timeout=10_000)
    assert strip.title.text().startswith("Photos of Spill of ")
    model.set_rows([])  # the store was locked
    assert strip.state.target is None and strip.list.count() == 0


def _incidents(store: Store) -> list[Incident]:
    with store.read() as conn:
        return list_incidents(conn)

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from corekit import TODAY

from fieldapp.core import exporter
from fieldapp.core.exporter import ExportFilter, export_production
from fieldapp.core.importer import import_production
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionRecorded


def test_export_filters_by_date_and_reimports_as_unchanged(
    store: Store, well: Well, tmp_path: Path
) -> None:
    for offset in range(5):
        save_production(
            store,
            ProductionRecorded(
                well_id=well.well_id,
                production_date=TODAY - timedelta(days=offset),
                oil_bbl=100.5,
                gas_mcf=10,
                water_bbl=1,
                hours_on=24,
                notes="line, with comma",
            ),
            today=TODAY,
        )
    out = tmp_path / "out.csv"
    count = export_production(store, out, ExportFilter(start=TODAY - timedelta(days=2)))
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert count == len(rows) == 3
    assert rows[0]["api_number"] == "4250120130"
    assert rows[0]["oil_bbl"] == "100.5" and rows[0]["notes"] == "line, with comma"
    assert not (tmp_path / ".out.csv.partial").exists()

    summary = import_production(store, out, today=TODAY)
    assert (summary.read, summary.unchanged, summary.imported) == (3, 3, 0)


def test_export_by_well_excludes_other_wells(store: Store, well: Well, tmp_path: Path) -> None:
    count = export_production(store, tmp_path / "none.csv", ExportFilter(well_id="other"))
    assert count == 0
    assert (tmp_path / "none.csv").read_text().startswith("api_number,production_date")


def test_each_value_stays_under_its_header_whatever_the_column_order(
    store: Store, well: Well, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Columns are read by name: a column added or moved in the middle shifts nothing."""
    save_production(
        store,
        ProductionRecorded(
            well_id=well.well_id,
            production_date=TODAY,
            oil_bbl=100.5,
            gas_mcf=12,
            water_bbl=3,
            hours_on=20,
            downtime_hours=4,
            downtime_reason="PUMP_FAIL",
            tubing_psi=410,
            casing_psi=620,
            notes="pump jack squeal",
        ),
        today=TODAY,
    )
    first = tmp_path / "first.csv"
    export_production(store, first)
    with first.open() as handle:
        expected = next(csv.DictReader(handle))

    order = list(exporter.EXPORT_COLUMNS)
    moved = order.pop(order.index("flags"))
    shuffled = (*reversed(order[:8]), moved, "well_name", *order[8:])
    monkeypatch.setattr(exporter, "EXPORT_COLUMNS", tuple(dict.fromkeys(shuffled)))
    second = tmp_path / "second.csv"
    export_production(store, second)
    with second.open() as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(exporter.EXPORT_COLUMNS)
        assert next(reader) == expected
    assert expected["well_name"] == "Smith 1H" and expected["tubing_psi"] == "410"
    assert expected["downtime_reason"] == "PUMP_FAIL" and expected["notes"] == "pump jack squeal"

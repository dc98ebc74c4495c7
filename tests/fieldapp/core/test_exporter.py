from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from corekit import TODAY

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

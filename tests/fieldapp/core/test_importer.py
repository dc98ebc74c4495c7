from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from corekit import TODAY

from fieldapp.core.csv_source import CsvFormatError
from fieldapp.core.eventlog import iter_events
from fieldapp.core.importer import import_production
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well
from shared.contracts import ProductionRecorded

HEADER = [
    "api_number",
    "production_date",
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "downtime_hours",
    "downtime_reason",
    "notes",
]


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def history_rows(api: str, days: int, oil: float = 100.0) -> list[list[object]]:
    return [
        [api, (TODAY - timedelta(days=d)).isoformat(), oil, 150, 40, 24, "", "", ""]
        for d in range(days, 0, -1)
    ]


def test_a_clean_file_imports_every_row(store: Store, well: Well, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", history_rows("42-501-20130", 20))
    summary = import_production(store, path, today=TODAY)
    assert summary.as_dict() == {
        "read": 20,
        "imported": 20,
        "corrected": 0,
        "unchanged": 0,
        "rejected": 0,
        "flagged": 0,
    }
    assert store.status().production_records == 20
    assert verify_store(store).ok


def test_reimporting_creates_nothing_and_a_changed_row_becomes_a_correction(
    store: Store, well: Well, tmp_path: Path
) -> None:
    rows = history_rows("4250120130", 10)
    import_production(store, write_csv(tmp_path / "a.csv", rows), today=TODAY)
    events = store.status().events
    again = import_production(store, write_csv(tmp_path / "b.csv", rows), today=TODAY)
    assert (again.imported, again.unchanged, store.status().events) == (0, 10, events)
    rows[4][2] = 101.5
    changed = import_production(store, write_csv(tmp_path / "c.csv", rows), today=TODAY)
    assert (changed.corrected, changed.unchanged, changed.imported) == (1, 9, 0)
    with store.read() as conn:
        last = list(iter_events(conn))[-1]
    assert last.event_type == "production.corrected"
    assert last.envelope()["payload"]["changes"] == {"oil_bbl": 101.5}


def test_error_rows_are_reported_with_line_and_column_and_not_imported(
    store: Store, well: Well, tmp_path: Path
) -> None:
    rows = history_rows("4250120130", 3)
    rows.append(["4250120130", "2026-02-30", 1, 1, 1, 24, 0, "", ""])
    rows.append(["4250120130", TODAY.isoformat(), -5, 1, 1, 24, 0, "", ""])
    rows.append(["4250120131", TODAY.isoformat(), 5, 1, 1, 24, 0, "", ""])
    rows.append(["4250120130", TODAY.isoformat(), "lots", 1, 1, 24, 0, "", ""])
    rows.append(["4250120130", TODAY.isoformat(), 5, 1, 1, 20, 4, "", ""])
    summary = import_production(store, write_csv(tmp_path / "e.csv", rows), today=TODAY)
    assert (summary.imported, summary.rejected) == (3, 5)
    found = {(p.line, p.column) for p in summary.problems if p.severity == "error"}
    assert found == {
        (5, "production_date"),
        (6, "oil_bbl"),
        (7, "api_number"),
        (8, "oil_bbl"),
        (9, "downtime_reason"),
    }
    assert store.status().production_records == 3


def test_warning_rows_import_with_their_flag(store: Store, well: Well, tmp_path: Path) -> None:
    rows = history_rows("4250120130", 10)
    rows.append(["4250120130", TODAY.isoformat(), 700, 150, 40, 24, 0, "", "big day"])
    summary = import_production(store, write_csv(tmp_path / "w.csv", rows), today=TODAY)
    assert (summary.imported, summary.flagged) == (11, 1)
    assert {p.line for p in summary.problems} == {12}
    with store.read() as conn:
        score = conn.exec_driver_sql(
            "SELECT quality_score FROM production WHERE production_date = ?", (TODAY.isoformat(),)
        ).scalar_one()
    assert score < 100


def test_imported_payloads_are_exactly_the_contract_form(
    store: Store, well: Well, tmp_path: Path
) -> None:
    """The import builds payload dicts directly; they must equal the pydantic wire form."""
    rows = history_rows("4250120130", 2)
    rows[0][6:8] = [2, "PUMP_FAIL"]
    rows[0][5] = 22
    import_production(store, write_csv(tmp_path / "x.csv", rows), today=TODAY)
    with store.read() as conn:
        for ev in iter_events(conn):
            if ev.event_type == "production.recorded":
                payload = ev.envelope()["payload"]
                model = ProductionRecorded.model_validate(payload)
                assert model.model_dump(mode="json") == payload


def test_a_file_that_is_not_a_production_csv_is_refused_whole(
    store: Store, well: Well, tmp_path: Path
) -> None:
    with pytest.raises(CsvFormatError, match="missing column"):
        import_production(store, write_csv(tmp_path / "bad.csv", [], ["a", "b"]), today=TODAY)
    with pytest.raises(CsvFormatError, match="not found"):
        import_production(store, tmp_path / "nope.csv", today=TODAY)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    with pytest.raises(CsvFormatError):
        import_production(store, binary, today=TODAY)
    assert store.status().production_records == 0


def test_rows_in_one_file_are_validated_against_earlier_rows_of_that_file(
    store: Store, well: Well, tmp_path: Path
) -> None:
    rows = history_rows("4250120130", 10, oil=100.0)
    rows.append(["4250120130", TODAY.isoformat(), 10, 150, 40, 24, 0, "", ""])
    summary = import_production(store, write_csv(tmp_path / "h.csv", rows), today=TODAY)
    rules = {p.reason for p in summary.problems}
    assert summary.flagged == 1
    assert any("median" in reason for reason in rules)


def test_columns_a_file_leaves_out_do_not_clear_recorded_values(
    store: Store, well: Well, tmp_path: Path
) -> None:
    full = history_rows("4250120130", 3)
    full[0][8] = "gauged by hand"
    import_production(store, write_csv(tmp_path / "full.csv", full), today=TODAY)
    volumes_only = [row[:5] for row in full]
    summary = import_production(
        store, write_csv(tmp_path / "v.csv", volumes_only, HEADER[:5]), today=TODAY
    )
    assert (summary.unchanged, summary.corrected) == (3, 0)
    volumes_only[1][2] = 99.0
    summary = import_production(
        store, write_csv(tmp_path / "v2.csv", volumes_only, HEADER[:5]), today=TODAY
    )
    assert summary.corrected == 1
    with store.read() as conn:
        notes, hours = conn.exec_driver_sql(
            "SELECT notes, hours_on FROM production ORDER BY production_date LIMIT 1"
        ).one()
    assert (notes, hours) == ("gauged by hand", 24.0)

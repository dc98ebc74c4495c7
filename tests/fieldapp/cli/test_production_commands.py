"""`fieldapp record production`, `import production` and `export production` (docs/design.md §7)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from clikit import (
    API_A,
    API_B,
    NORM_A,
    NORM_B,
    UNKNOWN_API,
    RoundTrip,
    ok,
    open_store,
    prod_row,
    status_of,
)
from fieldkit import IMPORT_COLUMNS, assert_user_error, create_store, days_ago, run_cli, write_csv

from fieldapp.core.verify import verify_store

SUMMARY_KEYS = ("read", "imported", "corrected", "unchanged", "rejected", "flagged")


def import_summary(stdout: str) -> dict[str, int]:
    """The `read=N imported=N ...` line: exactly one, with every count in order."""
    lines = [line for line in stdout.splitlines() if line.startswith("read=")]
    assert len(lines) == 1, stdout
    pairs = [item.split("=") for item in lines[0].split()]
    assert [name for name, _ in pairs] == list(SUMMARY_KEYS), lines[0]
    return {name: int(value) for name, value in pairs}


def counts(**kwargs: int) -> dict[str, int]:
    return {name: kwargs.get(name, 0) for name in SUMMARY_KEYS}


def problem_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(("error:", "warning:"))]


def production_rows(data_dir: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Non-voided production rows keyed by (api_number, production_date)."""
    with open_store(data_dir) as store, store.read() as conn:
        result = conn.exec_driver_sql(
            "SELECT w.api_number, p.* FROM production p JOIN wells w USING (well_id)"
            " WHERE p.voided = 0"
        )
        names = list(result.keys())
        return {(r[0], r[3]): dict(zip(names, r, strict=True)) for r in result.all()}


def read_export(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_record_then_export_with_filters_then_reimport_the_export(round_trip: RoundTrip) -> None:
    day = round_trip.day
    assert round_trip.recorded.stdout.startswith(f"recorded {NORM_A} {day.isoformat()}")

    assert "exported 2 records" in ok(round_trip.exp_all).stdout
    rows = {r["api_number"]: r for r in read_export(round_trip.all_csv)}
    assert set(rows) == {NORM_A, NORM_B}
    a = rows[NORM_A]
    assert a["production_date"] == day.isoformat()
    assert (float(a["oil_bbl"]), float(a["gas_mcf"]), float(a["water_bbl"])) == (100, 250, 40)
    assert float(a["hours_on"]) == 24
    assert (float(a["tubing_psi"]), float(a["casing_psi"]), int(a["choke_64ths"])) == (120, 310, 32)
    assert (a["notes"], a["well_name"], a["entry_method"]) == ("steady", "Smith 1", "MANUAL")
    b = rows[NORM_B]
    assert float(b["oil_bbl"]) == 55.5
    assert (float(b["downtime_hours"]), b["downtime_reason"]) == (4, "PUMP_FAIL")

    assert "exported 1 records" in ok(round_trip.exp_b).stdout
    assert [r["api_number"] for r in read_export(round_trip.b_csv)] == [NORM_B]
    assert "exported 0 records" in ok(round_trip.exp_none).stdout
    assert read_export(round_trip.none_csv) == []

    # an export re-imports: every row is already there, nothing new is appended
    again = ok(run_cli(round_trip.data, "import", "production", str(round_trip.all_csv)))
    assert import_summary(again.stdout) == counts(read=2, unchanged=2)
    assert problem_lines(again.stdout) == []
    assert status_of(round_trip.data)["events"] == 4


def test_import_is_idempotent_and_turns_changed_rows_into_corrections(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1"), (API_B, "Bravo 2")]).close()
    rows = [
        prod_row(API_A, 5, notes="first"),
        prod_row(API_A, 4),
        prod_row(API_B, 4, oil_bbl=60.25, hours_on="", notes="no hours"),
    ]
    path = write_csv(tmp_path / "day.csv", rows, IMPORT_COLUMNS)

    first = ok(run_cli(data, "import", "production", str(path)))
    assert import_summary(first.stdout) == counts(read=3, imported=3)
    assert problem_lines(first.stdout) == []
    assert status_of(data)["events"] == 2 + 3

    second = ok(run_cli(data, "import", "production", str(path)))
    assert import_summary(second.stdout) == counts(read=3, unchanged=3)
    assert status_of(data)["events"] == 2 + 3

    rows[1]["oil_bbl"] = 110  # +10%: a plain correction, no warning
    write_csv(path, rows, IMPORT_COLUMNS)
    third = ok(run_cli(data, "import", "production", str(path)))
    assert import_summary(third.stdout) == counts(read=3, corrected=1, unchanged=2)

    stored = production_rows(data)
    assert len(stored) == 3
    assert stored[(NORM_A, days_ago(4).isoformat())]["oil_bbl"] == 110
    assert stored[(NORM_A, days_ago(5).isoformat())]["notes"] == "first"
    assert stored[(NORM_B, days_ago(4).isoformat())]["oil_bbl"] == 60.25
    assert stored[(NORM_B, days_ago(4).isoformat())]["hours_on"] is None
    assert all(r["entry_method"] == "IMPORT" for r in stored.values())
    with open_store(data) as store:
        assert store.status().events == 2 + 3 + 1
        with store.read() as conn:
            last = conn.exec_driver_sql(
                "SELECT event_type FROM event_log ORDER BY device_seq DESC LIMIT 1"
            ).scalar_one()
        assert last == "production.corrected"
        assert verify_store(store).ok


def test_import_reports_each_bad_row_imports_flagged_rows_and_resumes(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1"), (API_B, "Bravo 2")]).close()
    rows = [
        prod_row(API_A, 10),  # line 2: fine
        prod_row(API_A, 9, oil_bbl="abc"),  # line 3: not a number
        prod_row(
            API_A, 8, hours_on=20, downtime_hours=2, downtime_reason="PUMP_FAIL"
        ),  # line 4: 22 h
        prod_row(API_A, 7, water_bbl=-5),  # line 5: negative volume
        prod_row(UNKNOWN_API, 7),  # line 6: unknown well
        prod_row(API_A, -3),  # line 7: in the future
        prod_row(API_A, 6, hours_on=20, downtime_hours=4),  # line 8: downtime without reason
    ]
    path = write_csv(tmp_path / "mixed.csv", rows, IMPORT_COLUMNS)

    result = run_cli(data, "import", "production", str(path))
    assert result.code == 1, result
    assert "Traceback" not in result.stderr, result
    assert result.stderr_lines[-1].startswith("fieldapp: error: "), result
    assert "rejected" in result.stderr_lines[-1]
    assert import_summary(result.stdout) == counts(read=7, imported=2, rejected=5, flagged=1)
    assert problem_lines(result.stdout) == []  # the problems go to stderr, with the error
    problems = problem_lines(result.stderr)
    assert len(problems) == len(result.stderr_lines) - 1, result
    expected = [
        "error: line 3, oil_bbl: ",
        "warning: line 4, hours_on: ",
        "error: line 5, water_bbl: ",
        "error: line 6, api_number: ",
        "error: line 7, production_date: ",
        "error: line 8, downtime_reason: ",
    ]
    assert [p[: len(prefix)] for p, prefix in zip(problems, expected, strict=True)] == expected
    assert not any(re.match(r"\w+: line 2,", p) for p in problems), problems
    assert "abc" in next(p for p in problems if p.startswith("error: line 3"))

    stored = production_rows(data)
    assert set(stored) == {(NORM_A, days_ago(10).isoformat()), (NORM_A, days_ago(8).isoformat())}
    flagged = stored[(NORM_A, days_ago(8).isoformat())]
    assert "hours_sum" in flagged["flags"]
    assert flagged["quality_score"] < 100
    assert stored[(NORM_A, days_ago(10).isoformat())]["quality_score"] == 100
    assert status_of(data)["events"] == 2 + 2

    # fix the rejected rows and import the same file again: nothing is duplicated
    rows[1]["oil_bbl"] = 100
    rows[3]["water_bbl"] = 40
    rows[4]["api_number"] = API_B
    rows[5]["production_date"] = days_ago(5).isoformat()
    rows[6]["downtime_reason"] = "WEATHER"
    write_csv(path, rows, IMPORT_COLUMNS)
    fixed = ok(run_cli(data, "import", "production", str(path)))
    assert import_summary(fixed.stdout) == counts(read=7, imported=5, unchanged=2)
    assert len(production_rows(data)) == 7
    assert status_of(data)["events"] == 2 + 7


def test_malformed_csv_after_the_first_chunk_imports_nothing(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()
    rows = [prod_row(API_A, n, hours_on="") for n in range(1, 2011)]
    path = write_csv(tmp_path / "long.csv", rows, IMPORT_COLUMNS)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{API_A},2001-01-01,1,2,3,,,,,one field too many\n")
    result = run_cli(data, "import", "production", str(path))
    assert "too many fields" in assert_user_error(result)
    assert status_of(data)["events"] == 1


def test_a_quote_that_never_closes_refuses_the_file_and_names_its_line(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()
    rows = [prod_row(API_A, n, hours_on="") for n in range(5, 1, -1)]
    path = write_csv(tmp_path / "quote.csv", rows, IMPORT_COLUMNS)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rstrip(",") + ',"pump was down'  # line 3: the note's quote opens
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    message = assert_user_error(run_cli(data, "import", "production", str(path)))
    assert "line 3" in message
    assert "quote" in message
    assert status_of(data)["events"] == 1  # the well only: nothing was imported


def test_an_excel_windows_1252_file_is_read_and_said_so(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()
    path = tmp_path / "excel.csv"
    header = ",".join(IMPORT_COLUMNS)
    row = f"{API_A},{days_ago(3).isoformat()},100,250,40,,,,Pumper’s note – 5°F"
    path.write_bytes(f"{header}\r\n{row}\r\n".encode("cp1252"))

    result = ok(run_cli(data, "import", "production", str(path)))
    assert import_summary(result.stdout) == counts(read=1, imported=1)
    assert "windows-1252" in result.stderr
    (stored,) = production_rows(data).values()
    assert stored["notes"] == "Pumper’s note – 5°F"


def test_export_refuses_a_range_that_ends_before_it_starts(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()
    out = tmp_path / "out.csv"
    result = run_cli(
        data,
        "export",
        "production",
        "--out",
        str(out),
        "--from",
        "2026-05-02",
        "--to",
        "2026-05-01",
    )
    message = assert_user_error(result)
    assert "--from 2026-05-02 is later than --to 2026-05-01" in message
    assert not out.exists()


def test_a_downtime_reason_is_one_of_the_codes_or_their_words(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()
    day = days_ago(2).isoformat()
    base = f"record production --well {API_A} --date {day} --oil 90 --gas 200 --water 30"
    refused = run_cli(data, *f"{base} --hours 20 --downtime 4 --reason flat_tire".split())
    message = assert_user_error(refused)
    assert "--reason: 'flat_tire' is not a downtime reason" in message
    assert "PUMP_FAIL, ROD_PART, POWER, WEATHER, WORKOVER or OTHER" in message
    assert status_of(data)["events"] == 1

    words = [*base.split(), "--hours", "20", "--downtime", "4", "--reason", "Rod part"]
    ok(run_cli(data, *words))
    assert production_rows(data)[(NORM_A, day)]["downtime_reason"] == "ROD_PART"

    rows = [prod_row(API_A, 3, hours_on=20, downtime_hours=4, downtime_reason="flat_tire")]
    result = run_cli(
        data, "import", "production", str(write_csv(tmp_path / "r.csv", rows, IMPORT_COLUMNS))
    )
    assert result.code == 1
    assert any(
        "line 2, downtime_reason: 'flat_tire' is not a downtime reason" in line
        for line in result.stderr_lines
    )


def test_a_typed_location_is_stored_and_the_geofence_warning_printed(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data).close()
    ok(run_cli(data, *f"well add --api {API_A} --name Alpha --lat 31.9686 --lon -102.0779".split()))
    base = f"record production --well {API_A} --oil 90 --gas 200 --water 30 --hours 24"
    far = run_cli(
        data, *f"{base} --date {days_ago(2)} --lat 31.9786 --lon -102.0779 --accuracy 8".split()
    )
    ok(far)
    assert problem_lines(far.stdout) == [
        "warning: location: The entry's location is 3,648 ft (1,112 m) from the well, outside"
        " the 500 ft (152.4 m) geofence."
    ]
    row = production_rows(data)[(NORM_A, days_ago(2).isoformat())]
    assert (row["latitude"], row["longitude"], row["accuracy_m"]) == (31.9786, -102.0779, 8.0)
    assert row["quality_score"] == 85
    with open_store(data) as store, store.read() as conn:
        body = conn.exec_driver_sql(
            "SELECT body FROM event_log WHERE event_type = 'production.recorded'"
        ).scalar()
    assert '"source":"typed"' in body
    near = run_cli(data, *f"{base} --date {days_ago(3)} --lat 31.9687 --lon -102.0779".split())
    assert problem_lines(ok(near).stdout) == []


def test_a_half_or_impossible_location_is_refused_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()
    base = f"record production --well {API_A} --date {days_ago(2)} --oil 1 --gas 1 --water 1"
    for extra, said in (
        ("--lat 31.9", "--lat and --lon go together"),
        ("--accuracy 5", "--accuracy needs --lat and --lon"),
        ("--lat 91 --lon 0", "--lat: Input should be less than or equal to 90"),
        ("--lat 1 --lon 2 --accuracy -1", "--accuracy: Input should be greater than or equal"),
    ):
        assert said in assert_user_error(run_cli(data, *f"{base} {extra}".split()))
    assert status_of(data)["events"] == 1

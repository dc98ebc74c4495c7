"""End-to-end `fieldapp` command lines in subprocesses (DESIGN §7).

Each subprocess costs about a second (interpreter start + Argon2id), so independent read-only
commands run concurrently and stores for the error cases are built in-process.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fieldkit import (
    IMPORT_COLUMNS,
    PASSPHRASE,
    CliResult,
    assert_user_error,
    create_store,
    days_ago,
    fail_keystore,
    run_cli,
    snapshot,
    write_csv,
)

from fieldapp.core import database
from fieldapp.core.errors import WrongKeyError
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from shared.contracts import ProductionRecorded

API_A, NORM_A = "42-501-20130", "4250120130"
API_B, NORM_B = "42-003-12345", "4200312345"
UNKNOWN_API = "42-501-20131"
STATUS_KEYS = {
    "mode",
    "device_id",
    "schema_version",
    "events",
    "pending",
    "acknowledged",
    "conflicts",
    "rejected",
    "wells",
    "production_records",
    "last_sync",
    "cursor",
}
SUMMARY_KEYS = ("read", "imported", "corrected", "unchanged", "rejected", "flagged")


def run_all(calls: list[Callable[[], CliResult]]) -> list[CliResult]:
    """Run independent CLI calls concurrently; results in call order."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda call: call(), calls))


def sh(data_dir: Path, command: str, **options: Any) -> CliResult:
    """`fieldapp --data-dir DATA_DIR <command>` with the command split like a shell would."""
    return run_cli(data_dir, *shlex.split(command), **options)


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result
    assert "Traceback" not in result.stderr, result
    return result


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


def open_store(data_dir: Path) -> Store:
    return Store.open(data_dir, fail_keystore(), lambda: PASSPHRASE)


def status_of(data_dir: Path) -> dict[str, Any]:
    with open_store(data_dir) as store:
        return store.status().as_dict()


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


def prod_row(api: str, day_offset: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "api_number": api,
        "production_date": days_ago(day_offset).isoformat(),
        "oil_bbl": 100,
        "gas_mcf": 250,
        "water_bbl": 40,
        "hours_on": 24,
    }
    row.update(values)
    return row


# --- happy paths -------------------------------------------------------------------------------


def test_init_well_record_status_export_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "store"
    day = days_ago(3)

    created = ok(
        sh(
            data,
            "--passphrase-stdin init --local --timezone America/Chicago",
            passphrase=None,
            stdin=PASSPHRASE + "\n",
        )
    )
    assert "passphrase only" in created.stdout
    assert (data / "keys.json").is_file()
    assert (data / "store.db").is_file()

    added = ok(
        sh(
            data,
            f"well add --api {API_A} --name 'Smith 1' --lat 31.95 --lon -102.15"
            " --lease 'Smith Ranch' --field Spraberry",
        )
    )
    assert NORM_A in added.stdout
    assert "Smith 1" in added.stdout
    ok(sh(data, f"well add --api {API_B} --name 'Jones 2'"))
    recorded = ok(
        sh(
            data,
            f"record production --well {API_A} --date {day} --oil 100 --gas 250 --water 40"
            " --hours 24 --tubing-psi 120 --casing-psi 310 --choke 32 --notes steady",
        )
    )
    assert recorded.stdout.startswith(f"recorded {NORM_A} {day.isoformat()}")
    ok(
        sh(
            data,
            f"record production --well {NORM_B} --date {day} --oil 55.5 --gas 80 --water 12"
            " --hours 20 --downtime 4 --reason PUMP",
        )
    )

    all_csv, b_csv, none_csv = tmp_path / "all.csv", tmp_path / "b.csv", tmp_path / "none.csv"
    wells, status, exp_all, exp_b, exp_none, verified = run_all(
        [
            lambda: sh(data, "well list --json"),
            lambda: sh(data, "status --json"),
            lambda: sh(data, f"export production --out {all_csv}"),
            lambda: sh(
                data, f"export production --out {b_csv} --well {API_B} --from {day} --to {day}"
            ),
            lambda: sh(data, f"export production --out {none_csv} --from {days_ago(2)}"),
            lambda: sh(data, "--passphrase-stdin verify", passphrase=None, stdin=PASSPHRASE + "\n"),
        ]
    )

    listed = {w["api_number"]: w for w in json.loads(ok(wells).stdout)}
    assert set(listed) == {NORM_A, NORM_B}
    assert listed[NORM_A]["name"] == "Smith 1"
    assert listed[NORM_A]["lease"] == "Smith Ranch"
    assert listed[NORM_A]["field"] == "Spraberry"
    assert listed[NORM_A]["latitude"] == pytest.approx(31.95)
    assert listed[NORM_A]["longitude"] == pytest.approx(-102.15)

    st = json.loads(ok(status).stdout)
    assert set(st) == STATUS_KEYS
    UUID(st["device_id"])
    assert st["mode"] == "local"
    assert isinstance(st["schema_version"], int)
    assert st["schema_version"] >= 1
    assert (st["events"], st["pending"], st["wells"], st["production_records"]) == (4, 4, 2, 2)
    assert (st["acknowledged"], st["conflicts"], st["rejected"]) == (0, 0, 0)
    assert (st["last_sync"], st["cursor"]) == (None, None)

    assert "exported 2 records" in ok(exp_all).stdout
    rows = {r["api_number"]: r for r in read_export(all_csv)}
    assert set(rows) == {NORM_A, NORM_B}
    a = rows[NORM_A]
    assert a["production_date"] == day.isoformat()
    assert (float(a["oil_bbl"]), float(a["gas_mcf"]), float(a["water_bbl"])) == (100, 250, 40)
    assert float(a["hours_on"]) == 24
    assert (float(a["tubing_psi"]), float(a["casing_psi"]), int(a["choke_64ths"])) == (120, 310, 32)
    assert (a["notes"], a["well_name"], a["entry_method"]) == ("steady", "Smith 1", "MANUAL")
    b = rows[NORM_B]
    assert float(b["oil_bbl"]) == 55.5
    assert (float(b["downtime_hours"]), b["downtime_reason"]) == (4, "PUMP")

    assert "exported 1 records" in ok(exp_b).stdout
    assert [r["api_number"] for r in read_export(b_csv)] == [NORM_B]
    assert "exported 0 records" in ok(exp_none).stdout
    assert read_export(none_csv) == []

    assert ok(verified).stdout.startswith("ok: 4 events")

    # an export re-imports: every row is already there, nothing new is appended
    again = ok(run_cli(data, "import", "production", str(all_csv)))
    assert import_summary(again.stdout) == counts(read=2, unchanged=2)
    assert problem_lines(again.stdout) == []
    assert status_of(data)["events"] == 4


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
        prod_row(API_A, 8, hours_on=20, downtime_hours=2, downtime_reason="PUMP"),  # line 4: 22 h
        prod_row(API_A, 7, water_bbl=-5),  # line 5: negative volume
        prod_row(UNKNOWN_API, 7),  # line 6: unknown well
        prod_row(API_A, -3),  # line 7: in the future
        prod_row(API_A, 6, hours_on=20, downtime_hours=4),  # line 8: downtime without reason
    ]
    path = write_csv(tmp_path / "mixed.csv", rows, IMPORT_COLUMNS)

    result = run_cli(data, "import", "production", str(path))
    message = assert_user_error(result)
    assert "rejected" in message
    assert import_summary(result.stdout) == counts(read=7, imported=2, rejected=5, flagged=1)
    problems = problem_lines(result.stdout)
    for prefix in (
        "error: line 3, oil_bbl: ",
        "warning: line 4, hours_on: ",
        "error: line 5, water_bbl: ",
        "error: line 6, api_number: ",
        "error: line 7, production_date: ",
        "error: line 8, downtime_reason: ",
    ):
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
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
    rows[6]["downtime_reason"] = "FROZE"
    write_csv(path, rows, IMPORT_COLUMNS)
    fixed = ok(run_cli(data, "import", "production", str(path)))
    assert import_summary(fixed.stdout) == counts(read=7, imported=5, unchanged=2)
    assert len(production_rows(data)) == 7
    assert status_of(data)["events"] == 2 + 7


# --- user errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorCase:
    args: tuple[str, ...]
    expect: str  # regex searched (case-insensitively) in the one-line message
    usage: bool = False
    passphrase: str | None = PASSPHRASE
    stdin: str = ""
    other_dir: bool = False  # run against a folder that has no store


@dataclass
class ErrorRuns:
    data: Path
    files: Path
    missing_dir: Path
    before: dict[str, Any]
    after: dict[str, Any]
    results: dict[str, CliResult] = field(default_factory=dict)


def _error_cases(files: Path) -> dict[str, ErrorCase]:
    day = days_ago(2).isoformat()

    def record(*extra: str) -> tuple[str, ...]:
        base = {"--well": API_A, "--date": day, "--oil": "10", "--gas": "20", "--water": "5"}
        for name, value in zip(extra[::2], extra[1::2], strict=True):
            base[name] = value
        return ("record", "production", *[x for kv in base.items() for x in kv])

    def imp(name: str) -> tuple[str, ...]:
        return ("import", "production", str(files / name))

    return {
        "missing-csv": ErrorCase(imp("nope.csv"), r"nope\.csv"),
        "csv-missing-columns": ErrorCase(imp("columns.csv"), r"missing column"),
        "csv-binary-garbage": ErrorCase(imp("garbage.csv"), r"garbage\.csv"),
        "csv-too-many-fields": ErrorCase(imp("fields.csv"), r"line 2.*too many fields"),
        "unknown-well": ErrorCase(record("--well", UNKNOWN_API), r"unknown well"),
        "bad-date": ErrorCase(record("--date", "2026-13-01"), r"2026-13-01.*not a date"),
        "future-date": ErrorCase(record("--date", days_ago(-30).isoformat()), r"future"),
        "negative-volume": ErrorCase(record("--oil", "-5"), r"not saved.*oil_bbl"),
        "invalid-api-number": ErrorCase(("well", "add", "--api", "123", "--name", "X"), r"api"),
        "duplicate-well": ErrorCase(
            ("well", "add", "--api", API_A, "--name", "Again"), r"already registered"
        ),
        "export-missing-folder": ErrorCase(
            ("export", "production", "--out", str(files / "no" / "x.csv")), r"does not exist"
        ),
        "store-exists": ErrorCase(("init", "--local"), r"already exists"),
        "no-store": ErrorCase(("status",), r"no store", other_dir=True),
        "locked-no-passphrase": ErrorCase(("status",), r"locked|passphrase", passphrase=None),
        "empty-passphrase-stdin": ErrorCase(
            ("--passphrase-stdin", "status"), r"standard input is empty", passphrase=None
        ),
        "usage-unknown-command": ErrorCase(("frobnicate",), r"invalid choice", usage=True),
        "usage-missing-options": ErrorCase(
            ("record", "production", "--well", API_A), r"required", usage=True
        ),
        "usage-bad-number": ErrorCase(record("--oil", "lots"), r"--oil.*lots", usage=True),
        "usage-global-option-after-command": ErrorCase(
            ("status", "--passphrase-stdin"), r"unrecognized", usage=True
        ),
    }


CASE_IDS = list(_error_cases(Path()))


@pytest.fixture(scope="module")
def error_runs(tmp_path_factory: pytest.TempPathFactory) -> ErrorRuns:
    """One populated store; every error case runs against it (concurrently), once."""
    root = tmp_path_factory.mktemp("errors")
    data, files = root / "store", root / "files"
    files.mkdir()
    with create_store(data, [(API_A, "Alpha 1")]) as store:
        with store.read() as conn:
            well_id = conn.exec_driver_sql("SELECT well_id FROM wells").scalar_one()
        save_production(
            store,
            ProductionRecorded(
                well_id=well_id,
                production_date=days_ago(3),
                oil_bbl=10,
                gas_mcf=20,
                water_bbl=5,
                hours_on=24,
            ),
        )
    (files / "columns.csv").write_text("api_number,date,oil\n4250120130,2026-01-01,5\n")
    (files / "garbage.csv").write_bytes(bytes(range(256)) * 16)
    (files / "fields.csv").write_text(
        ",".join(IMPORT_COLUMNS) + f"\n{API_A},{days_ago(4)},1,2,3,24,,,,extra,extra\n"
    )
    missing = root / "missing"
    runs = ErrorRuns(data, files, missing, before=status_of(data), after={})
    cases = _error_cases(files)

    def call(case: ErrorCase) -> Callable[[], CliResult]:
        target = missing if case.other_dir else data
        return lambda: run_cli(target, *case.args, passphrase=case.passphrase, stdin=case.stdin)

    results = run_all([call(c) for c in cases.values()])
    runs.results = dict(zip(cases, results, strict=True))
    runs.after = status_of(data)
    return runs


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_user_error_is_one_line_without_traceback(error_runs: ErrorRuns, case_id: str) -> None:
    case = _error_cases(error_runs.files)[case_id]
    result = error_runs.results[case_id]
    message = assert_user_error(result)
    assert re.search(case.expect, message, re.IGNORECASE), message
    assert result.code == (2 if case.usage else 1), result
    assert result.stdout == "", result


def test_user_errors_change_nothing(error_runs: ErrorRuns) -> None:
    assert error_runs.after == error_runs.before
    assert error_runs.before["events"] == 2
    assert not error_runs.missing_dir.exists()  # a failed command creates no store folder
    assert not (error_runs.files / "no").exists()
    assert sorted(p.name for p in error_runs.data.iterdir()) == ["keys.json", "store.db"]


def test_wrong_passphrase_is_refused_and_touches_no_file(error_runs: ErrorRuns) -> None:
    data = error_runs.data
    before = snapshot(data)
    csv_path = write_csv(error_runs.files / "good.csv", [prod_row(API_A, 5)], IMPORT_COLUMNS)
    results = run_all(
        [
            lambda: sh(data, "status", passphrase="not the passphrase"),
            lambda: sh(
                data,
                f"record production --well {API_A} --date {days_ago(6)} --oil 1 --gas 1 --water 1",
                passphrase=PASSPHRASE.title(),
            ),
            lambda: sh(
                data,
                f"--passphrase-stdin import production {csv_path}",
                passphrase=PASSPHRASE,  # the stdin line wins over the environment
                stdin="wrong passphrase\n",
            ),
        ]
    )
    for result in results:
        assert "wrong passphrase" in assert_user_error(result)
    assert snapshot(data) == before
    assert status_of(data) == error_runs.before


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


def test_init_refusing_a_short_passphrase_leaves_no_key_behind(tmp_path: Path) -> None:
    data, keyring_file = tmp_path / "store", tmp_path / "keyring.json"
    result = run_cli(data, "init", "--local", passphrase="short", keyring_file=keyring_file)
    assert "at least 8 characters" in assert_user_error(result)
    assert not data.exists() or not any(data.iterdir())
    assert not keyring_file.exists() or json.loads(keyring_file.read_text()) == {}


def test_init_refuses_an_unknown_time_zone(tmp_path: Path) -> None:
    data = tmp_path / "store"
    result = run_cli(data, "init", "--local", "--timezone", "Mars/Olympus")
    assert "Mars/Olympus" in assert_user_error(result)
    assert not (data / "keys.json").exists()
    assert not (data / "store.db").exists()


# --- keys --------------------------------------------------------------------------------------


def test_rekey_retires_the_old_key_and_keeps_the_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "store"
    with create_store(data, [(API_A, "Alpha 1")]) as store:
        old_key = store._key
        old_keyfile = (data / "keys.json").read_bytes()
    database.connect(data / "store.db", old_key).close()  # the old key works before the rekey

    result = ok(run_cli(data, "rekey"))
    assert "re-encrypted" in result.stdout
    assert not (data / "keys.next.json").exists()
    assert (data / "keys.json").read_bytes() != old_keyfile
    with pytest.raises(WrongKeyError):
        database.connect(data / "store.db", old_key)
    with pytest.raises(WrongKeyError):
        Store.open_with_key(data, old_key)

    status = json.loads(ok(run_cli(data, "status", "--json")).stdout)
    assert (status["events"], status["wells"]) == (1, 1)
    with open_store(data) as store:
        assert store._key != old_key
        assert verify_store(store).ok
        database.connect(data / "store.db", store._key).close()


def test_keystore_mode_unlocks_without_passphrase_and_survives_a_keystore_reset(
    tmp_path: Path,
) -> None:
    data, keyring_file = tmp_path / "store", tmp_path / "keyring.json"

    def cli(*args: str, passphrase: str | None = None) -> CliResult:
        return run_cli(data, *args, passphrase=passphrase, keyring_file=keyring_file)

    created = ok(cli("init", "--local", passphrase=PASSPHRASE))
    assert "OS keystore" in created.stdout
    assert json.loads((data / "keys.json").read_text())["use_keystore"] is True
    entries = json.loads(keyring_file.read_text())
    assert len(entries) == 1
    ((entry, stored_key),) = entries.items()
    assert re.fullmatch(r"[0-9a-f]{64}", stored_key)

    ok(cli("well", "add", "--api", API_A, "--name", "Alpha 1"))  # no passphrase anywhere
    assert json.loads(ok(cli("status", "--json")).stdout)["events"] == 1

    keyring_file.unlink()  # the OS keystore was reset
    assert re.search(r"locked", assert_user_error(cli("status")))
    status = json.loads(ok(cli("status", "--json", passphrase=PASSPHRASE)).stdout)
    assert status["events"] == 1
    assert json.loads(keyring_file.read_text()) == entries  # the passphrase put the key back

    # a stale keystore entry (another key) is not trusted: the passphrase still unlocks
    keyring_file.write_text(json.dumps({entry: "ab" * 32}))
    ok(cli("well", "add", "--api", API_B, "--name", "Bravo 2", passphrase=PASSPHRASE))
    ok(cli("rekey", passphrase=PASSPHRASE))
    assert json.loads(keyring_file.read_text())[entry] not in (stored_key, "ab" * 32)
    status = json.loads(ok(cli("status", "--json")).stdout)  # the keystore has the new key
    assert (status["events"], status["wells"]) == (2, 2)


def test_the_desktop_app_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "fieldapp", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("fieldapp: error: no display")

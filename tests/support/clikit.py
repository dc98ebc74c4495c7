"""Helpers shared by the `fieldapp` command-line tests (tests/fieldapp/cli): command runs in
subprocesses, the stores they leave, and the table of user errors every command must report in
one line.

Each subprocess costs about a second (interpreter start + Argon2id), so independent read-only
commands run concurrently and stores for the error cases are built in-process.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fieldkit import PASSPHRASE, CliResult, days_ago, fail_keystore, run_cli

from fieldapp.core.store import Store

API_A, NORM_A = "42-501-20130", "4250120130"
API_B, NORM_B = "42-003-12345", "4200312345"
UNKNOWN_API = "42-501-20131"


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


def open_store(data_dir: Path) -> Store:
    return Store.open(data_dir, fail_keystore(), lambda: PASSPHRASE)


def status_of(data_dir: Path) -> dict[str, Any]:
    with open_store(data_dir) as store:
        return store.status().as_dict()


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


# --- one session of every command group --------------------------------------------------------


@dataclass(frozen=True)
class RoundTrip:
    """A store made by `init --local`, two wells added and recorded, then read back."""

    data: Path
    day: date
    created: CliResult  # init --local (passphrase on stdin)
    added: CliResult  # well add of API_A with every option
    recorded: CliResult  # record production of API_A
    wells: CliResult  # well list --json
    status: CliResult  # status --json
    exp_all: CliResult  # export production --out all_csv
    exp_b: CliResult  # export production --out b_csv --well API_B --from day --to day
    exp_none: CliResult  # export production --out none_csv --from (two days ago)
    verified: CliResult  # verify (passphrase on stdin)
    all_csv: Path
    b_csv: Path
    none_csv: Path


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


def error_cases(files: Path) -> dict[str, ErrorCase]:
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
        "analytics-unknown-well": ErrorCase(
            ("analytics", "summary", "--well", UNKNOWN_API), r"unknown well"
        ),
        "analytics-bad-api-number": ErrorCase(("analytics", "trend", "--well", "12"), r"api"),
        "analytics-bad-days": ErrorCase(
            ("analytics", "summary", "--well", API_A, "--days", "0"), r"--days must be from 1"
        ),
        "analytics-forecast-too-far": ErrorCase(
            ("analytics", "forecast", "--well", API_A, "--days", "91"), r"--days.* to 90"
        ),
        "analytics-bad-terminal-decline": ErrorCase(
            ("analytics", "decline", "--well", API_A, "--terminal-decline", "2"),
            r"--terminal-decline must be between 0 and 1",
        ),
        "analytics-bad-economic-limit": ErrorCase(
            ("analytics", "decline", "--well", API_A, "--economic-limit", "-1"),
            r"--economic-limit",
        ),
        "analytics-no-store": ErrorCase(
            ("analytics", "forecast", "--well", API_A), r"no store", other_dir=True
        ),
        "analytics-wrong-passphrase": ErrorCase(
            ("analytics", "decline", "--well", API_A), r"wrong passphrase", passphrase="wrong"
        ),
        "usage-analytics-decline-metric": ErrorCase(
            ("analytics", "decline", "--well", API_A, "--metric", "water"),
            r"--metric.*invalid choice",
            usage=True,
        ),
        "usage-analytics-no-well": ErrorCase(
            ("analytics", "trend"), r"required.*--well", usage=True
        ),
        "usage-analytics-bad-days": ErrorCase(
            ("analytics", "summary", "--well", API_A, "--days", "ten"), r"--days.*ten", usage=True
        ),
        "photo-unknown-target": ErrorCase(
            ("photo", "add", "--to", "maintenance:nope", str(files / "never-read.jpg")),
            r"unknown maintenance nope",
        ),
        "photo-bad-target": ErrorCase(
            ("photo", "list", "--to", "tank:7"), r"not a photo target.*maintenance:ID"
        ),
        "photo-unknown-well": ErrorCase(
            ("photo", "add", "--to", f"well:{UNKNOWN_API}", str(files / "never-read.jpg")),
            r"unknown well",
        ),
        "photo-long-caption": ErrorCase(
            ("photo", "add", "--to", f"well:{API_A}", "--caption", "x" * 401, "f.jpg"),
            r"caption.*400",
        ),
        "photo-list-unknown-well": ErrorCase(
            ("photo", "list", "--well", UNKNOWN_API), r"unknown well"
        ),
        "photo-export-unknown": ErrorCase(
            ("photo", "export", "nope", "--out", str(files / "x.jpg")), r"unknown photo nope"
        ),
        "photo-remove-unknown": ErrorCase(("photo", "remove", "nope"), r"unknown photo nope"),
        "photo-retry-unknown": ErrorCase(("photo", "retry", "nope"), r"unknown photo nope"),
        "usage-photo-add-no-files": ErrorCase(
            ("photo", "add", "--to", f"well:{API_A}"), r"required.*FILE", usage=True
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


CASE_IDS = list(error_cases(Path()))

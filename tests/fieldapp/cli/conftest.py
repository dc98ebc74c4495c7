"""The command-line runs several test modules read (each built once per session): a round trip
through every command group, and every user error against one populated store."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from clikit import (
    API_A,
    API_B,
    NORM_B,
    ErrorCase,
    ErrorRuns,
    RoundTrip,
    error_cases,
    ok,
    run_all,
    sh,
    status_of,
)
from fieldkit import IMPORT_COLUMNS, PASSPHRASE, CliResult, create_store, days_ago, run_cli

from fieldapp.core.production import save_production
from shared.contracts import ProductionRecorded


@pytest.fixture(scope="session")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    """init --local, two wells added and recorded, then listed, exported and verified at once."""
    root = tmp_path_factory.mktemp("round-trip")
    data = root / "store"
    day = days_ago(3)

    created = ok(
        sh(
            data,
            "--passphrase-stdin init --local --timezone America/Chicago",
            passphrase=None,
            stdin=PASSPHRASE + "\n",
        )
    )
    added = ok(
        sh(
            data,
            f"well add --api {API_A} --name 'Smith 1' --lat 31.95 --lon -102.15"
            " --lease 'Smith Ranch' --field Spraberry",
        )
    )
    ok(sh(data, f"well add --api {API_B} --name 'Jones 2'"))
    recorded = ok(
        sh(
            data,
            f"record production --well {API_A} --date {day} --oil 100 --gas 250 --water 40"
            " --hours 24 --tubing-psi 120 --casing-psi 310 --choke 32 --notes steady",
        )
    )
    ok(
        sh(
            data,
            f"record production --well {NORM_B} --date {day} --oil 55.5 --gas 80 --water 12"
            " --hours 20 --downtime 4 --reason PUMP_FAIL",
        )
    )

    all_csv, b_csv, none_csv = root / "all.csv", root / "b.csv", root / "none.csv"
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
    return RoundTrip(
        data=data,
        day=day,
        created=created,
        added=added,
        recorded=recorded,
        wells=wells,
        status=status,
        exp_all=exp_all,
        exp_b=exp_b,
        exp_none=exp_none,
        verified=verified,
        all_csv=all_csv,
        b_csv=b_csv,
        none_csv=none_csv,
    )


@pytest.fixture(scope="session")
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
    cases = error_cases(files)

    def call(case: ErrorCase) -> Callable[[], CliResult]:
        target = missing if case.other_dir else data
        return lambda: run_cli(target, *case.args, passphrase=case.passphrase, stdin=case.stdin)

    results = run_all([call(c) for c in cases.values()])
    runs.results = dict(zip(cases, results, strict=True))
    runs.after = status_of(data)
    return runs

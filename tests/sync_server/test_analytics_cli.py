"""`sync-server analytics …` through real processes on the test database: the bulk forecast run
(computed / up to date / refused, only changed wells again, worker processes giving the same
answers as the API) and the per-well commands (the API's JSON, tables, one-line errors)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from apifieldkit import NEXT_DAY, WELLS, Field, history, make_field, push
from starlette.testclient import TestClient

from sync_server.services.analytics_bulk import JOBS, bring_up_to_date, default_workers

from .test_cli import one_error_line, sync_server

LINE = re.compile(
    r"wells=(\d+) computed=(\d+) up_to_date=(\d+) refused=(\d+) \((.*)\) seconds=[0-9.]+"
)


@pytest.fixture
def acme(client: TestClient, database_url: str, tmp_path: Path) -> Field:
    return make_field(client, database_url, tmp_path)


def bulk(database_url: str, slug: str, *extra: str) -> tuple[int, int, int, int, str]:
    result = sync_server(database_url, "analytics", "forecast", "--org", slug, *extra)
    assert result.returncode == 0, result.stderr
    found = LINE.fullmatch(result.stdout.strip())
    assert found, result.stdout
    wells, computed, current, refused = (int(x) for x in found.groups()[:4])
    return wells, computed, current, refused, found.group(5)


def test_the_bulk_run_computes_then_skips_what_did_not_change(
    client: TestClient, database_url: str, acme: Field
) -> None:
    results = len(WELLS) * len(JOBS)
    wells, computed, current, refused, how = bulk(database_url, acme.slug)
    assert (wells, computed, current, how) == (len(WELLS), results, 0, "in process")
    assert 0 <= refused <= computed
    assert bulk(database_url, acme.slug)[1:3] == (0, results)
    well = next(iter(acme.wells.values()))
    push(client, acme, well, history(1.0, days=1, first=NEXT_DAY))
    assert bulk(database_url, acme.slug)[1:3] == (len(JOBS), results - len(JOBS))


def test_worker_processes_store_what_the_api_serves(
    client: TestClient, database_url: str, acme: Field
) -> None:
    done = bring_up_to_date(database_url, acme.slug, workers=2, parallel_from=1)
    assert (done.workers, done.computed, done.up_to_date) == (2, len(WELLS) * len(JOBS), 0)
    for well in acme.wells.values():
        answer = client.get(
            f"/api/v1/analytics/wells/{well}/forecast",
            params={"metric": "gas"},
            headers=acme.auth(),
        ).json()
        again = bring_up_to_date(database_url, acme.slug, parallel_from=10**9)
        assert again.computed == 0  # the API served the stored answer, nothing went stale
        direct = json.loads(cli_json(database_url, acme, "forecast", "--metric", "gas", well=well))
        assert {**answer, "computed_at": None} == {**direct, "computed_at": None}


def api_of(acme: Field, well: Any) -> str:
    return next(api for api, ident in acme.wells.items() if ident == well)


def cli_json(database_url: str, acme: Field, command: str, *extra: str, well: Any) -> str:
    result = sync_server(
        database_url,
        "analytics",
        command,
        "--org",
        acme.slug,
        "--well",
        api_of(acme, well),
        "--json",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_well_commands_print_the_apis_json(
    client: TestClient, database_url: str, acme: Field
) -> None:
    well = next(iter(acme.wells.values()))
    last = max(r.production_date for r in acme.rows[well])
    since = (last - timedelta(days=13)).isoformat()

    def api(path: str, **params: Any) -> Any:
        response = client.get(f"/api/v1/analytics/{path}", params=params, headers=acme.auth())
        assert response.status_code == 200, response.text
        return response.json()

    assert json.loads(cli_json(database_url, acme, "summary", "--days", "14", well=well)) == api(
        "series", scope="well", id=str(well), interval="day", **{"from": since}
    )
    assert json.loads(cli_json(database_url, acme, "trend", "--days", "90", well=well)) == api(
        f"wells/{well}/trend", window="90"
    )
    cli_decline = json.loads(cli_json(database_url, acme, "decline", well=well))
    assert {**cli_decline, "computed_at": 0} == {**api(f"wells/{well}/decline"), "computed_at": 0}


def test_the_well_commands_print_tables(database_url: str, acme: Field) -> None:
    api = WELLS[0][0]
    for command, expect in [
        ("summary", "oil bbl"),
        ("trend", "direction"),
        ("forecast", "95% low"),
        ("decline", "Arps decline"),
    ]:
        result = sync_server(database_url, "analytics", command, "--org", acme.slug, "--well", api)
        assert result.returncode == 0, result.stderr
        assert expect in result.stdout and WELLS[0][1] in result.stdout, command
    rows = (
        sync_server(
            database_url, "analytics", "summary", "--org", acme.slug, "--well", api, "--days", "5"
        )
        .stdout.strip()
        .splitlines()
    )
    assert len(rows) == 3 + 5  # title, header, rule, one line a day


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "--org", "no-such-org", "--well", "4250120130"), "no organization"),
        (("summary", "--org", "ORG", "--well", "4250199999"), "no well with API number"),
        (("trend", "--org", "ORG", "--well", "12"), "--well"),
        (("summary", "--org", "ORG", "--well", "4250120130", "--days", "0"), "--days"),
        (("forecast", "--org", "ORG", "--well", "4250120130", "--days", "91"), "--days"),
        (("forecast", "--org", "ORG", "--workers", "0"), "--workers"),
        (("forecast", "--org", "ORG", "--days", "3"), "--days"),
        (
            ("decline", "--org", "ORG", "--well", "4250120130", "--terminal-decline", "2"),
            "--terminal-decline",
        ),
        (("decline", "--org", "ORG", "--well", "4250120130", "--metric", "water"), "--metric"),
        (("trend", "--org", "ORG"), "--well"),
    ],
)
def test_errors_are_one_line_on_stderr(
    database_url: str, acme: Field, args: tuple[str, ...], message: str
) -> None:
    args = tuple(acme.slug if a == "ORG" else a for a in args)
    line = one_error_line(sync_server(database_url, "analytics", *args))
    assert message in line


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 1), (3, 1), (4, 3), (16, 15)])
def test_worker_processes_by_default_only_from_four_cpus(cpus: int, workers: int) -> None:
    assert default_workers(cpus) == workers

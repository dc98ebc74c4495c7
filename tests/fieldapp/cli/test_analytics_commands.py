"""`fieldapp analytics summary|trend|forecast|decline` on a real encrypted store with a recorded
history: the tables, the JSON, and the JSON equal to the server's for the same rows (the
server's answer computed by the pure functions both command lines share). The one-line errors
are in tests/support/clikit.py's table (tests/fieldapp/cli/test_program.py)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from analyticskit import well_rows
from clikit import API_A, API_B, NORM_A, NORM_B, ok, open_store, run_all, sh
from fieldkit import TIMEZONE, CliResult, create_store, days_ago

from fieldapp.cli.analytics_commands import options_of, well_data
from fieldapp.cli.parser import ANALYTICS_HELPS, build_parser
from fieldapp.core.production import save_production
from shared.analytics import commands
from shared.analytics.answers import WellData
from shared.analytics.series import DailyRow
from shared.contracts import ProductionRecorded
from sync_server import analytics_commands as server_commands
from sync_server import cli as server_cli

DAYS = 200
RUNS = {
    "summary": "summary --days 14",
    "summary_json": "summary --days 14 --json",
    "summary_default": "summary",
    "trend": "trend --days 90",
    "trend_json": "trend --days 90 --json",
    "trend_all_json": "trend --days 0 --json",
    "forecast": "forecast --metric gas --days 5",
    "forecast_json": "forecast --metric gas --days 5 --json",
    "decline": "decline",
    "decline_json": "decline --days 150 --terminal-decline 0.1 --economic-limit 3 --json",
    "empty_forecast": "forecast",
    "empty_summary_json": "summary --json",
}


@dataclass(frozen=True)
class Laptop:
    data: Path
    well_id: str
    recorded: list[DailyRow]  # the rows as given to save_production
    runs: dict[str, CliResult]


def record(data: Path, rows: list[DailyRow]) -> str:
    """A store with API_A recorded over `rows` and API_B never recorded; API_A's id."""
    with create_store(data, [(API_A, "Alpha 1"), (API_B, "Bravo 2")]) as store:
        with store.read() as conn:
            well_id = str(
                conn.exec_driver_sql(
                    "SELECT well_id FROM wells WHERE api_number = ?", (NORM_A,)
                ).scalar_one()
            )
        for r in rows:
            entry = ProductionRecorded(
                well_id=well_id,
                production_date=r.production_date,
                oil_bbl=r.oil_bbl,
                gas_mcf=r.gas_mcf,
                water_bbl=r.water_bbl,
                hours_on=r.hours_on,
                downtime_hours=r.downtime_hours,
                downtime_reason=r.downtime_reason,
            )
            save_production(store, entry)
    return well_id


@pytest.fixture(scope="module")
def laptop(tmp_path_factory: pytest.TempPathFactory) -> Laptop:
    data = tmp_path_factory.mktemp("analytics") / "store"
    rows = well_rows(21, days_ago(DAYS + 3), DAYS)
    well_id = record(data, rows)
    names = list(RUNS)

    def call(name: str) -> Any:
        api = API_B if name.startswith("empty") else API_A
        return lambda: sh(data, f"analytics {RUNS[name]} --well {api}")

    results = run_all([call(n) for n in names])
    return Laptop(data, well_id, rows, dict(zip(names, results, strict=True)))


def printed(laptop: Laptop, name: str) -> str:
    return ok(laptop.runs[name]).stdout


def server_json(laptop: Laptop, name: str, laptop_json: dict[str, Any]) -> dict[str, Any]:
    """What `sync-server analytics ... --json` prints for the recorded rows: the server's parser
    and options, then the pure answer of shared.analytics.commands for the same WellData (id,
    rows, and the laptop's data_version, whose meaning differs) and the same computed_at."""
    argv = ["analytics", *RUNS[name].split(), "--org", "acme", "--well", API_A]
    args = server_cli.build_parser().parse_args(argv)
    data = WellData(
        UUID(laptop.well_id), tuple(laptop.recorded), laptop_json.get("data_version", 0)
    )
    now = datetime.fromisoformat(laptop_json.get("computed_at", "2000-01-01T00:00:00+00:00"))
    answer = commands.answer(data, TIMEZONE, server_commands.options_of(args), now)
    found: dict[str, Any] = json.loads(answer.model_dump_json())
    return found


@pytest.mark.parametrize(
    "name", ["summary_json", "trend_json", "trend_all_json", "forecast_json", "decline_json"]
)
def test_the_laptops_json_is_the_servers_for_the_same_rows(laptop: Laptop, name: str) -> None:
    mine = json.loads(printed(laptop, name))
    assert mine == server_json(laptop, name, mine)


def test_the_json_is_the_answer_of_the_well_over_the_asked_days(laptop: Laptop) -> None:
    summary = json.loads(printed(laptop, "summary_json"))
    last = max(r.production_date for r in laptop.recorded)
    assert (summary["scope"], summary["id"], summary["timezone"]) == (
        "well",
        laptop.well_id,
        TIMEZONE,
    )
    assert summary["last_day"] == last.isoformat() and len(summary["periods"]) == 14
    assert json.loads(printed(laptop, "trend_json"))["window"] == 90
    assert json.loads(printed(laptop, "trend_all_json"))["window"] is None
    forecast = json.loads(printed(laptop, "forecast_json"))
    assert (forecast["metric"], forecast["horizon"]) == ("gas", 5)
    assert len(forecast["forecast"]["points"]) == 5
    decline = json.loads(printed(laptop, "decline_json"))
    assert (decline["terminal_decline"], decline["economic_limit"]) == (0.1, 3.0)
    assert (
        decline["fit"]["n_obs"] < json.loads(printed(laptop, "forecast_json"))["forecast"]["n_obs"]
    )
    empty = json.loads(printed(laptop, "empty_summary_json"))
    assert (empty["periods"], empty["first_day"]) == ([], None)


def test_the_tables(laptop: Laptop) -> None:
    title = f"{NORM_A} Alpha 1"
    summary = printed(laptop, "summary").splitlines()
    assert summary[0] == f"{title} ({TIMEZONE})" and len(summary) == 3 + 14
    assert len(printed(laptop, "summary_default").splitlines()) == 3 + 30
    trend = printed(laptop, "trend").splitlines()
    assert trend[0].startswith(f"{title}: trend of daily rates, last 90 days to ")
    assert [line.split()[0] for line in trend[3:]] == ["oil", "gas", "water"]
    forecast = printed(laptop, "forecast").splitlines()
    assert forecast[0].startswith(f"{title}: gas rate forecast (") and len(forecast) == 3 + 5
    decline = printed(laptop, "decline")
    assert decline.startswith(f"{title}: Arps decline of the oil rate\n") and "EUR" in decline
    empty = printed(laptop, "empty_forecast").strip()
    refusal = "the well has no producing days with a oil rate"
    assert empty == f"{NORM_B} Bravo 2: oil rate forecast: none ({refusal})"


def test_the_rows_read_are_the_rows_recorded_and_the_version_moves(
    laptop: Laptop, tmp_path: Path
) -> None:
    with open_store(laptop.data) as store:
        well, data = well_data(store, API_A)
    assert (well.well_id, data.rows) == (laptop.well_id, tuple(laptop.recorded))
    data_dir = tmp_path / "store"
    rows = well_rows(5, days_ago(40), 30)
    record(data_dir, rows[:-1])
    with open_store(data_dir) as store:
        well, before = well_data(store, API_A)
        last = rows[-1]
        entry = ProductionRecorded(
            well_id=well.well_id,
            production_date=last.production_date,
            oil_bbl=last.oil_bbl,
            gas_mcf=last.gas_mcf,
            water_bbl=last.water_bbl,
            hours_on=last.hours_on,
            downtime_hours=last.downtime_hours,
            downtime_reason=last.downtime_reason,
        )
        save_production(store, entry)
        after = well_data(store, API_A)[1]
    assert after.rows == (*before.rows, last) and after.version != before.version


def test_the_parser_has_the_shared_defaults_and_choices() -> None:
    parser = build_parser()
    for command in commands.COMMANDS:
        args = parser.parse_args(["analytics", command, "--well", API_A])
        assert isinstance(args, argparse.Namespace)
        assert options_of(args) == commands.WellOptions(command)
        assert f"default {commands.DEFAULT_DAYS[command]}" in ANALYTICS_HELPS[command]
    for command, metrics in (
        ("forecast", commands.FORECAST_METRICS),
        ("decline", commands.DECLINE_METRICS),
    ):
        for metric in metrics:
            args = parser.parse_args(["analytics", command, "--well", API_A, "--metric", metric])
            assert options_of(args).metric == metric
    assert f"at most {commands.MAX_FORECAST_DAYS}" in ANALYTICS_HELPS["forecast"]

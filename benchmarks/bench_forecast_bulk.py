"""`sync-server analytics forecast --org SLUG`: the bulk run of stored forecasts and declines.

An organization of W wells × D days of production (declining rates with noise, shut-ins and
partial days) is loaded with COPY into a scratch database; then, in the same run:

- baseline: the bare `shared.analytics` calls on the same arrays, in this process, no database
  (3 forecasts + 2 decline fits per well, what the bulk run stores);
- bulk in process (`--workers 1`), bulk with worker processes (`--workers N`, the pool
  forced on), and a run with nothing to do (every result current).

Printed: seconds and ms per well of each, bulk ÷ baseline, and in-process ÷ parallel. One BLAS
thread (OPENBLAS_NUM_THREADS=1), as `sync-server` sets it, unless the environment says
otherwise.

    python benchmarks/bench_forecast_bulk.py [--wells 400] [--days 365] [--workers 2]
                                             [--database-url URL]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy, as sync-server's main does

import argparse
import math
import random
import time
import uuid
from datetime import date, timedelta

import numpy as np
import psycopg
from _server import org_with_wells, scratch_database, server_url

from shared.analytics.answers import producing_rates, series_of
from shared.analytics.decline import fit_decline
from shared.analytics.forecast import forecast
from shared.analytics.series import DailyRow
from sync_server.services.analytics_bulk import JOBS, bring_up_to_date

COLUMNS = (
    "id, org_id, well_id, production_date, oil_bbl, gas_mcf, water_bbl, hours_on,"
    " downtime_hours, downtime_reason, notes, entry_method, quality_score, flags, version,"
    " server_seq"
)


def well_rows(rng: random.Random, days: int, last: date) -> list[DailyRow]:
    qi, di = rng.uniform(80, 400), rng.uniform(0.0005, 0.004)
    rows = []
    for t in range(days):
        day = last - timedelta(days=days - 1 - t)
        if rng.random() < 0.03:
            rows.append(DailyRow(day, 0.0, 0.0, 0.0, 0.0, 24.0, "pump failure"))
            continue
        hours = 24.0 if rng.random() > 0.05 else rng.choice((6.0, 12.0, 18.0))
        oil = qi * math.exp(-di * t) * rng.gauss(1, 0.05) * hours / 24
        down = None if hours == 24 else 24 - hours
        rows.append(DailyRow(day, oil, oil * 1.4, oil * 0.5, hours, down, down and "choke"))
    return rows


def load(url: str, org: str, wells: list[str], days: int) -> dict[str, list[DailyRow]]:
    rng = random.Random(7)
    last = date.today() - timedelta(days=1)
    history = {w: well_rows(rng, days, last) for w in wells}
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT id FROM organizations WHERE slug = %s", (org,)).fetchone()
        assert row is not None
        org_id = row[0]
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))
        seq = 0
        with conn.cursor().copy(f"COPY production ({COLUMNS}) FROM STDIN") as copy:
            for well, rows in history.items():
                for r in rows:
                    seq += 1
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            org_id,
                            well,
                            r.production_date,
                            r.oil_bbl,
                            r.gas_mcf,
                            r.water_bbl,
                            r.hours_on,
                            r.downtime_hours,
                            r.downtime_reason,
                            "",
                            "IMPORT",
                            100,
                            "[]",
                            1,
                            1_000_000 + seq,
                        )
                    )
        conn.execute(
            "UPDATE organizations SET last_seq = %s WHERE id = %s", (1_000_000 + seq, org_id)
        )
    return history


def baseline(history: dict[str, list[DailyRow]], tz: str) -> float:
    """The bare analytics calls the bulk run makes, on the same producing-day rates."""
    inputs = []
    for rows in history.values():
        series = series_of(rows, tz)
        assert series is not None
        inputs.append({m: producing_rates(series, m) for m in ("oil", "gas", "water")})
    started = time.perf_counter()
    for rates in inputs:
        for job in JOBS:
            days, values = rates[job.metric]
            if job.kind == "forecast":
                forecast(days, values, horizon=7)
            else:
                fit_decline(days, values)
    return time.perf_counter() - started


def clear(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("ALTER TABLE analytics_forecasts NO FORCE ROW LEVEL SECURITY")
        conn.execute("DELETE FROM analytics_forecasts")
        conn.execute("ALTER TABLE analytics_forecasts FORCE ROW LEVEL SECURITY")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wells", type=int, default=400)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    np.seterr(all="ignore")
    with scratch_database(server_url(args.database_url)) as url:
        org, wells = org_with_wells(url, args.wells)
        history = load(url, org, wells, args.days)
        print(f"{args.wells} wells × {args.days} days ({args.wells * args.days:,} rows) loaded")
        base = baseline(history, "America/Chicago")
        serial = bring_up_to_date(url, org, workers=1)
        current = bring_up_to_date(url, org, workers=1)
        clear(url)
        parallel = bring_up_to_date(url, org, workers=args.workers, parallel_from=1)
        assert serial.computed == parallel.computed == len(JOBS) * args.wells
        assert current.computed == 0 and current.up_to_date == serial.computed
        per = 1000 / args.wells
        for label, seconds in [
            ("baseline: bare shared.analytics calls", base),
            ("bulk, in process", serial.seconds),
            (f"bulk, {args.workers} worker processes", parallel.seconds),
            ("bulk, nothing changed", current.seconds),
        ]:
            print(f"{label:<40} {seconds:8.2f} s  {seconds * per:7.2f} ms/well")
        print(f"refused: {serial.refused} of {serial.computed} results")
        print(f"bulk in process / baseline: {serial.seconds / base:.2f}")
        print(f"in process / {args.workers} workers: {serial.seconds / parallel.seconds:.2f}")


if __name__ == "__main__":
    main()

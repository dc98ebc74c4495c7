"""`sync-server analytics forecast --org SLUG`: the stored forecasts and declines of every well
of an organization brought up to date (docs/analytics-api.md "Stored results").

The main process reads each well's data version and the stored versions, and skips the
(well, result) pairs that are current. The rest is computed in chunks of wells, in worker
processes when there are enough of them to pay for starting the workers (a `spawn` pool, the
same on Windows and POSIX; the worker function is a plain module-level function), and stored
as the chunks come back, one transaction each."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from shared.analytics.answers import (
    DEFAULT_ECONOMIC_LIMIT,
    DEFAULT_HORIZON,
    DEFAULT_TERMINAL_DECLINE,
    WellData,
    decline_answer,
    decline_params,
    forecast_answer,
    forecast_params,
    series_of,
)
from shared.analytics_contracts import DeclineAnswer, ForecastAnswer, Metric
from sync_server.db.pool import TENANT_SQL
from sync_server.services import analytics_reads as reads
from sync_server.services import analytics_store as store
from sync_server.services.admin import org_id_of

OwnerConn = psycopg.Connection[dict[str, Any]]
CHUNK = 100  # wells per task
PARALLEL_FROM = 200  # stale wells from which worker processes pay for their start (~3 s each)


@dataclass(frozen=True, slots=True)
class Job:
    """One stored result per well: the answers the API gives with its default parameters."""

    kind: store.Kind
    metric: Metric

    @property
    def params(self) -> dict[str, Any]:
        if self.kind == "forecast":
            return forecast_params(DEFAULT_HORIZON)
        return decline_params(DEFAULT_TERMINAL_DECLINE, DEFAULT_ECONOMIC_LIMIT)


JOBS = (
    Job("forecast", "oil"),
    Job("forecast", "gas"),
    Job("forecast", "water"),
    Job("decline", "oil"),
    Job("decline", "gas"),
)


@dataclass(frozen=True, slots=True)
class Task:
    tz: str
    now: datetime
    wells: tuple[tuple[WellData, tuple[Job, ...]], ...]


@dataclass(frozen=True, slots=True)
class BulkResult:
    wells: int
    computed: int  # results computed and stored
    up_to_date: int  # results whose stored version was current
    refused: int  # of the computed, those with a refusal instead of a result
    workers: int  # 0: computed in this process
    seconds: float


Answer = ForecastAnswer | DeclineAnswer


def compute_task(task: Task) -> list[tuple[Job, Answer]]:
    """Every job of every well of `task` (runs in a worker process)."""
    out: list[tuple[Job, Answer]] = []
    for data, jobs in task.wells:
        series = series_of(data.rows, task.tz)  # once per well, for all its jobs
        for job in jobs:
            answer: Answer
            if job.kind == "forecast":
                answer = forecast_answer(
                    data, task.tz, job.metric, DEFAULT_HORIZON, task.now, series
                )
            else:
                answer = decline_answer(
                    data,
                    task.tz,
                    job.metric,
                    DEFAULT_TERMINAL_DECLINE,
                    DEFAULT_ECONOMIC_LIMIT,
                    task.now,
                    series,
                )
            out.append((job, answer))
    return out


def _tenant(conn: OwnerConn, org_id: UUID) -> None:
    conn.execute(TENANT_SQL, (str(org_id),))


def stale_jobs(conn: OwnerConn, org_id: UUID, tz: str) -> tuple[dict[UUID, list[Job]], int, int]:
    """(well -> its jobs whose stored result is not current, results up to date, wells)."""
    versions = {
        UUID(str(r["well_id"])): int(r["version"])
        for r in conn.execute(reads.VERSIONS, {"org": org_id}).fetchall()
    }
    stale: dict[UUID, list[Job]] = {}
    current = 0
    for job in JOBS:
        stored = store.stored_versions(conn, org_id, job.kind, job.metric, job.params, tz)
        for well, version in versions.items():
            if stored.get(well) == version:
                current += 1
            else:
                stale.setdefault(well, []).append(job)
    return stale, current, len(versions)


def _tasks(
    conn: OwnerConn, org_id: UUID, tz: str, stale: dict[UUID, list[Job]], now: datetime
) -> Iterator[Task]:
    wells = sorted(stale)
    for start in range(0, len(wells), CHUNK):
        chunk = wells[start : start + CHUNK]
        rows = conn.execute(reads.ROWS, reads.rows_params(org_id, chunk)).fetchall()
        data = reads.well_data_from(chunk, rows)
        yield Task(tz, now, tuple((d, tuple(stale[d.well_id])) for d in data))


def _store(conn: OwnerConn, org_id: UUID, tz: str, results: list[tuple[Job, Answer]]) -> int:
    """Store one task's results in one transaction; returns how many were refusals."""
    with conn.transaction():
        _tenant(conn, org_id)
        for job in JOBS:
            mine = [a for j, a in results if j == job]
            if mine:
                store.store_many(conn, org_id, job.kind, job.params, tz, mine)  # type: ignore[arg-type]
    return sum(1 for _, a in results if a.refusal is not None)


def default_workers(cpus: int | None = None) -> int:
    """Worker processes when --workers is not given: all cores but one (the main process reads
    and stores, Postgres writes) from 4 cores up; below that, none (measured on 2 busy cores:
    2 workers took 1.3-2x as long as the main process alone, docs/analytics-api.md)."""
    count = cpus if cpus is not None else (os.cpu_count() or 1)
    return count - 1 if count >= 4 else 1


def _pool(workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def bring_up_to_date(
    url: str, org: str, *, workers: int | None = None, parallel_from: int = PARALLEL_FROM
) -> BulkResult:
    """Compute and store every stale forecast and decline of the organization `org`.

    One connection reads (one snapshot for the versions and the rows), another stores each
    chunk's results in its own transaction as they come back."""
    started = time.perf_counter()
    with (
        psycopg.connect(url, row_factory=dict_row) as reader,
        psycopg.connect(url, row_factory=dict_row, autocommit=True) as writer,
    ):
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        org_id = org_id_of(reader, org)
        _tenant(reader, org_id)
        tz = _timezone(reader, org_id)
        stale, current, wells = stale_jobs(reader, org_id, tz)
        wanted = workers if workers is not None else default_workers()
        used = wanted if wanted > 1 and len(stale) >= parallel_from else 0
        now = datetime.now(UTC).replace(microsecond=0)
        tasks = _tasks(reader, org_id, tz, stale, now)
        computed = refused = 0
        if not used:
            for task in tasks:
                results = compute_task(task)
                computed += len(results)
                refused += _store(writer, org_id, tz, results)
        else:
            with _pool(used) as pool:
                for results in _in_parallel(tasks, pool, used):
                    computed += len(results)
                    refused += _store(writer, org_id, tz, results)
    return BulkResult(wells, computed, current, refused, used, time.perf_counter() - started)


def _in_parallel(
    tasks: Iterator[Task], pool: Executor, workers: int
) -> Iterator[list[tuple[Job, Answer]]]:
    """Results of each task in order, at most 2 tasks per worker in flight (so the rows are
    read while the workers compute, and never all at once)."""
    pending: deque[Future[list[tuple[Job, Answer]]]] = deque()
    for task in tasks:
        pending.append(pool.submit(compute_task, task))
        while len(pending) >= 2 * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _timezone(conn: OwnerConn, org_id: UUID) -> str:
    row = conn.execute(reads.TIMEZONE, {"org": org_id}).fetchone()
    return str(row["timezone"]) if row else "UTC"


def summary_line(result: BulkResult) -> str:
    how = f"{result.workers} worker processes" if result.workers else "in process"
    return (
        f"wells={result.wells} computed={result.computed} up_to_date={result.up_to_date}"
        f" refused={result.refused} ({how}) seconds={result.seconds:.2f}"
    )

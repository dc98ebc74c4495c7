"""Stored forecasts and declines (table `analytics_forecasts`, migration 0006): one result per
(well, kind, metric, params), with the well's data version it was computed from. A request is
answered from the store while the well's version (and the code version and time zone) match;
otherwise the result is computed, stored and served. The command line's bulk run
(`analytics_bulk`) fills the same rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar
from uuid import UUID

import anyio
import psycopg
from psycopg.types.json import Jsonb

from shared.analytics.answers import WellData
from shared.analytics_contracts import DeclineAnswer, ForecastAnswer, Metric
from sync_server.db.pool import Conn, Database
from sync_server.services import analytics_reads as reads

CODE_VERSION = "1"  # bump when a stored forecast or decline must be recomputed by new code
Kind = Literal["forecast", "decline"]
A = TypeVar("A", ForecastAnswer, DeclineAnswer)
ANSWERS: dict[Kind, type[ForecastAnswer] | type[DeclineAnswer]] = {
    "forecast": ForecastAnswer,
    "decline": DeclineAnswer,
}

GET = """
SELECT data_version, code_version, result FROM analytics_forecasts
 WHERE org_id = %(org)s AND well_id = %(well)s AND kind = %(kind)s AND metric = %(metric)s
   AND params = %(params)s
"""

STORED_VERSIONS = """
SELECT well_id, data_version FROM analytics_forecasts
 WHERE org_id = %(org)s AND kind = %(kind)s AND metric = %(metric)s AND params = %(params)s
   AND code_version = %(code)s
"""

PUT = """
INSERT INTO analytics_forecasts
       (org_id, well_id, kind, metric, params, data_version, code_version, result, computed_at)
VALUES (%(org)s, %(well)s, %(kind)s, %(metric)s, %(params)s, %(version)s, %(code)s,
        %(result)s, %(computed_at)s)
    ON CONFLICT (org_id, well_id, kind, metric, params) DO UPDATE
   SET data_version = EXCLUDED.data_version, code_version = EXCLUDED.code_version,
       result = EXCLUDED.result, computed_at = EXCLUDED.computed_at
 WHERE analytics_forecasts.data_version <= EXCLUDED.data_version
"""


def code_version(tz: str) -> str:
    """What besides the rows a result depends on: the code's version and the org's time zone
    (day lengths on DST days change the hour-normalised rates)."""
    return f"{CODE_VERSION}:{tz}"


def key(
    org_id: UUID, well_id: UUID, kind: Kind, metric: Metric, params: dict[str, Any]
) -> dict[str, Any]:
    return {"org": org_id, "well": well_id, "kind": kind, "metric": metric, "params": Jsonb(params)}


def put_params(
    org_id: UUID,
    kind: Kind,
    params: dict[str, Any],
    tz: str,
    answer: ForecastAnswer | DeclineAnswer,
) -> dict[str, Any]:
    return {
        **key(org_id, answer.well_id, kind, answer.metric, params),
        "version": answer.data_version,
        "code": code_version(tz),
        "result": Jsonb(answer.model_dump(mode="json")),
        "computed_at": answer.computed_at,
    }


async def answer(
    db: Database,
    org_id: UUID,
    well_id: UUID,
    kind: Kind,
    metric: Metric,
    params: dict[str, Any],
    compute: Callable[[WellData, str], A],
) -> A | None:
    """The stored answer when it is current, else `compute(well data, tz)` stored and returned;
    None when the organization has no such well."""
    model = ANSWERS[kind]
    where = key(org_id, well_id, kind, metric, params)
    async with db.tenant(org_id) as conn:
        if await reads.well(conn, org_id, well_id) is None:
            return None
        tz = await reads.timezone(conn, org_id)
        version = await reads.well_version(conn, org_id, well_id)
        stored = await (await conn.execute(GET, where)).fetchone()
        if stored and (stored["data_version"], stored["code_version"]) == (
            version,
            code_version(tz),
        ):
            return model.model_validate(stored["result"])  # type: ignore[return-value]
        data = await reads.well_data(conn, org_id, well_id)
    fresh = await anyio.to_thread.run_sync(compute, data, tz)
    async with db.tenant(org_id) as conn:
        await store(conn, org_id, kind, params, tz, fresh)
    return fresh


async def store(
    conn: Conn,
    org_id: UUID,
    kind: Kind,
    params: dict[str, Any],
    tz: str,
    result: ForecastAnswer | DeclineAnswer,
) -> None:
    await conn.execute(PUT, put_params(org_id, kind, params, tz, result))


def stored_versions(
    conn: psycopg.Connection[dict[str, Any]],
    org_id: UUID,
    kind: Kind,
    metric: Metric,
    params: dict[str, Any],
    tz: str,
) -> dict[UUID, int]:
    """Well -> data version of its stored result for these parameters (owner's connection)."""
    rows = conn.execute(
        STORED_VERSIONS,
        {
            "org": org_id,
            "kind": kind,
            "metric": metric,
            "params": Jsonb(params),
            "code": code_version(tz),
        },
    ).fetchall()
    return {UUID(str(r["well_id"])): int(r["data_version"]) for r in rows}


def store_many(
    conn: psycopg.Connection[dict[str, Any]],
    org_id: UUID,
    kind: Kind,
    params: dict[str, Any],
    tz: str,
    results: list[ForecastAnswer] | list[DeclineAnswer],
) -> None:
    with conn.cursor() as cursor:
        cursor.executemany(PUT, [put_params(org_id, kind, params, tz, r) for r in results])

"""The push path's writes against real Postgres (sync_server/services/writes.py): every table
declared once by column name, and each value stored in the column of its name."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from psycopg.rows import dict_row

from sync_server.db.pool import TENANT_SQL
from sync_server.services import writes
from sync_server.services.batch_state import Record
from sync_server.services.tables import Column, Row, RowShapeError, Table, insert, update

from .conftest import new_org, org_id
from .test_sync_batch import DAY, add_well

DECLARED = (
    writes.PRODUCTION,
    writes.RECORDS,
    writes.PRODUCTION_VERSIONS,
    writes.RECORD_VERSIONS,
    writes.ALIASES,
    writes.CONFLICTS,
    writes.EVENTS,
    writes.AUDIT,
    writes.QUARANTINE,
    writes.WELLS,
)


def write(url: str, org: UUID, table: Table, rows: Sequence[Row], *, change: bool = False) -> None:
    """Rows through the push path's statement builders, in one committed transaction."""

    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(url, row_factory=dict_row) as conn:
            await conn.execute(TENANT_SQL, (str(org),))
            await (update(conn, table, rows) if change else insert(conn, table, org, rows))
            await conn.commit()

    asyncio.run(run())


def stored(url: str, record_id: UUID) -> dict[str, Any] | None:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute("SELECT * FROM production WHERE id = %s", (record_id,)).fetchone()


def production(well: str, seq: int, **values: Any) -> Record:
    return Record(
        id=uuid4(),
        kind="production",
        well_id=UUID(well),
        day=DAY,
        values={
            "oil_bbl": 101.5,
            "gas_mcf": 122.0,
            "water_bbl": 33.25,
            "hours_on": 22.0,
            "downtime_hours": 2.0,
            "downtime_reason": "POWER",
            "tubing_psi": 410.0,
            "casing_psi": 620.0,
            "choke_64ths": 18,
            "notes": "gauged",
            **values,
        },
        version=1,
        server_seq=seq,
        entry_method="MANUAL",
        location={"lat": 31.9, "lon": -102.1, "accuracy_m": 5.0},
        quality_score=85,
        flags=[{"rule": "hours_sum", "field": "hours_on", "severity": "warning", "message": "m"}],
    )


@pytest.mark.parametrize("table", DECLARED, ids=lambda t: f"{t.name}:{t.columns[0].name}")
def test_every_declared_column_is_a_column_of_its_table(database_url: str, table: Table) -> None:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            (table.name,),
        ).fetchall()
    columns = {name for (name,) in rows}
    declared = [c.column for c in table.columns] + [name for name, _ in table.computed]
    assert len(set(declared)) == len(declared)
    assert set(declared) <= columns, set(declared) - columns


def test_each_value_lands_in_its_named_column_whatever_the_declared_order(
    database_url: str,
) -> None:
    org = new_org(database_url)
    owner, well = org_id(database_url, org), add_well(database_url, org)
    reordered = replace(writes.PRODUCTION, columns=tuple(reversed(writes.PRODUCTION.columns)))
    first, second = production(well, 900_001), production(well, 900_002)
    second.day = DAY - timedelta(days=1)  # one live record per well-day
    write(database_url, owner, writes.PRODUCTION, [writes.production_row(first)])
    write(database_url, owner, reordered, [writes.production_row(second)])
    a, b = stored(database_url, first.id), stored(database_url, second.id)
    assert a is not None and b is not None
    same = set(a) - {"id", "production_date", "server_seq", "created_at", "updated_at"}
    assert {k: b[k] for k in same} == {k: a[k] for k in same}
    assert {k: a[k] for k in first.values} == first.values
    assert a["location"] == first.location and a["flags"] == first.flags

    second.values = {**second.values, "oil_bbl": 99.0, "casing_psi": 600.0}
    second.version, second.quality_score = 2, 100
    write(database_url, owner, reordered, [writes.production_row(second)], change=True)
    b = stored(database_url, second.id)
    assert b is not None
    assert (b["oil_bbl"], b["casing_psi"], b["tubing_psi"], b["version"]) == (99.0, 600.0, 410.0, 2)
    assert (b["quality_score"], b["gas_mcf"], b["deleted_at"]) == (100, 122.0, None)


def test_a_column_added_in_the_middle_fails_loudly_and_writes_nothing(database_url: str) -> None:
    org = new_org(database_url)
    owner, well = org_id(database_url, org), add_well(database_url, org)
    columns = list(writes.PRODUCTION.columns)
    at = writes.PRODUCTION.names.index("water_bbl")
    columns.insert(at, Column("condensate_bbl", "float8"))
    widened = replace(writes.PRODUCTION, columns=tuple(columns))
    record = production(well, 900_003)
    with pytest.raises(RowShapeError, match="missing \\['condensate_bbl'\\]"):
        write(database_url, owner, widened, [writes.production_row(record)])
    # and a value the table does not declare (a new contract field, say) is no silent drop
    row = {**writes.production_row(record), "condensate_bbl": 4.0}
    with pytest.raises(RowShapeError, match="undeclared \\['condensate_bbl'\\]"):
        write(database_url, owner, writes.PRODUCTION, [row])
    assert stored(database_url, record.id) is None

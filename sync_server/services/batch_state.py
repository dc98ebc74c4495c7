"""What a pushed batch needs to know of the server's state, read in a few set-based queries.

The events of one batch are screened first; then everything they refer to (wells, production
records by id, alias or well-day, other records, conflicts, the wells' trailing history and the
version history of records changed against an older base) is read with one query per kind into
a `BatchState`, against which the batch is applied in memory (`apply`). Rows are read by column
name into the dataclasses below, never by position.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, NamedTuple
from uuid import UUID

from psycopg import AsyncCursor
from psycopg.rows import tuple_row

from shared.api_number import ApiNumberError, normalize_api_number
from shared.contracts import (
    ConflictResolved,
    EventType,
    ProductionCorrected,
    ProductionRecorded,
    WellRegistered,
)
from shared.records import PRODUCTION_VALUE_FIELDS
from shared.validation import DayVolumes, WellHistory
from sync_server.db.pool import Conn
from sync_server.services.screening import Checked

CHANGES_OF: dict[EventType, str] = {  # event type -> kind of record it changes
    EventType.PRODUCTION_CORRECTED: "production",
    EventType.PRODUCTION_VOIDED: "production",
    EventType.EQUIPMENT_UPDATED: "equipment",
    EventType.PHOTO_UPDATED: "photo",
    EventType.PHOTO_REMOVED: "photo",
}


class Written(NamedTuple):
    """One version of a record: the fields it changed, and the device and event that wrote it
    (the shape `merge.changed_since` reads)."""

    version: int
    fields: tuple[str, ...]
    device_id: UUID
    event_id: UUID


@dataclass(slots=True)
class Record:
    """A production record or another record (equipment, maintenance, incident, photo) as this
    batch sees it."""

    id: UUID
    kind: str
    well_id: UUID | None
    day: date | None  # production only
    values: dict[str, Any]  # production: the value fields; others: the state
    version: int
    deleted: bool = False
    server_seq: int = 0
    # production only: how it was entered, where, and the quality of its values
    entry_method: str | None = None
    location: dict[str, Any] | None = None
    quality_score: int | None = None
    flags: list[dict[str, str]] | None = None
    is_new: bool = False
    dirty: bool = False
    history: list[Written] = field(default_factory=list)  # versions after the oldest base


@dataclass(slots=True)
class ConflictRow:
    id: UUID
    aggregate_id: UUID
    aggregate_type: str
    event_id: UUID  # the event that raised it
    device_id: UUID | None  # the device that raised it (unknown for conflicts before 0002)
    base_version: int  # the version that event was made against
    server_version: int  # the record's version when it was raised
    fields: list[str]
    mine: dict[str, Any]
    theirs: dict[str, Any]
    policy: str
    status: str
    resolution: dict[str, Any] | None = None
    resolved_by: UUID | None = None
    server_seq: int = 0
    is_new: bool = False
    dirty: bool = False


@dataclass(slots=True)
class BatchState:
    wells: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    api_numbers: set[str] = field(default_factory=set)
    records: dict[UUID, Record] = field(default_factory=dict)
    aliases: dict[UUID, UUID] = field(default_factory=dict)
    by_day: dict[tuple[UUID, date], UUID] = field(default_factory=dict)
    histories: dict[UUID, WellHistory] = field(default_factory=dict)
    conflicts: dict[UUID, ConflictRow] = field(default_factory=dict)
    tz: str = "America/Chicago"  # the organization's: a rate is per local day

    def record(self, aggregate_id: UUID) -> Record | None:
        """The record for an id or an alias of it."""
        return self.records.get(self.aliases.get(aggregate_id, aggregate_id))

    def history(self, well_id: UUID, window_days: int) -> WellHistory:
        """The well's trailing history as the batch knows it (empty when it has none)."""
        found = self.histories.get(well_id)
        return WellHistory((), window_days, self.tz) if found is None else found

    def kept_history(self, well_id: UUID, window_days: int) -> WellHistory:
        """The well's history, kept in the state to be added to."""
        found = self.histories.get(well_id)
        if found is None:
            found = self.histories[well_id] = WellHistory((), window_days, self.tz)
        return found


async def _rows(conn: Conn, sql: str, params: Any) -> list[dict[str, Any]]:
    return await (await conn.execute(sql, params)).fetchall()


def _production(row: dict[str, Any]) -> Record:
    return Record(
        id=row["id"],
        kind="production",
        well_id=row["well_id"],
        day=row["production_date"],
        values={k: row[k] for k in PRODUCTION_VALUE_FIELDS},
        version=int(row["version"]),
        deleted=row["deleted_at"] is not None,
        server_seq=int(row["server_seq"]),
        entry_method=row["entry_method"],
        location=row["location"],
        quality_score=row["quality_score"],
        flags=row["flags"],
    )


def _other_record(row: dict[str, Any]) -> Record:
    return Record(
        id=row["id"],
        kind=row["aggregate_type"],
        well_id=row["well_id"],
        day=None,
        values=dict(row["state"]),
        version=int(row["version"]),
        deleted=row["deleted_at"] is not None,
        server_seq=int(row["server_seq"]),
    )


def _conflict(row: dict[str, Any]) -> ConflictRow:
    return ConflictRow(
        id=row["id"],
        aggregate_id=row["aggregate_id"],
        aggregate_type=row["aggregate_type"],
        event_id=row["event_id"],
        device_id=row["device_id"],
        base_version=int(row["base_version"]),
        server_version=int(row["server_version"]),
        fields=list(row["fields"]),
        mine=row["mine"],
        theirs=row["theirs"],
        policy=row["policy"],
        status=row["status"],
        resolution=row["resolution"],
        resolved_by=row["resolved_by"],
        server_seq=int(row["server_seq"]),
    )


@dataclass(slots=True)
class _Wanted:
    well_ids: set[UUID] = field(default_factory=set)
    api_numbers: set[str] = field(default_factory=set)
    record_ids: set[UUID] = field(default_factory=set)
    well_days: set[tuple[UUID, date]] = field(default_factory=set)
    history_wells: set[UUID] = field(default_factory=set)
    days: list[date] = field(default_factory=list)
    conflict_ids: set[UUID] = field(default_factory=set)
    min_base: dict[UUID, int] = field(default_factory=dict)

    def base(self, aggregate_id: UUID, base_version: int) -> None:
        self.record_ids.add(aggregate_id)
        self.min_base[aggregate_id] = min(base_version, self.min_base.get(aggregate_id, 1 << 30))


def _api_key(text: str) -> str:
    try:
        return normalize_api_number(text)
    except ApiNumberError:
        return text  # rejected by the well check itself


def _wanted(items: list[Checked]) -> _Wanted:
    want = _Wanted()
    for item in items:
        kind, p = item.envelope.event_type, item.payload
        aggregate_id = item.envelope.aggregate_id
        if isinstance(p, ProductionRecorded | ProductionCorrected):
            want.well_ids.add(p.well_id)
            want.history_wells.add(p.well_id)
            want.days.append(p.production_date)
            if isinstance(p, ProductionRecorded):
                want.well_days.add((p.well_id, p.production_date))
                continue  # a new id (the primary key refuses it if it is not)
        well_id = getattr(p, "well_id", None)
        if isinstance(well_id, UUID):
            want.well_ids.add(well_id)
        for target in (getattr(p, "target_id", None), getattr(p, "equipment_id", None)):
            if isinstance(target, UUID):
                want.well_ids.add(target)  # a photo's target may be a well
                want.record_ids.add(target)
        if kind in CHANGES_OF:
            want.base(aggregate_id, item.envelope.base_version)
        elif isinstance(p, ConflictResolved):
            want.conflict_ids.add(p.conflict_id)
            want.record_ids.add(aggregate_id)
        elif kind in (EventType.WELL_UPDATED, EventType.WELL_REGISTERED):
            want.well_ids.add(aggregate_id)
            if isinstance(p, WellRegistered):
                want.api_numbers.add(_api_key(p.api_number))
        else:
            want.record_ids.add(aggregate_id)  # must be new: equipment, maintenance, ...
    return want


async def load_state(
    conn: Conn, items: list[Checked], window_days: int, tz: str = "America/Chicago"
) -> BatchState:
    state = BatchState(tz=tz)
    if not items:
        return state
    want = _wanted(items)
    if want.conflict_ids:
        for row in await _rows(
            conn, "SELECT * FROM conflicts WHERE id = ANY(%s)", (list(want.conflict_ids),)
        ):
            state.conflicts[row["id"]] = _conflict(row)
            want.base(row["aggregate_id"], 0)
    wells, well_days = None, None
    async with conn.pipeline():  # the wells and their days in one round trip
        if want.well_ids or want.api_numbers:
            wells = await conn.execute(_WELLS, (list(want.well_ids), list(want.api_numbers)))
        if want.history_wells and not want.conflict_ids:  # else: resolutions add wells below
            well_days = await _query_well_days(conn, want, window_days)
    for row in await wells.fetchall() if wells else ():
        state.wells[row["id"]] = row
        state.api_numbers.add(row["api_number"])
    if want.record_ids:
        await _load_by_id(conn, state, want)
    for conflict in state.conflicts.values():  # a resolution is validated like a correction
        record = state.record(conflict.aggregate_id)
        if record is not None and record.well_id is not None and record.day is not None:
            want.history_wells.add(record.well_id)
            want.days.append(record.day)
    unread = {r.well_id for r in state.records.values() if r.kind == "production"}
    unread -= {*state.wells, None}
    if unread:  # a resolved record's well: the geofence's centre
        for row in await _rows(conn, _WELLS, (list(unread), [])):
            state.wells[row["id"]] = row
            state.api_numbers.add(row["api_number"])
    if want.history_wells:
        if well_days is None:
            well_days = await _query_well_days(conn, want, window_days)
        await _load_well_days(conn, state, want, window_days, well_days)
    await _load_versions(conn, state, want.min_base)
    return state


async def _load_by_id(conn: Conn, state: BatchState, want: _Wanted) -> None:
    """Records named by id (or by an alias of a production record)."""
    ids = list(want.record_ids)
    for row in await _rows(
        conn,
        "SELECT alias_id, production_id FROM production_aliases WHERE alias_id = ANY(%s)",
        (ids,),
    ):
        state.aliases[row["alias_id"]] = row["production_id"]
        want.base(row["production_id"], want.min_base.get(row["alias_id"], 0))
    ids += state.aliases.values()
    for row in await _rows(conn, "SELECT * FROM production WHERE id = ANY(%s)", (ids,)):
        record = state.records[row["id"]] = _production(row)
        if not record.deleted:
            state.by_day[(row["well_id"], row["production_date"])] = row["id"]
    for row in await _rows(conn, "SELECT * FROM aggregates WHERE id = ANY(%s)", (ids,)):
        state.records[row["id"]] = _other_record(row)


async def _query_well_days(
    conn: Conn, want: _Wanted, window_days: int
) -> AsyncCursor[tuple[Any, ...]]:
    """The live production of the batch's wells from the oldest day's trailing window to the
    newest day. One range scan (no join), so a stale planner estimate cannot turn it into a
    loop of scans."""
    first = min(want.days) - timedelta(days=window_days + 1)
    cursor = conn.cursor(row_factory=tuple_row)  # plain tuples: thousands of rows a batch
    return await cursor.execute(_WELL_DAYS, (list(want.history_wells), first, max(want.days)))


async def _load_well_days(
    conn: Conn,
    state: BatchState,
    want: _Wanted,
    window_days: int,
    cursor: AsyncCursor[tuple[Any, ...]],
) -> None:
    """The validation history, and the records of well-days recorded again."""
    again: list[UUID] = []
    rows = await cursor.fetchall()
    at = {column.name: i for i, column in enumerate(cursor.description or ())}
    by_name = itemgetter(*(at[name] for name in _DAY_COLUMNS))  # whatever the query's order
    for record_id, well, day, oil, gas, water, hours, choke in map(by_name, rows):
        state.kept_history(well, window_days).add(DayVolumes(day, oil, gas, water, hours, choke))
        if (well, day) in want.well_days and record_id not in state.records:
            again.append(record_id)
    if again:  # recorded again: a change against version 0 of the record that stands
        for row in await _rows(conn, "SELECT * FROM production WHERE id = ANY(%s)", (again,)):
            state.records[row["id"]] = _production(row)
            state.by_day[(row["well_id"], row["production_date"])] = row["id"]
    for well_day in want.well_days:
        if (record_id := state.by_day.get(well_day)) is not None:
            want.base(record_id, 0)


async def _load_versions(conn: Conn, state: BatchState, min_base: dict[UUID, int]) -> None:
    """(version, changed fields) after the oldest base any event of the batch uses."""
    oldest: dict[UUID, int] = {}
    for aggregate_id, base in min_base.items():
        record = state.record(aggregate_id)
        if record is not None and base < record.version:
            oldest[record.id] = min(base, oldest.get(record.id, base))
    stale: dict[str, tuple[list[UUID], list[int]]] = defaultdict(lambda: ([], []))
    for record_id, base in oldest.items():
        table = "production" if state.records[record_id].kind == "production" else "aggregate"
        stale[table][0].append(record_id)
        stale[table][1].append(base)
    for table, (ids, bases) in stale.items():
        key = "production_id" if table == "production" else "aggregate_id"
        for row in await _rows(
            conn,
            f"SELECT v.{key} AS id, v.version, v.changed_fields, v.device_id, v.event_id"
            f" FROM {table}_versions v"
            f" JOIN unnest(%s::uuid[], %s::int[]) AS k(id, base)"
            f" ON v.{key} = k.id AND v.version > k.base ORDER BY v.version",
            (ids, bases),
        ):
            state.records[row["id"]].history.append(
                Written(
                    version=row["version"],
                    fields=tuple(row["changed_fields"]),
                    device_id=row["device_id"],
                    event_id=row["event_id"],
                )
            )


_WELLS = """
SELECT w.id, w.api_number, w.name, f.name AS field, l.name AS lease, w.latitude, w.longitude,
       w.status, w.well_type, w.version
  FROM wells w LEFT JOIN fields f ON f.id = w.field_id LEFT JOIN leases l ON l.id = w.lease_id
 WHERE w.id = ANY(%s) OR w.api_number = ANY(%s)
"""

_DAY_COLUMNS = (
    "id",
    "well_id",
    "production_date",
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "choke_64ths",
)
_WELL_DAYS = f"""
SELECT {", ".join(_DAY_COLUMNS)} FROM production
 WHERE well_id = ANY(%s) AND deleted_at IS NULL AND production_date BETWEEN %s AND %s
"""

"""Projections = the server's confirmed state + this device's unconfirmed events on top.

This is the Replicache "rebase": a pulled change overwrites a record with the state the server
confirmed, then every event of this device the server has not confirmed yet (not answered, or
answered with a server seq past the cursor) is applied again on top, in device order. Rejected
events are no longer applied: the record falls back to what the server holds.

A record this device created offline for a well-day the server already has from another device
becomes an alias of the server's record (the server does the same when the event arrives): its
row gives way and its events apply to the server's record instead.

`Rebaser` works on any `RowStore`, so the store's incremental path and `verify`'s replay from
scratch run the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fieldapp.core.confirmed import record_row, well_row
from fieldapp.core.projections import (
    RESOLVABLE_TABLES,
    LoggedEvent,
    Row,
    RowStore,
    apply_event,
)
from shared.records import PRODUCTION_VALUE_FIELDS

# (well_id, production_date) -> the id of a live production row there, if any
DayLookup = Callable[[str, str], str | None]


class Rebaser:
    def __init__(
        self, rows: RowStore, aliases: dict[str, str], lookup: DayLookup | None = None
    ) -> None:
        self.rows = rows
        self.aliases = aliases  # alias id -> record id; updated in place
        self.new_aliases: dict[str, str] = {}
        self._lookup = lookup
        self.skipped: list[LoggedEvent] = []  # events whose record is gone
        self._days: dict[tuple[str, str], str | None] = {}  # what this rebaser wrote

    def target(self, aggregate_id: str) -> str:
        return self.aliases.get(aggregate_id, aggregate_id)

    # --- the confirmed state ---------------------------------------------------------------

    def confirm(
        self, kind: str, data: dict[str, Any], version: int | None, record: dict[str, Any] | None
    ) -> str | None:
        """Write one pulled change's confirmed state; returns the id of the row it concerns."""
        if kind == "well":
            row = well_row(data, version)
            self.rows.put("wells", row)
            return str(row["well_id"])
        if kind != "event" or record is None:
            return None
        found = record_row(record)
        if found is None:
            return None
        table, row = found
        record_id = str(record["id"])
        aggregate_id = str(data.get("aggregate_id", record_id))
        if aggregate_id != record_id:
            self._alias(aggregate_id, record_id)
        if table == "production":
            self._claim_day(row)
        self.rows.put(table, row)
        return record_id

    def _alias(self, alias_id: str, record_id: str) -> None:
        if self.aliases.get(alias_id) != record_id:
            self.aliases[alias_id] = record_id
            self.new_aliases[alias_id] = record_id

    def _claim_day(self, row: Row) -> None:
        """A confirmed live record takes its well-day: an offline record of this device there
        becomes its alias; any other live row there is stale and voided."""
        key = (str(row["well_id"]), str(row["production_date"]))
        record_id = str(row["record_id"])
        if row["voided"]:
            if self._days.get(key) == record_id:
                self._days[key] = None
            return
        other = self._live_day(*key)
        if other is not None and other != record_id:
            stale = self.rows.get("production", other)
            if stale is not None and int(stale["version"]) == 0:
                self._alias(other, record_id)
                self.rows.delete("production", other)
            elif stale is not None:
                stale["voided"] = 1
                self.rows.put("production", stale)
        self._days[key] = record_id

    def _live_day(self, well_id: str, day: str) -> str | None:
        key = (well_id, day)
        if key in self._days:
            return self._days[key]
        found = self._lookup(well_id, day) if self._lookup else None
        if found is not None:
            row = self.rows.get("production", found)
            if row is None or row["voided"]:
                return None
        return found

    # --- this device's unconfirmed events ---------------------------------------------------

    def reapply(self, events: Iterable[LoggedEvent]) -> None:
        """Apply unconfirmed events (in device_seq order) on top of the confirmed rows."""
        for ev in events:
            self._reapply_one(ev)

    def _reapply_one(self, ev: LoggedEvent) -> None:
        target = self.target(ev.aggregate_id)
        table = _TABLES.get(ev.event_type) or self._resolved_table(ev, target)
        current = self.rows.get(table, target) if table else None
        if ev.event_type == "production.recorded":
            if current is None:
                day = self._live_day(str(ev.payload["well_id"]), str(ev.payload["production_date"]))
                if day is not None and day != target:
                    self._alias(ev.aggregate_id, day)
                    target, current = day, self.rows.get("production", day)
            if current is not None:  # the record exists: this event's values change it
                changes = {k: ev.payload.get(k) for k in PRODUCTION_VALUE_FIELDS}
                ev = _retyped(ev, "production.corrected", {"changes": changes})
        confirmed = int(current["version"]) if current is not None else 0
        try:
            apply_event(self.rows, _retargeted(ev, target))
        except LookupError:
            self.skipped.append(ev)  # its record is gone (rejected, or voided on the server)
            return
        if table is None:
            return
        row = self.rows.get(table, target)
        if row is None:
            return
        if confirmed > int(row["version"]):
            row["version"] = confirmed
            self.rows.put(table, row)
        if table == "production":
            key = (str(row["well_id"]), str(row["production_date"]))
            self._days[key] = None if row["voided"] else target

    def _resolved_table(self, ev: LoggedEvent, target: str) -> str | None:
        if ev.event_type != "conflict.resolved":
            return None
        return next((t for t in RESOLVABLE_TABLES if self.rows.get(t, target) is not None), None)


_TABLES: dict[str, str] = {
    "well.registered": "wells",
    "well.updated": "wells",
    "production.recorded": "production",
    "production.corrected": "production",
    "production.voided": "production",
    "equipment.added": "equipment",
    "equipment.updated": "equipment",
    "maintenance.logged": "maintenance",
    "photo.attached": "photos",
    "photo.updated": "photos",
    "photo.removed": "photos",
    "incident.reported": "incidents",
}


def _retargeted(ev: LoggedEvent, target: str) -> LoggedEvent:
    if target == ev.aggregate_id:
        return ev
    return LoggedEvent(ev.device_seq, ev.event_type, target, ev.base_version, ev.payload, ev.issues)


def _retyped(ev: LoggedEvent, event_type: str, payload: dict[str, Any]) -> LoggedEvent:
    return LoggedEvent(
        ev.device_seq, event_type, ev.aggregate_id, ev.base_version, payload, ev.issues
    )

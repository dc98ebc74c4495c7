"""Where a record or an event is on this device (its well's name and its day), and what an
event sets: what the sync lists (pending events, answers, conflicts, rejections) say of each.

`Places` reads the well names and the record aliases once and looks each record up at most
once, so a list of a few hundred events costs a few hundred small reads, not a join per row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from shared.contracts import EventType

# the tables whose rows name their well, by key column: a record's well when its event does not
_WELL_TABLES = (
    ("production", "record_id", "production_date"),
    ("equipment", "equipment_id", "installed_on"),
    ("maintenance", "maintenance_id", "performed_on"),
    ("incidents", "incident_id", "occurred_at"),
)
_DAY_KEYS = ("production_date", "performed_on", "occurred_at", "installed_on")
_NOT_VALUES = {"well_id", "production_date", "entry_method", "location", "equipment_id"}


class Places:
    """Well names by id, and the (well name, day) of a record or event, read from one
    connection; ("", "") when this device does not know it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.names = {
            str(w): str(n) for w, n in conn.exec_driver_sql("SELECT well_id, name FROM wells")
        }
        self.aliases = {
            str(a): str(r)
            for a, r in conn.exec_driver_sql("SELECT alias_id, record_id FROM aliases")
        }
        self._records: dict[str, tuple[str, str]] = {}

    def record_id(self, aggregate_id: str) -> str:
        """The id the record goes by on this device (an id the server renamed: the new one)."""
        return self.aliases.get(aggregate_id, aggregate_id)

    def of_record(self, record_id: str) -> tuple[str, str]:
        """(well name, day) of a record on this device, ("", "") when it is not here."""
        record_id = self.record_id(record_id)
        if record_id in self.names:
            return self.names[record_id], ""
        if record_id not in self._records:
            found = ("", "")
            for table, key, day in _WELL_TABLES:
                row = self.conn.exec_driver_sql(
                    f"SELECT well_id, {day} FROM {table} WHERE {key} = ?", (record_id,)
                ).first()
                if row is not None:
                    found = (self.names.get(str(row[0]), ""), str(row[1] or ""))
                    break
            self._records[record_id] = found
        return self._records[record_id]

    def of_event(
        self, event_type: str, aggregate_id: str, payload: dict[str, Any]
    ) -> tuple[str, str]:
        """(well name, day) an event is about."""
        day = next((str(payload[k]) for k in _DAY_KEYS if payload.get(k)), "")
        if event_type.startswith("well."):
            return self.names.get(aggregate_id) or str(payload.get("name") or ""), ""
        well_id = payload.get("well_id")
        if well_id is not None and str(well_id) in self.names:
            return self.names[str(well_id)], day
        name, record_day = self.of_record(aggregate_id)
        return name, day or record_day


def event_values(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The values an event sets: a change's `changes`, a resolution's `values`, else the
    payload without the keys that only say which record it is."""
    if isinstance(payload.get("changes"), dict):
        return dict(payload["changes"])
    if event_type == EventType.CONFLICT_RESOLVED:
        return dict(payload.get("values") or {})
    return {k: v for k, v in payload.items() if k not in _NOT_VALUES}

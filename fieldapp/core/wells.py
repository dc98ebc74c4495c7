"""Well registration and lookup on the device (local-only mode registers wells itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.errors import DuplicateRecordError, UnknownWellError, ValidationFailedError
from fieldapp.core.projections import COLUMNS
from fieldapp.core.store import Store
from shared.api_number import ApiNumberError, api_number_issues, normalize_api_number
from shared.contracts import EventType, WellRegistered
from shared.events import new_id
from shared.geo import Point, point_of
from shared.validation import Issue, has_errors

WELL_COLUMNS = COLUMNS["wells"]


@dataclass(frozen=True, slots=True)
class Well:
    well_id: str
    api_number: str
    name: str
    lease: str | None
    field: str | None
    latitude: float | None
    longitude: float | None
    status: str
    well_type: str
    version: int
    last_seq: int

    @classmethod
    def from_row(cls, row: Any) -> Well:
        return cls(*row)


def register_well(store: Store, details: WellRegistered) -> tuple[Well, list[Issue]]:
    """Append `well.registered`; API number errors refuse, warnings (even county) are returned."""
    issues = api_number_issues(details.api_number)
    if has_errors(issues):
        raise ValidationFailedError(issues)
    api = normalize_api_number(details.api_number)
    well_id = new_id()
    with store.write() as txn:
        existing = _find_by_api(txn.conn, api)
        if existing is not None:
            raise DuplicateRecordError(f"well {api} is already registered as '{existing.name}'")
        txn.append(EventType.WELL_REGISTERED, well_id, details)
    with store.read() as conn:
        return get_well(conn, well_id), issues


def well_exists(db: Any, well_id: object) -> bool:
    """Whether the well is registered on this device (`db`: a write transaction's `txn.db`)."""
    found = db.execute("SELECT 1 FROM wells WHERE well_id = ?", (str(well_id),)).fetchone()
    return found is not None


def well_point(db: Any, well_id: object) -> Point | None:
    """The well's (lat, lon), None when it has no coordinates (`db`: a write's `txn.db`)."""
    found = db.execute(
        "SELECT latitude, longitude FROM wells WHERE well_id = ?", (str(well_id),)
    ).fetchone()
    return None if found is None else point_of((found[0], found[1]))


def get_well(conn: Connection, well_id: str) -> Well:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(WELL_COLUMNS)} FROM wells WHERE well_id = ?", (well_id,)
    ).first()
    if row is None:
        raise UnknownWellError(f"unknown well id {well_id}")
    return Well.from_row(row)


def well_by_api(conn: Connection, api_text: str) -> Well:
    """The well with this API number (any accepted formatting), or UnknownWellError."""
    try:
        api = normalize_api_number(api_text)
    except ApiNumberError as exc:
        raise UnknownWellError(str(exc)) from None
    well = _find_by_api(conn, api)
    if well is None:
        raise UnknownWellError(f"unknown well {api_text}: register it with 'fieldapp well add'")
    return well


def list_wells(conn: Connection) -> list[Well]:
    rows = conn.exec_driver_sql(
        f"SELECT {', '.join(WELL_COLUMNS)} FROM wells ORDER BY name COLLATE NOCASE, api_number"
    ).all()
    return [Well.from_row(r) for r in rows]


def wells_by_api(conn: Connection) -> dict[str, Well]:
    return {w.api_number: w for w in list_wells(conn)}


def _find_by_api(conn: Connection, api: str) -> Well | None:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(WELL_COLUMNS)} FROM wells WHERE api_number = ?", (api,)
    ).first()
    return None if row is None else Well.from_row(row)

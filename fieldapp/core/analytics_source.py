"""What the Charts screen reads: daily production of a well or a group, with its data version.

A *selection* is one well, a lease, a field, the route (the wells still producing: status
`active`) or every well on the device. Only the current values count: live rows of the
`production` projection (`voided = 0`; a rejected event has already left it).

- One well: its `DailyRow`s as stored, one per recorded day (`well_rows`).
- A group: its day-by-day total (`group_series`) with the columns `sum_series` gives for
  the wells' own series — volumes, hours, reading and producing wells, and each metric's
  rate as the sum of the wells' rates — summed in SQL in one ordered scan of the
  `production_by_day` covering index (schema 6): 500 wells x 365 days is one pass in C, not
  182,500 Python rows. A day every reporting well was shut in is shut in; a day with no
  reading at all is missing.

The *data version* is a fingerprint of the live rows the selection covers: (count, largest
`last_seq`, sum of `last_seq`, sum of `version`). A new day, a correction, a void, a record
pulled from the server (its `version` moves, `last_seq` becomes 0) or a rejection undoing a
local event all change it, so analytics computed from a series can be cached under it.
A group's scan is the one slow read (it visits every live row of its wells); `load_series`
can keep group series under the store-wide `change_token` (the largest local event, the
largest pulled change, the number of rejections: three index lookups), so showing a lease
again while nothing was written costs no scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from fieldapp.core.errors import UnknownWellError
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, get_well, list_wells
from shared.analytics.periods import day_hours
from shared.analytics.series import DailyRow, DailySeries, DayStatus, daily_series
from shared.api_number import ApiNumberError, parse_api_number

Scope = Literal["well", "lease", "field", "route", "all"]
SCOPES: tuple[Scope, ...] = ("well", "lease", "field", "route", "all")
ROUTE_STATUS = "active"  # the wells an operator still gauges
DataVersion = tuple[int, int, int, int]
NO_DATA: DataVersion = (0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Selection:
    """What to chart: a well (key: its id), a lease or a field (key: its name), or a group
    without a key ("route", "all")."""

    scope: Scope
    key: str = ""

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}; use one of {', '.join(SCOPES)}")
        if (self.scope in ("well", "lease", "field")) != bool(self.key):
            needs = "needs a" if self.key == "" else "takes no"
            raise ValueError(f"scope {self.scope!r} {needs} key")


@dataclass(frozen=True, slots=True)
class SourceSeries:
    """A selection's daily series (None: nothing recorded), its data version and words."""

    selection: Selection
    label: str  # "Wolfcamp 1H (42-329-40107)", "Mabee (lease, 4 wells)", "Route (12 wells)"
    well_ids: tuple[str, ...]
    series: DailySeries | None
    version: DataVersion


# --- which wells ------------------------------------------------------------------------------


def wells_of(conn: Connection, selection: Selection) -> list[Well]:
    """The wells a selection covers, in route order (UnknownWellError for an unknown well)."""
    if selection.scope == "well":
        return [get_well(conn, selection.key)]
    wells = list_wells(conn)
    if selection.scope == "lease":
        return [w for w in wells if w.lease == selection.key]
    if selection.scope == "field":
        return [w for w in wells if w.field == selection.key]
    if selection.scope == "route":
        return [w for w in wells if w.status == ROUTE_STATUS]
    return wells


def format_api(api_digits: str) -> str:
    try:
        return parse_api_number(api_digits).formatted
    except ApiNumberError:
        return api_digits


def selection_label(selection: Selection, wells: Sequence[Well]) -> str:
    count = f"{len(wells)} well{'' if len(wells) == 1 else 's'}"
    if selection.scope == "well":
        well = wells[0]
        return f"{well.name} ({format_api(well.api_number)})"
    if selection.scope in ("lease", "field"):
        return f"{selection.key} ({selection.scope}, {count})"
    return f"Route ({count})" if selection.scope == "route" else f"All wells ({count})"


# --- reading ----------------------------------------------------------------------------------

_VOLUMES = ("oil_bbl", "gas_mcf", "water_bbl")
GROUP_SCAN_CACHE_KIB = 65536  # a reader's page cache for group scans (SQLCipher's default: 8 MB)
_WELL_ROWS = (
    "SELECT production_date, oil_bbl, gas_mcf, water_bbl, hours_on, downtime_hours,"
    " downtime_reason FROM production WHERE well_id = ? AND voided = 0"
    " ORDER BY production_date"
)
_WELL_VERSION = (
    "SELECT count(*), coalesce(max(last_seq), 0), total(last_seq), total(version)"
    " FROM production WHERE well_id = ? AND voided = 0"
)
_PRODUCING = (
    "(hours_on > 0 OR (hours_on IS NULL AND (oil_bbl > 0 OR gas_mcf > 0 OR water_bbl > 0)))"
)
# a volume / 0 hours is NULL in SQLite, and total() skips NULL: only timed producing days add;
# a row with unknown hours and zero volumes adds zero to the untimed volumes. FILTER skips the
# other rows' aggregate steps (the same sums: they only added zeros), ~20% of the scan's CPU.
_PER_HOUR = ", ".join(f"total({c} / hours_on)" for c in _VOLUMES)
_UNTIMED = ", ".join(f"total({c}) FILTER (WHERE hours_on IS NULL)" for c in _VOLUMES)
TOTALS = (
    "SELECT production_date, total(oil_bbl), total(gas_mcf), total(water_bbl),"
    " sum(hours_on), sum(downtime_hours), count(*), count(hours_on),"
    f" count(*) FILTER (WHERE {_PRODUCING}), {_PER_HOUR}, {_UNTIMED},"
    " max(last_seq), total(last_seq), total(version)"
    " FROM production INDEXED BY production_by_day WHERE voided = 0{where}"
    " GROUP BY production_date ORDER BY production_date"
)


def well_rows(conn: Connection, well_id: str) -> list[DailyRow]:
    """The well's live records, oldest first."""
    fromiso = date.fromisoformat
    return [
        DailyRow(fromiso(r[0]), r[1], r[2], r[3], r[4], r[5], r[6])
        for r in conn.exec_driver_sql(_WELL_ROWS, (well_id,))
    ]


def well_version(conn: Connection, well_id: str) -> DataVersion:
    count, top, seqs, versions = conn.exec_driver_sql(_WELL_VERSION, (well_id,)).one()
    return int(count), int(top), int(seqs), int(versions)


def group_series(
    conn: Connection, well_ids: Sequence[str] | None, tz: str, wells: int
) -> tuple[DailySeries | None, DataVersion]:
    """The day-by-day total of `well_ids` (None: every well) and its data version.

    The columns are those `shared.analytics.series.sum_series` gives for the wells' own
    series (volumes, hours, reading and producing wells, day hours, and each metric's rate as
    the sum of the wells' rates), computed in one SQL pass; downtime by reason is left out
    (the chart does not show it)."""
    if well_ids is not None and not well_ids:
        return None, NO_DATA
    where = "" if well_ids is None else f" AND well_id IN ({', '.join('?' * len(well_ids))})"
    # decrypting the index's pages is a third of a cold scan: a page cache the index fits in
    # lets the next group read of an unchanged store (another lease, the field) skip it
    conn.exec_driver_sql(f"PRAGMA cache_size = -{GROUP_SCAN_CACHE_KIB}")
    found = conn.exec_driver_sql(TOTALS.format(where=where), tuple(well_ids or ())).all()
    if not found:
        return None, NO_DATA
    fromiso = date.fromisoformat
    ordinals = np.array([fromiso(r[0]).toordinal() for r in found], dtype=np.int64)
    cols = np.array([r[1:] for r in found], dtype=np.float64)  # NULL -> NaN
    first = int(ordinals[0])
    n = int(ordinals[-1]) - first + 1
    at = ordinals - first

    def spread(values: NDArray[np.float64], empty: float = np.nan) -> NDArray[np.float64]:
        out = np.full(n, empty)
        out[at] = values
        return out

    length = day_hours(date.fromordinal(first), n, tz)
    producing = spread(cols[:, 7], 0.0)
    rates = {
        metric: np.where(
            producing > 0,
            spread(cols[:, 8 + k], 0.0) * length + spread(cols[:, 11 + k], 0.0),
            np.nan,
        )
        for k, metric in enumerate(("oil", "gas", "water"))
    }
    reading = spread(cols[:, 5], 0.0)
    status = np.where(producing > 0, DayStatus.PRODUCING, np.where(reading > 0, 1, 0))
    series = DailySeries(
        first=date.fromordinal(first),
        tz=tz,
        days=np.arange(first, first + n, dtype=np.int64),
        status=status.astype(np.int8),
        oil=spread(cols[:, 0]),
        gas=spread(cols[:, 1]),
        water=spread(cols[:, 2]),
        hours_on=spread(cols[:, 3]),
        downtime_hours=spread(cols[:, 4]),
        day_hours=length * reading,
        downtime_reason=(None,) * n,
        wells=wells,
        reading_wells=reading.astype(np.int64),
        producing_wells=producing.astype(np.int64),
        timed_day_hours=length * spread(cols[:, 6], 0.0),
        rates=rates,
    )
    totals = cols[:, 14:].sum(axis=0)
    version = (int(reading.sum()), int(cols[:, 14].max()), int(cols[:, 15].sum()), int(totals[2]))
    return series, version


def data_version(conn: Connection, selection: Selection) -> DataVersion:
    """The selection's data version (cheap for a well: an index range; a group: one scan)."""
    if selection.scope == "well":
        return well_version(conn, selection.key)
    return read_series(conn, selection, "UTC").version


def read_series(conn: Connection, selection: Selection, tz: str) -> SourceSeries:
    """The selection's daily series in the organization's time zone `tz`."""
    wells = wells_of(conn, selection)
    ids = tuple(w.well_id for w in wells)
    if selection.scope == "well":
        rows, version = well_rows(conn, selection.key), well_version(conn, selection.key)
        series = daily_series(rows, tz=tz) if rows else None
    else:
        chosen = None if selection.scope == "all" else ids
        series, version = group_series(conn, chosen, tz, len(wells))
    return SourceSeries(selection, selection_label(selection, wells), ids, series, version)


GROUP_CACHE_ENTRIES = 16
ChangeToken = tuple[int, int, int]


def change_token(conn: Connection) -> ChangeToken:
    """A store-wide token that moves with every write to the production projection: each
    comes with a new local event, a new pulled change or a new rejection (three lookups)."""
    row = conn.exec_driver_sql(
        "SELECT (SELECT coalesce(max(device_seq), 0) FROM event_log),"
        " (SELECT coalesce(max(server_seq), 0) FROM server_changes),"
        " (SELECT count(*) FROM rejections)"
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


GroupCache = dict[tuple[Selection, ChangeToken], SourceSeries]


def load_series(
    store: Store, selection: Selection, cache: GroupCache | None = None
) -> SourceSeries:
    """`read_series` on a read snapshot of `store` (worker thread only). With a `cache`, a
    group read while the store's `change_token` stays the same is answered from it (a well's
    read is cheap and never cached)."""
    with store.read() as conn:
        if cache is None or selection.scope == "well":
            return read_series(conn, selection, store.thresholds.timezone)
        key = (selection, change_token(conn))
        found = cache.get(key)
        if found is None:
            found = read_series(conn, selection, store.thresholds.timezone)
            cache[key] = found
            while len(cache) > GROUP_CACHE_ENTRIES:
                cache.pop(next(iter(cache)))
        return found


# --- finding what to chart --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choices:
    """What the scope picker offers: the leases and fields of the device's wells."""

    leases: tuple[str, ...]
    fields: tuple[str, ...]
    route_wells: int
    all_wells: int


def choices(conn: Connection) -> Choices:
    wells = list_wells(conn)
    return Choices(
        leases=tuple(sorted({w.lease for w in wells if w.lease}, key=str.casefold)),
        fields=tuple(sorted({w.field for w in wells if w.field}, key=str.casefold)),
        route_wells=sum(w.status == ROUTE_STATUS for w in wells),
        all_wells=len(wells),
    )


def well_matches(well: Well, text: str) -> bool:
    """Case-insensitive on the name; on the API number with or without dashes or spaces."""
    query = text.strip().casefold()
    if not query or query in well.name.casefold():
        return True
    digits = "".join(ch for ch in query if ch not in "- ")
    return digits.isdigit() and digits in well.api_number


def search_wells(conn: Connection, text: str, limit: int = 50) -> list[Well]:
    """Wells whose name or API number matches `text`, in route order, at most `limit`."""
    return [w for w in list_wells(conn) if well_matches(w, text)][:limit]


def find_well(conn: Connection, text: str) -> Well:
    """The one well `text` names (UnknownWellError when none or several match)."""
    found = search_wells(conn, text, limit=2)
    if len(found) != 1:
        raise UnknownWellError(
            f"{'no' if not found else 'more than one'} well matches {text.strip()!r}"
        )
    return found[0]

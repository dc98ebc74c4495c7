"""The state of the route table, without Qt: one row per well with that day's production.

`load_route` / `load_snapshot` run on the worker thread (they read the store); `RouteState`
holds the rows on the GUI side and answers filter and sort questions, and `display`, `tooltip`
and `column_title` word the cells (volumes in the operator's units), so the Qt model over it
stays thin and all of this is testable without a QApplication.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fieldapp.core.production import day_records
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from shared.api_number import ApiNumberError, parse_api_number
from shared.units import UnitSystem, display_labels, gas_to_display, liquid_to_display
from shared.validation import org_today

RecordState = Literal["recorded", "not recorded", "flagged"]

STATE_LABELS: dict[RecordState, str] = {
    "recorded": "Recorded",
    "not recorded": "Not recorded",
    "flagged": "Flagged",
}


@dataclass(frozen=True, slots=True)
class Flag:
    rule: str
    field: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One well on the route and what is recorded for it on the shown day."""

    well_id: str
    api_number: str  # dashed, as printed on the well sign
    name: str
    field: str
    lease: str
    record_id: str | None = None
    oil_bbl: float | None = None
    gas_mcf: float | None = None
    water_bbl: float | None = None
    hours_on: float | None = None
    downtime_hours: float | None = None
    downtime_reason: str | None = None
    notes: str = ""
    flags: tuple[Flag, ...] = ()

    @property
    def state(self) -> RecordState:
        if self.record_id is None:
            return "not recorded"
        if any(f.severity in ("warning", "error") for f in self.flags):
            return "flagged"
        return "recorded"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def format_api(api_digits: str) -> str:
    try:
        return parse_api_number(api_digits).formatted
    except ApiNumberError:
        return api_digits


def parse_flags(text: str | None) -> tuple[Flag, ...]:
    if not text:
        return ()
    items: list[dict[str, Any]] = json.loads(text)
    return tuple(
        Flag(str(i["rule"]), str(i["field"]), str(i["severity"]), str(i["message"])) for i in items
    )


def route_row(well: Well, production: dict[str, Any] | None) -> RouteRow:
    base = RouteRow(
        well_id=well.well_id,
        api_number=format_api(well.api_number),
        name=well.name,
        field=well.field or "",
        lease=well.lease or "",
    )
    if production is None:
        return base
    return RouteRow(
        well_id=base.well_id,
        api_number=base.api_number,
        name=base.name,
        field=base.field,
        lease=base.lease,
        record_id=str(production["record_id"]),
        oil_bbl=production["oil_bbl"],
        gas_mcf=production["gas_mcf"],
        water_bbl=production["water_bbl"],
        hours_on=production["hours_on"],
        downtime_hours=production["downtime_hours"],
        downtime_reason=production["downtime_reason"],
        notes=production["notes"] or "",
        flags=parse_flags(production["flags"]),
    )


def load_route(store: Store, day: date) -> list[RouteRow]:
    """Every well with its production on `day` (worker thread only: reads the store)."""
    with store.read() as conn:
        records = day_records(conn, day)
        return [route_row(w, records.get(w.well_id)) for w in list_wells(conn)]


@dataclass(frozen=True, slots=True)
class RouteSnapshot:
    day: date
    today: date  # in the organization's time zone: the latest day that may be recorded
    rows: list[RouteRow]


def load_snapshot(store: Store, day: date | None = None) -> RouteSnapshot:
    """The route for `day` (default: today; never after today), in one worker round trip."""
    today = org_today(store.thresholds.timezone)
    day = today if day is None or day > today else day
    return RouteSnapshot(day, today, load_route(store, day))


# --- filter and sort on the GUI side -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str  # as spoken by screen readers and shown in tooltips
    header: str  # as shown: two lines keep the number columns narrow
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("name", "Well", "Well"),
    Column("state", "Status", "Status"),
    Column("oil_bbl", "Oil (bbl)", "Oil\nbbl", numeric=True),
    Column("gas_mcf", "Gas (Mcf)", "Gas\nMcf", numeric=True),
    Column("water_bbl", "Water (bbl)", "Water\nbbl", numeric=True),
    Column("hours_on", "Hours on", "Hours\non", numeric=True),
    Column("api_number", "API number", "API number"),
    Column("field", "Field", "Field"),
)  # most needed first: on a narrow screen the last columns scroll
_STATE_ORDER: dict[RecordState, int] = {"not recorded": 0, "flagged": 1, "recorded": 2}
STATE_MARKS: dict[RecordState, str] = {"flagged": "⚠ ", "recorded": "✓ ", "not recorded": "○ "}
VOLUME_NAMES = {"oil_bbl": "Oil", "gas_mcf": "Gas", "water_bbl": "Water"}


def column_title(column: Column, units: UnitSystem) -> tuple[str, str]:
    """(title, header) of a column, volumes named in `units`."""
    if column.key not in VOLUME_NAMES:
        return column.title, column.header
    liquid, gas = display_labels(units)
    unit = gas if column.key == "gas_mcf" else liquid
    name = VOLUME_NAMES[column.key]
    return f"{name} ({unit})", f"{name}\n{unit}"


def format_number(value: float | None, decimals: int = 1, *, trim: bool = True) -> str:
    """1,250.5 / 24 (trimmed) or 602.0 (fixed, so a column's decimal points line up)."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if trim and "." in text else text


def display(row: RouteRow, key: str, units: UnitSystem = UnitSystem.FIELD) -> str:
    """The text of one cell (`key`: one of COLUMNS), volumes in `units`."""
    if key == "state":
        return STATE_MARKS[row.state] + row.state_label
    if key == "hours_on":
        return format_number(row.hours_on, 2)
    value = getattr(row, key)
    if value is not None and key in VOLUME_NAMES:
        shown = (
            gas_to_display(value, units) if key == "gas_mcf" else liquid_to_display(value, units)
        )
        return format_number(shown, 1, trim=False)
    if isinstance(value, float | int):
        return format_number(float(value), 1, trim=False)
    return "" if value is None else str(value)


def tooltip(row: RouteRow) -> str:
    lines = [f"{row.name} — API {row.api_number}"]
    if row.lease or row.field:
        lines.append(" · ".join(p for p in (row.lease, row.field) if p))
    if row.record_id is None:
        lines.append("No production recorded for this day.")
    else:
        if row.downtime_hours:
            reason = row.downtime_reason or "no reason"
            lines.append(f"Downtime {format_number(row.downtime_hours, 2)} h ({reason})")
        if row.notes:
            lines.append(f"Notes: {row.notes}")
        lines.extend(f"⚠ {flag.message}" for flag in row.flags if flag.severity != "info")
        lines.extend(f"ℹ {flag.message}" for flag in row.flags if flag.severity == "info")
    return "\n".join(lines)


def sort_value(row: RouteRow, key: str) -> Any:
    if key == "state":
        return _STATE_ORDER[row.state]
    value = getattr(row, key)
    return value.casefold() if isinstance(value, str) else value


def matches(row: RouteRow, text: str) -> bool:
    """Case-insensitive match on the well name, or on the API number with or without dashes."""
    query = text.strip().casefold()
    if not query:
        return True
    if query in row.name.casefold() or query in row.api_number:
        return True
    digits = "".join(ch for ch in query if ch not in "- ")
    return digits.isdigit() and digits in row.api_number.replace("-", "")


class RouteState:
    """All rows of the day, the filter text and the sort order; `visible` is what is shown."""

    def __init__(self, rows: Sequence[RouteRow] = ()) -> None:
        self._rows: list[RouteRow] = list(rows)
        self.filter_text = ""
        self.sort_key = "name"
        self.ascending = True
        self._visible: list[RouteRow] = []
        self._recompute()

    @property
    def rows(self) -> list[RouteRow]:
        return list(self._rows)

    @property
    def visible(self) -> list[RouteRow]:
        return self._visible

    def set_rows(self, rows: Sequence[RouteRow]) -> None:
        self._rows = list(rows)
        self._recompute()

    def set_filter(self, text: str) -> bool:
        """Change the filter; False when it was already that text (nothing to redraw)."""
        if text == self.filter_text:
            return False
        self.filter_text = text
        self._recompute()
        return True

    def sort(self, key: str, ascending: bool = True) -> None:
        if key not in {c.key for c in COLUMNS}:
            raise ValueError(f"unknown column {key!r}")
        self.sort_key, self.ascending = key, ascending
        self._recompute()

    def index_of(self, well_id: str) -> int | None:
        for i, row in enumerate(self._visible):
            if row.well_id == well_id:
                return i
        return None

    def counts(self) -> tuple[int, int]:
        """(wells with a record on the day, all wells on the route)."""
        return sum(r.record_id is not None for r in self._rows), len(self._rows)

    def _recompute(self) -> None:
        shown = [r for r in self._rows if matches(r, self.filter_text)]
        shown.sort(key=lambda r: (r.name.casefold(), r.api_number))  # tie-break for stability
        key: Callable[[RouteRow], Any] = lambda r: sort_value(r, self.sort_key)  # noqa: E731
        present = [r for r in shown if key(r) is not None]
        missing = [r for r in shown if key(r) is None]  # blanks last in either direction
        present.sort(key=key, reverse=not self.ascending)
        self._visible = present + missing

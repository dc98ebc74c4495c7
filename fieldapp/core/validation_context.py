"""What the production rules need to check one well-day away from the store.

`ValidationContext` holds the well's history window, the thresholds and the organization's
today, loaded on the worker; the form then checks what is typed against it on the GUI thread
(pure, no store).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import Connection

from fieldapp.core.store import Store
from shared.contracts import ProductionRecorded
from shared.geo import Point, point_of
from shared.history import DayVolumes, WellHistory
from shared.records import production_input
from shared.validation import (
    Issue,
    ProductionInput,
    Thresholds,
    org_today,
    validate_production,
)


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """Everything `validate_production` needs for one well-day, loaded on the worker."""

    well_id: str
    day: date
    today: date  # in the organization's time zone
    thresholds: Thresholds
    history: WellHistory
    well_location: Point | None = None  # the well's (lat, lon): the geofence's centre

    def validate(self, rec: ProductionInput) -> list[Issue]:
        """The shared rules for `rec` (pure: safe on the GUI thread); the geofence is checked
        against this context's well when `rec` names no well location."""
        if rec.well_location is None and rec.location is not None:
            rec = replace(rec, well_location=self.well_location)
        return validate_production(
            rec, today=self.today, history=self.history, thresholds=self.thresholds
        )

    def check(self, record: ProductionRecorded) -> list[Issue]:
        """The rules for a record to save: with this context's history when it is this
        well-day, else with only its today and thresholds."""
        rec = production_input(record.production_date, record.model_dump(mode="json"))
        if (str(record.well_id), record.production_date) == (self.well_id, self.day):
            return self.validate(rec)
        if str(record.well_id) == self.well_id:  # another well's fence is not known here
            rec = replace(rec, well_location=self.well_location)
        return validate_production(rec, today=self.today, thresholds=self.thresholds)


def _history(conn: Connection, well_id: str, start: date, end: date, t: Thresholds) -> WellHistory:
    """The well's live days in `[start - history_days, end]`."""
    history = WellHistory(window_days=t.history_days, tz=t.timezone)
    for found, oil, gas, water, hours, choke in conn.exec_driver_sql(
        "SELECT production_date, oil_bbl, gas_mcf, water_bbl, hours_on, choke_64ths"
        " FROM production"
        " WHERE well_id = ? AND voided = 0 AND production_date BETWEEN ? AND ?",
        (well_id, (start - timedelta(days=t.history_days)).isoformat(), end.isoformat()),
    ):
        history.add(DayVolumes(date.fromisoformat(found), oil, gas, water, hours, choke))
    return history


def context_for(
    conn: Connection, thresholds: Thresholds, well_id: str, start: date, end: date
) -> ValidationContext:
    """The context of the days `start`..`end` (one day, or a week): their history window."""
    history = _history(conn, well_id, start, end, thresholds)
    found = conn.exec_driver_sql(
        "SELECT latitude, longitude FROM wells WHERE well_id = ?", (well_id,)
    ).first()
    well = None if found is None else point_of((found[0], found[1]))
    today = org_today(thresholds.timezone)
    return ValidationContext(well_id, end, today, thresholds, history, well)


def validation_context(store: Store, well_id: str, day: date) -> ValidationContext:
    """The history window before `day`, the thresholds and the org's today.

    The day's own record is in the history too: the rules only look at days before the one
    they check, so the same context also checks a correction of that day."""
    with store.read() as conn:
        return context_for(conn, store.thresholds, well_id, day, day)

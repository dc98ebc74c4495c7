"""The production record's value fields and their validation input, shared by the device store
and the server so both check and project exactly the same fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from shared.contracts import ProductionValues
from shared.geo import LocationLike, Point, point_of
from shared.validation import DayVolumes, Issue, ProductionInput

# oil_bbl ... notes: the fields a correction may change and a conflict may concern
PRODUCTION_VALUE_FIELDS: tuple[str, ...] = tuple(ProductionValues.model_fields)


def production_input(
    day: date,
    values: Mapping[str, Any],
    *,
    well: Point | None = None,
    location: LocationLike | None = None,
) -> ProductionInput:
    """What the validation rules need from a record's (JSON-form) values.

    The entry's location is `location` when given, else the values' `location` (an event's
    payload) or their `latitude`/`longitude` (a device's production row); `well` is the well's
    (lat, lon): with both, the geofence is checked."""
    if location is None:
        location = values.get("location") or values
    return ProductionInput(
        production_date=day,
        oil_bbl=float(values["oil_bbl"]),
        gas_mcf=float(values["gas_mcf"]),
        water_bbl=float(values["water_bbl"]),
        hours_on=values.get("hours_on"),
        downtime_hours=values.get("downtime_hours"),
        downtime_reason=values.get("downtime_reason"),
        choke_64ths=values.get("choke_64ths"),
        location=point_of(location),
        well_location=point_of(well),
    )


def day_volumes(day: date, values: Mapping[str, Any]) -> DayVolumes:
    """What the history keeps of a record's values (volumes, hours on, choke)."""
    return DayVolumes(
        day,
        float(values["oil_bbl"]),
        float(values["gas_mcf"]),
        float(values["water_bbl"]),
        values.get("hours_on"),
        values.get("choke_64ths"),
    )


def issues_to_json(issues: Iterable[Issue]) -> list[dict[str, str]]:
    """Issues as the JSON flags stored with a record (device and server alike)."""
    return [
        {"rule": i.rule, "field": i.field, "severity": str(i.severity), "message": i.message}
        for i in issues
    ]

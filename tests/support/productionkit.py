"""Helpers for the production tests: the org's today and a day's record to save."""

from __future__ import annotations

from datetime import date
from typing import Any

from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionRecorded
from shared.validation import org_today


def today(store: Store) -> date:
    return org_today(store.thresholds.timezone)


def record(well: Well, day: date, oil: float = 100.0, **extra: Any) -> ProductionRecorded:
    """A full day of `well` (gas 150 Mcf, water 40 bbl, 24 h on unless `extra` says)."""
    values: dict[str, Any] = {"oil_bbl": oil, "gas_mcf": 150.0, "water_bbl": 40.0}
    values.update(hours_on=24.0, **extra)
    return ProductionRecorded.model_validate(
        {"well_id": well.well_id, "production_date": day, **values}
    )

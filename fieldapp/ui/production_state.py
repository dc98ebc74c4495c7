"""The Production page's round trips to the worker, and the words it answers with.

Qt-free. Each load or save is one operation on the worker built from the core's queries
(`fieldapp.core.production_days`): a save reads its day (or week) back in the same round trip,
so the page shows what the store now holds. The texts are what the page says about a day, a
save and a copied record.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date

from fieldapp.core.production import SaveResult, save_production
from fieldapp.core.production_days import (
    DayOutcome,
    DayValues,
    ProductionWeek,
    WellDay,
    previous_record,
    production_week,
    save_days,
    well_day,
)
from fieldapp.core.projections import Row
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from fieldapp.ui.route_state import format_api
from shared.contracts import ProductionRecorded
from shared.validation import org_today

NO_EARLIER_RECORD = "No earlier record of this well to copy."
_SAVED_WORDS = {"recorded": "Saved", "corrected": "Saved (correction)"}


def picker_wells(store: Store) -> tuple[list[Well], date]:
    """Every well (by name) and the org's today: what the page's well picker needs."""
    with store.read() as conn:
        wells = list_wells(conn)
    return wells, org_today(store.thresholds.timezone)


def yesterday_values(store: Store, well_id: str, day: date) -> Row | None:
    """What "Same as yesterday" copies: the well's latest live record before `day`."""
    with store.read() as conn:
        return previous_record(conn, well_id, day)


def save_day(store: Store, record: ProductionRecorded) -> tuple[SaveResult, WellDay]:
    """Save (or correct) the well-day and read it back in the same worker round trip."""
    result = save_production(store, record)
    return result, well_day(store, str(record.well_id), record.production_date)


def save_week(
    store: Store, well_id: str, rows: Sequence[DayValues], end_day: date
) -> tuple[list[DayOutcome], ProductionWeek]:
    """Save the grid's changed days, each on its own, and read the week back."""
    outcomes = save_days(store, well_id, rows)
    return outcomes, production_week(store, well_id, end_day)


def well_choice(well: Well) -> str:
    """A well as the picker lists it: its name and API number."""
    return f"{well.name}  (API {format_api(well.api_number)})"


def future_day_message(day: date, today: date) -> str:
    return (
        f"{day:%a %d %b %Y} is in the future: production can be recorded up to today"
        f" ({today:%a %d %b %Y})."
    )


def saved_words(outcome: str) -> str:
    """The result line after saving the day."""
    return _SAVED_WORDS.get(outcome, "Nothing changed")


def copied_words(record: Row) -> str:
    """The result line after copying the day before's values into the form."""
    return f"Copied from {date.fromisoformat(record['production_date']):%a %d %b}"


@dataclass(frozen=True, slots=True)
class WeekSaved:
    """What saving the week did: days saved, and days still not saved (refused by the rules
    or kept back with errors)."""

    saved: int
    not_saved: int

    @property
    def text(self) -> str:
        text = f"Saved {self.saved} day{'s' if self.saved != 1 else ''}."
        if self.not_saved:
            text += f" {self.not_saved} not saved: fix the marked days."
        return text


def week_saved(outcomes: Sequence[DayOutcome], blocked: Set[date]) -> WeekSaved:
    """The outcomes of saving the week, with the days the grid held back (`blocked`)."""
    saved = sum(o.outcome in ("recorded", "corrected") for o in outcomes)
    refused = {o.day for o in outcomes if o.outcome == "failed"}
    return WeekSaved(saved, len(refused | blocked))

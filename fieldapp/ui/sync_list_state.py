"""The rows of the Sync screen's lists, without Qt: what each cell says, its tone and tooltip,
and for a paged list the pages loaded so far.

`ListState` is one list: headers, rows (`items`), and for every cell its text, a tone (a colour
the model paints; every tone is also said in the text) and a tooltip. A paged list (conflicts,
rejections) holds the pages loaded so far, in order, each row once (`add_page` skips a row it
holds already), and whether more wait (`more`); `total` is the count the screen's titles show.
`PendingList` and `ResultsList` are the two plain lists; the conflicts and the rejections have
their own modules. `fieldapp.ui.sync_models` wraps each in a thin QAbstractTableModel.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from fieldapp.core.outbox import PendingEvent
from fieldapp.core.outcomes import RecordOutcome
from fieldapp.ui.sync_words import (
    STATUS_WORDS,
    Tone,
    day_text,
    event_label,
    local_time,
    reasons_text,
    values_summary,
)
from shared.units import UnitSystem

T = TypeVar("T")


class ListState(Generic[T]):
    """Rows of one list; subclasses say what each cell shows (and, if paged, a row's key)."""

    headers: tuple[str, ...] = ()

    def __init__(self, units: UnitSystem = UnitSystem.FIELD) -> None:
        self.items: list[T] = []
        self.units = units
        self.more = False  # rows after the last one loaded wait to be loaded
        self.total = 0  # every row of the list, loaded or not
        self._keys: set[Hashable] = set()

    def set_items(
        self, items: Sequence[T], *, more: bool = False, total: int | None = None
    ) -> None:
        self.items, self._keys, self.total = [], set(), 0
        self.add_page(items, more=more)
        self.total = max(len(self.items), total or 0)

    def fresh(self, items: Sequence[T]) -> list[T]:
        """The rows of `items` this list does not hold yet."""
        return [i for i in items if self.key(i) not in self._keys]

    def add_page(self, items: Sequence[T], *, more: bool) -> int:
        """Append the rows of the next page not shown yet; returns how many were new."""
        fresh = self.fresh(items)
        self._keys.update(self.key(i) for i in fresh)
        self.items.extend(fresh)
        self.more = more
        self.total = max(self.total, len(self.items))
        return len(fresh)

    def key(self, item: T) -> Hashable:
        """What tells one row from another across pages (the paging cursor of the last row)."""
        return id(item)

    def last_key(self) -> Hashable | None:
        return self.key(self.items[-1]) if self.items else None

    def showing(self) -> str:
        """'Showing 200 of 10,000.' while rows wait to be loaded, else ''."""
        shown = len(self.items)
        return f"Showing {shown:,} of {max(self.total, shown):,}." if self.more else ""

    def row_count(self) -> int:
        return len(self.items)

    def cells(self, item: T) -> tuple[str, ...]:
        raise NotImplementedError

    def text(self, row: int, column: int) -> str:
        return self.cells(self.items[row])[column]

    def tone(self, row: int, column: int) -> Tone:
        return ""

    def tooltip(self, row: int, column: int) -> str:
        return self.text(row, column)


class PendingList(ListState[PendingEvent]):
    headers = ("What", "Well", "Day", "Values", "Recorded at")

    def key(self, item: PendingEvent) -> Hashable:
        return item.device_seq

    def cells(self, item: PendingEvent) -> tuple[str, ...]:
        return (
            event_label(item.event_type),
            item.well_name or "—",
            day_text(item.day),
            values_summary(item.values, self.units),
            local_time(item.created_at),
        )


class ResultsList(ListState[RecordOutcome]):
    headers = ("Result", "Well", "Day", "What", "Details", "Answered")

    def key(self, item: RecordOutcome) -> Hashable:
        return item.device_seq

    def cells(self, item: RecordOutcome) -> tuple[str, ...]:
        words = STATUS_WORDS.get(item.status, (item.status, ""))[0]
        if item.detail:
            words = f"{words} ({item.detail})"
        details = reasons_text(item.reasons, self.units)
        if item.status == "merged":
            details = "Combined with changes made on another device"
        return (
            words,
            item.well_name or "—",
            day_text(item.day),
            event_label(item.event_type),
            details or "—",
            local_time(item.answered_at),
        )

    def tone(self, row: int, column: int) -> Tone:
        item = self.items[row]
        if column != 0 or item.detail in ("resolved", "resubmitted"):
            return ""
        return STATUS_WORDS.get(item.status, ("", ""))[1]

"""The Sync screen's conflicts without Qt: the paged list of open conflicts, and the selected
one side by side (field | mine | theirs) with what the record shows meanwhile.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from fieldapp.core.conflicts import ConflictKey, OpenConflict
from fieldapp.ui.sync_list_state import ListState
from fieldapp.ui.sync_words import Tone, day_text, field_label, local_time, record_text, value_text
from shared.records import PRODUCTION_VALUE_FIELDS
from shared.units import UnitSystem


class ConflictsList(ListState[OpenConflict]):
    headers = ("Well", "Day", "Opened", "Fields")  # the wrapping list of fields last

    def key(self, item: OpenConflict) -> Hashable:
        return item.conflict.key

    def last_conflict_key(self) -> ConflictKey | None:
        """The paging cursor: the key of the last conflict loaded."""
        return self.items[-1].conflict.key if self.items else None

    def row_of(self, conflict_id: str) -> int | None:
        ids = [i.conflict.conflict_id for i in self.items]
        return ids.index(conflict_id) if conflict_id in ids else None

    def cells(self, item: OpenConflict) -> tuple[str, ...]:
        fields = ", ".join(field_label(f, self.units) for f in item.conflict.fields)
        return (
            item.well_name or "—",
            day_text(item.day),
            local_time(item.conflict.opened_at),
            fields or "(details not yet pulled)",
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    field: str
    mine: Any
    theirs: Any
    changed: bool


def comparisons(shown: OpenConflict) -> list[Comparison]:
    """Every value field of the record: both sides, the conflicting ones marked changed."""
    conflict = shown.conflict
    names = [n for n in shown.record if n not in conflict.fields] + list(conflict.fields)
    order = {n: i for i, n in enumerate(PRODUCTION_VALUE_FIELDS)}
    names.sort(key=lambda n: order.get(n, len(order)))
    return [
        Comparison(
            n,
            conflict.mine.get(n, shown.record.get(n)),
            conflict.theirs.get(n, shown.record.get(n)),
            n in conflict.fields,
        )
        for n in names
    ]


def now_showing(shown: OpenConflict) -> str:
    """Which side the record shows meanwhile, in words."""
    conflict = shown.conflict
    current = {f: shown.record.get(f) for f in conflict.fields}
    if current == {f: conflict.mine.get(f) for f in conflict.fields}:
        return "The record shows your values for now."
    if current == {f: conflict.theirs.get(f) for f in conflict.fields}:
        return "The record shows their values for now."
    return "The record shows other values for now."


def conflict_heading(shown: OpenConflict, units: UnitSystem) -> str:
    fields = ", ".join(field_label(f, units) for f in shown.conflict.fields) or "this record"
    record = record_text(shown.well_name, shown.day)
    return f"{record}: both sides changed {fields}. Choose the values to keep."


class ComparisonList(ListState[Comparison]):
    """The selected conflict side by side: field | mine | theirs."""

    headers = ("Field", "Mine\n(this laptop)", "Theirs\n(the server)")  # 2 lines: never clipped

    def cells(self, item: Comparison) -> tuple[str, ...]:
        label = field_label(item.field, self.units)
        return (
            f"{label} — differs" if item.changed else label,
            value_text(item.field, item.mine, self.units),
            value_text(item.field, item.theirs, self.units),
        )

    def tone(self, row: int, column: int) -> Tone:
        return "changed" if self.items[row].changed else ""

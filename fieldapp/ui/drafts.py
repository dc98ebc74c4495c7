"""Unsaved typing of the well-days the operator moved away from, kept until they come back.

Qt-free. A draft remembers the units it was typed in and the stored values it was typed over,
so it comes back right after a change of units: typed numbers converted, the values the
operator did not touch shown (and saved) exactly as stored.
"""

from __future__ import annotations

from datetime import date

from fieldapp.ui.week_state import Original, convert_texts
from shared.units import UnitSystem

Target = tuple[str, date]  # (well id, production day)
Draft = tuple[dict[str, str], str, str]  # input texts, downtime reason code, notes


class DraftShelf:
    def __init__(self) -> None:
        self._drafts: dict[Target, tuple[Draft, UnitSystem, dict[str, Original]]] = {}

    def __len__(self) -> int:
        return len(self._drafts)

    def __contains__(self, target: object) -> bool:
        return target in self._drafts

    def put(
        self, target: Target, draft: Draft, units: UnitSystem, originals: dict[str, Original]
    ) -> None:
        self._drafts[target] = (draft, units, dict(originals))

    def take(self, target: Target, units: UnitSystem) -> Draft | None:
        """The draft of `target` (no longer kept here) with its numbers in `units`."""
        kept = self._drafts.pop(target, None)
        if kept is None:
            return None
        (texts, reason, notes), typed_in, originals = kept
        if typed_in != units:
            texts, _ = convert_texts(texts, originals, typed_in, units)
        return texts, reason, notes

    def forget(self, target: Target) -> None:
        self._drafts.pop(target, None)

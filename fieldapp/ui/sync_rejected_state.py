"""The Sync screen's rejected records without Qt: the paged list, and for the selected one
what it says and what can be done: fix the refused values and send it again, resolve a
conflict again (the server refused a resolution: the conflict is open again here), or nothing
here (a kind of record the screen cannot send again).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

from fieldapp.core.rejections import OpenRejection
from fieldapp.ui.sync_list_state import ListState
from fieldapp.ui.sync_words import Tone, day_text, event_label, reasons_text, record_text
from shared.contracts import EventType
from shared.units import UnitSystem

Action = Literal["fix", "resolve", "none"]
FIX_BUTTON = "Fix and send again"
RESOLVE_BUTTON = "Resolve again"


class RejectedList(ListState[OpenRejection]):
    headers = ("Well", "Day", "What", "Reasons")

    def key(self, item: OpenRejection) -> Hashable:
        return item.rejection.device_seq

    def last_seq(self) -> int:
        """The paging cursor: the seq of the last rejection loaded (0: none)."""
        return self.items[-1].rejection.device_seq if self.items else 0

    def cells(self, item: OpenRejection) -> tuple[str, ...]:
        return (
            item.well_name or "—",
            day_text(item.day),
            event_label(item.rejection.event_type),
            reasons_text(item.rejection.reasons, self.units) or "—",
        )

    def tone(self, row: int, column: int) -> Tone:
        return "error" if column == 3 else ""


def action(shown: OpenRejection) -> Action:
    if shown.can_resubmit:
        return "fix"
    return "resolve" if shown.conflict_id and shown.conflict_open else "none"


def _refused_resolution(shown: OpenRejection, units: UnitSystem) -> str:
    if "stale_resolution" in shown.rejection.rules:
        why = "the record changed on the server after you chose"
    else:
        why = reasons_text(shown.rejection.reasons, units) or "no reason given"
    said = f"the server refused your choice for this conflict ({why})."
    if shown.conflict_open:
        return (
            f"{said} The conflict is open again: press {RESOLVE_BUTTON} to compare the"
            " record's current values and choose again."
        )
    return f"{said} The conflict is not open on this laptop any more: nothing to do here."


def rejection_heading(shown: OpenRejection, units: UnitSystem) -> str:
    """What the panel says of the selected rejection, and what to do about it."""
    record = record_text(shown.well_name, shown.day)
    if shown.can_resubmit:
        return f"{record}: correct the values the server refused, then press {FIX_BUTTON} (Ctrl+S)."
    if shown.rejection.event_type == EventType.CONFLICT_RESOLVED:
        return f"{record}: {_refused_resolution(shown, units)}"
    return (
        f"{record}: this kind of record cannot be sent again here;"
        " record it again on its own screen."
    )

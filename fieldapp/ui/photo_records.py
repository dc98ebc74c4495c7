"""Which record's photos a page's strip shows: the row selected in the page's table.

A page adds its strip with two lines: `strip = strip_for(page)` (its attachments are the
page's saves) and
`follow_table(strip, page.table, maintenance_record)` (or `incident_record`,
`equipment_record`): the strip then follows the table's current row, and empties when the
table is emptied (a lock) or nothing is selected.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import QTableView

from fieldapp.core.equipment import Equipment
from fieldapp.core.incidents import Incident
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.ui.incidents_state import type_label
from fieldapp.ui.maintenance_state import MaintenanceRow
from fieldapp.ui.page import Page
from fieldapp.ui.photo_strip import PhotoStrip

Record = tuple[PhotoTarget, str]  # the target and how the strip's title names it
Describe = Callable[[object], Record | None]


def maintenance_record(row: object) -> Record | None:
    if not isinstance(row, MaintenanceRow):
        return None
    entry = row.entry
    name = f"{entry.maintenance_type} of {entry.performed_on.isoformat()}"
    return PhotoTarget("maintenance", entry.maintenance_id), name


def incident_record(row: object) -> Record | None:
    if not isinstance(row, Incident):
        return None
    name = f"{type_label(row.incident_type)} of {row.occurred_at:%Y-%m-%d}"
    return PhotoTarget("incident", row.incident_id), name


def equipment_record(row: object) -> Record | None:
    if not isinstance(row, Equipment):
        return None
    name = row.equipment_type + (f" {row.serial_number}" if row.serial_number else "")
    return PhotoTarget("equipment", row.equipment_id), name


def record_at(model: QAbstractItemModel, index: QModelIndex, describe: Describe) -> Record | None:
    if not index.isValid():
        return None
    row_at = getattr(model, "row_at", None)
    return describe(row_at(index.row())) if callable(row_at) else None


def follow_table(strip: PhotoStrip, table: QTableView, describe: Describe) -> None:
    """Show in `strip` the photos of `table`'s current row (none selected: no record)."""
    model = table.model()

    def current(index: QModelIndex, *_args: object) -> None:
        found = record_at(model, index, describe)
        if found is None:
            strip.show_record(None)
        else:
            strip.show_record(*found)

    table.selectionModel().currentRowChanged.connect(current)
    model.modelReset.connect(lambda: current(table.currentIndex()))


def strip_for(page: Page, *, compact: bool = False) -> PhotoStrip:
    """A strip for a page's selected record: its attachments are the page's saves."""
    strip = PhotoStrip(page.runner, page, compact=compact)
    strip.changed.connect(page.saved)
    strip.message.connect(page.message)
    return strip

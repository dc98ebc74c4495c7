"""The Maintenance page: log work on a well or one piece of its equipment; see what is overdue.

The well and equipment chosen in the form also choose the list beside it (newest first,
overdue work highlighted in red and marked in words). Everything is read in one snapshot on
the worker; a save runs `log_maintenance` there, and a refused entry keeps every typed value
with the messages next to the fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.maintenance import MaintenanceEntry, log_maintenance
from fieldapp.core.preferences import Preferences
from fieldapp.ui import theme
from fieldapp.ui.equipment_model import make_table, select_row
from fieldapp.ui.form_parts import (
    captioned_inputs,
    fill_combo,
    form_column,
    hold_inputs,
    issues_label,
    show_issues,
    watch,
    well_items,
)
from fieldapp.ui.keyboard import save_shortcut
from fieldapp.ui.location_field import LocationField
from fieldapp.ui.maintenance_model import MaintenanceModel
from fieldapp.ui.maintenance_state import (
    MAINTENANCE_TYPES,
    MaintenanceDraft,
    MaintenanceSnapshot,
    equipment_label,
    load_maintenance_snapshot,
    overdue_summary,
)
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from fieldapp.ui.photo_records import follow_table, maintenance_record, strip_for
from shared.geo import GeofenceVerdict
from shared.validation import geofence_issue

WHOLE_WELL = "Whole well (no specific equipment)"


class MaintenancePage(Page):
    name = "maintenance"
    title = "Maintenance"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.model = MaintenanceModel(parent=self)
        self.snapshot: MaintenanceSnapshot | None = None
        self.well_id: str | None = None
        self.equipment_id: str | None = None
        self.last_saved: str | None = None
        self.dirty = False
        self._filling = False

        self.overdue_label = QLabel("")
        self.overdue_label.setObjectName("title")
        self.overdue_label.setAccessibleName("Overdue maintenance")
        self.list_title = QLabel("Maintenance, newest first")
        self.table = make_table(self.model, "Maintenance entries, newest first")
        left = QVBoxLayout()
        left.setSpacing(theme.SPACING)
        left.addWidget(self.overdue_label)
        left.addWidget(self.list_title)
        left.addWidget(self.table, 1)
        self.photos = strip_for(self)  # the selected entry's photos
        follow_table(self.photos, self.table, maintenance_record)
        left.addWidget(self.photos)

        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(left, 3)
        layout.addWidget(self._build_form(), 2)
        save_shortcut(self, self.save)

    def _build_form(self) -> QWidget:
        self.form = QWidget()
        heading = QLabel("Log maintenance")
        heading.setObjectName("title")
        self.well_combo = QComboBox()
        self.well_combo.currentIndexChanged.connect(self._well_chosen)
        self.equipment_combo = QComboBox()
        self.equipment_combo.currentIndexChanged.connect(self._equipment_chosen)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.type_combo = QComboBox()
        self.type_combo.setEditable(True)
        self.type_combo.addItems(MAINTENANCE_TYPES)
        self.type_combo.setCurrentIndex(-1)
        line = self.type_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("Inspection, Repair…")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(theme.INPUT_MIN_HEIGHT + 30)
        self.technician = QLineEdit()
        self.cost = QLineEdit()
        self.cost.setPlaceholderText("0.00")
        self.next_due = QLineEdit()
        self.next_due.setPlaceholderText("YYYY-MM-DD (optional)")
        self.fields: dict[str, QWidget] = {
            "well_id": self.well_combo,
            "equipment_id": self.equipment_combo,
            "performed_on": self.date_edit,
            "maintenance_type": self.type_combo,
            "description": self.description,
            "technician": self.technician,
            "cost": self.cost,
            "next_due": self.next_due,
        }
        captions = (
            "&Well",
            "&Equipment",
            "&Date",
            "&Type",
            "Descri&ption",
            "Te&chnician",
            "C&ost",
            "&Next due",
        )
        grid = captioned_inputs(self.fields, captions)
        self.location = LocationField()  # typed or GPS; the distance to the well (docs/gps.md)
        self.location.attach(self.runner)
        self.location.changed.connect(self._edited)
        grid.addRow("Location", self.location)
        inputs = [self.date_edit, self.type_combo, self.description, self.technician]
        watch([*inputs, self.cost, self.next_due], self._edited)
        self.messages = issues_label()
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        theme.size_button(self.save_button, "Save maintenance")
        return form_column(self.form, heading, grid, self.messages, [], self.save_button)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(load_maintenance_snapshot, self.apply_snapshot, self._failed)

    def apply_snapshot(self, snapshot: MaintenanceSnapshot) -> None:
        self.snapshot = snapshot
        if self.equipment_id is not None and self.well_id is None:
            owners = {e.equipment_id: e.well_id for e in snapshot.equipment}
            self.well_id = owners.get(self.equipment_id)
        fill_combo(self.well_combo, well_items(snapshot.wells, "All wells"), self.well_id)
        self.well_id = self.well_combo.currentData()
        self._place_well()
        labels = {e.equipment_id: equipment_label(e) for e in snapshot.equipment}
        self.model.set_entries(snapshot.entries, snapshot.overdue_ids, labels)
        if not self.dirty and not self.date_edit.text():
            self._set_text(self.date_edit, snapshot.today.isoformat())
        self._fill_equipment()

    def clear(self) -> None:
        self.snapshot = None
        self.model.set_entries([], frozenset())
        self.overdue_label.setText("")

    def show_context(self, args: dict[str, Any]) -> None:
        """Preselect `well_id` and/or `equipment_id` (its well is found when not given)."""
        well_id, equipment_id = args.get("well_id"), args.get("equipment_id")
        wanted = isinstance(well_id, str) or isinstance(equipment_id, str)
        if wanted and self.dirty:  # an entry being typed keeps the equipment it is about
            head = "Your unsaved entry is kept. Save it (or clear it) to log other work."
            show_issues(self.messages, self.fields, head, tone="warning")
        elif wanted:
            self.well_id = well_id if isinstance(well_id, str) else None
            self.equipment_id = equipment_id if isinstance(equipment_id, str) else None
        if self.snapshot is not None:
            self.apply_snapshot(self.snapshot)

    def unsaved(self) -> int:
        return 1 if self.dirty else 0

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        self.location.set_settings(preferences.location)

    def _failed(self, exc: BaseException) -> None:
        self.message.emit(f"Could not load maintenance: {exc}")

    # --- well and equipment: the form's target and the list's filter ------------------------

    def _fill_equipment(self) -> None:
        snapshot = self.snapshot
        items: list[tuple[str, str | None]] = [(WHOLE_WELL, None)]
        if snapshot is not None and self.well_id is not None:
            mine = [e for e in snapshot.equipment if e.well_id == self.well_id]
            items += [(equipment_label(e), e.equipment_id) for e in mine]
        fill_combo(self.equipment_combo, items, self.equipment_id)
        self.equipment_id = self.equipment_combo.currentData()
        self.equipment_combo.setEnabled(self.well_id is not None)
        self._apply_filter()

    def _well_chosen(self, _index: int) -> None:
        self.well_id = self.well_combo.currentData()
        self._place_well()
        self.equipment_id = None
        self._fill_equipment()

    def _place_well(self) -> None:
        """The chosen well's coordinates: the centre of the entry's geofence."""
        places = self.snapshot.places if self.snapshot else {}
        self.location.set_well(*places.get(self.well_id or "", (None, None)))

    def _equipment_chosen(self, _index: int) -> None:
        self.equipment_id = self.equipment_combo.currentData()
        self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.well_id, self.equipment_id)
        equipment_column = [k for k, _ in self.model.columns].index("equipment")
        self.table.setColumnHidden(equipment_column, self.equipment_id is not None)
        count = self.model.state.overdue_count
        self.overdue_label.setText(("⚠ " if count else "") + overdue_summary(count))
        self.overdue_label.setProperty("status", "error" if count else "recorded")
        theme.repolish(self.overdue_label)
        scope = "all wells" if self.well_id is None else self.well_combo.currentText()
        if self.equipment_id is not None:
            scope = self.equipment_combo.currentText()
        shown = self.model.rowCount()
        self.list_title.setText(f"Maintenance for {scope}, newest first: {shown} entries")
        wanted = self.last_saved
        select_row(self.table, None if wanted is None else self.model.state.index_of(wanted))

    # --- the form -----------------------------------------------------------------------------

    def draft(self) -> MaintenanceDraft:
        return MaintenanceDraft(
            well_id=self.well_id,
            equipment_id=self.equipment_id,
            performed_on=self.date_edit.text(),
            maintenance_type=self.type_combo.currentText(),
            description=self.description.toPlainText(),
            technician=self.technician.text(),
            cost=self.cost.text(),
            next_due=self.next_due.text(),
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        today = self.snapshot.today if self.snapshot else date.today()
        entry = self.draft().to_logged(today)
        where = self.location.location()
        if isinstance(entry, list) or isinstance(where, list):
            issues = [*(entry if isinstance(entry, list) else []), *(where or [])]
            show_issues(self.messages, self.fields, "Not saved. Fix the marked fields:", issues)
            return
        if where is not None:
            entry = entry.model_copy(update={"location": where})
        verdict = self.location.state.verdict() if where is not None else None
        hold_inputs(self.fields.values(), True)
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.runner.run(
            lambda store: log_maintenance(store, entry),
            lambda saved: self._saved(saved, verdict),
            self._refused,
        )

    def _saved(self, entry: MaintenanceEntry, verdict: GeofenceVerdict | None = None) -> None:
        self._ready()
        self.last_saved = entry.maintenance_id
        self._filling = True
        try:  # the next entry: same well, equipment and technician; today's date
            self.type_combo.setCurrentIndex(-1)
            self.type_combo.setEditText("")
            for edit in (self.cost, self.next_due):
                edit.clear()
            self.description.clear()
            self.location.clear()
            if self.snapshot is not None:
                self.date_edit.setText(self.snapshot.today.isoformat())
        finally:
            self._filling = False
        self.dirty = False
        text = f"Saved {entry.maintenance_type} of {entry.performed_on.isoformat()}."
        outside = geofence_issue(verdict)  # shown, never refused: the entry is saved
        text += f" {outside.message}" if outside else ""
        show_issues(self.messages, self.fields, text, tone="warning" if outside else "ok")
        self.message.emit(text)
        self.saved.emit()
        self.refresh()

    def _refused(self, exc: BaseException) -> None:
        self._ready()
        if isinstance(exc, ValidationFailedError):
            show_issues(self.messages, self.fields, "Not saved. Fix the marked fields:", exc.issues)
        else:
            show_issues(self.messages, self.fields, f"Not saved: {exc}")

    def _ready(self) -> None:
        hold_inputs(self.fields.values(), False)
        self.save_button.setEnabled(True)
        self.save_button.setText("&Save")

    def _set_text(self, edit: QLineEdit, text: str) -> None:
        self._filling = True
        try:
            edit.setText(text)
        finally:
            self._filling = False

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self.dirty = True

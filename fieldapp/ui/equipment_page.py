"""The Equipment page: each well's equipment, searchable, with an add/edit form and a timeline.

Everything is loaded on the worker in one snapshot and filtered on the GUI thread (well and
search text). Selecting a row fills the form (unless it holds unsaved typing, which is never
thrown away) and loads that equipment's maintenance timeline, overdue work highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QSignalBlocker
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

from fieldapp.core.equipment import Equipment, add_equipment, update_equipment
from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.equipment_model import EquipmentModel, make_table, select_row
from fieldapp.ui.equipment_state import (
    COLUMNS,
    COMMON_EQUIPMENT_TYPES,
    STATUSES,
    EquipmentDraft,
    EquipmentSnapshot,
    Timeline,
    WellChoice,
    load_equipment_snapshot,
    load_timeline,
    status_text,
)
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
from fieldapp.ui.maintenance_model import MaintenanceModel
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from fieldapp.ui.photo_records import equipment_record, follow_table, strip_for

# --- the page ---------------------------------------------------------------------------------

WELL_COLUMN = [key for key, _title in COLUMNS].index("well")


class EquipmentPage(Page):
    name = "equipment"
    title = "Equipment"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.model = EquipmentModel(parent=self)
        self.timeline_model = MaintenanceModel(parent=self, show_equipment=False)
        self.wells: list[WellChoice] = []
        self.well_filter: str | None = None
        self.selected_id: str | None = None
        self.editing: Equipment | None = None  # None: the form adds new equipment
        self.dirty = False
        self._filling = False
        self._discard_armed = False
        self._timeline_id: str | None = None  # whose timeline is shown (or being loaded)

        self.well_combo = QComboBox()
        self.well_combo.currentIndexChanged.connect(self._well_chosen)
        theme.size_input(self.well_combo, "Show equipment of well")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by type or serial number")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._apply_filter())
        theme.size_input(self.search, "Search equipment by type or serial")
        top = QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.well_combo, 1)
        top.addWidget(self.search, 2)

        self.table = make_table(self.model, "Equipment list")
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.timeline_title = QLabel("Select equipment to see its maintenance history")
        self.timeline_title.setWordWrap(True)
        self.timeline_table = make_table(self.timeline_model, "Maintenance history, newest first")
        self.log_button = QPushButton("&Log maintenance")
        self.log_button.clicked.connect(self._log_maintenance)
        self.log_button.setEnabled(False)
        theme.size_button(self.log_button, "Log maintenance for the selected equipment")
        left = QVBoxLayout()
        left.setSpacing(theme.SPACING)
        left.addLayout(top)
        left.addWidget(self.table, 3)
        self.photos = strip_for(self, compact=True)  # the selected equipment's photos
        follow_table(self.photos, self.table, equipment_record)
        left.addWidget(self.photos)
        left.addWidget(self.timeline_title)
        left.addWidget(self.timeline_table, 2)
        left.addWidget(self.log_button)

        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(left, 3)
        layout.addWidget(self._build_form(), 2)
        save_shortcut(self, self.save)
        self._fill_form(None)

    def _build_form(self) -> QWidget:
        self.form = QWidget()
        self.form_title = QLabel("")
        self.form_title.setObjectName("title")
        self.form_well = QComboBox()
        self.type_combo = QComboBox()
        self.type_combo.setEditable(True)
        self.type_combo.addItems(COMMON_EQUIPMENT_TYPES)
        self.manufacturer, self.model_edit, self.serial, self.installed = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.installed.setPlaceholderText("YYYY-MM-DD")
        self.status_combo = QComboBox()
        for status in STATUSES:
            self.status_combo.addItem(status_text(status), status)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(theme.INPUT_MIN_HEIGHT + 30)
        self.fields: dict[str, QWidget] = {
            "well_id": self.form_well,
            "equipment_type": self.type_combo,
            "manufacturer": self.manufacturer,
            "model": self.model_edit,
            "serial_number": self.serial,
            "installed_on": self.installed,
            "status": self.status_combo,
            "notes": self.notes,
        }
        captions = (
            "&Well",
            "&Type",
            "&Manufacturer",
            "M&odel",
            "Se&rial number",
            "&Installed on",
            "St&atus",
            "&Notes",
        )
        grid = captioned_inputs(self.fields, captions)
        watch(list(self.fields.values()), self._edited)
        self.messages = issues_label()
        self.new_button = QPushButton("&New")
        self.new_button.clicked.connect(self.new_equipment)
        theme.size_button(self.new_button, "New equipment")
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        theme.size_button(self.save_button, "Save equipment")
        return form_column(
            self.form, self.form_title, grid, self.messages, [self.new_button], self.save_button
        )

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self._timeline_id = None  # reload the selected equipment's timeline too
        self.runner.run(load_equipment_snapshot, self.apply_snapshot, self._failed)

    def apply_snapshot(self, snapshot: EquipmentSnapshot) -> None:
        self.wells = snapshot.wells
        fill_combo(self.well_combo, well_items(self.wells, "All wells"), self.well_filter)
        self.well_filter = self.well_combo.currentData()
        form_well = self.form_well.currentData() or self.well_filter
        fill_combo(self.form_well, well_items(self.wells, None), form_well)
        self.model.set_rows(snapshot.equipment, {w.well_id: w.name for w in self.wells})
        self._apply_filter()

    def clear(self) -> None:
        self.model.set_rows([], {})
        self.timeline_model.set_entries([], frozenset())
        self.timeline_title.setText("")
        self._timeline_id = None

    def show_context(self, args: dict[str, Any]) -> None:
        well_id, equipment_id = args.get("well_id"), args.get("equipment_id")
        if isinstance(equipment_id, str):
            self.selected_id = equipment_id
        if isinstance(well_id, str):
            self.well_filter = well_id
            with QSignalBlocker(self.well_combo):
                self.well_combo.setCurrentIndex(max(self.well_combo.findData(well_id), 0))
        self._apply_filter()

    def unsaved(self) -> int:
        return 1 if self.dirty else 0

    def _failed(self, exc: BaseException) -> None:
        self.message.emit(f"Could not load equipment: {exc}")

    # --- filter, selection, timeline ---------------------------------------------------------

    def _well_chosen(self, _index: int) -> None:
        self.well_filter = self.well_combo.currentData()
        if self.editing is None and not self.dirty and self.well_filter is not None:
            with QSignalBlocker(self.form_well):
                self.form_well.setCurrentIndex(self.form_well.findData(self.well_filter))
        self._apply_filter()

    def _apply_filter(self) -> None:
        wanted = self.selected_id
        self.model.set_filter(self.well_filter, self.search.text())
        self.table.setColumnHidden(WELL_COLUMN, self.well_filter is not None)  # said above
        row = None if wanted is None else self.model.state.index_of(wanted)
        select_row(self.table, row)
        if row is None:
            self._show_selected(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.row_at(current.row()) if current.isValid() else None
        if item is not None:
            self.selected_id = item.equipment_id
        self._show_selected(item)

    def _show_selected(self, item: Equipment | None) -> None:
        self.log_button.setEnabled(item is not None)
        if item is None:
            self._timeline_id = None
            self.timeline_model.set_entries([], frozenset())
            self.timeline_title.setText("Select equipment to see its maintenance history")
            return
        if item.equipment_id != self._timeline_id:
            self._timeline_id = equipment_id = item.equipment_id
            self.runner.run(lambda store: load_timeline(store, equipment_id), self._apply_timeline)
        if item == self.editing:
            return
        if not self.dirty:
            self._fill_form(item)
        else:
            head = "Your unsaved changes are kept. Save them, or press New twice to discard."
            show_issues(self.messages, self.fields, head, tone="warning")

    def _apply_timeline(self, found: Timeline) -> None:
        if found.equipment_id != self.selected_id:
            return  # another row was selected meanwhile
        self.timeline_model.set_entries(found.entries, found.overdue_ids)
        item = self.model.state.find(found.equipment_id)
        name = item.equipment_type if item else "this equipment"
        late = len(found.overdue_ids)
        count = len(found.entries)
        done = f"{count} {'entry' if count == 1 else 'entries'}" if count else "nothing logged yet"
        self.timeline_title.setText(
            f"Maintenance history of {name}: {done}" + (f", ⚠ {late} overdue" if late else "")
        )

    def _log_maintenance(self) -> None:
        item = self.model.state.find(self.selected_id or "")
        if item is not None:
            args = {"equipment_id": item.equipment_id, "well_id": item.well_id}
            self.navigate.emit("maintenance", args)

    # --- the form -----------------------------------------------------------------------------

    def _fill_form(self, item: Equipment | None) -> None:
        self.editing = item
        draft = EquipmentDraft.of(item) if item else EquipmentDraft(well_id=self.well_filter)
        self._filling = True
        try:
            if draft.well_id is not None:
                self.form_well.setCurrentIndex(max(self.form_well.findData(draft.well_id), 0))
            self.form_well.setEnabled(item is None)  # equipment does not move between wells
            self.type_combo.setCurrentText(draft.equipment_type)
            self.manufacturer.setText(draft.manufacturer)
            self.model_edit.setText(draft.model)
            self.serial.setText(draft.serial_number)
            self.installed.setText(draft.installed_on)
            if self.status_combo.findData(draft.status) < 0:  # a status from a newer server
                self.status_combo.addItem(status_text(draft.status), draft.status)
            self.status_combo.setCurrentIndex(self.status_combo.findData(draft.status))
            self.notes.setPlainText(draft.notes)
        finally:
            self._filling = False
        self.dirty = self._discard_armed = False
        self.form_title.setText(f"Edit {item.equipment_type}" if item else "New equipment")
        self.save_button.setText("&Save changes" if item else "&Save")
        show_issues(self.messages, self.fields, None)

    def draft(self) -> EquipmentDraft:
        return EquipmentDraft(
            well_id=self.editing.well_id if self.editing else self.form_well.currentData(),
            equipment_type=self.type_combo.currentText(),
            manufacturer=self.manufacturer.text(),
            model=self.model_edit.text(),
            serial_number=self.serial.text(),
            installed_on=self.installed.text(),
            status=str(self.status_combo.currentData()),
            notes=self.notes.toPlainText(),
        )

    def new_equipment(self) -> None:
        if self.dirty and not self._discard_armed:
            self._discard_armed = True
            head = "You have unsaved changes. Press New again to discard them."
            show_issues(self.messages, self.fields, head, tone="warning")
            return
        select_row(self.table, None)
        self.selected_id = None
        self.dirty = False
        self._fill_form(None)
        self.type_combo.setFocus()

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self.dirty, self._discard_armed = True, False

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        draft, editing = self.draft(), self.editing
        if editing is not None:
            changes, equipment_id = draft.to_changes(), editing.equipment_id
            if not isinstance(changes, list):
                self._submit(lambda store: update_equipment(store, equipment_id, changes))
                return
            issues = changes
        else:
            added = draft.to_added()
            if not isinstance(added, list):
                self._submit(lambda store: add_equipment(store, added))
                return
            issues = added
        show_issues(self.messages, self.fields, "Not saved. Fix the marked fields:", issues)

    def _submit(self, op: Callable[[Store], Equipment]) -> None:
        hold_inputs(self.fields.values(), True)
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.runner.run(op, self._saved, self._save_failed)

    def _saved(self, item: Equipment) -> None:
        hold_inputs(self.fields.values(), False)
        self.save_button.setEnabled(True)
        unchanged = item == self.editing
        self._timeline_id = None
        self.selected_id = item.equipment_id
        self.dirty = False
        self._fill_form(item)
        if unchanged:
            head = f"Nothing changed: {item.equipment_type} is already saved like this."
            show_issues(self.messages, self.fields, head, tone="ok")
            return
        text = f"Saved {item.equipment_type}: {status_text(item.status)}."
        show_issues(self.messages, self.fields, text, tone="ok")
        self.message.emit(text)
        self.saved.emit()
        self.refresh()

    def _save_failed(self, exc: BaseException) -> None:
        hold_inputs(self.fields.values(), False)
        self.save_button.setEnabled(True)
        self.save_button.setText("&Save changes" if self.editing else "&Save")
        if isinstance(exc, ValidationFailedError):
            show_issues(self.messages, self.fields, "Not saved. Fix the marked fields:", exc.issues)
        else:
            show_issues(self.messages, self.fields, f"Not saved: {exc}")

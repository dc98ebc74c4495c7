"""The Incidents page: a report form beside the table of incidents already reported.

The form only gathers what was typed (`IncidentDraft`); `build_report` (Qt-free) turns it into
a report or into issues shown under their fields; `report_incident` runs on the worker.
Nothing typed is cleared until the report is saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.incidents import INCIDENT_TYPES, SEVERITIES, Incident, report_incident
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.form_parts import hold_inputs, message_label
from fieldapp.ui.incidents_model import IncidentsModel, incidents_table, paint_severity
from fieldapp.ui.incidents_state import (
    SEVERITY_HINTS,
    IncidentDraft,
    RegulatoryFlag,
    build_report,
    load_incidents,
)
from fieldapp.ui.keyboard import enter_moves_focus, save_shortcut
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from shared.validation import Issue

NO_WELL_TEXT = "No well (lease, facility, road)"
CHOOSE_TYPE = "Choose the type…"


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _combo(items: list[tuple[str, str | None]], name: str) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    theme.size_input(combo, name)
    return combo


def _line(placeholder: str, name: str) -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    theme.size_input(line, name)
    return line


def _text(placeholder: str, name: str, height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    theme.size_input(box, name)
    box.setFixedHeight(height)
    return box


def _error_label(field_name: str) -> QLabel:
    """Where a field's problem is said, right under it (hidden while there is none)."""
    error = message_label(f"Problem with {field_name.lower()}")
    error.setProperty("severity", "error")
    return error


class IncidentsPage(Page):
    name = "incidents"
    title = "Incidents"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.model = IncidentsModel(parent=self)
        self.flag = RegulatoryFlag()
        self.dirty = False
        self.busy = False
        self._filling = False
        self._wanted_well: str | None = None

        self.type_combo = _combo(
            [(CHOOSE_TYPE, ""), *((t, c) for c, t in INCIDENT_TYPES)], "Incident type"
        )
        self.severity = _combo([(t, c) for c, t in SEVERITIES], "Severity")
        self.severity_badge = QLabel("")
        self.severity_badge.setAccessibleName("Severity shown in words")
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        theme.size_input(self.when, "Date and time it happened")
        self.well = _combo([(NO_WELL_TEXT, None)], "Well")
        self.location = _line("Where on the lease, e.g. tank battery north side", "Location")
        self.location.setMaxLength(400)
        self.latitude = _line("e.g. 31.9686", "Latitude (optional)")
        self.longitude = _line("e.g. -102.0779", "Longitude (optional)")
        self.description = _text(
            "What happened, what was done about it (required)",
            "Description (required)",
            theme.INPUT_MIN_HEIGHT * 2,
        )
        self.injuries = QCheckBox("Someone was &injured")
        theme.size_input(self.injuries, "Injuries")
        self.impact = _text(
            "Soil, water, air, wildlife affected (blank if none)",
            "Environmental impact",
            theme.INPUT_MIN_HEIGHT + 24,
        )
        self.regulatory = QCheckBox("&Regulatory notification required")
        theme.size_input(self.regulatory, "Regulatory notification required")
        self.regulatory_note = QLabel("")
        self.regulatory_note.setWordWrap(True)
        self.regulatory_note.setAccessibleName("Why regulatory notification is ticked")

        self.fields: dict[str, QWidget] = {
            "incident_type": self.type_combo,
            "severity": self.severity,
            "occurred_at": self.when,
            "well_id": self.well,
            "location_description": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "description": self.description,
            "environmental_impact": self.impact,
        }
        self.errors = {key: _error_label(w.accessibleName()) for key, w in self.fields.items()}

        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.SPACING)
        grid.setVerticalSpacing(theme.SPACING)
        layout_rows: list[QWidget | tuple[tuple[str, str], ...]] = [
            (("&Type", "incident_type"), ("&Severity", "severity")),
            self.severity_badge,
            (("&Date and time", "occurred_at"), ("&Well", "well_id")),
            (("&Location", "location_description"),),
            (("Latitude (optional)", "latitude"), ("Longitude (optional)", "longitude")),
            (("D&escription", "description"),),
            self.injuries,
            (("Environmental &impact", "environmental_impact"),),
            self.regulatory,
            self.regulatory_note,
        ]
        row = 0
        for item in layout_rows:  # a label, its field and the field's problem, one under another
            if isinstance(item, QWidget):
                grid.addWidget(item, row, 0, 1, 2)
                row += 1
                continue
            for col, (caption, key) in enumerate(item):
                field = self.fields[key]
                for offset, part in enumerate((_label(caption, field), field, self.errors[key])):
                    grid.addWidget(part, row + offset, col, 1, 2 // len(item))
            row += 3

        self.form = QWidget()
        self.form.setAccessibleName("Incident report")
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 8, 0)
        form_layout.addLayout(grid)
        form_layout.addStretch(1)
        self.form_scroll = scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.summary = QLabel("")
        self.summary.setObjectName("issues")
        self.summary.setWordWrap(True)
        self.summary.setMargin(8)
        self.summary.setAccessibleName("Report messages")
        self.summary.hide()
        self.submit_button = QPushButton("&Submit report")
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submit)
        theme.size_button(self.submit_button, "Submit incident report")
        self.new_button = QPushButton("&New report")
        self.new_button.clicked.connect(self.reset_form)
        theme.size_button(self.new_button, "Start a new, empty report")
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        heading = QLabel("Report an incident")
        heading.setObjectName("title")
        left = QVBoxLayout()
        left.setSpacing(theme.SPACING)
        left.addWidget(heading)
        left.addWidget(scroll, 1)
        left.addWidget(self.summary)
        left.addLayout(buttons)

        self.table = incidents_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QLabel("Select an incident to read it in full.")
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Selected incident")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        listed = QLabel("Reported incidents")
        listed.setObjectName("title")
        right = QVBoxLayout()
        right.setSpacing(theme.SPACING)
        right.addWidget(listed)
        right.addWidget(self.table, 1)
        right.addWidget(self.details)

        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

        for combo in (self.type_combo, self.severity):
            combo.currentIndexChanged.connect(self._kind_changed)
        self.injuries.toggled.connect(self._kind_changed)
        self.regulatory.clicked.connect(self._regulatory_clicked)
        self.when.dateTimeChanged.connect(self._edited)
        self.well.currentIndexChanged.connect(self._edited)
        for line in (self.location, self.latitude, self.longitude):
            line.textChanged.connect(self._edited)
        for box in (self.description, self.impact):
            box.textChanged.connect(self._edited)
        enter_moves_focus(self.form)
        save_shortcut(self, self.submit)
        self.reset_form()

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(load_incidents, self.apply_loaded)

    def apply_loaded(self, loaded: tuple[list[Well], list[Incident]]) -> None:
        wells, incidents = loaded
        wanted = self._wanted_well or self.well.currentData()
        self._filling = True
        try:
            self.well.clear()
            self.well.addItem(NO_WELL_TEXT, None)
            for well in wells:
                self.well.addItem(f"{well.name} ({well.api_number})", well.well_id)
            found = self.well.findData(wanted) if wanted else 0
            self.well.setCurrentIndex(max(found, 0))
        finally:
            self._filling = False
        self._wanted_well = None
        self.model.set_wells(wells)
        self.model.set_rows(incidents)
        self._show_details(self.table.currentIndex())

    def clear(self) -> None:
        self.model.set_rows([])
        self.details.setText("Select an incident to read it in full.")

    def show_context(self, args: dict[str, Any]) -> None:
        well_id = args.get("well_id")
        if isinstance(well_id, str) and not self.dirty:  # a report being typed keeps its well
            found = self.well.findData(well_id)
            self._wanted_well = None if found >= 0 else well_id  # None: the wells are loaded
            self._filling = True
            self.well.setCurrentIndex(found if found >= 0 else self.well.currentIndex())
            self._filling = False

    def unsaved(self) -> int:
        return 1 if self.dirty else 0

    # --- the form ---------------------------------------------------------------------------

    def reset_form(self) -> None:
        """An empty report happening now (the well picked stays: reports come in runs)."""
        self._filling = True
        try:
            self.type_combo.setCurrentIndex(0)
            self.severity.setCurrentIndex(0)
            self.when.setDateTime(QDateTime.currentDateTime())
            for line in (self.location, self.latitude, self.longitude):
                line.clear()
            self.description.clear()
            self.impact.clear()
            self.injuries.setChecked(False)
            self.flag.reset()
        finally:
            self._filling = False
        self._kind_changed()
        self.show_issues([])
        self.summary.hide()
        self.dirty = False

    def draft(self) -> IncidentDraft:
        typed = self.when.dateTime().toPython()
        assert isinstance(typed, datetime)
        occurred = typed.astimezone()  # the laptop's local time, with its offset
        return IncidentDraft(
            incident_type=str(self.type_combo.currentData()),
            severity=str(self.severity.currentData()),
            occurred_at=occurred,
            well_id=self.well.currentData(),
            location_description=self.location.text(),
            latitude=self.latitude.text(),
            longitude=self.longitude.text(),
            description=self.description.toPlainText(),
            injuries=self.injuries.isChecked(),
            environmental_impact=self.impact.toPlainText(),
            regulatory_notification_required=self.regulatory.isChecked(),
        )

    def submit(self) -> None:
        if self.busy:
            return
        report, issues = build_report(self.draft())
        if report is None:
            self.show_issues(issues, "Not saved. Fix the marked fields:")
            return
        self._set_busy(True)
        self.runner.run(lambda store: report_incident(store, report), self._saved, self._failed)

    def _saved(self, incident: Incident) -> None:
        self._set_busy(False)
        well = self.model.state.well_name(incident.well_id)
        self.reset_form()
        self._say(f"Reported: {incident.type_label}, {incident.severity_label.lower()} — {well}.")
        self.message.emit(f"Incident reported ({incident.type_label}, {well})")
        self.saved.emit()
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationFailedError):
            self.show_issues(error.issues, "Not saved. Fix the marked fields:")
        else:
            self._say(f"Not saved: {error}. Your report is still here; try again.", "error")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        hold_inputs(self.fields.values(), busy)
        self.submit_button.setEnabled(not busy)
        self.submit_button.setText("Saving…" if busy else "&Submit report")

    def show_issues(self, issues: list[Issue], head: str | None = None) -> None:
        self._mark(issues, set(self.fields))
        others = [i.message for i in issues if i.field not in self.fields]
        if head is not None:
            self._say("\n".join([head, *(f"•  {m}" for m in others)]), "error")
            first = next((k for k in self.fields if any(i.field == k for i in issues)), None)
            if first is not None:  # the first problem in view, the cursor in it
                self.fields[first].setFocus()
                self.form_scroll.ensureWidgetVisible(self.errors[first])

    def _mark(self, issues: list[Issue], keys: set[str]) -> None:
        """Each field of `keys` shows its problems (in words under it, and framed) or none."""
        for key in keys:
            widget, mine = self.fields[key], [i.message for i in issues if i.field == key]
            widget.setProperty("issue", "error" if mine else "")
            widget.setAccessibleDescription(" ".join(mine))
            theme.repolish(widget)
            self.errors[key].setText("\n".join(mine))
            self.errors[key].setVisible(bool(mine))

    def _say(self, text: str, tone: str = "ok") -> None:
        self.summary.setProperty("severity", tone)
        self.summary.setText(text)
        theme.repolish(self.summary)
        self.summary.show()

    def _edited(self, *_args: object) -> None:
        """Fields showing a problem lose it once mended; a future time is said at once."""
        if self._filling:
            return
        self.dirty = True
        shown = {key for key, label in self.errors.items() if label.isVisible()}
        self._mark(build_report(self.draft())[1], shown | {"occurred_at"})

    def _kind_changed(self, *_args: object) -> None:
        severity = str(self.severity.currentData())
        text = f"{self.severity.currentText()}: {SEVERITY_HINTS.get(severity, '')}"
        self.severity_badge.setText(text)
        paint_severity(self.severity_badge, severity)
        kind = str(self.type_combo.currentData())
        self.regulatory.setChecked(self.flag.update(severity, kind, self.injuries.isChecked()))
        self.regulatory_note.setText(self.flag.note)
        self.regulatory_note.setVisible(bool(self.flag.note))
        self._edited()

    def _regulatory_clicked(self, checked: bool) -> None:
        self.flag.set_by_user(checked)  # from now on the operator's choice stands
        self._kind_changed()

    def _show_details(self, index: QModelIndex, *_args: object) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        self.details.setText(
            self.model.state.tooltip(row) if row else "Select an incident to read it in full."
        )

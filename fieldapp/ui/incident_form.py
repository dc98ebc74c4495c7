"""The incident report form: what happened, where and how bad, each problem under its field.

The form only gathers what was typed (`IncidentDraft`); `build_report` (Qt-free) turns it into
a report or into issues shown under their fields. A report that checks out is handed on
(`submit_requested`); the page saves it on the worker and tells the form how that went.
Nothing typed is cleared until the report is saved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, Signal
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
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.form_parts import hold_inputs, message_label
from fieldapp.ui.incidents_model import paint_severity
from fieldapp.ui.incidents_state import (
    SEVERITY_CHOICES,
    SEVERITY_HINTS,
    TYPE_CHOICES,
    IncidentDraft,
    RegulatoryFlag,
    build_report,
)
from fieldapp.ui.keyboard import enter_moves_focus
from fieldapp.ui.location_field import LocationField
from shared.contracts import Location
from shared.validation import Issue

NO_WELL_TEXT = "No well (lease, facility, road)"
CHOOSE_TYPE = "Choose the type…"
NOT_SAVED = "Not saved. Fix the marked fields:"


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


class IncidentForm(QWidget):
    """The report being typed, its messages and its New / Submit buttons."""

    submit_requested = Signal(object)  # an IncidentReported that passed every check

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Report an incident")
        self.flag = RegulatoryFlag()
        self.dirty = False
        self.busy = False
        self._filling = False
        self._wanted_well: str | None = None

        self.type_combo = _combo(
            [(CHOOSE_TYPE, ""), *((t, c) for c, t in TYPE_CHOICES)], "Incident type"
        )
        self.severity = _combo([(t, c) for c, t in SEVERITY_CHOICES], "Severity")
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
        self.place = LocationField(self.latitude, self.longitude)  # Use GPS, the distance
        self.places: dict[str, tuple[float | None, float | None]] = {}
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

        self.report = QWidget()
        self.report.setAccessibleName("Incident report")
        report_layout = QVBoxLayout(self.report)
        report_layout.setContentsMargins(0, 0, 8, 0)
        report_layout.addLayout(self._grid())
        report_layout.addStretch(1)
        self.report_scroll = scroll = QScrollArea()
        scroll.setWidget(self.report)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        for combo in (self.type_combo, self.severity):
            combo.currentIndexChanged.connect(self._kind_changed)
        self.injuries.toggled.connect(self._kind_changed)
        self.regulatory.clicked.connect(self._regulatory_clicked)
        self.when.dateTimeChanged.connect(self._edited)
        self.well.currentIndexChanged.connect(self._edited)
        self.well.currentIndexChanged.connect(self._place_well)
        for line in (self.location, self.latitude, self.longitude):
            line.textChanged.connect(self._edited)
        for box in (self.description, self.impact):
            box.textChanged.connect(self._edited)
        enter_moves_focus(self.report)
        self.reset_form()

    def _grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.SPACING)
        grid.setVerticalSpacing(theme.SPACING)
        layout_rows: list[QWidget | tuple[tuple[str, str], ...]] = [
            (("&Type", "incident_type"), ("&Severity", "severity")),
            self.severity_badge,
            (("&Date and time", "occurred_at"), ("&Well", "well_id")),
            (("&Location", "location_description"),),
            (("Latitude (optional)", "latitude"), ("Longitude (optional)", "longitude")),
            self.place,
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
        return grid

    def unsaved(self) -> int:
        return 1 if self.dirty else 0

    # --- the wells --------------------------------------------------------------------------

    def set_wells(self, wells: Sequence[Well]) -> None:
        """The wells to choose from; the one chosen (or asked for before they came) stays."""
        wanted = self._wanted_well or self.well.currentData()
        self._filling = True
        try:
            self.well.clear()
            self.well.addItem(NO_WELL_TEXT, None)
            for well in wells:
                self.well.addItem(f"{well.name} ({well.api_number})", well.well_id)
            self.places = {w.well_id: (w.latitude, w.longitude) for w in wells}
            found = self.well.findData(wanted) if wanted else 0
            self.well.setCurrentIndex(max(found, 0))
        finally:
            self._filling = False
        self._wanted_well = None

    def choose_well(self, well_id: str) -> None:
        """Pick a well now, or once the wells are loaded if it is not in the list yet."""
        found = self.well.findData(well_id)
        self._wanted_well = None if found >= 0 else well_id  # None: the wells are loaded
        self._filling = True
        self.well.setCurrentIndex(found if found >= 0 else self.well.currentIndex())
        self._filling = False

    # --- the report -------------------------------------------------------------------------

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
        """Hand the report on if it checks out; else say what to fix, under each field."""
        if self.busy:
            return
        report, issues = build_report(self.draft())
        if report is None:
            self.show_issues(issues, NOT_SAVED)
            return
        where = self.place.location()  # the same place, with its source (GPS or typed)
        if not self.place.settings.record_locations or isinstance(where, Location):
            report = report.model_copy(update={"location": where})
        self.submit_requested.emit(report)

    def _place_well(self, *_args: object) -> None:
        """The chosen well's coordinates: the centre of the report's geofence."""
        self.place.set_well(*self.places.get(self.well.currentData() or "", (None, None)))

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        hold_inputs(self.fields.values(), busy)
        self.submit_button.setEnabled(not busy)
        self.submit_button.setText("Saving…" if busy else "&Submit report")

    def show_saved(self, text: str, tone: str = "ok") -> None:
        """The report was saved: a new, empty one, and `text` saying what was reported."""
        self.reset_form()
        self.say(text, tone)

    def show_failure(self, error: BaseException) -> None:
        """Saving failed: the store's own issues under their fields, or the error in words."""
        if isinstance(error, ValidationFailedError):
            self.show_issues(error.issues, NOT_SAVED)
        else:
            self.say(f"Not saved: {error}. Your report is still here; try again.", "error")

    def show_issues(self, issues: list[Issue], head: str | None = None) -> None:
        self._mark(issues, set(self.fields))
        others = [i.message for i in issues if i.field not in self.fields]
        if head is not None:
            self.say("\n".join([head, *(f"•  {m}" for m in others)]), "error")
            first = next((k for k in self.fields if any(i.field == k for i in issues)), None)
            if first is not None:  # the first problem in view, the cursor in it
                self.fields[first].setFocus()
                self.report_scroll.ensureWidgetVisible(self.errors[first])

    def _mark(self, issues: list[Issue], keys: set[str]) -> None:
        """Each field of `keys` shows its problems (in words under it, and framed) or none."""
        for key in keys:
            widget, mine = self.fields[key], [i.message for i in issues if i.field == key]
            widget.setProperty("issue", "error" if mine else "")
            widget.setAccessibleDescription(" ".join(mine))
            theme.repolish(widget)
            self.errors[key].setText("\n".join(mine))
            self.errors[key].setVisible(bool(mine))

    def say(self, text: str, tone: str = "ok") -> None:
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

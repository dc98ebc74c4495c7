"""The Incidents page: the report form beside the table of incidents already reported.

The form (`IncidentForm`) gathers and checks a report; the page saves it on the worker
(`report_incident`), lists what was reported and shows the selected one in full."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fieldapp.core.incidents import Incident, report_incident
from fieldapp.core.preferences import Preferences
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.incident_form import IncidentForm
from fieldapp.ui.incidents_model import IncidentsModel, incidents_table
from fieldapp.ui.incidents_state import headline, load_incidents, type_label
from fieldapp.ui.keyboard import save_shortcut
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from fieldapp.ui.photo_records import follow_table, incident_record, strip_for
from shared.contracts import IncidentReported
from shared.geo import GeofenceVerdict
from shared.validation import geofence_issue

NOTHING_SELECTED = "Select an incident to read it in full."


class IncidentsPage(Page):
    name = "incidents"
    title = "Incidents"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.model = IncidentsModel(parent=self)
        self.form = IncidentForm()
        self.form.submit_requested.connect(self._submit)
        self.form.place.attach(runner)

        self.table = incidents_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QLabel(NOTHING_SELECTED)
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
        self.photos = strip_for(self)  # the selected incident's photos
        follow_table(self.photos, self.table, incident_record)
        right.addWidget(self.photos)

        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.form, 1)
        layout.addLayout(right, 1)
        save_shortcut(self, self.form.submit)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(load_incidents, self.apply_loaded)

    def apply_loaded(self, loaded: tuple[list[Well], list[Incident]]) -> None:
        wells, incidents = loaded
        self.form.set_wells(wells)
        self.model.set_wells(wells)
        self.model.set_rows(incidents)
        self._show_details(self.table.currentIndex())

    def clear(self) -> None:
        self.model.set_rows([])
        self.details.setText(NOTHING_SELECTED)

    def show_context(self, args: dict[str, Any]) -> None:
        well_id = args.get("well_id")
        if isinstance(well_id, str) and not self.form.dirty:  # a report being typed keeps its well
            self.form.choose_well(well_id)

    def unsaved(self) -> int:
        return self.form.unsaved()

    # --- saving -----------------------------------------------------------------------------

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        self.form.place.set_settings(preferences.location)

    def _submit(self, report: IncidentReported) -> None:
        self.form.set_busy(True)
        verdict = self.form.place.state.verdict() if report.location else None
        self.runner.run(
            lambda store: report_incident(store, report),
            lambda incident: self._saved(incident, verdict),
            self._failed,
        )

    def _saved(self, incident: Incident, verdict: GeofenceVerdict | None = None) -> None:
        self.form.set_busy(False)
        well = self.model.state.well_name(incident.well_id)
        outside = geofence_issue(verdict)  # said, never refused: the report is saved
        said = f" {outside.message}" if outside else ""
        tone = "warning" if outside else "ok"
        self.form.show_saved(f"Reported: {headline(incident, well)}.{said}", tone)
        self.message.emit(f"Incident reported ({type_label(incident.incident_type)}, {well})")
        self.saved.emit()
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.form.set_busy(False)
        self.form.show_failure(error)

    def _show_details(self, index: QModelIndex, *_args: object) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        self.details.setText(self.model.state.tooltip(row) if row else NOTHING_SELECTED)

"""The "Record production" form for one well-day: big inputs, issues shown next to the fields.

Typed text becomes a `ProductionRecorded` in store units (volumes typed in the operator's
units). As the operator types, the shared rules run here on the GUI thread (debounced) against
a `ValidationContext` the page loaded on the worker: errors are shown by their fields and block
Save, warnings say what is unusual and why. The same rules run again in `save_production`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.production import SaveResult
from fieldapp.core.validation_context import ValidationContext
from fieldapp.ui import keyboard, theme
from fieldapp.ui import week_state as ws
from fieldapp.ui.drafts import Draft, DraftShelf
from fieldapp.ui.form_parts import mark_fields, message_label
from fieldapp.ui.location_field import LocationField
from fieldapp.ui.production_fields import build_fields
from fieldapp.ui.route_state import RouteRow
from fieldapp.ui.week_state import DOWNTIME_REASONS, NUMBER_FIELDS, parse_number
from shared.contracts import ProductionRecorded
from shared.units import UnitSystem
from shared.validation import Issue, Severity

__all__ = ["DOWNTIME_REASONS", "ProductionForm", "parse_number"]
VALIDATE_DELAY_MS = 150
_KEYS = [spec.key for spec in NUMBER_FIELDS]


class ProductionForm(QWidget):
    """Emits `save_requested(ProductionRecorded)` when Save is pressed and the input parses."""

    save_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Record production")
        self._row: RouteRow | None = None
        self._day: date | None = None
        self._record: dict[str, Any] | None = None
        self._originals: dict[str, ws.Original] = {}
        self._units = UnitSystem.FIELD
        self.context: ValidationContext | None = None
        self.live_issues: list[Issue] = []
        self.dirty = False  # typed since the last fill or save
        self._filling = False
        self._busy = False
        self._drafts = DraftShelf()  # unsaved typing of other well-days
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.validate_now)

        self.title = QLabel("Select a well")
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)

        fields = build_fields(self._edited)
        grid = fields.grid
        self.inputs, self.captions, self.messages = fields.inputs, fields.captions, fields.messages
        self.reason, self.notes = fields.reason, fields.notes
        self.location = LocationField()  # typed or GPS, with the distance to the well
        self.location.changed.connect(self._edited)

        self.issues = message_label("Validation messages")
        self.issues.setMargin(8)
        self.issues.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.request_save)
        theme.size_button(self.save_button, "Save production")
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.clicked.connect(self.revert)
        theme.size_button(self.revert_button, "Revert to the saved values")
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(theme.SPACING)
        self.buttons.addWidget(self.revert_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.save_button)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 4, 0)
        body_layout.addLayout(grid)
        body_layout.addWidget(self.location)
        body_layout.addStretch(1)
        # on a short screen the fields scroll; the messages and Save stay in view
        self.fields_scroll = scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.issues)  # outside the scroll: messages and Save always in view
        layout.addLayout(self.buttons)
        keyboard.enter_moves_focus(self)
        self.set_units(self._units)
        self.set_target(None, None)

    # --- what the form is about ------------------------------------------------------------

    @property
    def target(self) -> tuple[str, date] | None:
        if self._row is None or self._day is None:
            return None
        return self._row.well_id, self._day

    @property
    def record_id(self) -> str | None:
        return str(self._record["record_id"]) if self._record else None

    @property
    def unsaved(self) -> int:
        """How many well-days hold typed values that are not saved (this one included)."""
        return len(self._drafts) + (1 if self.dirty else 0)

    def set_units(self, units: UnitSystem) -> None:
        """Show volumes in `units`: stored values re-shown, typed numbers converted."""
        texts = {key: edit.text() for key, edit in self.inputs.items()}
        texts, self._originals = ws.convert_texts(texts, self._originals, self._units, units)
        self._units = units
        for spec in NUMBER_FIELDS:
            unit = ws.unit_label(spec.key, units)
            self.captions[spec.key].setText(f"{spec.caption} ({unit})")
            self.inputs[spec.key].setAccessibleName(f"{spec.label} ({unit})")
        self._put((texts, *self._draft()[1:]), typed=False)

    def set_context(self, context: ValidationContext | None) -> None:
        self.context = context
        if context is not None:
            self.location.set_well(*(context.well_location or (None, None)))
        if self.dirty and context is not None and (context.well_id, context.day) == self.target:
            self.validate_now()

    def set_target(
        self, row: RouteRow | None, day: date | None, record: Mapping[str, Any] | None = None
    ) -> None:
        """Show `row`'s day `day` (with its stored `record` when given).

        Unsaved typing is never thrown away: moving to another well-day keeps it as a draft
        that comes back on return; the same well-day while typing keeps what was typed."""
        same = row is not None and day is not None and self.target == (row.well_id, day)
        if not same and self.dirty and self.target is not None:
            self._drafts.put(self.target, self._draft(), self._units, self._originals)
        self._row, self._day = row, day
        self._record = dict(record) if record is not None else None
        enabled = row is not None and day is not None
        for widget in (*self.inputs.values(), self.reason, self.notes, self.revert_button):
            widget.setEnabled(enabled)
        self.location.setEnabled(enabled)
        if row is None or day is None:
            self.title.setText("Select a well")
            self.subtitle.setText("Then type the day's volumes and press Save.")
        else:
            self.title.setText(row.name)
            recorded = "recorded; saving makes a correction" if self._record else "not recorded"
            self.subtitle.setText(f"API {row.api_number} · {day:%a %d %b %Y}: {recorded}")
        self._update_save()
        if same and self.dirty:
            self._rebase_untouched()
            return
        self._fill(self._record)
        if same:
            return
        self._show_flags()
        draft = self._drafts.take(self.target, self._units) if self.target else None
        if draft is not None:
            self._put(draft)
            head = "Your unsaved values for this day are back. Press Save to keep them."
            self._show(head, [], tone="warning")

    def revert(self) -> None:
        """Back to the saved values (or blank), dropping what was typed."""
        self._fill(self._record)
        self._show_flags()
        self._update_save()

    def fill_values(self, values: Mapping[str, Any]) -> None:
        """Type `values` (store units; not the notes) into the fields, as the operator would
        ("same as yesterday"): unsaved until Save."""
        texts = {k: t for k, (t, _v) in ws.shown_values(values, _KEYS, self._units).items()}
        self._put((texts, str(values.get("downtime_reason") or ""), self.notes.toPlainText()))

    def _show_flags(self) -> None:
        """A saved record's review flags, next to the fields they are about."""
        issues = ws.flag_issues(self._record.get("flags")) if self._record else []
        self.live_issues = []
        self._show("Saved, flagged for review:" if issues else None, issues, tone="warning")

    def forget_draft(self, target: tuple[str, date]) -> None:
        """That well-day was saved after the operator moved on: nothing to bring back."""
        self._drafts.forget(target)

    def _rebase_untouched(self) -> None:
        """The stored record changed (a sync, another save) while the operator types: the
        fields they did not touch follow it, so a correction never puts old values back."""
        fresh = ws.shown_values(self._record, _KEYS, self._units)
        filling, self._filling = self._filling, True
        for key, edit in self.inputs.items():
            old_text = self._originals.get(key, ("", None))[0]
            if edit.text() == old_text:
                edit.setText(fresh[key][0])
        self._filling = filling
        self._originals = fresh

    def _draft(self) -> Draft:
        texts = {field: edit.text() for field, edit in self.inputs.items()}
        return texts, str(self.reason.currentData() or ""), self.notes.toPlainText()

    def _put(self, draft: Draft, typed: bool = True) -> None:
        """Show texts, a reason code and notes: as typed (unsaved), or as stored."""
        texts, code, notes = draft
        filling, self._filling = self._filling, not typed
        for field, text in texts.items():
            self.inputs[field].setText(text)
        self._select_reason(code)
        if notes != self.notes.toPlainText():
            self.notes.setPlainText(notes)
        self._filling = filling
        self.dirty = typed or self.dirty
        if typed:
            self.validate_now()

    def _fill(self, record: Mapping[str, Any] | None) -> None:
        self._timer.stop()
        self._originals = ws.shown_values(record, _KEYS, self._units)
        stored = record or {}
        code, notes = str(stored.get("downtime_reason") or ""), str(stored.get("notes") or "")
        self._put(({k: t for k, (t, _v) in self._originals.items()}, code, notes), typed=False)
        # a saved day keeps the location it was recorded with (a correction cannot move it)
        self.location.show_location(stored.get("latitude"), stored.get("longitude"))
        self.location.set_editable(record is None)
        self.dirty = False
        self.live_issues = []

    def _select_reason(self, code: str) -> None:
        if self.reason.findData(code) < 0:
            self.reason.addItem(code, code)  # a code from elsewhere (server, import) is kept
        self.reason.setCurrentIndex(self.reason.findData(code))

    # --- checking and saving -----------------------------------------------------------------

    def collect(self) -> ProductionRecorded | list[Issue]:
        """The record to save, or the issues that stop it from being built."""
        if self._row is None or self._day is None:
            return [Issue("no_well", "well_id", Severity.ERROR, "Select a well first.")]
        texts = {key: edit.text() for key, edit in self.inputs.items()}
        values, issues = ws.parse_values(texts, self._units, self._originals)
        if issues:
            return issues
        reason = str(self.reason.currentData() or "")
        where = self.location.location() if self._record is None else None
        if isinstance(where, list):
            return where
        record = ws.build_record(
            self._row.well_id, self._day, values, reason, self.notes.toPlainText()
        )
        if where is None or isinstance(record, list):
            return record
        return record.model_copy(update={"location": where})

    def check(self) -> list[Issue]:
        """What the shared rules say about the typed values (blank required fields aside)."""
        collected = self.collect()
        if isinstance(collected, list):
            return [i for i in collected if i.rule != "required"]
        return self.context.check(collected) if self.context else []

    def validate_now(self) -> None:
        self._timer.stop()
        if self.target is None:
            return
        self.live_issues = issues = self.check()
        self._show(ws.live_head(issues), issues, listed=False)
        self._update_save()

    @property
    def blocked(self) -> bool:
        return any(i.severity == Severity.ERROR for i in self.live_issues)

    def request_save(self) -> None:
        if self._busy or self.target is None:
            return
        self._timer.stop()
        collected = self.collect()
        if isinstance(collected, list):
            self.show_issues(collected)
            return
        self.live_issues = self.check()
        if self.blocked:
            self.show_issues(self.live_issues)
            self._update_save()
            return
        self.save_requested.emit(collected)

    def set_busy(self, busy: bool) -> None:
        """While a save runs on the worker the inputs are read-only (what is typed then would
        be replaced by the saved record) and Save cannot be sent twice."""
        self._busy = busy
        for edit in self.inputs.values():
            edit.setReadOnly(busy)
        self.notes.setReadOnly(busy)
        self.reason.setEnabled(not busy and self.target is not None)
        self.location.set_editable(not busy and self._record is None)
        self._update_save()

    def _update_save(self) -> None:
        self.save_button.setEnabled(not self._busy and self.target is not None and not self.blocked)
        label = "&Save correction" if self._record else "&Save"
        self.save_button.setText("Saving…" if self._busy else label)

    def show_issues(self, issues: list[Issue]) -> None:
        """Validation refused the record: nothing was saved."""
        errors = [i for i in issues if i.severity == Severity.ERROR]
        self._show("Not saved. Fix the marked fields:" if errors else "Not saved:", issues)

    def show_saved(self, result: SaveResult) -> None:
        self.dirty = False
        self.live_issues = []
        name = self._row.name if self._row else "the well"
        self._show(ws.saved_head(result.outcome, result.issues, name), result.issues, tone="ok")
        self._update_save()

    def show_failure(self, message: str) -> None:
        self._show(f"Not saved: {message}", [], tone="error")

    def _show(
        self, head: str | None, issues: list[Issue], tone: str | None = None, listed: bool = True
    ) -> None:
        """Mark the fields with their issues; `head` and (when `listed`, or when not about a
        field) the messages go to the summary above Save."""
        mark_fields(self._field_widgets(), self.messages, issues)
        if head is None:
            self.issues.hide()
            self.issues.setText("")
            return
        fields = self._field_widgets()
        lines = [head, *(f"•  {i.message}" for i in issues if listed or i.field not in fields)]
        if any(i.severity == Severity.ERROR for i in issues):
            tone = "error"
        elif any(i.severity == Severity.WARNING for i in issues):
            tone = "warning"
        self.issues.setProperty("severity", tone or "error")
        self.issues.setText("\n".join(lines))
        theme.repolish(self.issues)
        self.issues.show()

    def _field_widgets(self) -> dict[str, QWidget]:
        return {**self.inputs, "downtime_reason": self.reason, "notes": self.notes}

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self.dirty = True
            self._timer.start(VALIDATE_DELAY_MS)

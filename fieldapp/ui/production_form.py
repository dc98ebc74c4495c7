"""The "Record production" form for one well-day: big inputs, issues shown next to the fields.

The form only turns typed text into a `ProductionRecorded`; the rules themselves (shared
validation) run in `save_production` on the worker, and their issues come back through
`show_issues` / `show_saved`.
"""

from __future__ import annotations

import math
from datetime import date
from uuid import UUID

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
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

from fieldapp.core.production import SaveResult
from fieldapp.ui import theme
from fieldapp.ui.route_model import format_number
from fieldapp.ui.route_state import RouteRow
from shared.contracts import ProductionRecorded
from shared.validation import Issue, Severity

DOWNTIME_REASONS: tuple[tuple[str, str], ...] = (
    ("", "None"),
    ("PUMP_FAIL", "Pump failure"),
    ("ROD_PART", "Rod part"),
    ("POWER", "Power outage"),
    ("WEATHER", "Weather"),
    ("WORKOVER", "Workover"),
    ("OTHER", "Other (see notes)"),
)
Draft = tuple[dict[str, str], str, str]  # input texts, downtime reason code, notes
_NUMBER_FIELDS = (
    ("oil_bbl", "&Oil (bbl)", "Oil", True),
    ("gas_mcf", "&Gas (Mcf)", "Gas", True),
    ("water_bbl", "&Water (bbl)", "Water", True),
    ("hours_on", "&Hours on", "Hours on", False),
    ("downtime_hours", "&Downtime (h)", "Downtime", False),
)


def parse_number(text: str, field: str, label: str, required: bool) -> float | Issue | None:
    """The typed number, None when blank and optional, or an error Issue for that field."""
    raw = text.strip()
    if not raw:
        if required:
            return Issue("required", field, Severity.ERROR, f"Enter {label.lower()}; 0 if none.")
        return None
    if "," in raw:
        msg = f"{label}: type the number without commas, with a point for decimals (1250.5)."
        return Issue("not_a_number", field, Severity.ERROR, msg)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return Issue("not_a_number", field, Severity.ERROR, f"{label}: '{raw}' is not a number.")
    return value


class ProductionForm(QWidget):
    """Emits `save_requested(ProductionRecorded)` when Save is pressed and the input parses."""

    save_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Record production")
        self._row: RouteRow | None = None
        self._day: date | None = None
        self.dirty = False  # typed since the last fill or save
        self._filling = False
        self._drafts: dict[tuple[str, date], Draft] = {}  # unsaved typing of other well-days

        self.title = QLabel("Select a well in the list")
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)

        self.inputs: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for i, (field, caption, name, _required) in enumerate(_NUMBER_FIELDS):
            edit = QLineEdit()
            edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMinimumWidth(110)
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(self.request_save)
            theme.size_input(edit, name)
            self.inputs[field] = edit
            row, col = divmod(i, 2)
            label = QLabel(caption)
            label.setBuddy(edit)
            grid.addWidget(label, row * 2, col)
            grid.addWidget(edit, row * 2 + 1, col)

        self.reason = QComboBox()
        for code, text in DOWNTIME_REASONS:
            self.reason.addItem(text, code)
        self.reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason.setMinimumContentsLength(10)
        self.reason.currentIndexChanged.connect(self._edited)
        theme.size_input(self.reason, "Downtime reason")
        reason_label = QLabel("&Reason")
        reason_label.setBuddy(self.reason)
        grid.addWidget(reason_label, 4, 1)
        grid.addWidget(self.reason, 5, 1)

        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Anything the office should know about this day")
        self.notes.textChanged.connect(self._edited)
        theme.size_input(self.notes, "Notes")
        self.notes.setFixedHeight(theme.INPUT_MIN_HEIGHT + 24)
        notes_label = QLabel("&Notes")
        notes_label.setBuddy(self.notes)
        grid.addWidget(notes_label, 6, 0, 1, 2)
        grid.addWidget(self.notes, 7, 0, 1, 2)

        self.issues = QLabel("")
        self.issues.setObjectName("issues")
        self.issues.setWordWrap(True)
        self.issues.setTextFormat(Qt.TextFormat.PlainText)
        self.issues.setAccessibleName("Validation messages")
        self.issues.setMargin(8)
        self.issues.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.issues.hide()

        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.request_save)
        theme.size_button(self.save_button, "Save production")
        self.revert_button = QPushButton("&Revert")
        self.revert_button.clicked.connect(self.revert)
        theme.size_button(self.revert_button, "Revert to the saved values")
        buttons = QHBoxLayout()
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 4, 0)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        scroll = QScrollArea()  # on a short screen the fields scroll; Save stays in view
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(4)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.issues)  # outside the scroll: messages and Save always in view
        layout.addLayout(buttons)
        self.set_target(None, None)

    # --- what the form is about ------------------------------------------------------------

    @property
    def target(self) -> tuple[str, date] | None:
        if self._row is None or self._day is None:
            return None
        return self._row.well_id, self._day

    @property
    def unsaved(self) -> int:
        """How many well-days hold typed values that are not saved (this one included)."""
        return len(self._drafts) + (1 if self.dirty else 0)

    def set_target(self, row: RouteRow | None, day: date | None) -> None:
        """Show `row`'s values for `day`; a different well or day also clears the messages.

        Unsaved typing is never thrown away by moving to another well: it is kept as a draft
        and comes back when the operator returns to that well and day.
        """
        same = row is not None and day is not None and self.target == (row.well_id, day)
        if not same and self.dirty and self.target is not None:
            self._drafts[self.target] = self._draft()
        self._row, self._day = row, day
        enabled = row is not None and day is not None
        for widget in (*self.inputs.values(), self.reason, self.notes, self.save_button):
            widget.setEnabled(enabled)
        self.revert_button.setEnabled(enabled)
        if row is None or day is None:
            self.title.setText("Select a well in the list")
            self.subtitle.setText("Then type the day's volumes and press Save.")
        else:
            self.title.setText(row.name)
            recorded = "recorded; saving makes a correction" if row.record_id else "not recorded"
            self.subtitle.setText(f"API {row.api_number}\n{day:%a %d %b %Y}: {recorded}")
            self.save_button.setText(self._save_label())
        self._fill(row)
        if same:
            return
        self._show_flags(row)
        draft = self._drafts.pop(self.target, None) if self.target else None
        if draft is not None:
            self._restore(draft)
            head = "Your unsaved values for this day are back. Press Save to keep them."
            self._show(head, [], tone="warning")

    def revert(self) -> None:
        """Back to the saved values (or blank), dropping what was typed."""
        self._fill(self._row)
        self._show_flags(self._row)

    def _show_flags(self, row: RouteRow | None) -> None:
        """A saved record's review flags, next to the fields they are about."""
        flags = [f for f in row.flags if f.severity != Severity.INFO] if row else []
        if not flags:
            self._show(None, [])
            return
        issues = [Issue(f.rule, f.field, Severity(f.severity), f.message) for f in flags]
        self._show("Saved, flagged for review:", issues, tone="warning")

    def forget_draft(self, target: tuple[str, date]) -> None:
        """That well-day was saved after the operator moved on: nothing to bring back."""
        self._drafts.pop(target, None)

    def _draft(self) -> Draft:
        texts = {field: edit.text() for field, edit in self.inputs.items()}
        return texts, str(self.reason.currentData() or ""), self.notes.toPlainText()

    def _restore(self, draft: Draft) -> None:
        texts, code, notes = draft
        for field, text in texts.items():
            self.inputs[field].setText(text)
        self._select_reason(code)
        self.notes.setPlainText(notes)
        self.dirty = True

    def _fill(self, row: RouteRow | None) -> None:
        self._filling = True
        try:
            self._fill_values(row)
        finally:
            self._filling = False
        self.dirty = False

    def _fill_values(self, row: RouteRow | None) -> None:
        values = {
            "oil_bbl": row.oil_bbl if row else None,
            "gas_mcf": row.gas_mcf if row else None,
            "water_bbl": row.water_bbl if row else None,
            "hours_on": row.hours_on if row else None,
            "downtime_hours": row.downtime_hours if row else None,
        }
        for field, edit in self.inputs.items():
            edit.setText(format_number(values[field], 6).replace(",", ""))
        self._select_reason((row.downtime_reason if row else None) or "")
        self.notes.setPlainText(row.notes if row else "")

    def _select_reason(self, code: str) -> None:
        if self.reason.findData(code) < 0:
            self.reason.addItem(code, code)  # a code from elsewhere (server, import) is kept
        self.reason.setCurrentIndex(self.reason.findData(code))

    # --- saving ----------------------------------------------------------------------------

    def collect(self) -> ProductionRecorded | list[Issue]:
        """The record to save, or the issues that stop it from being built."""
        if self._row is None or self._day is None:
            return [Issue("no_well", "well_id", Severity.ERROR, "Select a well first.")]
        issues: list[Issue] = []
        values: dict[str, float | None] = {}
        for field, _caption, label, required in _NUMBER_FIELDS:
            parsed = parse_number(self.inputs[field].text(), field, label, required)
            if isinstance(parsed, Issue):
                issues.append(parsed)
            else:
                values[field] = parsed
        if issues:
            return issues
        try:
            return ProductionRecorded(
                well_id=UUID(self._row.well_id),
                production_date=self._day,
                downtime_reason=self.reason.currentData() or None,
                notes=self.notes.toPlainText().strip(),
                **values,
            )
        except ValidationError as exc:
            return [
                Issue(
                    "invalid", str(err["loc"][0]) if err["loc"] else "", Severity.ERROR, err["msg"]
                )
                for err in exc.errors()
            ]

    def request_save(self) -> None:
        if not self.save_button.isEnabled():
            return
        collected = self.collect()
        if isinstance(collected, list):
            self.show_issues(collected)
            return
        self.save_requested.emit(collected)

    def set_busy(self, busy: bool) -> None:
        """While a save runs on the worker, Save is disabled so it cannot be sent twice."""
        self.save_button.setEnabled(not busy and self.target is not None)
        self.save_button.setText("Saving…" if busy else self._save_label())

    def _save_label(self) -> str:
        return "&Save correction" if self._row and self._row.record_id else "&Save"

    def show_issues(self, issues: list[Issue]) -> None:
        """Validation refused the record: nothing was saved."""
        errors = [i for i in issues if i.severity == Severity.ERROR]
        head = "Not saved. Fix the marked fields:" if errors else "Not saved:"
        self._show(head, issues)

    def show_saved(self, result: SaveResult) -> None:
        self.dirty = False
        name = self._row.name if self._row else "the well"
        if result.outcome == "unchanged":
            head = f"Nothing changed: {name} is already saved with these values."
        else:
            head = "Correction saved" if result.outcome == "corrected" else "Saved"
            head = f"{head} for {name}."
            warnings = [i for i in result.issues if i.severity == Severity.WARNING]
            if warnings:
                count = f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
                head = f"{head} Flagged for review ({count}):"
        self._show(head, result.issues, tone="ok")

    def show_failure(self, message: str) -> None:
        self._show(f"Not saved: {message}", [], tone="error")

    def _show(self, head: str | None, issues: list[Issue], tone: str | None = None) -> None:
        for field, widget in self._field_widgets().items():
            mine = [i for i in issues if i.field == field and i.severity != Severity.INFO]
            worst = "error" if any(i.severity == Severity.ERROR for i in mine) else "warning"
            widget.setProperty("issue", worst if mine else "")
            widget.setAccessibleDescription(" ".join(i.message for i in mine))
            theme.repolish(widget)
        if head is None:
            self.issues.hide()
            self.issues.setText("")
            return
        lines = [head, *(f"•  {i.message}" for i in issues)]
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

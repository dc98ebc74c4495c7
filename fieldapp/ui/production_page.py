"""The Production page: a well and a day, its values and the record's history; or 7 days.

Reads and writes run on the worker (the queries of `fieldapp.core.production_days`, and the
round trips of `production_state`); the form checks what is typed against the validation
context loaded with the day; `history_state` words the record's versions. Typing survives
moving between wells and days (the form keeps drafts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.preferences import Preferences
from fieldapp.core.production import SaveResult
from fieldapp.core.production_days import (
    DayOutcome,
    ProductionWeek,
    WellDay,
    production_week,
    well_day,
)
from fieldapp.core.record_history import RecordVersion
from fieldapp.core.wells import Well
from fieldapp.ui import keyboard, theme
from fieldapp.ui import production_state as ps
from fieldapp.ui import week_state as ws
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.history_state import history_lines
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page, from_qdate, to_qdate
from fieldapp.ui.production_form import ProductionForm
from fieldapp.ui.route_state import route_row
from fieldapp.ui.week_grid import WeekGrid
from shared.contracts import ProductionRecorded


class ProductionPage(Page):
    name = "production"
    title = "Production"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self._wells: list[Well] = []
        self._well_id: str | None = None
        self._day: date | None = None  # None: today, once the worker says what today is
        self._today: date | None = None
        self._versions: list[RecordVersion] = []

        self.prev_button = QPushButton("◀ &Previous")
        theme.size_button(self.prev_button, "Previous well")
        self.prev_button.clicked.connect(lambda: self._step_well(-1))
        self.next_button = QPushButton("Ne&xt ▶")
        theme.size_button(self.next_button, "Next well")
        self.next_button.clicked.connect(lambda: self._step_well(1))
        self.well_combo = QComboBox()
        theme.size_input(self.well_combo, "Well")
        self.well_combo.currentIndexChanged.connect(self._well_picked)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setDate(QDate.currentDate())
        theme.size_input(self.date_edit, "Production date")
        self.date_edit.dateChanged.connect(lambda q: self.set_day(from_qdate(q)))
        self.date_message = message_label("Date message")
        self.date_message.setProperty("severity", "error")
        picker = QHBoxLayout()
        picker.setSpacing(theme.SPACING)
        picker.addWidget(self.prev_button)
        picker.addWidget(self.well_combo, 1)
        picker.addWidget(self.next_button)
        picker.addWidget(QLabel("Date"))
        picker.addWidget(self.date_edit)

        self.form = ProductionForm()
        self.form.location.attach(runner)
        self.form.save_requested.connect(self.save)
        self.form.title.hide()  # the well picker above names the well
        self.same_button = QPushButton("Same as &yesterday")
        theme.size_button(self.same_button, "Same as yesterday")
        self.same_button.clicked.connect(self.same_as_yesterday)
        self.form.buttons.insertWidget(1, self.same_button)
        self.history = QListWidget()
        self.history.setAccessibleName("Record history")
        self.history.setWordWrap(True)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setSpacing(theme.SPACING)
        history_layout.addWidget(QLabel("History of this record"))
        history_layout.addWidget(self.history, 1)
        day_tab = QSplitter()
        day_tab.setHandleWidth(theme.SPACING)
        day_tab.addWidget(self.form)
        day_tab.addWidget(history_box)
        day_tab.setStretchFactor(0, 3)
        day_tab.setStretchFactor(1, 2)

        self.week = WeekGrid()
        self.week.save_requested.connect(self.save_week)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Day or seven days")
        self.tabs.tabBar().setAccessibleName("One day or seven days")
        self.tabs.addTab(day_tab, "&1 day")
        self.tabs.addTab(self.week, "&7 days")
        self.tabs.currentChanged.connect(lambda _i: self._load_week())

        self.result = QLabel("")
        self.result.setAccessibleName("Save result")
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(picker)
        layout.addWidget(self.date_message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.result)
        keyboard.enter_moves_focus(self)
        keyboard.save_shortcut(self, self.save_current)
        self._enable()

    # --- Page -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(ps.picker_wells, self._wells_loaded)

    def clear(self) -> None:
        self._wells = []
        with QSignalBlocker(self.well_combo):
            self.well_combo.clear()
        self.form.set_target(None, None)  # typing is kept as a draft
        self.history.clear()
        self.week.load(None)  # typed days are put aside until they are shown again
        self.result.setText("")
        self._enable()

    def show_context(self, args: dict[str, Any]) -> None:
        if args.get("well_id"):
            self._well_id = str(args["well_id"])
        if isinstance(args.get("day"), date):
            self._day = args["day"]
        self.tabs.setCurrentIndex(0)
        if self._wells:
            self._select_combo()
            self._load()

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        self.form.set_units(preferences.units)
        self.form.location.set_settings(preferences.location)
        self.week.model.set_units(preferences.units)
        self._show_history(self._versions)

    def unsaved(self) -> int:
        return self.form.unsaved + self.week.state.dirty_count()

    # --- picking the well and day -----------------------------------------------------------

    def _wells_loaded(self, loaded: tuple[list[Well], date]) -> None:
        self._wells, self._today = loaded
        with QSignalBlocker(self.date_edit):
            self.date_edit.setMaximumDate(to_qdate(self._today))
        with QSignalBlocker(self.well_combo):
            self.well_combo.clear()
            for well in self._wells:
                self.well_combo.addItem(ps.well_choice(well))
        ids = [w.well_id for w in self._wells]
        if self._well_id not in ids:
            self._well_id = ids[0] if ids else None
        self._select_combo()
        self._load()

    def _select_combo(self) -> None:
        ids = [w.well_id for w in self._wells]
        with QSignalBlocker(self.well_combo):
            self.well_combo.setCurrentIndex(
                ids.index(self._well_id) if self._well_id in ids else -1
            )
        day = self.day
        if day is not None:
            with QSignalBlocker(self.date_edit):
                self.date_edit.setDate(to_qdate(day))
        self._enable()

    @property
    def day(self) -> date | None:
        return self._day or self._today

    def _well_picked(self, index: int) -> None:
        if 0 <= index < len(self._wells):
            self._well_id = self._wells[index].well_id
            self._load()

    def _step_well(self, step: int) -> None:
        count = self.well_combo.count()
        if count:
            self.well_combo.setCurrentIndex((self.well_combo.currentIndex() + step) % count)

    def set_day(self, day: date) -> bool:
        """Show `day`; a future day is refused with a message (the form stays on its day)."""
        today = self._today or from_qdate(self.date_edit.maximumDate())
        if day > today:
            self.date_message.setText(ps.future_day_message(day, today))
            self.date_message.show()
            return False
        self.date_message.hide()
        self._day = day
        if to_qdate(day) != self.date_edit.date():
            with QSignalBlocker(self.date_edit):
                self.date_edit.setDate(to_qdate(day))
        self._load()
        return True

    def _enable(self) -> None:
        has = bool(self._wells)
        for widget in (self.prev_button, self.next_button, self.same_button, self.date_edit):
            widget.setEnabled(has and self._well_id is not None)

    # --- loading ----------------------------------------------------------------------------

    def _load(self) -> None:
        well_id, day = self._well_id, self.day
        if well_id is None or day is None:
            return
        if self.form.target != (well_id, day):  # blank until it loads (typing kept as a draft)
            self.form.set_target(None, None)
        self.runner.run(lambda store: well_day(store, well_id, day), self._entry_loaded)
        self._load_week()

    def _entry_loaded(self, entry: WellDay) -> None:
        if (entry.well.well_id, entry.day) != (self._well_id, self.day):
            return  # the operator has moved on
        self.form.set_context(entry.context)  # first: a draft coming back is checked with it
        self.form.set_target(route_row(entry.well, entry.record), entry.day, entry.record)
        self._show_history(entry.versions)

    def _show_history(self, versions: list[RecordVersion]) -> None:
        self._versions = versions
        self.history.clear()
        self.history.addItems(history_lines(versions, self.preferences.units))

    def _load_week(self) -> None:
        well_id, day = self._well_id, self.day
        if well_id is None or day is None or self.tabs.currentWidget() is not self.week:
            return
        self.runner.run(lambda store: production_week(store, well_id, day), self._week_loaded)

    def _week_loaded(self, data: ProductionWeek) -> None:
        if data.well_id != self._well_id:
            return
        self.week.load(data)

    # --- saving -----------------------------------------------------------------------------

    def save_current(self) -> None:
        if self.tabs.currentWidget() is self.week:
            self.week.request_save()
        else:
            self.form.request_save()

    def save(self, record: ProductionRecorded) -> None:
        target = (str(record.well_id), record.production_date)
        self.form.set_busy(True)
        self.result.setText("Saving…")
        self.runner.run(
            lambda store: ps.save_day(store, record),
            lambda done: self._saved(target, done),
            lambda error: self._save_failed(target, error),
        )

    def _saved(self, target: tuple[str, date], done: tuple[SaveResult, WellDay]) -> None:
        result, entry = done
        self.result.setText(ps.saved_words(result.outcome))
        self.form.set_busy(False)
        if self.form.target == target:
            self.form.show_saved(result)
            self._entry_loaded(entry)
        else:
            self.form.forget_draft(target)
        name = entry.well.name
        self.message.emit(ws.saved_head(result.outcome, result.issues, name).rstrip(":"))
        if result.outcome != "unchanged":
            self.saved.emit()
        self._load_week()

    def _save_failed(self, target: tuple[str, date], error: BaseException) -> None:
        self.form.set_busy(False)
        self.result.setText("Not saved")
        if self.form.target != target:  # its typing waits as a draft for the operator's return
            self.message.emit(f"Not saved: {error}")
        elif isinstance(error, ValidationFailedError):
            self.form.show_issues(error.issues)
        else:
            self.form.show_failure(str(error) or type(error).__name__)

    def same_as_yesterday(self) -> None:
        well_id, day = self._well_id, self.day
        if well_id is None or day is None:
            return
        self.runner.run(
            lambda store: ps.yesterday_values(store, well_id, day),
            lambda found: self._fill_previous(well_id, day, found),
        )

    def _fill_previous(self, well_id: str, day: date, found: dict[str, Any] | None) -> None:
        if self.form.target != (well_id, day):
            return
        if found is None:
            self.result.setText(ps.NO_EARLIER_RECORD)
            return
        self.form.fill_values(found)
        self.result.setText(ps.copied_words(found))

    def save_week(self) -> None:
        state, well_id = self.week.state, self._well_id
        if state.data is None or well_id is None:
            return
        rows, end = state.rows_to_save(), state.data.end_day
        self.week.set_busy(True)
        self.result.setText("Saving…")
        self.runner.run(
            lambda store: ps.save_week(store, well_id, rows, end),
            self._week_saved,
            self._week_failed,
        )

    def _week_saved(self, done: tuple[list[DayOutcome], ProductionWeek]) -> None:
        outcomes, data = done
        self.week.set_busy(False)
        state = self.week.state
        if data.well_id == self._well_id:
            self.week.apply_outcomes(outcomes, data)
        summary = ps.week_saved(outcomes, {state.days[i] for i in state.blocked_rows()})
        self.result.setText(summary.text)
        self.week.show_summary(summary.text, "error" if summary.not_saved else "ok")
        self.message.emit(summary.text)
        if summary.saved:
            self.saved.emit()
            self._load()

    def _week_failed(self, error: BaseException) -> None:
        self.week.set_busy(False)
        self.result.setText("Not saved")
        self.week.show_summary(f"Not saved: {error}", "error")

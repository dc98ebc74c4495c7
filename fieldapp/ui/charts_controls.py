"""The Charts screen's two rows of controls: what to chart, and how (widgets only).

Row 1: the scope (a well, a lease, a field, the route, all wells), the search box (wells by
name or API number: typing filters the well list, Enter picks the first match) and the
well / lease / field picker. Row 2: the range (30 / 90 / 365 days, all, custom dates), the
oil / gas / water toggles, the mode (daily rates, daily volumes, cumulative), log scale, and
the export buttons. Choices leave as `selection_changed(Selection)` and
`options_changed(ChartOptions)`; the lists come from the page (`set_choices`).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.analytics_source import Choices, Scope, Selection, format_api, well_matches
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.charts_options import RANGES, ChartOptions
from fieldapp.ui.page import from_qdate, to_qdate

SCOPE_WORDS: tuple[tuple[Scope, str], ...] = (
    ("well", "One well"),
    ("lease", "Lease"),
    ("field", "Field"),
    ("route", "My route"),
    ("all", "All wells"),
)
MODES = (("rates", "Daily rates"), ("volumes", "Daily volumes"), ("cumulative", "Cumulative"))


class ChartControls(QWidget):
    selection_changed = Signal(object)
    options_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = ChartOptions()
        self.wells: list[Well] = []
        self.choices = Choices((), (), 0, 0)
        self._shown_wells: list[Well] = []

        self.scope = QComboBox()
        for scope_key, words in SCOPE_WORDS:
            self.scope.addItem(words, scope_key)
        theme.size_input(self.scope, "What to chart")
        self.scope.setMinimumContentsLength(8)
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_changed())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search wells by name or API number")
        self.search.setClearButtonEnabled(True)
        theme.size_input(self.search, "Search wells")
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._pick_first)
        self.picker = QComboBox()
        theme.size_input(self.picker, "Well, lease or field")
        self.picker.setMinimumContentsLength(16)
        self.picker.currentIndexChanged.connect(lambda _i: self._picked())
        self.export_button = QPushButton("&Export…")
        theme.size_button(self.export_button, "Export the chart as PNG or the series as CSV")
        menu = QMenu(self.export_button)
        self.png_action = menu.addAction("Chart as PNG image…")
        self.csv_action = menu.addAction("Shown series as CSV…")
        self.export_button.setMenu(menu)
        self.log = QCheckBox("Log scale")
        theme.size_input(self.log, "Logarithmic y axis")
        self.log.toggled.connect(lambda on: self._change(self.options.with_(log_y=on)))
        top = QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.scope)
        top.addWidget(self.search, 2)
        top.addWidget(self.picker, 3)
        top.addWidget(self.export_button)

        self.range = QComboBox()
        for range_key, words in RANGES:
            self.range.addItem(words, range_key)
        self.range.setCurrentIndex(1)
        theme.size_input(self.range, "Range of days")
        self.range.setMinimumContentsLength(7)
        self.range.currentIndexChanged.connect(lambda _i: self._range_changed())
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit, name in ((self.first_day, "First day"), (self.last_day, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            theme.size_input(edit, name)
            edit.dateChanged.connect(lambda _d: self._custom_changed())
            edit.hide()
        self.toggles: dict[str, QCheckBox] = {}
        for metric in ("oil", "gas", "water"):
            box = QCheckBox(metric.capitalize())
            box.setChecked(True)
            theme.size_input(box, f"Show {metric}")
            box.toggled.connect(lambda on, m=metric: self._change(self.options.toggled(m, on)))
            self.toggles[metric] = box
        self.mode = QComboBox()
        for mode_key, words in MODES:
            self.mode.addItem(words, mode_key)
        theme.size_input(self.mode, "Daily rates, daily volumes or cumulative")
        self.mode.setMinimumContentsLength(10)
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        second = QHBoxLayout()
        second.setSpacing(theme.SPACING)
        for widget in (self.range, self.first_day, self.last_day):
            second.addWidget(widget)
        for box in self.toggles.values():
            second.addWidget(box)
        second.addWidget(self.mode)
        second.addWidget(self.log)
        second.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(top)
        layout.addLayout(second)

    # --- lists -------------------------------------------------------------------------------

    def set_choices(self, wells: list[Well], choices: Choices) -> None:
        self.wells, self.choices = wells, choices
        self._fill_picker()

    @property
    def scope_key(self) -> Scope:
        return self.scope.currentData()  # type: ignore[no-any-return]

    def _fill_picker(self, keep: str | None = None) -> None:
        scope = self.scope_key
        current = keep if keep is not None else self.picker.currentData()
        with QSignalBlocker(self.picker):
            self.picker.clear()
            if scope == "well":
                self._shown_wells = [w for w in self.wells if well_matches(w, self.search.text())]
                for well in self._shown_wells:
                    self.picker.addItem(
                        f"{well.name} — {format_api(well.api_number)}", well.well_id
                    )
            elif scope in ("lease", "field"):
                names = self.choices.leases if scope == "lease" else self.choices.fields
                for name in names:
                    self.picker.addItem(name, name)
            index = self.picker.findData(current)
            self.picker.setCurrentIndex(index if index >= 0 else (0 if self.picker.count() else -1))
        self.picker.setEnabled(scope in ("well", "lease", "field"))
        self.search.setEnabled(scope == "well")

    def selection(self) -> Selection | None:
        scope = self.scope_key
        if scope in ("route", "all"):
            return Selection(scope)
        key = self.picker.currentData()
        return Selection(scope, str(key)) if key else None

    def select(self, selection: Selection) -> None:
        """Show `selection` in the controls (emits nothing)."""
        with QSignalBlocker(self.scope):
            self.scope.setCurrentIndex(max(0, self.scope.findData(selection.scope)))
        if selection.scope == "well":
            with QSignalBlocker(self.search):
                self.search.clear()
        self._fill_picker(keep=selection.key or None)

    # --- changes -----------------------------------------------------------------------------

    def _emit_selection(self) -> None:
        chosen = self.selection()
        if chosen is not None:
            self.selection_changed.emit(chosen)

    def _scope_changed(self) -> None:
        self._fill_picker()
        self._emit_selection()

    def _picked(self) -> None:
        self._emit_selection()

    def _filter(self, _text: str) -> None:
        before = self.picker.currentData()
        self._fill_picker()
        if self.picker.currentData() != before:
            self._emit_selection()

    def _pick_first(self) -> None:
        if self.picker.count():
            self.picker.setCurrentIndex(0)
            self._emit_selection()

    def _change(self, options: ChartOptions) -> None:
        self.options = options
        self.options_changed.emit(options)

    def _range_changed(self) -> None:
        key = self.range.currentData()
        custom = key == "custom"
        for edit in (self.first_day, self.last_day):
            edit.setVisible(custom)
        if custom:
            last = self.options.custom[1] if self.options.custom else date.today()
            first = self.options.custom[0] if self.options.custom else last - timedelta(days=179)
            with QSignalBlocker(self.first_day), QSignalBlocker(self.last_day):
                self.first_day.setDate(to_qdate(first))
                self.last_day.setDate(to_qdate(last))
            self._change(self.options.with_(range_key="custom", custom=(first, last)))
        else:
            self._change(self.options.with_(range_key=key, custom=None))

    def set_custom(self, first: date, last: date) -> None:
        """Choose the custom range `first`..`last` (as picking it and typing the days)."""
        self.range.setCurrentIndex(self.range.findData("custom"))
        self.first_day.setDate(QDate(first.year, first.month, first.day))
        self.last_day.setDate(QDate(last.year, last.month, last.day))

    def _custom_changed(self) -> None:
        if self.range.currentData() != "custom":
            return
        first, last = from_qdate(self.first_day.date()), from_qdate(self.last_day.date())
        if first <= last:
            self._change(self.options.with_(range_key="custom", custom=(first, last)))

    def _mode_changed(self) -> None:
        key = self.mode.currentData()
        self._change(self.options.with_(cumulative=key == "cumulative", rates=key == "rates"))

    def set_units(self, options: ChartOptions) -> None:
        self.options = options

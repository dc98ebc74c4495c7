"""The Charts page: a well's or a group's production over time, its trends and forecast.

The page is the shell: controls (`charts_controls`), trend cards (`charts_cards`), the plot
(`charts_plot`) and a line of notes. Everything it shows is computed on the OpRunner's worker
by `ChartsState` in two steps — the series first (painted at once), then the forecast,
decline and anomalies (painted when fitted, cached per selection and data version) — so the
screen stays responsive while a forecast fits. A click on a recorded day opens that day's
record on the Production screen (a group's day: the Route screen on that day). Export writes
the chart as PNG (pyqtgraph's ImageExporter) and the shown series as CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyqtgraph.exporters
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from fieldapp.core.analytics_source import Choices, Selection, choices
from fieldapp.core.errors import LockedError
from fieldapp.core.preferences import Preferences
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from fieldapp.ui import theme
from fieldapp.ui.charts_cards import TrendCards
from fieldapp.ui.charts_controls import ChartControls
from fieldapp.ui.charts_options import ChartOptions
from fieldapp.ui.charts_plot import ChartsPlot
from fieldapp.ui.charts_state import ChartsState, Loaded, Request, csv_rows, open_args
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page

PLOT_MIN_HEIGHT = 260  # px: axes, legend and a readable chart, whatever the cards take


def load_choices(store: Store) -> tuple[list[Well], Choices]:
    """The wells and the leases / fields to offer (worker thread)."""
    with store.read() as conn:
        return list_wells(conn), choices(conn)


class ChartsPage(Page):
    name = "charts"
    title = "Charts"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.state = ChartsState()
        self.theme_name = theme.current_theme()
        self.controls = ChartControls()
        self.controls.selection_changed.connect(self.choose)
        self.controls.options_changed.connect(self.set_options)
        self.controls.png_action.triggered.connect(lambda: self._export_dialog("png"))
        self.controls.csv_action.triggered.connect(lambda: self._export_dialog("csv"))
        self.heading = QLabel("")
        self.heading.setWordWrap(True)  # never wider than the window
        self.heading.setAccessibleName("Chart title")
        self.cards = TrendCards()
        self.plot = ChartsPlot(self.theme_name)
        self.plot.day_clicked.connect(self.open_day)
        self.plot.hovered.connect(self._hovered)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Chart notes")
        self.plot.setMinimumHeight(PLOT_MIN_HEIGHT)
        # its height is what is left (at least the minimum), not its 480 px wish: else the
        # word-wrapped labels' height-for-width asks the scroll area for a scroll bar it needs not
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(theme.SPACING)
        body_layout.addWidget(self.heading)
        body_layout.addWidget(self.cards)
        body_layout.addWidget(self.plot, 1)
        body_layout.addWidget(self.notes)
        # the chart never shrinks below a readable height: on a short screen with three cards
        # in big type the page scrolls instead, and the controls above stay in view
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidget(body)
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.controls)
        layout.addWidget(self.body_scroll, 1)
        self._context: Selection | None = None
        self.busy = False  # a load or a fit is on its way

    # --- Page --------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.run(load_choices, self._choices_loaded, self._failed)

    def clear(self) -> None:
        self.state.clear()
        self.plot.clear_chart()
        self.cards.show_cards([], self.theme_name)
        self.heading.setText("")
        self.notes.setText("")

    def show_context(self, args: dict[str, Any]) -> None:
        well_id = args.get("well_id")
        if isinstance(well_id, str):
            selection = Selection("well", well_id)
            if self.controls.wells:
                self.controls.select(selection)
                self.choose(selection)
            else:
                self._context = selection  # chosen once the wells are loaded

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        if preferences.theme != self.theme_name:
            self.theme_name = preferences.theme
            self.plot.set_theme(preferences.theme)
            if self.state.view is not None:
                self._paint_cards()
        if preferences.units != self.state.options.units:
            self.set_options(self.state.options.with_(units=preferences.units))

    # --- choosing ----------------------------------------------------------------------------

    def _choices_loaded(self, loaded: tuple[list[Well], Choices]) -> None:
        wells, offered = loaded
        self.controls.set_choices(wells, offered)
        wanted = self._context or self.state.selection
        self._context = None
        if wanted is None and wells:
            wanted = Selection("well", wells[0].well_id)
        if wanted is not None:
            self.controls.select(wanted)
            self.choose(wanted)

    def choose(self, selection: Selection) -> None:
        request = self.state.choose(selection)
        if request is not None:
            self._load(request)

    def set_options(self, options: ChartOptions) -> None:
        options = options.with_(units=self.preferences.units)
        self.controls.set_units(options)
        request = self.state.set_options(options)
        if request is None:
            return
        loaded = self.state.loaded
        if loaded is not None and loaded.source.selection == request.selection:
            state = self.state
            self._submit(lambda _store: state.rebuild(loaded.source, loaded.today, request))
        else:
            self._load(request)

    # --- the worker's answers ------------------------------------------------------------------

    def _load(self, request: Request) -> None:
        state = self.state
        self._submit(lambda store: state.load(store, request))

    def _submit(self, op: Any) -> None:
        self.busy = True
        self.runner.run(op, self._loaded, self._failed)

    def _loaded(self, loaded: Loaded) -> None:
        if not self.state.accept(loaded):
            return  # an answer to older choices
        self._paint(loaded)
        if not loaded.complete:
            state = self.state
            self.runner.run(lambda _store: state.analyse(loaded), self._analysed, self._failed)
        else:
            self.busy = False

    def _analysed(self, loaded: Loaded) -> None:
        if self.state.accept(loaded):
            self._paint(loaded)
            self.busy = False

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if not isinstance(error, LockedError):
            self.notes.setText(f"The chart could not be drawn: {error}")
            self.message.emit(f"Charts: {error}")

    def _paint(self, loaded: Loaded) -> None:
        view = loaded.view
        options = view.options
        span = f"{view.start:%d %b %Y} – {view.end:%d %b %Y}"
        self.heading.setText(f"{view.label} · {options.mode_words} · {span}")
        self._paint_cards()
        self.plot.show_view(view)
        self._show_notes("  ".join(view.notes))

    def _paint_cards(self) -> None:
        view = self.state.view
        cards = [m.card for m in view.metrics] if view is not None else []
        self.cards.show_cards(cards, self.theme_name)

    def _hovered(self, text: str) -> None:
        view = self.state.view
        self._show_notes(text or ("  ".join(view.notes) if view is not None else ""))

    def _show_notes(self, text: str) -> None:
        self.notes.setText(text)
        self.notes.setVisible(bool(text))  # no empty line taken from the chart

    # --- leaving and exporting -----------------------------------------------------------------

    def open_day(self, day: object) -> None:
        view = self.state.view
        if view is None:
            return
        page, args = open_args(view, day)  # type: ignore[arg-type]
        self.navigate.emit(page, args)

    def export_png(self, path: Path) -> Path:
        exporter = pyqtgraph.exporters.ImageExporter(self.plot.item)
        exporter.parameters()["width"] = max(1200, self.plot.width())
        exporter.export(str(path))
        return path

    def export_csv(self, path: Path) -> Path:
        view = self.state.view
        if view is None:
            raise ValueError("nothing is shown to export")
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(csv_rows(view))
        return path

    def _export_dialog(self, kind: str) -> None:
        if self.state.view is None:
            self.message.emit("Nothing to export yet.")
            return
        suggested = f"{self.state.view.label.split(' (')[0]}.{kind}".replace("/", "-")
        filters = "PNG image (*.png)" if kind == "png" else "CSV file (*.csv)"
        chosen, _ = QFileDialog.getSaveFileName(self, f"Export {kind.upper()}", suggested, filters)
        if not chosen:
            return
        try:
            written = (
                self.export_png(Path(chosen)) if kind == "png" else self.export_csv(Path(chosen))
            )
        except (OSError, ValueError) as exc:
            self.message.emit(f"Not exported: {exc}")
        else:
            self.message.emit(f"Exported {written}")

"""The chart itself: a pyqtgraph PlotWidget painting a `ChartView` (only paints; no store).

Axes, as a production engineer reads a rate-time plot: the liquids (oil and water, bbl/d or
m³/d) share the **left** axis, since the same unit makes them comparable (the water cut shows
as the gap between them); gas (Mcf/d) has its own **right** axis. Nothing is normalised: every
axis keeps its unit. Log y (for decline) applies to both. The x axis is a `DateAxisItem`
over noon-UTC day stamps (`utcOffset=0`: a day never shifts with the laptop's zone).

Long series stay fast: every curve has `setDownsampling(auto=True, method="peak")` and
`setClipToView(True)`; gaps (missing and shut-in days) are NaN drawn with `connect="finite"`;
shut-in runs are shaded regions. The forecast is a dashed line over a `FillBetweenItem` band
(95 %); the Arps curve is dotted, its legend (under the plot, never over the data) naming EUR
and remaining reserves; a group's partial last days are hollow circles; anomalies are
orange crosses. A crosshair follows the mouse with the day's values (`hovered`); a click on a
recorded day emits `day_clicked(date)`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from fieldapp.ui.charts_state import clicked_day, hover_text
from fieldapp.ui.charts_view import DAY_S, ChartView, MetricView
from fieldapp.ui.palette import CHART_COLOURS, ChartColours, ThemeSpec, theme_named


def _colour(hex_colour: str, alpha: int = 255) -> QColor:
    colour = QColor(hex_colour)
    colour.setAlpha(alpha)
    return colour


MIN_TICK_PX = 12  # an unlabelled tick level denser than this is left out (nor drawn in the grid)


class DayAxis(pg.DateAxisItem):  # type: ignore[misc]  # pyqtgraph has no types
    """The date axis without its too-dense minor levels (a 10-year view's ~120 month lines,
    9 px apart and never labelled, cost ~7 ms a paint as grid lines), and without the minor
    ticks that sit closer to a coarser one than a label is wide: a 90-day view's day labels
    otherwise run into the month's ("29Dec 04")."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        levels: list[Any] = super().tickValues(minVal, maxVal, size)
        room = size / MIN_TICK_PX
        kept = levels[:1] + [level for level in levels[1:] if len(level[1]) <= room]
        return apart_from_coarser(kept, float(self.minSpacing))


def apart_from_coarser(levels: list[Any], gap: float) -> list[Any]:
    """Each level's values without those nearer than `gap` (axis units) to a value of a
    coarser level (an earlier one in `levels`, pyqtgraph's order)."""
    out: list[Any] = []
    coarser = np.empty(0)
    for spacing, values in levels:
        mine = np.asarray(values, dtype=float)
        if coarser.size and mine.size:
            nearest = np.abs(mine[:, None] - coarser[None, :]).min(axis=1)
            mine = mine[nearest >= gap]
        out.append((spacing, mine.tolist()))
        coarser = np.concatenate([coarser, mine])
    return out


class ChartsPlot(QWidget):
    day_clicked = Signal(object)  # a datetime.date of the recorded range
    hovered = Signal(str)  # the crosshair's words ("" off the chart)

    def __init__(self, theme_name: str = "standard", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: ChartView | None = None
        self._log = False
        self.widget = pg.PlotWidget(
            axisItems={"bottom": DayAxis(orientation="bottom", utcOffset=0)}
        )
        self.widget.setAccessibleName("Production chart")
        self.item = self.widget.getPlotItem()
        self.item.setDownsampling(auto=True, mode="peak")
        self.item.setClipToView(True)
        # the grid follows the bottom and left axes only (gas's own scale would draw a second,
        # unaligned set of lines), two tick levels deep: every grid axis costs ~10 ms a paint
        self.item.showGrid(x=True, y=True, alpha=0.25)
        self.item.showAxis("right")
        self.item.getAxis("right").setGrid(False)
        for name in ("left", "right"):
            self.item.getAxis(name).setStyle(maxTickLevel=1)
        self._axis_words: tuple[object, ...] = ()  # the labels last set (set again: a relayout)
        self.item.setMenuEnabled(False)
        self.gas_box = pg.ViewBox()
        self.item.scene().addItem(self.gas_box)
        self.item.getAxis("right").linkToView(self.gas_box)
        self.gas_box.setXLink(self.item)
        self.item.vb.sigResized.connect(self._align_boxes)
        # the legend sits under the plot (row 4 of the PlotItem's layout): it never hides data
        self.legend = pg.LegendItem(colCount=3, verSpacing=-6)
        self.item.layout.addItem(self.legend, 4, 0, 1, 3)  # the full width, axes included
        self.item.legend = self.legend
        self.curves: dict[str, pg.PlotDataItem] = {}  # metric -> its line (tests read these)
        self.bands: dict[str, pg.FillBetweenItem] = {}
        self.declines: dict[str, pg.PlotDataItem] = {}
        self.anomaly_items: dict[str, pg.ScatterPlotItem] = {}
        self.partial_items: dict[str, pg.ScatterPlotItem] = {}
        self.shut_spans: list[tuple[float, float]] = []
        self.v_line = pg.InfiniteLine(angle=90, movable=False)
        self.label = pg.TextItem(anchor=(0, 0))
        self.item.addItem(self.v_line, ignoreBounds=True)
        self.item.addItem(self.label, ignoreBounds=True)
        self.v_line.hide()
        self.label.hide()
        self.widget.scene().sigMouseMoved.connect(self._mouse_moved)
        self.widget.scene().sigMouseClicked.connect(self._mouse_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget)
        self._make_items()
        self.spec: ThemeSpec = theme_named(theme_name)
        self.colours: ChartColours = CHART_COLOURS[theme_name]
        self.set_theme(theme_name)

    # --- theme -------------------------------------------------------------------------------

    def set_theme(self, theme_name: str) -> None:
        self.spec, self.colours = theme_named(theme_name), CHART_COLOURS[theme_name]
        ink = self.spec.ink
        self.widget.setBackground(self.spec.paper)
        font = self.font()
        font.setPointSize(max(9, self.spec.font_pt - 3))
        font.setBold(self.spec.bold)
        for name in ("left", "right", "bottom"):
            axis = self.item.getAxis(name)
            axis.enableAutoSIPrefix(False)  # 52,500 bbl/d, never "52.5 (x1e3)"

            axis.setPen(pg.mkPen(ink, width=1))
            axis.setTextPen(pg.mkPen(ink))
            axis.setTickFont(font)
        self.legend.setLabelTextColor(ink)
        self.legend.setBrush(pg.mkBrush(self.spec.paper))
        self.legend.setPen(pg.mkPen(None))
        self.v_line.setPen(pg.mkPen(self.colours.crosshair, width=1, style=Qt.PenStyle.DashLine))
        self.label.setColor(ink)
        self.label.fill = pg.mkBrush(_colour(self.spec.paper, 235))
        if self.view is not None:
            self.show_view(self.view)

    def _align_boxes(self) -> None:
        self.gas_box.setGeometry(self.item.vb.sceneBoundingRect())
        self.gas_box.linkedViewChanged(self.item.vb, self.gas_box.XAxis)

    # --- painting ----------------------------------------------------------------------------

    def _make_items(self) -> None:
        """Every item the chart can show, made once and fed new data per view (re-creating
        pyqtgraph items and legend labels costs far more than drawing them)."""
        self.shade = pg.BarGraphItem(x0=[0.0], x1=[0.0], y0=[0.0], height=[0.0], pen=pg.mkPen(None))
        self.shade.setZValue(-10)
        self.item.vb.addItem(self.shade, ignoreBounds=True)
        self.shade.hide()
        self.parts: dict[str, dict[str, Any]] = {}
        for metric in ("oil", "gas", "water"):
            box = self.gas_box if metric == "gas" else self.item.vb
            line = pg.PlotDataItem(connect="finite")
            lower, upper, mean, decline = (pg.PlotDataItem() for _ in range(4))
            fill = pg.FillBetweenItem(lower, upper)
            anomalies = pg.ScatterPlotItem(symbol="x", size=14, tip=None)
            partial = pg.ScatterPlotItem(symbol="o", size=10, brush=None)
            for item in (line, decline):
                box.addItem(item)  # once in its view box: it clips to that view
                item.setDownsampling(auto=True, method="peak")
                item.setClipToView(True)
            for item in (lower, upper, fill, mean, anomalies):
                box.addItem(item)
            box.addItem(partial, ignoreBounds=True)  # a half-done day never sets the scale
            self.parts[metric] = {
                "box": box,
                "line": line,
                "lower": lower,
                "upper": upper,
                "fill": fill,
                "mean": mean,
                "decline": decline,
                "anomalies": anomalies,
                "partial": partial,
            }
        self._legend_names: list[str] = []

    def clear_chart(self) -> None:
        """Show nothing (the store was locked)."""
        self._hide_all()
        self.legend.clear()
        self._legend_names = []

    def _hide_all(self) -> None:
        for parts in self.parts.values():
            for key, item in parts.items():
                if key != "box":
                    item.hide()
        self.shade.hide()
        for shown in (self.curves, self.bands, self.declines, self.anomaly_items):
            shown.clear()
        self.partial_items.clear()
        self.shut_spans = []
        self.view = None
        self.v_line.hide()
        self.label.hide()

    def show_view(self, view: ChartView) -> None:
        """Paint `view` (replacing what was shown)."""
        self._hide_all()
        self.view = view
        log = view.options.log_y
        if log != self._log:  # from a sane range: 10 ** (a linear range) overflows the ticks
            self._log = log
            for box in (self.item.vb, self.gas_box):
                box.setYRange(0.0, 1.0, padding=0)
            self.item.setLogMode(False, log)
            self.item.getAxis("right").setLogMode(False, log)
            for name in ("left", "right"):  # log: label the decades only (no 2·10², 3·10²…)
                self.item.getAxis(name).setStyle(maxTextLevel=0 if log else 2)
        liquids = [m for m in view.metrics if m.axis == "liquid"]
        gas = [m for m in view.metrics if m.axis == "gas"]
        # the axes carry the unit (short: never clipped on a low chart), the legend the names
        unit = liquids[0].unit if liquids else ("bbl" if view.options.cumulative else "bbl/d")
        gas_unit = gas[0].unit if gas else "Mcf/d"
        words = (unit, gas_unit, bool(gas), self.spec.ink)
        if words != self._axis_words:  # each call re-lays the axis out and redraws its ticks
            self._axis_words = words
            self.item.setLabel("left", unit, color=self.spec.ink)
            self.item.setLabel("right", gas_unit, color=self.spec.ink)
            self.item.getAxis("right").setStyle(showValues=bool(gas))
            self.item.setLabel("bottom", "Day", color=self.spec.ink)
        legend: list[tuple[object, str]] = []
        shade = pg.mkBrush(_colour(self.colours.shut_in, 70))
        if view.shut_in:
            self._shade(view, shade)
            legend.append((pg.BarGraphItem(x=[0], height=[0], width=1, brush=shade), "Shut in"))
        for metric in view.metrics:
            legend += self._paint_metric(view, metric)
        names = [name for _item, name in legend]
        if names != self._legend_names:
            self.legend.clear()
            for item, name in legend:
                self.legend.addItem(item, name)
            self._legend_names = names
        right = view.x_end + DAY_S / 2
        left_edge = float(view.x[0]) - DAY_S / 2 if not view.empty else right - 30 * DAY_S
        left_edge = min(left_edge, _day_x(view.start) - DAY_S / 2)
        span = right - left_edge
        self.item.vb.setLimits(xMin=left_edge - span, xMax=right + span)  # before the range
        self.item.setXRange(left_edge, right, padding=0.01)
        for box in (self.item.vb, self.gas_box):
            box.enableAutoRange(axis=pg.ViewBox.YAxis)

    def _shade(self, view: ChartView, brush: object) -> None:
        """One bar item for every shut-in run, taller than any value on the left axis."""
        values = [m.y[np.isfinite(m.y)] for m in view.metrics if m.axis == "liquid"]
        top = max((float(np.abs(v).max()) for v in values if len(v)), default=1.0)
        reach = (abs(np.log10(top)) + 10.0) if view.options.log_y else top * 10 + 1.0
        x0 = [a for a, _b in view.shut_in]
        x1 = [b for _a, b in view.shut_in]
        n = len(x0)
        self.shade.setOpts(x0=x0, x1=x1, y0=[-reach] * n, height=[2 * reach] * n, brush=brush)
        self.shade.show()
        self.shut_spans = list(view.shut_in)

    def _paint_metric(self, view: ChartView, metric: MetricView) -> list[tuple[object, str]]:
        parts = self.parts[metric.metric]
        colour = getattr(self.colours, metric.metric)
        width = self.colours.line_px
        log = view.options.log_y
        legend: list[tuple[object, str]] = []
        line = parts["line"]
        line.setLogMode(False, log)
        line.setData(view.x, metric.y, connect="finite", pen=pg.mkPen(colour, width=width))
        line.show()
        self.curves[metric.metric] = line
        legend.append((line, f"{metric.name} ({metric.unit})"))
        band = metric.forecast
        if band is not None:
            for key, values in (("lower", band.lower), ("upper", band.upper)):
                edge = parts[key]
                edge.setLogMode(False, log)
                edge.setData(band.x, values, pen=pg.mkPen(None))
                edge.show()
            fill = parts["fill"]
            fill.setBrush(pg.mkBrush(_colour(colour, self.colours.band_alpha)))
            fill.setCurves(parts["lower"], parts["upper"])
            fill.show()
            self.bands[metric.metric] = fill
            mean = parts["mean"]
            mean.setLogMode(False, log)
            dashed = pg.mkPen(colour, width=width, style=Qt.PenStyle.DashLine)
            mean.setData(band.x, band.mean, pen=dashed)
            mean.show()
            legend.append((mean, f"{metric.name} forecast (95 % band)"))
        curve = metric.decline
        if curve is not None:
            decline = parts["decline"]
            decline.setLogMode(False, log)
            dotted = pg.mkPen(self.colours.decline, width=width, style=Qt.PenStyle.DotLine)
            decline.setData(curve.x, curve.y, pen=dotted)
            decline.show()
            self.declines[metric.metric] = decline
            legend.append((decline, f"{metric.name} {curve.label}"))
        for key, points in (("anomalies", metric.anomalies), ("partial", metric.partial)):
            if not len(points.x):
                continue
            y = np.log10(points.y) if log else points.y
            scatter = parts[key]
            if key == "anomalies":
                pen, brush = (
                    pg.mkPen(self.colours.anomaly, width=2),
                    pg.mkBrush(self.colours.anomaly),
                )
                scatter.setData(points.x, y, data=list(points.tips), pen=pen, brush=brush)
                self.anomaly_items[metric.metric] = scatter
                legend.append((scatter, f"{metric.name} anomaly"))
            else:
                scatter.setData(points.x, y, pen=pg.mkPen(colour, width=2), brush=None)
                self.partial_items[metric.metric] = scatter
            scatter.show()
        return legend

    # --- mouse -------------------------------------------------------------------------------

    def _x_at(self, pos: QPointF) -> float | None:
        if not self.item.vb.sceneBoundingRect().contains(pos):
            return None
        return float(self.item.vb.mapSceneToView(pos).x())

    def _mouse_moved(self, pos: QPointF) -> None:
        x = self._x_at(pos)
        text = hover_text(self.view, x) if self.view is not None and x is not None else None
        if x is None or text is None:
            self.v_line.hide()
            self.label.hide()
            self.hovered.emit("")
            return
        self.v_line.setPos(x)
        self.v_line.show()
        self.label.setText(text.replace(" — ", "\n").replace(" · ", "\n"))
        top_left = self.item.vb.viewRange()
        self.label.setPos(x, top_left[1][1])
        self.label.show()
        self.hovered.emit(text)

    def _mouse_clicked(self, event: object) -> None:
        button = event.button()  # type: ignore[attr-defined]
        if button != Qt.MouseButton.LeftButton or self.view is None:
            return
        x = self._x_at(event.scenePos())  # type: ignore[attr-defined]
        day = clicked_day(self.view, x) if x is not None else None
        if day is not None:
            self.day_clicked.emit(day)

    def click_day(self, day: date) -> None:
        """Act as a click on `day`'s column (keyboard users and tests)."""
        if self.view is not None:
            found = clicked_day(self.view, _day_x(day))
            if found is not None:
                self.day_clicked.emit(found)


def _day_x(day: date) -> float:
    return (day.toordinal() - date(1970, 1, 1).toordinal()) * DAY_S + DAY_S / 2

"""The chart widget painting real views: lines with gaps, band, decline, shading, axes, mouse."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyqtgraph as pg
import pytest
from chartkit import END, declining_rows, source, with_gaps
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from fieldapp.ui.charts_analysis import analyse
from fieldapp.ui.charts_options import ChartOptions
from fieldapp.ui.charts_plot import ChartsPlot, apart_from_coarser
from fieldapp.ui.charts_view import ChartView, build_view, to_x
from fieldapp.ui.palette import CHART_COLOURS

ALL = ChartOptions(range_key="all")


def view_of(options: ChartOptions = ALL) -> ChartView:
    rows = with_gaps(declining_rows(120), missing={100, 101}, shut={80, 81, 82, 110})
    src = source(rows)
    assert src.series is not None
    analyses = {m: analyse(src.series, m) for m in options.metrics}
    return build_view(src, options, END, analyses)


@pytest.fixture
def plot(qtbot: QtBot) -> ChartsPlot:
    widget = ChartsPlot()
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_lines_keep_their_gaps_and_the_band_and_decline_are_drawn(plot: ChartsPlot) -> None:
    view = view_of()
    plot.show_view(view)
    assert set(plot.curves) == {"oil", "gas", "water"}
    x, y = plot.curves["oil"].getData()
    assert len(x) == len(view.x) and np.isnan(y[100]) and np.isnan(y[80])  # gaps, not zeros
    assert plot.curves["oil"].opts["connect"] == "finite"
    assert plot.curves["gas"].getViewBox() is plot.gas_box  # gas on its own right axis
    assert plot.curves["oil"].getViewBox() is plot.item.vb
    band = plot.bands["oil"]
    lower, upper = band.curves[0].getData(), band.curves[1].getData()
    assert np.all(lower[1] <= upper[1]) and lower[0][0] == to_x(view.days[-1:])[0] + 86400
    assert set(plot.declines) == {"oil", "gas", "water"}
    assert len(plot.shut_spans) == 2 and plot.shade.isVisible()  # days 80-82 and day 110
    assert list(plot.shade.opts["x0"]) == [a for a, _b in view.shut_in]
    names = [label.text for _sample, label in plot.legend.items]
    assert "Oil (bbl/d)" in names and "Shut in" in names
    assert any("EUR" in n and "remaining" in n for n in names)
    assert plot.item.getAxis("left").labelText == "bbl/d"  # oil and water: the legend names
    assert plot.item.getAxis("right").labelText == "Mcf/d"
    image = plot.grab().toImage()
    assert not image.isNull()
    assert plot.item.geometry().width() <= plot.widget.width()  # the legend never widens it


def test_long_series_are_downsampled_and_clipped_and_log_mode_applies(plot: ChartsPlot) -> None:
    plot.show_view(view_of(ChartOptions(range_key="all", log_y=True)))
    for curve in plot.curves.values():
        assert curve.opts["autoDownsample"] and curve.opts["clipToView"]
        assert curve.opts["downsampleMethod"] == "peak" and curve.opts["logMode"][1]
    assert plot.item.ctrl.logYCheck.isChecked()
    plot.show_view(view_of(ChartOptions(range_key="all")))
    assert not plot.item.ctrl.logYCheck.isChecked() and not plot.curves["oil"].opts["logMode"][1]


def test_both_themes_paint_with_their_colours(plot: ChartsPlot) -> None:
    for name in ("sunlight", "standard"):
        plot.set_theme(name)
        plot.show_view(view_of())
        pen = plot.curves["oil"].opts["pen"]
        assert pen.color().name() == CHART_COLOURS[name].oil
        assert pen.width() == CHART_COLOURS[name].line_px
        assert plot.widget.backgroundBrush().color().name() == "#ffffff"


def _scene_pos(plot: ChartsPlot, day: date, value: float) -> QPointF:
    x = float(to_x(np.array([day.toordinal()]))[0])
    return plot.item.vb.mapViewToScene(pg.Point(x, value))


def test_hover_shows_the_crosshair_and_the_days_values(plot: ChartsPlot, qtbot: QtBot) -> None:
    view = view_of()
    plot.show_view(view)
    qtbot.wait(50)
    seen: list[str] = []
    plot.hovered.connect(seen.append)
    day = date.fromordinal(int(view.days[50]))
    oil = view.metric("oil")
    assert oil is not None
    plot._mouse_moved(_scene_pos(plot, day, float(oil.y[50])))
    assert seen and seen[-1].startswith(f"{day:%a %d %b %Y} — Oil ")
    assert plot.v_line.isVisible() and plot.label.isVisible()
    plot._mouse_moved(QPointF(-50, -50))  # off the plot
    assert seen[-1] == "" and not plot.v_line.isVisible()


def test_a_click_on_a_day_emits_it(plot: ChartsPlot, qtbot: QtBot) -> None:
    view = view_of()
    plot.show_view(view)
    qtbot.wait(50)
    day = date.fromordinal(int(view.days[60]))
    oil = view.metric("oil")
    assert oil is not None
    scene = _scene_pos(plot, day, float(oil.y[60]))
    where = plot.widget.mapFromScene(scene)
    with qtbot.waitSignal(plot.day_clicked, timeout=2000) as clicked:
        qtbot.mouseClick(plot.widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where))
    assert clicked.args == [day]


def test_minor_ticks_too_near_a_coarser_one_lose_their_place() -> None:
    day = 86_400.0
    months = (30 * day, [0.0, 31 * day])
    days = (5 * day, [-5 * day, -1 * day, 5 * day, 10 * day, 30 * day, 36 * day])
    kept = apart_from_coarser([months, days], gap=2 * day)
    assert kept[0] == (30 * day, [0.0, 31 * day])
    assert kept[1] == (5 * day, [-5 * day, 5 * day, 10 * day, 36 * day])


def test_a_ninety_day_axis_labels_no_day_over_a_month(plot: ChartsPlot) -> None:
    axis = plot.item.getAxis("bottom")
    start = 1_700_000_000.0
    levels = axis.tickValues(start, start + 90 * 86_400, 900)
    labelled = [value for _, values in levels for value in values]
    gaps = np.diff(sorted(labelled))
    assert len(levels) >= 2 and labelled
    assert gaps.min() >= axis.minSpacing

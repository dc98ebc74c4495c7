"""The Production page against the real demo store: what an operator types, sees and saves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QLayout,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from fieldapp.core.location_settings import LocationSettings
from fieldapp.core.nmea import sentence
from fieldapp.core.preferences import Preferences
from fieldapp.core.production import find_day
from fieldapp.core.record_history import versions_of
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.production_page import ProductionPage
from fieldapp.ui.route_state import load_route
from shared.units import UnitSystem, liquid_to_display
from shared.validation import org_today

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner) -> ProductionPage:
    widget = ProductionPage(runner)
    qtbot.addWidget(widget)
    theme.apply_to_window(widget)
    widget.resize(1200, 900)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.form.target is not None and widget.form.context is not None)
    return widget


def idle(qtbot: QtBot, page: ProductionPage) -> None:
    qtbot.waitUntil(lambda: not page.runner.busy)


def type_into(qtbot: QtBot, page: ProductionPage, **values: str) -> None:
    for field, text in values.items():
        edit = page.form.inputs[field]
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(edit, text)


def open_day(qtbot: QtBot, page: ProductionPage, well_id: str, day: date) -> None:
    page.show_context({"well_id": well_id, "day": day})
    qtbot.waitUntil(lambda: page.form.target == (well_id, day))
    idle(qtbot, page)


def yesterday_oil(store: Store, well_id: str, today: date) -> float:
    with store.read() as conn:
        row = find_day(conn, well_id, today - timedelta(days=1))
    assert row is not None
    return float(row["oil_bbl"])


def test_a_typed_record_is_saved_shown_in_history_and_on_the_route(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    today = org_today(store.thresholds.timezone)
    well_id, day = page.form.target or ("", today)
    assert day == today  # the page opens on today, not yet recorded in the demo
    oil = yesterday_oil(store, well_id, today)
    volumes = {
        "oil_bbl": f"{oil:.1f}",
        "gas_mcf": f"{oil * 1.2:.1f}",
        "water_bbl": f"{oil * 0.7:.1f}",
    }
    type_into(qtbot, page, **volumes, hours_on="24", tubing_psi="410", choke_64ths="24")
    assert page.unsaved() == 1
    qtbot.mouseClick(page.form.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text() == "Saved")
    assert page.result.accessibleName() == "Save result"
    qtbot.waitUntil(lambda: page.history.count() == 1 and "Recorded" in page.history.item(0).text())
    assert page.unsaved() == 0
    route = {r.well_id: r for r in load_route(store, today)}
    assert route[well_id].state in ("recorded", "flagged")
    assert route[well_id].oil_bbl == pytest.approx(round(oil, 1))
    with store.read() as conn:
        saved = find_day(conn, well_id, today)
    assert saved is not None and (saved["tubing_psi"], saved["choke_64ths"]) == (410.0, 24)
    assert "Save correction" in page.form.save_button.text()


def test_a_negative_volume_is_an_error_by_the_field_and_blocks_saving(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    well_id, day = page.form.target or ("", date.today())
    type_into(qtbot, page, oil_bbl="-5", gas_mcf="10", water_bbl="5", hours_on="24")
    message = page.form.messages["oil_bbl"]
    qtbot.waitUntil(lambda: message.isVisible() and "negative" in message.text())
    assert message.text().startswith("Error:")
    assert page.form.inputs["oil_bbl"].property("issue") == "error"
    assert not page.form.save_button.isEnabled()
    qtbot.keyClick(page.form.inputs["water_bbl"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, page)
    assert page.result.text() != "Saved"
    assert "negative" in page.form.issues.text()
    with store.read() as conn:
        assert find_day(conn, well_id, day) is None


def test_a_volume_above_the_usual_maximum_warns_and_can_be_saved(
    qtbot: QtBot, page: ProductionPage
) -> None:
    """A real well can make more than the organization's usual maximum: warned, not refused."""
    type_into(qtbot, page, oil_bbl="99999", gas_mcf="10", water_bbl="5")
    message = page.form.messages["oil_bbl"]
    qtbot.waitUntil(lambda: "above the organization's usual maximum" in message.text())
    assert message.text().startswith("Warning:")
    assert page.form.save_button.isEnabled()


def test_an_unusual_volume_warns_why_and_still_saves(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    well_id, day = page.form.target or ("", date.today())
    oil = yesterday_oil(store, well_id, day) * 5
    type_into(
        qtbot,
        page,
        oil_bbl=f"{oil:.1f}",
        gas_mcf=f"{oil * 1.2:.1f}",
        water_bbl=f"{oil * 0.7:.1f}",
        hours_on="24",
    )
    message = page.form.messages["oil_bbl"]
    qtbot.waitUntil(lambda: message.text().startswith("Warning:"))
    assert "from the last producing day" in message.text()  # why it is unusual
    assert page.form.save_button.isEnabled()
    qtbot.mouseClick(page.form.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text() == "Saved")
    assert "Flagged for review" in page.form.issues.text()
    route = {r.well_id: r for r in load_route(store, day)}
    assert route[well_id].state == "flagged"


def test_same_as_yesterday_fills_the_previous_values(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    well_id, day = page.form.target or ("", date.today())
    with store.read() as conn:
        before = find_day(conn, well_id, day - timedelta(days=1))
    assert before is not None
    qtbot.mouseClick(page.same_button, LEFT)
    qtbot.waitUntil(lambda: page.form.inputs["oil_bbl"].text() != "")
    assert float(page.form.inputs["oil_bbl"].text()) == pytest.approx(before["oil_bbl"])
    assert float(page.form.inputs["water_bbl"].text()) == pytest.approx(before["water_bbl"])
    assert page.form.dirty and page.unsaved() == 1
    assert "Copied from" in page.result.text()


def test_editing_a_recorded_day_makes_a_correction_with_two_versions(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    well_id, today = page.form.target or ("", date.today())
    day = today - timedelta(days=3)
    open_day(qtbot, page, well_id, day)
    with store.read() as conn:
        stored = find_day(conn, well_id, day)
    assert stored is not None and page.form.record_id == stored["record_id"]
    assert float(page.form.inputs["oil_bbl"].text()) == pytest.approx(stored["oil_bbl"])
    assert page.history.count() == 1
    new_oil = round(stored["oil_bbl"] + 1.5, 1)
    type_into(qtbot, page, oil_bbl=str(new_oil))
    qtbot.mouseClick(page.form.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text() == "Saved (correction)")
    qtbot.waitUntil(lambda: page.history.count() == 2)
    newest = page.history.item(0).text()
    assert newest.startswith("Version 2: Corrected")
    assert f"Oil: {stored['oil_bbl']:g} bbl → {new_oil:g} bbl" in newest
    with store.read() as conn:
        versions = versions_of(conn, stored["record_id"])
    assert [v.kind for v in versions] == ["recorded", "corrected"]


def test_a_future_date_is_refused_with_a_message(qtbot: QtBot, page: ProductionPage) -> None:
    well_id, today = page.form.target or ("", date.today())
    assert not page.set_day(today + timedelta(days=1))
    assert page.date_message.isVisible()
    assert "in the future" in page.date_message.text()
    assert page.form.target == (well_id, today)
    assert page.date_edit.maximumDate().toPython() == today
    assert page.set_day(today - timedelta(days=1))
    assert not page.date_message.isVisible()
    qtbot.waitUntil(lambda: page.form.target == (well_id, today - timedelta(days=1)))


def test_switching_wells_keeps_typing_and_prev_next_move(
    qtbot: QtBot, page: ProductionPage
) -> None:
    first = page.form.target
    type_into(qtbot, page, oil_bbl="12")
    qtbot.mouseClick(page.next_button, LEFT)
    qtbot.waitUntil(lambda: page.form.target is not None and page.form.target != first)
    assert page.unsaved() == 1  # the first well's typing is held as a draft
    qtbot.mouseClick(page.prev_button, LEFT)
    qtbot.waitUntil(lambda: page.form.target == first)
    assert page.form.inputs["oil_bbl"].text() == "12"


def test_enter_moves_to_the_next_field(qtbot: QtBot, page: ProductionPage) -> None:
    page.form.inputs["oil_bbl"].setFocus()
    qtbot.keyClick(page.form.inputs["oil_bbl"], Qt.Key.Key_Return)
    assert page.form.inputs["gas_mcf"].hasFocus()


def test_cubic_metres_are_shown_and_converted_back(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    well_id, today = page.form.target or ("", date.today())
    page.set_preferences(Preferences(units=UnitSystem.METRIC))
    assert "m³" in page.form.captions["oil_bbl"].text()
    open_day(qtbot, page, well_id, today - timedelta(days=2))
    with store.read() as conn:
        stored = find_day(conn, well_id, today - timedelta(days=2))
    assert stored is not None
    shown = float(page.form.inputs["oil_bbl"].text())
    assert shown == pytest.approx(liquid_to_display(stored["oil_bbl"], "metric"), abs=1e-3)
    open_day(qtbot, page, well_id, today)
    type_into(qtbot, page, oil_bbl="10", gas_mcf="300", water_bbl="5", hours_on="24")
    qtbot.mouseClick(page.form.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text() == "Saved")
    with store.read() as conn:
        saved = find_day(conn, well_id, today)
    assert saved is not None
    assert saved["oil_bbl"] == pytest.approx(62.898, abs=1e-3)  # 10 m³ in bbl
    assert saved["gas_mcf"] == pytest.approx(10.594, abs=1e-3)  # 300 m³ in Mcf


def test_the_week_grid_saves_several_days(qtbot: QtBot, page: ProductionPage, store: Store) -> None:
    well_id, today = page.form.target or ("", date.today())
    page.tabs.setCurrentWidget(page.week)
    state = page.week.state
    qtbot.waitUntil(lambda: state.data is not None)
    assert state.days[-1] == today and len(state.days) == 7
    model = page.week.model
    col = {key: i for i, key in enumerate(state.columns)}
    last = len(state.days) - 1
    for key, text in (
        ("oil_bbl", "50"),
        ("gas_mcf", "60"),
        ("water_bbl", "30"),
        ("hours_on", "24"),
    ):
        assert model.setData(model.index(last, col[key]), text)
    old = state.text(last - 1, col["oil_bbl"])
    assert model.setData(model.index(last - 1, col["oil_bbl"]), str(float(old) + 2))
    assert model.setData(model.index(last - 2, col["oil_bbl"]), "-1")  # refused, kept
    assert page.unsaved() == 3
    qtbot.mouseClick(page.week.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text().startswith("Saved 2 days"))
    assert "1 not saved" in page.result.text()
    assert state.text(last - 2, col["oil_bbl"]) == "-1"
    assert state.status(last - 2) == "error"
    assert state.status(last) == "saved"
    with store.read() as conn:
        saved = find_day(conn, well_id, today)
        corrected = find_day(conn, well_id, today - timedelta(days=1))
    assert saved is not None and saved["oil_bbl"] == 50.0
    assert corrected is not None and corrected["oil_bbl"] == pytest.approx(float(old) + 2)


def test_every_control_is_big_enough_and_named(page: ProductionPage) -> None:
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        if isinstance(widget, QAbstractButton) and widget.parent() is not page.tabs.tabBar():
            assert widget.minimumHeight() >= theme.BUTTON_MIN_HEIGHT, widget.text()
            assert widget.accessibleName(), widget.text()
        if isinstance(widget, QLineEdit | QComboBox | QAbstractSpinBox) and not isinstance(
            widget.parent(), QComboBox | QAbstractSpinBox
        ):
            assert widget.minimumHeight() >= theme.INPUT_MIN_HEIGHT, widget.accessibleName()
            assert widget.accessibleName()


def _layouts(layout: QLayout) -> Iterator[QLayout]:
    yield layout
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.layout() is not None:
            yield from _layouts(item.layout())
        widget = item.widget()
        if widget is not None and widget.layout() is not None:
            yield from _layouts(widget.layout())


@pytest.mark.parametrize("tab", [0, 1])
def test_controls_are_spaced_for_gloves(qtbot: QtBot, page: ProductionPage, tab: int) -> None:
    page.tabs.setCurrentIndex(tab)
    idle(qtbot, page)
    roots = [page, page.form, page.week, page.history.parentWidget()]
    tight = []
    for root in roots:
        for layout in _layouts(root.layout()):
            if sum(layout.itemAt(i).widget() is not None for i in range(layout.count())) < 2:
                continue
            if isinstance(layout, QGridLayout):
                gaps = [layout.horizontalSpacing(), layout.verticalSpacing()]
            elif isinstance(layout, QBoxLayout):
                gaps = [layout.spacing()]
            else:
                continue
            if min(gaps) < theme.SPACING:
                tight.append(f"{type(layout).__name__} in {root.accessibleName()}: {gaps}")
    assert tight == []
    for widget in page.findChildren(QWidget):
        inner = isinstance(widget.parentWidget(), QAbstractItemView)  # headers of a table
        if widget.isVisibleTo(page) and isinstance(widget, QAbstractButton | QAbstractItemView):
            assert inner or widget.accessibleName(), widget


def test_a_context_sent_before_the_wells_load_is_shown(
    qtbot: QtBot, runner: OpRunner, store: Store
) -> None:
    widget = ProductionPage(runner)
    qtbot.addWidget(widget)
    wells = load_route(store, org_today(store.thresholds.timezone))
    day = org_today(store.thresholds.timezone) - timedelta(days=4)
    widget.refresh()
    widget.show_context({"well_id": wells[3].well_id, "day": day})  # as MainWindow does
    qtbot.waitUntil(lambda: widget.form.target == (wells[3].well_id, day))
    qtbot.waitUntil(lambda: widget.form.record_id is not None)
    assert widget.well_combo.currentText().startswith(wells[3].name)
    assert widget.date_edit.date().toPython() == day


def test_locking_forgets_what_is_shown_but_keeps_typing(qtbot: QtBot, page: ProductionPage) -> None:
    target = page.form.target
    type_into(qtbot, page, oil_bbl="33")
    page.clear()
    assert page.form.target is None
    assert page.well_combo.count() == 0
    assert page.history.count() == 0
    assert page.unsaved() == 1
    page.refresh()
    qtbot.waitUntil(lambda: page.form.target == target)
    assert page.form.inputs["oil_bbl"].text() == "33"
    assert "unsaved values for this day are back" in page.form.issues.text()


def nmea_log(path: Path, lat: float, lon: float) -> Path:
    """A one-fix NMEA log at (lat, lon): the receiver the test drives to."""

    def dm(value: float, digits: int) -> str:
        whole = int(abs(value))
        return f"{whole:0{digits}d}{(abs(value) - whole) * 60:07.4f}"

    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    body = f"GPGGA,140540.00,{dm(lat, 2)},{ns},{dm(lon, 3)},{ew},1,08,0.9,870.0,M,-24.1,M,,"
    path.write_text(sentence(body) + "\r\n")
    return path


def test_use_gps_fills_the_location_warns_outside_the_fence_and_saves_it(
    qtbot: QtBot, page: ProductionPage, store: Store, tmp_path: Path
) -> None:
    context = page.form.context
    assert context is not None and context.well_location is not None
    well_lat, well_lon = context.well_location
    log = nmea_log(tmp_path / "gps.nmea", well_lat + 0.01, well_lon)  # ~3,650 ft north
    settings = LocationSettings(positioning=True, source="log", log_file=str(log))
    page.set_preferences(Preferences(location=settings))
    field = page.form.location
    assert field.isVisible() and field.gps_button.isVisible()
    qtbot.mouseClick(field.gps_button, LEFT)
    qtbot.waitUntil(lambda: field.latitude.text() != "")
    assert float(field.latitude.text()) == pytest.approx(well_lat + 0.01, abs=1e-5)
    assert "GPS fix" in field.note.text() and "outside the 500 ft" in field.note.text()
    assert field.note.property("severity") == "warning"
    well_id, today = page.form.target or ("", date.today())
    oil = yesterday_oil(store, well_id, today)
    type_into(qtbot, page, oil_bbl=f"{oil:.1f}", gas_mcf=f"{oil * 1.2:.1f}", water_bbl="5")
    qtbot.waitUntil(lambda: "geofence" in page.form.issues.text())
    qtbot.mouseClick(page.form.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text() == "Saved")
    with store.read() as conn:
        saved = find_day(conn, well_id, today)
    assert saved is not None and saved["latitude"] == pytest.approx(well_lat + 0.01, abs=1e-5)
    assert saved["accuracy_m"] == 4.5 and "outside_geofence" in saved["flags"]
    assert field.latitude.isReadOnly()  # a saved day keeps its location


def test_with_locations_off_the_field_is_hidden_and_nothing_is_recorded(
    qtbot: QtBot, page: ProductionPage, store: Store
) -> None:
    field = page.form.location
    qtbot.keyClicks(field.latitude, "10")
    qtbot.keyClicks(field.longitude, "10")
    page.set_preferences(Preferences(location=LocationSettings(record_locations=False)))
    assert not field.isVisible()
    well_id, today = page.form.target or ("", date.today())
    type_into(qtbot, page, oil_bbl="10", gas_mcf="10", water_bbl="5")
    qtbot.mouseClick(page.form.save_button, LEFT)
    qtbot.waitUntil(lambda: page.result.text() == "Saved")
    with store.read() as conn:
        saved = find_day(conn, well_id, today)
    assert saved is not None and saved["latitude"] is None

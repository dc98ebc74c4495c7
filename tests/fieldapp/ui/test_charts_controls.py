"""The Charts controls on their own: what they offer and which choices they send."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from fieldapp.core.analytics_source import Choices, Selection
from fieldapp.core.wells import Well
from fieldapp.ui.charts_controls import ChartControls
from fieldapp.ui.charts_options import ChartOptions


def well(n: int, name: str, api: str) -> Well:
    return Well(f"id-{n}", api, name, "Mabee", "Spraberry", None, None, "active", "oil", 1, n)


@pytest.fixture
def controls(qtbot: QtBot) -> ChartControls:
    widget = ChartControls()
    qtbot.addWidget(widget)
    widget.set_choices(
        [well(1, "Mabee 1H", "4232940107"), well(2, "Toyah 3H", "4238940121")],
        Choices(("Mabee",), ("Spraberry",), 2, 2),
    )
    widget.show()
    return widget


def test_the_well_list_follows_the_search_and_enter_picks(
    qtbot: QtBot, controls: ChartControls
) -> None:
    chosen: list[Selection] = []
    controls.selection_changed.connect(chosen.append)
    assert controls.picker.count() == 2 and controls.picker.isEnabled()
    qtbot.keyClicks(controls.search, "389-40")
    assert controls.picker.count() == 1 and chosen[-1] == Selection("well", "id-2")
    assert controls.picker.currentText() == "Toyah 3H — 42-389-40121"
    qtbot.keyClick(controls.search, "\r")
    assert chosen[-1] == Selection("well", "id-2")


def test_scopes_offer_their_names_or_nothing(controls: ChartControls) -> None:
    chosen: list[Selection] = []
    controls.selection_changed.connect(chosen.append)
    controls.scope.setCurrentIndex(controls.scope.findData("lease"))
    assert chosen[-1] == Selection("lease", "Mabee") and not controls.search.isEnabled()
    controls.scope.setCurrentIndex(controls.scope.findData("route"))
    assert chosen[-1] == Selection("route") and not controls.picker.isEnabled()
    controls.select(Selection("well", "id-1"))  # shows it, sends nothing
    assert len(chosen) == 2 and controls.picker.currentData() == "id-1"


def test_range_toggles_and_mode_send_new_options(controls: ChartControls) -> None:
    sent: list[ChartOptions] = []
    controls.options_changed.connect(sent.append)
    controls.range.setCurrentIndex(controls.range.findData("365"))
    assert sent[-1].range_key == "365"
    controls.set_custom(date(2026, 1, 1), date(2026, 3, 31))
    assert sent[-1].range_key == "custom" and sent[-1].custom == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert controls.first_day.isVisible() and controls.last_day.isVisible()
    controls.toggles["water"].setChecked(False)
    assert sent[-1].metrics == ("oil", "gas")
    controls.mode.setCurrentIndex(controls.mode.findData("volumes"))
    assert (sent[-1].rates, sent[-1].cumulative) == (False, False)
    controls.log.setChecked(True)
    assert sent[-1].log_y and sent[-1].custom == (date(2026, 1, 1), date(2026, 3, 31))

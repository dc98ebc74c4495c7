"""The checks in force, in an operator's words: values with units, defaults told apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from fieldapp.core.org_thresholds import ThresholdsInForce
from fieldapp.ui.checks_panel import WORDS, ChecksPanel, checks_rows, source_line
from shared.thresholds import DEFAULT_THRESHOLDS, KEYS

OFFICE = ThresholdsInForce(
    replace(DEFAULT_THRESHOLDS, max_oil_bbl=40_000.0, day_change_pct=35.0),
    "organization",
    '"abc"',
    "2026-12-07T06:00:00Z",
)
DEVICE = ThresholdsInForce(DEFAULT_THRESHOLDS, "device", None, None)


def test_every_threshold_has_words() -> None:
    assert set(WORDS) == set(KEYS)


def test_rows_carry_units_and_say_which_are_defaults() -> None:
    rows = {row.key: row for row in checks_rows(OFFICE)}
    assert rows["max_oil_bbl"].value == "40,000 bbl/day" and not rows["max_oil_bbl"].default
    assert rows["day_change_pct"].value == "35%" and not rows["day_change_pct"].default
    assert rows["median_high_ratio"].value == "3×" and rows["median_high_ratio"].default
    assert rows["rate_min_hours"].value == "4 hours"
    assert rows["history_days"].value == "30 days"


def test_the_source_line_names_the_server_or_the_defaults() -> None:
    local = datetime(2026, 12, 7, 6, 0, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert f"last checked {local}." in source_line(OFFICE)
    assert "sync server" in source_line(OFFICE)
    assert "defaults" in source_line(DEVICE)


def test_the_panel_shows_and_clears(qtbot: QtBot) -> None:
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    panel.show_rules(OFFICE)
    assert panel.value_labels["max_oil_bbl"].text() == "40,000 bbl/day"
    notes = [panel.grid.itemAtPosition(n, 2).widget().text() for n in range(len(KEYS))]
    assert notes.count("set by the office") == 2
    panel.show_rules(DEVICE)  # the same labels, new values
    assert panel.value_labels["max_oil_bbl"].text() == "10,000 bbl/day"
    assert len(panel.value_labels) == len(KEYS)
    panel.clear()
    assert all(label.text() == "" for label in panel.value_labels.values())

"""The Settings screen's "Checks in force": the validation thresholds this laptop checks
records with, where they came from, and which differ from the defaults (read only: admins
set them on the server, `sync-server org settings`; docs/design.md §6.2).

`checks_rows(rules)` is the Qt-free part (a row per threshold: its words, its value with the
unit, and whether it is the default); `ChecksPanel` only shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from fieldapp.core.org_thresholds import ThresholdsInForce
from fieldapp.ui import theme
from shared.thresholds import DEFAULT_THRESHOLDS, as_settings

# threshold -> (what it checks, in the form's words; the unit after the value)
WORDS: dict[str, tuple[str, str]] = {
    "max_oil_bbl": ("Oil above", "bbl/day"),
    "max_gas_mcf": ("Gas above", "Mcf/day"),
    "max_water_bbl": ("Water above", "bbl/day"),
    "day_change_pct": ("Oil rate change from the previous producing day above", "%"),
    "median_high_ratio": ("Rate above the median by", "×"),
    "median_low_ratio": ("Rate below the median, as a fraction of it", "×"),
    "zscore_limit": ("… and the robust z-score above", ""),
    "gor_jump_pct": ("Gas-oil ratio jump above", "%"),
    "water_cut_jump_points": ("Water cut jump above", "points"),
    "rate_min_hours": ("Rates compared only for days on at least", "hours"),
    "history_days": ("History the checks look back over", "days"),
    "timezone": ("Organization time zone", ""),
}


@dataclass(frozen=True, slots=True)
class CheckRow:
    key: str
    words: str
    value: str
    default: bool


def _value(value: object, unit: str) -> str:
    if isinstance(value, float):
        text = f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:g}"
    else:
        text = str(value)
    return f"{text} {unit}".strip() if unit not in ("%", "×") else f"{text}{unit}"


def checks_rows(rules: ThresholdsInForce) -> list[CheckRow]:
    defaults = as_settings(DEFAULT_THRESHOLDS)
    rows = []
    for key, value in as_settings(rules.thresholds).items():
        words, unit = WORDS.get(key, (key, ""))
        rows.append(CheckRow(key, words, _value(value, unit), value == defaults.get(key)))
    return rows


def _local_time(stamp: str) -> str:
    """A UTC timestamp as this laptop's local time to the minute ("2026-12-07 14:27")."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def source_line(rules: ThresholdsInForce) -> str:
    if rules.source == "organization":
        when = f", last checked {_local_time(rules.synced_at)}" if rules.synced_at else ""
        return f"From the organization's settings on the sync server{when}."
    return (
        "This device's defaults (a local-only store, or one that has not synced yet);"
        " the organization's replace them at the next sync."
    )


def _note(default: bool, source: str) -> str:
    if default:
        return "default"
    return "set by the office" if source == "organization" else "set when the store was made"


class ChecksPanel(QWidget):
    """A grid of the thresholds: the words, the value, and whether it is the default."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Checks in force")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING // 2)
        self.source = QLabel("")
        self.source.setWordWrap(True)
        self.source.setAccessibleName("Where the checks come from")
        layout.addWidget(self.source)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(theme.SPACING)
        self.grid.setColumnStretch(2, 1)
        layout.addLayout(self.grid)
        self.value_labels: dict[str, QLabel] = {}
        self.source.setText("The checks show once the store is unlocked.")

    def show_rules(self, rules: ThresholdsInForce) -> None:
        self.source.setText(source_line(rules))
        for number, row in enumerate(checks_rows(rules)):
            if row.key not in self.value_labels:
                words, value, note = QLabel(row.words), QLabel(), QLabel()
                words.setWordWrap(True)
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                value.setAccessibleName(row.words)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.grid.addWidget(words, number, 0)
                self.grid.addWidget(value, number, 1)
                self.grid.addWidget(note, number, 2)
                self.value_labels[row.key] = value
            label = self.value_labels[row.key]
            label.setText(row.value)
            note_item = self.grid.itemAtPosition(number, 2)
            note_label = note_item.widget() if note_item is not None else None
            if isinstance(note_label, QLabel):
                note_label.setText(_note(row.default, rules.source))

    def clear(self) -> None:
        self.source.setText("The store is locked.")
        for label in self.value_labels.values():
            label.setText("")

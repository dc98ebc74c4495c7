"""A thin Qt table model over `IncidentsState` (text, tooltips, accessibility, severity colours),
its table view and the severity badge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView

from fieldapp.core.incidents import Incident
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.cells import brush, cell_font
from fieldapp.ui.incidents_state import COLUMNS, IncidentsState
from fieldapp.ui.table_model import Index, ListTableModel, table_view

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_TITLES = tuple(column.title for column in COLUMNS)

# severity -> the theme status it is painted with; critical is that status inverted. Every
# colour goes with the severity in words (and a mark: ! !! !!!).
SEVERITY_STATUS = {"low": "recorded", "medium": "warning", "high": "error", "critical": "error"}
_MARKS = {"low": "", "medium": "! ", "high": "!! ", "critical": "!!! "}


_BADGE_STATUS = {"low": "recorded", "medium": "warning", "high": "error"}


def severity_colours(severity: str) -> tuple[str, str] | None:
    """(ink, paper) of a severity in the current theme; None for one this app does not know."""
    kind = SEVERITY_STATUS.get(severity)
    if kind is None:
        return None
    ink, paper = theme.status_colours(kind)
    return (paper, ink) if severity == "critical" else (ink, paper)


class IncidentsModel(ListTableModel[Incident]):
    """Rows are `IncidentsState.rows`; `set_rows` and `set_wells` reset or repaint the view."""

    def __init__(self, state: IncidentsState | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state or IncidentsState()

    def set_rows(self, rows: Sequence[Incident]) -> None:
        self.beginResetModel()
        self.state.set_rows(rows)
        self.endResetModel()

    def set_wells(self, wells: Sequence[Well]) -> None:
        self.state.set_wells(wells)
        self.repaint_all()  # the well names in the rows

    # --- ListTableModel ----------------------------------------------------------------------

    def rows(self) -> Sequence[Incident]:
        return self.state.rows

    def titles(self) -> Sequence[str]:
        return _TITLES

    def header(self, section: int) -> str:
        return COLUMNS[section].header

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.cell(index)
        if found is None:
            return None
        row, number = found
        column = COLUMNS[number]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.state.display(row, column.key)
            return _MARKS.get(row.severity, "") + text if column.key == "severity" else text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {self.state.display(row, column.key)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.state.tooltip(row)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            colours = severity_colours(row.severity) if column.key == "severity" else None
            if colours is None:
                return None
            ink, paper = colours
            return brush(ink if role == Qt.ItemDataRole.ForegroundRole else paper)
        if role == Qt.ItemDataRole.FontRole and column.key in ("severity", "regulatory"):
            return cell_font(bool(column.key == "severity" or row.regulatory_notification_required))
        if role == ROW_ROLE:
            return row
        return None


def paint_severity(label: QLabel, severity: str) -> None:
    """A label showing a severity (its text says it in words) in the severity's colours: the
    theme's status style for low to high (it follows theme switches), critical inverted."""
    status = _BADGE_STATUS.get(severity, "")
    label.setProperty("status", status)
    colours = severity_colours(severity) if not status else None
    label.setStyleSheet(
        ""
        if colours is None
        else f"color: {colours[0]}; background: {colours[1]}; padding: 2px 10px;"
        " border-radius: 4px; font-weight: bold;"
    )
    theme.repolish(label)


def incidents_table(model: IncidentsModel) -> QTableView:
    """The read-only, row-selecting view of reported incidents."""
    return table_view(model, "Reported incidents", wrap=False)

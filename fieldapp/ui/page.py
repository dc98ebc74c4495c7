"""What every screen of the main window is: a widget that loads itself through the OpRunner.

A page never touches the store: `refresh()` hands small operations to the runner and paints
their results; `clear()` forgets what it shows (the store was locked). Pages talk to the window
through signals only:

- `saved`: the page wrote something (there is something new to sync; other pages may refresh);
- `message(str)`: one line for the status bar;
- `navigate(page, args)`: show another page with a context, e.g.
  `navigate.emit("production", {"well_id": ..., "day": date})`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QWidget

from fieldapp.core.preferences import Preferences
from fieldapp.ui.ops import OpRunner


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


PAGE_NAMES = (
    "route",
    "production",
    "charts",
    "equipment",
    "maintenance",
    "incidents",
    "photos",
    "sync",
    "settings",
)


class Page(QWidget):
    saved = Signal()
    message = Signal(str)
    navigate = Signal(str, object)

    name = ""  # one of PAGE_NAMES
    title = ""  # the navigation button's text

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preferences = Preferences()
        self.setAccessibleName(self.title or self.name)

    def refresh(self) -> None:
        """Reload what the page shows, on the worker (called when it is shown and after a
        save or a sync elsewhere)."""

    def clear(self) -> None:
        """The store was locked: forget every value shown (typed, unsaved input may stay)."""

    def show_context(self, args: dict[str, Any]) -> None:
        """Another page sent the operator here with `args` (a well, a day, a record...)."""

    def set_preferences(self, preferences: Preferences) -> None:
        """Units, theme or lock time changed; pages that show volumes re-render."""
        self.preferences = preferences

    def unsaved(self) -> int:
        """How many things typed here are not saved (the window asks before closing)."""
        return 0

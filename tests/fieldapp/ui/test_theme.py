"""The current theme, applied: the application and every themed window follow it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from themekit import themed_window

from fieldapp.ui import theme
from fieldapp.ui.contrast import contrast_ratio

THEME_NAMES = list(theme.THEMES)


@pytest.fixture(autouse=True)
def standard_theme() -> Iterator[None]:
    yield
    theme.set_theme("standard")


def test_apply_to_application_sets_the_palette_and_font(qapp: QApplication) -> None:
    font, palette = qapp.font(), qapp.palette()
    try:
        theme.apply_to_application(qapp)
        assert qapp.font().pointSize() >= theme.BASE_FONT_PT
        assert qapp.palette().color(QPalette.ColorRole.Text) == QColor(theme.INK)
        assert qapp.palette().color(QPalette.ColorRole.Base) == QColor(theme.PAPER)
    finally:
        qapp.setFont(font)
        qapp.setPalette(palette)


@pytest.mark.parametrize("look", THEME_NAMES)
@pytest.mark.parametrize("kind", theme.STATUS_KINDS)
def test_status_colours_follow_the_current_theme(look: str, kind: str) -> None:
    theme.set_theme(look)
    ink, paper = theme.status_colours(kind)
    assert (ink, paper) == theme.spec(look).status[kind]
    assert contrast_ratio(ink, paper) >= 7.0


def test_every_status_the_screens_show_has_colours() -> None:
    kinds = {
        "recorded",
        "missing",
        "flagged",
        "error",
        "warning",
        "operational",
        "maintenance",
        "failed",
        "removed",
        "online",
        "offline",
    }
    assert set(theme.STATUS_KINDS) == kinds
    with pytest.raises(KeyError, match="unknown status"):
        theme.status_colours("fine")


def test_the_sunlight_sheet_makes_text_bigger_and_bold(qtbot: QtBot) -> None:
    window, edit = themed_window(qtbot, "standard")
    assert edit.font().pointSize() == theme.BASE_FONT_PT
    assert not edit.font().bold()
    theme.apply_to_window(window, "sunlight")
    assert edit.font().pointSize() == theme.SUNLIGHT_FONT_PT >= 16
    assert edit.font().bold()
    assert window.palette().color(QPalette.ColorRole.Window) == QColor("#ffffff")
    assert theme.current_theme() == "standard"  # an explicit theme does not change the current


def test_set_theme_repaints_every_themed_window(qtbot: QtBot) -> None:
    first, first_edit = themed_window(qtbot)
    second, second_edit = themed_window(qtbot)
    gone, _ = themed_window(qtbot)
    gone.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    theme.set_theme("sunlight")
    assert theme.current_theme() == "sunlight"
    for window, edit in ((first, first_edit), (second, second_edit)):
        assert window.styleSheet() == theme.style_sheet("sunlight")
        assert edit.font().pointSize() == theme.SUNLIGHT_FONT_PT
    theme.set_theme("standard")
    assert first_edit.font().pointSize() == theme.BASE_FONT_PT
    assert first.palette().color(QPalette.ColorRole.Window) == QColor(theme.STANDARD.window)


def test_an_unknown_theme_is_refused_and_nothing_changes(qtbot: QtBot) -> None:
    with pytest.raises(KeyError, match="standard, sunlight"):
        theme.set_theme("night")
    assert theme.current_theme() == "standard"


def test_with_no_name_the_current_theme_is_meant() -> None:
    theme.set_theme("sunlight")
    assert theme.spec() is theme.SUNLIGHT
    assert theme.style_sheet() == theme.style_sheet("sunlight")
    assert theme.palette_for().color(QPalette.ColorRole.Window) == QColor(theme.SUNLIGHT.window)


@pytest.mark.parametrize("look", THEME_NAMES)
def test_apply_to_application_uses_the_theme(qapp: QApplication, look: str) -> None:
    font, palette = qapp.font(), qapp.palette()
    try:
        theme.apply_to_application(qapp, look)
        spec = theme.spec(look)
        assert qapp.font().pointSize() == spec.font_pt
        assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(spec.window)
        assert qapp.palette().color(QPalette.ColorRole.Text) == QColor(spec.ink)
    finally:
        qapp.setFont(font)
        qapp.setPalette(palette)

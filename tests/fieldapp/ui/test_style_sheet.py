"""Each theme's style sheet: only checked colours, thick frames and rings, painted states."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from themekit import pixel, themed_window

from fieldapp.ui import style_sheet, theme

THEME_NAMES = list(theme.THEMES)


@pytest.mark.parametrize("look", THEME_NAMES)
def test_every_colour_in_a_style_sheet_is_one_of_the_checked_pairs(look: str) -> None:
    """A colour added to the sheet without a checked pair would escape the contrast test."""
    checked = {c for _, ink, paper in theme.colour_pairs(look) for c in (ink, paper)}
    spec = theme.spec(look)
    not_text = {spec.grid, spec.warning_border, spec.nav_bar, spec.window}  # borders, bars
    for token in theme.style_sheet(look).replace(";", " ").replace(",", " ").split():
        if token.startswith("#") and len(token) == 7:
            assert token in checked | not_text, f"{look}: {token} is not a checked colour"


def test_a_sheet_is_built_once_per_theme_and_an_unknown_one_is_refused() -> None:
    assert style_sheet.sheet_named("sunlight") is style_sheet.sheet_named("sunlight")
    assert theme.style_sheet("standard") == style_sheet.sheet_named("standard")
    assert "url(" not in theme.style_sheet("standard")  # unframed: the platform's own arrows
    with pytest.raises(KeyError, match="standard, sunlight"):
        style_sheet.sheet_named("night")


def test_sunlight_focus_ring_is_thick(qtbot: QtBot) -> None:
    window, edit = themed_window(qtbot, "sunlight")
    window.activateWindow()
    other = window.findChildren(QLineEdit)[1]
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    middle = edit.height() // 2
    assert pixel(edit, 1, middle) == "#000000"  # the 3 px frame
    assert pixel(edit, 4, middle) == "#ffffff"
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert pixel(edit, 4, middle) == "#000000"  # the 6 px focus ring
    assert pixel(edit, 8, middle) == theme.SUNLIGHT.focus_paper


def text_width(button: QWidget, paper: str) -> int:
    """How wide the button's text is drawn, in pixels (bold text is wider)."""
    image = button.grab().toImage()
    columns = [
        x
        for x in range(14, button.width() - 8)
        if any(image.pixelColor(x, y).name() != paper for y in range(14, button.height() - 14))
    ]
    return max(columns) - min(columns)


@pytest.mark.parametrize("look", THEME_NAMES)
def test_the_checked_navigation_button_has_a_bar_and_bold_type(qtbot: QtBot, look: str) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    other, current = QPushButton("Production"), QPushButton("Production")
    for button in (other, current):
        theme.nav_button(button, "Production screen")
        button.setAutoExclusive(True)
        layout.addWidget(button)
    theme.apply_to_window(window, look)
    qtbot.addWidget(window)
    window.resize(320, 200)
    window.show()
    qtbot.waitExposed(window)
    current.setChecked(True)
    spec = theme.spec(look)
    assert other.isCheckable() and other.accessibleName() == "Production screen"
    assert other.height() >= theme.BUTTON_MIN_HEIGHT
    middle = current.height() // 2
    assert pixel(current, 6, middle) == spec.nav_bar  # a thick bar on the checked one only
    assert pixel(other, 6, middle) == spec.button
    assert pixel(current, current.width() // 2, middle - 20) == spec.nav_paper
    if not spec.bold:  # standard: the checked one's text is bold, the others' regular
        assert text_width(current, spec.nav_paper) > text_width(other, spec.button) + 4


def test_sunlight_spin_and_drop_down_arrows_are_images_that_exist() -> None:
    sheet = theme.style_sheet("sunlight")
    urls = [part.split(")")[0] for part in sheet.split("url(")[1:]]
    assert len(urls) == 2
    for url in urls:
        assert Path(url).read_text().startswith("<svg")


def test_status_labels_are_painted_from_the_theme(qtbot: QtBot) -> None:
    window = QWidget()
    label = QLabel("Failed", window)
    label.setProperty("status", "failed")
    label.resize(120, 40)
    theme.apply_to_window(window, "sunlight")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert (
        pixel(label, label.width() - 8, label.height() // 2) == theme.SUNLIGHT.status["failed"][1]
    )


def test_sunlight_spin_box_keeps_its_size(qtbot: QtBot) -> None:
    window = QWidget()
    spin = QSpinBox(window)
    theme.size_input(spin, "Minutes")
    theme.apply_to_window(window, "sunlight")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert spin.height() >= theme.INPUT_MIN_HEIGHT
    assert spin.font().pointSize() == theme.SUNLIGHT_FONT_PT

"""Field ergonomics: every window has big type, big targets, names and readable colours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from fieldapp.ui import theme
from fieldapp.ui.contrast import contrast_ratio
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.unlock import UnlockDialog

INPUTS = (QLineEdit, QComboBox, QDateEdit, QPlainTextEdit)


def contrast(ink: str, paper: str) -> float:
    return contrast_ratio(ink, paper)


def controls(window: QWidget) -> list[QWidget]:
    """Interactive controls an operator reaches (the line edit inside QDateEdit excluded)."""
    found: list[QWidget] = []
    for kind in (*INPUTS, QAbstractButton, QTableView):
        for widget in window.findChildren(kind):
            parent = widget.parentWidget()
            if isinstance(widget, QLineEdit) and isinstance(parent, QDateEdit | QComboBox):
                continue
            if type(widget).__name__ in ("QToolButton",) or not widget.isVisibleTo(window):
                continue  # the search box's clear button and hidden helpers
            found.append(widget)
    return found


def check_window(window: QWidget) -> None:
    found = controls(window)
    assert found
    for widget in found:
        name = widget.accessibleName() or type(widget).__name__
        assert widget.accessibleName(), f"{type(widget).__name__} has no accessible name"
        assert widget.font().pointSizeF() >= theme.BASE_FONT_PT, name
        if isinstance(widget, INPUTS):
            assert widget.height() >= theme.INPUT_MIN_HEIGHT, f"{name}: {widget.height()} px"
        if isinstance(widget, QAbstractButton):
            assert widget.height() >= theme.BUTTON_MIN_HEIGHT, f"{name}: {widget.height()} px"


def test_main_window_controls_are_big_and_named(qtbot: QtBot, runner: OpRunner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.refresh()
    route = window.pages["route"]
    model = getattr(route, "model")  # noqa: B009 - the route page's table model
    qtbot.waitUntil(lambda: model.rowCount() == 12, timeout=10_000)
    check_window(window)
    table = getattr(route, "table")  # noqa: B009
    assert table.verticalHeader().defaultSectionSize() >= theme.ROW_HEIGHT
    title = getattr(route, "progress")  # noqa: B009 - the page's title line
    assert title.font().pointSize() == theme.TITLE_FONT_PT
    assert title.font().bold()
    names = {w.accessibleName() for w in controls(window)}
    assert {"Search wells", "Show today", "Settings screen (Ctrl+7)"} <= names


def test_unlock_dialog_controls_are_big_and_named(qtbot: QtBot) -> None:
    dialog = UnlockDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    check_window(dialog)


@pytest.mark.parametrize(
    ("ink", "paper"),
    [
        (theme.INK, theme.PAPER),
        (theme.ERROR_INK, theme.ERROR_PAPER),
        (theme.WARNING_INK, theme.WARNING_PAPER),
        (theme.RECORDED_INK, theme.RECORDED_PAPER),
        (theme.INK, theme.OFFLINE_PAPER),  # the status bar's "Offline"
        (theme.PAPER, theme.ACCENT),  # selected rows and the Save button
    ],
)
def test_colour_pairs_are_readable_in_sunlight(ink: str, paper: str) -> None:
    assert contrast(ink, paper) >= 7.0


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


def test_field_font_never_shrinks() -> None:
    big = theme.field_font(point_size=14)
    assert big.pointSize() == 14
    bigger = QFont(big)
    bigger.setPointSize(20)
    assert theme.field_font(bigger).pointSize() == 20


# --- the two themes ---------------------------------------------------------------------------

THEME_NAMES = list(theme.THEMES)


@pytest.fixture(autouse=True)
def standard_theme() -> Iterator[None]:
    yield
    theme.set_theme("standard")


@pytest.mark.parametrize(
    ("look", "what", "ink", "paper"),
    [(name, *pair) for name in THEME_NAMES for pair in theme.colour_pairs(name)],
    ids=lambda value: str(value),
)
def test_every_text_colour_of_both_themes_reaches_7_to_1(
    look: str, what: str, ink: str, paper: str
) -> None:
    assert contrast_ratio(ink, paper) >= 7.0, f"{look}: {what} {ink} on {paper}"


@pytest.mark.parametrize("look", THEME_NAMES)
def test_every_colour_in_a_style_sheet_is_one_of_the_checked_pairs(look: str) -> None:
    """A colour added to the sheet without a checked pair would escape the contrast test."""
    checked = {c for _, ink, paper in theme.colour_pairs(look) for c in (ink, paper)}
    spec = theme.spec(look)
    not_text = {spec.grid, spec.warning_border, spec.nav_bar, spec.window}  # borders, bars
    for token in theme.style_sheet(look).replace(";", " ").replace(",", " ").split():
        if token.startswith("#") and len(token) == 7:
            assert token in checked | not_text, f"{look}: {token} is not a checked colour"


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


def themed_window(qtbot: QtBot, look: str | None = None) -> tuple[QWidget, QLineEdit]:
    window = QWidget()
    edit = QLineEdit("1,250")
    other = QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(edit)
    layout.addWidget(other)
    theme.apply_to_window(window, look)
    qtbot.addWidget(window)
    window.resize(400, 200)
    window.show()
    qtbot.waitExposed(window)
    return window, edit


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


def pixel(widget: QWidget, x: int, y: int) -> str:
    return str(widget.grab().toImage().pixelColor(x, y).name())


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

"""Every screen, walked: gloves-sized targets, readable type, room between controls, names.

The main window is built with every real page over the demo store; each page is shown (and
loaded) in turn, in both themes, and every visible control on it is checked against the
field targets of issue 5: buttons >= 60x60 px, inputs >= 50 px high, base font >= 14 pt,
>= 20 px between controls, and an accessible name on every control.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from fieldapp.core.preferences import Preferences
from fieldapp.ui import theme
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import PAGE_NAMES

INPUTS = (
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QCheckBox,
    QRadioButton,
    QTabBar,
    QTabWidget,
)
CONTROLS = (QAbstractButton, QAbstractItemView, *INPUTS)
COMPOUND = (QAbstractSpinBox, QComboBox, QAbstractItemView, QLineEdit)  # own their parts


def controls(root: QWidget) -> Iterator[QWidget]:
    """Visible controls under `root`, not counting the inner parts of compound widgets."""
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        parent = widget.parentWidget()
        inner = False
        while parent is not None and parent is not root:
            if isinstance(parent, COMPOUND):
                inner = True
                break
            parent = parent.parentWidget()
        if not inner:
            yield widget


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", lambda: "")()
    return f"{type(widget).__name__} {widget.objectName()!r} {text!r}"


def layouts(layout: QLayout) -> Iterator[QLayout]:
    yield layout
    for i in range(layout.count()):
        item = layout.itemAt(i)
        child = item.layout() if item is not None else None
        if child is not None:
            yield from layouts(child)
        widget = item.widget() if item is not None else None
        if widget is not None and widget.layout() is not None and not isinstance(widget, CONTROLS):
            yield from layouts(widget.layout())


def spacing_problems(page: QWidget) -> list[str]:
    top = page.layout()
    assert top is not None, f"{page} has no layout"
    return spacing_problems_of(top, page.name)  # type: ignore[attr-defined]


def spacing_problems_of(top: QLayout, where: str) -> list[str]:
    problems = []
    for layout in layouts(top):
        if sum(1 for i in range(layout.count()) if layout.itemAt(i).widget() is not None) < 2:
            continue
        if isinstance(layout, QGridLayout):
            gaps = (layout.horizontalSpacing(), layout.verticalSpacing())
        elif isinstance(layout, QBoxLayout):
            gaps = (layout.spacing(),)
        else:
            continue
        if min(gaps) < theme.SPACING:
            problems.append(f"{type(layout).__name__} under {where} spacing {gaps}")
    return problems


def tab_problems(page: QWidget) -> list[str]:
    """Tabs are pressed like buttons: each at least 60 px high and 60 wide."""
    found = []
    for bar in page.findChildren(QTabBar):
        if not bar.isVisibleTo(page):
            continue
        for i in range(bar.count()):
            rect = bar.tabRect(i)
            if rect.height() < theme.BUTTON_MIN_HEIGHT or rect.width() < theme.BUTTON_MIN_HEIGHT:
                found.append(f"tab {bar.tabText(i)!r}: {rect.width()}x{rect.height()} < 60x60")
    return found


def every_tab(page: QWidget) -> Iterator[None]:
    """Show each tab of each tab widget on the page in turn (the page as it is, first)."""
    yield
    for tabs in page.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield
        tabs.setCurrentIndex(0)


def problems_on(page: QWidget) -> list[str]:
    found = tab_problems(page)
    for widget in controls(page):
        what = describe(widget)
        if not widget.accessibleName().strip():
            found.append(f"{what}: no accessible name")
        size = widget.size()
        if isinstance(widget, QAbstractButton) and not isinstance(widget, QCheckBox | QRadioButton):
            if size.width() < theme.BUTTON_MIN_HEIGHT or size.height() < theme.BUTTON_MIN_HEIGHT:
                found.append(f"{what}: button {size.width()}x{size.height()} < 60x60")
        elif isinstance(widget, INPUTS) and size.height() < theme.INPUT_MIN_HEIGHT:
            found.append(f"{what}: input {size.height()} px high < 50")
        if widget.font().pointSizeF() < theme.BASE_FONT_PT:
            found.append(f"{what}: font {widget.font().pointSizeF()} pt < 14")
    return found + spacing_problems(page)


@pytest.mark.parametrize("theme_name", ["standard", "sunlight"])
def test_every_screen_meets_the_field_targets(
    qtbot: QtBot, runner: OpRunner, theme_name: str
) -> None:
    window = MainWindow(runner, preferences=Preferences(theme=theme_name))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    theme.set_theme(theme_name)  # type: ignore[arg-type]
    try:
        window.show()
        qtbot.waitExposed(window)
        assert tuple(window.pages) == PAGE_NAMES
        problems: list[str] = []
        for name in PAGE_NAMES:
            window.show_page(name)
            for _shown in every_tab(window.pages[name]):
                qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
                qtbot.wait(20)  # layouts settle after the loaded data is painted
                problems += [f"{name}: {p}" for p in problems_on(window.pages[name])]
        nav = window.nav_buttons["route"].parentWidget()
        assert nav is not None and nav.layout() is not None
        problems += [f"navigation: {p}" for p in spacing_problems_of(nav.layout(), "nav")]
        for name, button in window.nav_buttons.items():
            problems += [f"nav {name}: {p}" for p in problems_on_button(button)]
        assert problems == []
    finally:
        theme.set_theme("standard")


def problems_on_button(button: QAbstractButton) -> list[str]:
    found = []
    if not button.accessibleName():
        found.append("no accessible name")
    if button.width() < theme.BUTTON_MIN_HEIGHT or button.height() < theme.BUTTON_MIN_HEIGHT:
        found.append(f"{button.width()}x{button.height()} < 60x60")
    return found


@pytest.mark.parametrize("theme_name", ["standard", "sunlight"])
def test_every_screen_fits_a_1366_by_768_laptop_screen(
    qtbot: QtBot, runner: OpRunner, theme_name: str
) -> None:
    """The window's smallest size with every page loaded (the stack takes the largest page's):
    a form that grows scrolls its fields instead of pushing the window off the screen."""
    theme.set_theme(theme_name)  # type: ignore[arg-type]
    window = MainWindow(runner, preferences=Preferences(theme=theme_name))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        for name in PAGE_NAMES:
            window.show_page(name)
            qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
            qtbot.wait(20)
            smallest = window.minimumSizeHint()
            assert smallest.width() <= 1366 and smallest.height() <= 768, (name, smallest)
    finally:
        theme.set_theme("standard")

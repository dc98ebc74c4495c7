"""The current theme, applied: every themed window and the application repaint when it changes.

Operators work with gloves on rugged laptops outdoors, so every window applies the field sizes
and the theme itself (not only the application), and every state shown in colour is also shown
in words. What a theme is lives in three modules below this one, all re-exported here so callers
keep writing `theme.NAME`:

- `sizes`: big type and big targets (`size_input`, `size_button`, `nav_button`);
- `palette`: the two themes' colours and type (`ThemeSpec`, `STANDARD`, `SUNLIGHT`,
  `colour_pairs`, the Qt palette);
- `style_sheet`: each theme's Qt style sheet, whose spin and drop-down arrows are SVG files
  shipped in the package (`icons`).

Importing it has no side effects: nothing is written, no style sheet is built until asked for.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.ui.palette import (
    ACCENT,
    ERROR_INK,
    ERROR_PAPER,
    INK,
    OFFLINE_PAPER,
    PAPER,
    RECORDED_INK,
    RECORDED_PAPER,
    STANDARD,
    STATUS_KINDS,
    SUNLIGHT,
    THEMES,
    WARNING_INK,
    WARNING_PAPER,
    Pair,
    ThemeSpec,
    colour_pairs,
    qt_palette,
    theme_named,
)
from fieldapp.ui.sizes import (
    BASE_FONT_PT,
    BUTTON_MIN_HEIGHT,
    COMBO_MIN_CHARS,
    INPUT_MIN_HEIGHT,
    ROW_HEIGHT,
    SPACING,
    SUNLIGHT_FONT_PT,
    TITLE_FONT_PT,
    field_font,
    nav_button,
    size_button,
    size_input,
)
from fieldapp.ui.style_sheet import sheet_named

__all__ = [
    "ACCENT",
    "BASE_FONT_PT",
    "BUTTON_MIN_HEIGHT",
    "COMBO_MIN_CHARS",
    "ERROR_INK",
    "ERROR_PAPER",
    "INK",
    "INPUT_MIN_HEIGHT",
    "OFFLINE_PAPER",
    "PAPER",
    "RECORDED_INK",
    "RECORDED_PAPER",
    "ROW_HEIGHT",
    "SPACING",
    "STANDARD",
    "STATUS_KINDS",
    "SUNLIGHT",
    "SUNLIGHT_FONT_PT",
    "THEMES",
    "TITLE_FONT_PT",
    "WARNING_INK",
    "WARNING_PAPER",
    "Pair",
    "ThemeSpec",
    "apply_theme_everywhere",
    "apply_to_application",
    "apply_to_window",
    "colour_pairs",
    "current_theme",
    "field_font",
    "nav_button",
    "palette_for",
    "repolish",
    "set_theme",
    "size_button",
    "size_input",
    "spec",
    "status_colours",
    "style_sheet",
]

_current = "standard"
_windows: weakref.WeakSet[QWidget] = weakref.WeakSet()
_themed_app = False


def current_theme() -> str:
    return _current


def spec(theme_name: str | None = None) -> ThemeSpec:
    """A theme by name (None: the current one); KeyError names the known themes."""
    return theme_named(theme_name or _current)


def style_sheet(theme_name: str | None = None) -> str:
    """The Qt style sheet of a theme (None: the current one)."""
    return sheet_named(spec(theme_name).name)


def palette_for(theme_name: str | None = None) -> QPalette:
    """The Qt palette of a theme (None: the current one)."""
    return qt_palette(spec(theme_name))


def status_colours(kind: str) -> tuple[str, str]:
    """(ink, paper) for a state (recorded, failed, offline...) in the current theme."""
    if kind not in STATUS_KINDS:
        raise KeyError(f"unknown status {kind!r}; use one of {', '.join(STATUS_KINDS)}")
    return spec().status[kind]


def set_theme(name: str) -> None:
    """Make `name` the current theme and repaint every window themed so far with it."""
    global _current
    if spec(name).name != _current:  # unknown names refused before anything changes
        _current = name
        apply_theme_everywhere()


def apply_theme_everywhere() -> None:
    """Re-apply the current theme to the application (when themed) and every themed window."""
    app = QApplication.instance()
    if _themed_app and isinstance(app, QApplication):
        apply_to_application(app)
    for window in list(_windows):
        if shiboken6.isValid(window):
            apply_to_window(window)


def apply_to_window(window: QWidget, theme: str | None = None) -> None:
    """Big type, the theme's palette and style sheet on one window and its children (None:
    the current theme). The window is remembered: `set_theme` repaints it."""
    t = spec(theme)
    window.setFont(field_font(window.font(), t.font_pt))
    window.setStyleSheet("")  # else re-polishing restores the palette of the previous sheet
    window.setPalette(qt_palette(t))
    window.setStyleSheet(sheet_named(t.name))
    _windows.add(window)


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used in selectors changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def apply_to_application(app: QApplication, theme: str | None = None) -> None:
    """Fusion with the theme's light, high-contrast palette: the same look on every laptop."""
    global _themed_app
    t = spec(theme)
    app.setStyle("Fusion")
    app.setPalette(qt_palette(t))
    font = QFont(app.font())
    font.setPointSize(max(t.font_pt, BASE_FONT_PT))
    font.setBold(t.bold)
    app.setFont(font)
    _themed_app = True

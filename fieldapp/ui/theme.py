"""Field ergonomics: big type, big targets, high-contrast colours readable in sunlight.

Operators work with gloves on rugged laptops outdoors, so every window applies these sizes
itself (not only the application) and every state shown in colour is also shown in words.

Two themes: "standard" and "sunlight" (near-black on white, bold larger type, thick borders and
focus rings); every text/background pair of both (`colour_pairs`) reaches 7:1, WCAG AAA.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget

BASE_FONT_PT = 14
SUNLIGHT_FONT_PT = 16
INPUT_MIN_HEIGHT = 50
BUTTON_MIN_HEIGHT = 60
ROW_HEIGHT = 48
SPACING = 20  # between controls: room for a gloved fingertip
COMBO_MIN_CHARS = 14  # a drop-down is at least this many characters wide, however long its items

# The standard theme's colours (kept as names: other modules use them).
INK = "#111111"
PAPER = "#ffffff"
ERROR_INK = "#8b0000"
ERROR_PAPER = "#fde8e8"
WARNING_INK = "#5c3b00"
WARNING_PAPER = "#ffe8a3"
RECORDED_INK = "#0b4a1f"
RECORDED_PAPER = "#e3f4e6"
OFFLINE_PAPER = "#dcdcdc"
ACCENT = "#0b4f8a"

TITLE_FONT_PT = BASE_FONT_PT + 4


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    """Everything a theme decides: type, borders and colours (hex, #rrggbb)."""

    name: str
    font_pt: int
    bold: bool
    border_px: int  # around inputs and buttons (0: the platform's frame)
    focus_px: int  # the focus ring
    ink: str
    paper: str  # inputs, tables
    window: str  # window background
    button: str
    button_hover: str
    alternate: str  # alternate table rows
    tooltip: str
    placeholder: str
    accent: str  # primary buttons, selection
    accent_ink: str  # text on accent
    nav_ink: str  # the checked navigation button: text, background and its left bar
    nav_paper: str
    nav_bar: str
    focus_paper: str  # an input with the focus
    disabled_ink: str
    disabled_paper: str
    grid: str
    warning_border: str
    status: dict[str, tuple[str, str]]  # (ink, paper) of each of STATUS_KINDS


Pair = tuple[str, str]


def _states(
    ok: Pair, missing: Pair, warn: Pair, bad: Pair, removed: Pair, off: Pair
) -> dict[str, Pair]:
    return {
        "recorded": ok,
        "missing": missing,
        "flagged": warn,
        "error": bad,
        "warning": warn,
        "operational": ok,
        "maintenance": warn,
        "failed": bad,
        "removed": removed,
        "online": ok,
        "offline": off,
    }


STANDARD = ThemeSpec(
    name="standard",
    font_pt=BASE_FONT_PT,
    bold=False,
    border_px=0,
    focus_px=3,
    ink=INK,
    paper=PAPER,
    window="#f2f2f2",
    button="#e4e4e4",
    button_hover="#d6d6d6",
    alternate="#f4f6f8",
    tooltip="#ffffdc",
    placeholder="#555555",
    accent=ACCENT,
    accent_ink=PAPER,
    nav_ink=ACCENT,
    nav_paper=PAPER,
    nav_bar=ACCENT,
    focus_paper=PAPER,
    disabled_ink="#333333",
    disabled_paper="#d0d6dc",
    grid="#c8c8c8",
    warning_border="#b36b00",
    status=_states(
        ok=(RECORDED_INK, RECORDED_PAPER),
        missing=(INK, "#f0f0f0"),
        warn=(WARNING_INK, WARNING_PAPER),
        bad=(ERROR_INK, ERROR_PAPER),
        removed=("#333333", OFFLINE_PAPER),
        off=(INK, OFFLINE_PAPER),
    ),
)

SUNLIGHT = ThemeSpec(
    name="sunlight",
    font_pt=SUNLIGHT_FONT_PT,
    bold=True,
    border_px=3,
    focus_px=6,
    ink="#000000",
    paper="#ffffff",
    window="#ffffff",
    button="#ffffff",
    button_hover="#e6e6e6",
    alternate="#f0f0f0",
    tooltip="#ffffff",
    placeholder="#3b3b3b",
    accent="#00306e",
    accent_ink="#ffffff",
    nav_ink="#ffffff",
    nav_paper="#000000",
    nav_bar="#ffd400",
    focus_paper="#fff7c2",
    disabled_ink="#2b2b2b",
    disabled_paper="#e6e6e6",
    grid="#000000",
    warning_border="#000000",
    status=_states(
        ok=("#003d14", "#e6f7ea"),
        missing=("#000000", "#ffffff"),
        warn=("#3d2600", "#fff0b3"),
        bad=("#5a0000", "#ffe5e5"),
        removed=("#222222", "#dcdcdc"),
        off=("#000000", "#d9d9d9"),
    ),
)

STATUS_KINDS = tuple(STANDARD.status)
THEMES: dict[str, ThemeSpec] = {spec.name: spec for spec in (STANDARD, SUNLIGHT)}


def spec(theme_name: str | None = None) -> ThemeSpec:
    """A theme by name (None: the current one); KeyError names the known themes."""
    if (name := theme_name or _current) not in THEMES:
        raise KeyError(f"unknown theme {name!r}; use one of {', '.join(THEMES)}")
    return THEMES[name]


# --- contrast ---------------------------------------------------------------------------------


def colour_pairs(theme_name: str) -> list[tuple[str, str, str]]:
    """Every (what, ink, paper) pair the theme paints text with: its style sheet and palette."""
    t = spec(theme_name)
    pairs = [
        ("text", t.ink, t.paper),
        ("window text", t.ink, t.window),
        ("button text", t.ink, t.button),
        ("hovered button", t.ink, t.button_hover),
        ("alternate rows", t.ink, t.alternate),
        ("tooltips", t.ink, t.tooltip),
        ("placeholder text", t.placeholder, t.paper),
        ("pressed button", t.paper, t.ink),
        ("primary button and selection", t.accent_ink, t.accent),
        ("checked navigation", t.nav_ink, t.nav_paper),
        ("links", t.accent, t.paper),
        ("focused input", t.ink, t.focus_paper),
        ("disabled controls", t.disabled_ink, t.disabled_paper),
        ("input with an error", t.ink, t.status["error"][1]),
        ("input with a warning", t.ink, t.status["warning"][1]),
    ]
    return pairs + [(f"status {kind}", ink, paper) for kind, (ink, paper) in t.status.items()]


# --- style sheets -----------------------------------------------------------------------------


_ARROWS = {"up": "1,11 9,1 17,11", "down": "1,1 9,11 17,1"}


@functools.cache
def _arrow(direction: str, colour: str) -> str:
    """An SVG arrow for styled spin and drop-down buttons (styled, they lose their arrows)."""
    folder = tempfile.mkdtemp(prefix="wellpulse-theme-")
    atexit.register(shutil.rmtree, folder, True)
    path = Path(folder) / f"{direction}.svg"
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="12"><polygon'
        f' points="{_ARROWS[direction]}" fill="{colour}"/></svg>'
    )
    return path.as_posix()


_INPUTS = ("QLineEdit", "QComboBox", "QAbstractSpinBox", "QPlainTextEdit", "QTextEdit")

# Rules of every theme. Font sizes live here: once a window has a style sheet, Qt does not pass
# a parent's setFont() on to its children, so sizes must be style rules.
_COMMON = """
QWidget {{ font-size: {font_pt}pt;{weight} }}
QLabel#title {{ font-size: {title_pt}pt; font-weight: bold; }}
QLabel#section {{ font-size: {section_pt}pt; font-weight: bold; }}
{inputs} {{ padding: 4px 8px; }}
{framed}
QPushButton#primary {{ background: {accent}; color: {accent_ink}; font-weight: bold;
    border-radius: 6px;{frame} }}
QPushButton#primary:focus {{ border: {f}px solid {ink}; text-decoration: underline; }}
QPushButton:disabled, QPushButton#primary:disabled {{ background: {disabled_paper};
    color: {disabled_ink}; border: {b2}px dashed {disabled_ink}; border-radius: 6px; }}
QRadioButton, QCheckBox {{ spacing: 12px; padding: 4px; border: {f}px solid transparent; }}
QRadioButton:focus, QCheckBox:focus {{ border-color: {ink}; }}
QRadioButton::indicator, QCheckBox::indicator {{ width: {box}px; height: {box}px; }}
QPushButton[nav="true"] {{ text-align: left; padding: 8px 12px; border-radius: 0px;
    background: {button}; color: {ink}; border: {b1}px solid {grid};
    padding-left: {nav_pad}px;{nav_weight} }}
QPushButton[nav="true"]:hover {{ background: {button_hover}; }}
QPushButton[nav="true"]:checked {{ background: {nav_paper}; color: {nav_ink};
    border-left: 12px solid {nav_bar}; padding-left: 12px; font-weight: bold; }}
QPushButton[nav="true"]:focus {{ border-top: {f}px solid {ink}; border-right: {f}px solid {ink};
    border-bottom: {f}px solid {ink}; text-decoration: underline; }}
{error_inputs} {{ border: {issue_px}px solid {error_ink}; background: {error_paper}; }}
{warning_inputs} {{ border: {issue_px}px solid {warning_border}; background: {warning_paper}; }}
{issue_focus} {{ border-width: {issue_focus_px}px; }}
QLabel#connection, QLabel#syncBadge, QLabel[status] {{ padding: 2px 10px; border-radius: 4px;
    font-weight: bold;{frame} }}
QTabBar::tab {{ min-height: {tab_h}px; min-width: 120px; padding: 0px 16px; }}
QHeaderView {{ font-weight: bold; }}
QTableView {{ gridline-color: {grid}; selection-background-color: {accent};
    selection-color: {accent_ink}; alternate-background-color: {alternate}; }}
"""

# The sunlight theme frames everything thickly, the focused control thicker (and tinted).
_FRAMED = """
{inputs} {{ border: {b}px solid {ink}; background: {paper}; color: {ink};
    padding: {pad_v}px {pad_h}px; }}
{focused_inputs} {{ border: {f}px solid {ink}; background: {focus_paper}; padding: 4px 8px; }}
{disabled_inputs} {{ border: {b}px dashed {disabled_ink}; background: {disabled_paper};
    color: {disabled_ink}; }}
QPushButton {{ background: {button}; color: {ink}; border: {b}px solid {ink}; border-radius: 6px;
    padding: {button_v}px {button_h}px; }}
QPushButton:focus {{ border: {f}px solid {ink}; padding: 6px 18px; text-decoration: underline; }}
QPushButton:hover {{ background: {button_hover}; }} QStatusBar {{ border-top: {b}px solid {ink}; }}
QPushButton:pressed, QPushButton:checked {{ background: {ink}; color: {paper}; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ width: 36px;
    border-left: {b}px solid {ink}; background: {button}; }}
QComboBox::drop-down, QDateEdit::drop-down {{ width: 40px; border-left: {b}px solid {ink}; }}
QAbstractSpinBox::up-arrow {{ image: url({up}); }} QTableView {{ border: {b}px solid {ink}; }}
QAbstractSpinBox::down-arrow, QComboBox::down-arrow {{ image: url({down}); }}
QRadioButton::indicator {{ border: {b}px solid {ink}; background: {paper};
    border-radius: {radius}px; }}
QRadioButton::indicator:checked {{ background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5,
    fx: 0.5, fy: 0.5, stop: 0 {ink}, stop: 0.55 {ink}, stop: 0.6 {paper}, stop: 1 {paper}); }}
QToolTip {{ color: {ink}; background: {tooltip}; border: 2px solid {ink}; }}
QAbstractSpinBox::up-button {{ border-bottom: 1px solid {ink}; }}
QHeaderView::section {{ background: {button_hover}; color: {ink}; border: 1px solid {ink};
    padding: 6px; font-weight: bold; }}
"""

_PAINTED = {
    'QLabel#issues[severity="error"]': "error",
    'QLabel#issues[severity="warning"]': "warning",
    'QLabel#issues[severity="ok"]': "recorded",
    'QLabel#connection[online="yes"]': "online",
    'QLabel#connection[online="no"]': "offline",
    "QLabel#syncBadge": "warning",
}


def _each(selector: str) -> str:
    return ", ".join(f"{kind}{selector}" for kind in _INPUTS)


def _sheet(t: ThemeSpec) -> str:
    b, f = t.border_px, t.focus_px
    values = {name: getattr(t, name) for name in ThemeSpec.__dataclass_fields__} | {
        "title_pt": t.font_pt + 4,
        "section_pt": t.font_pt + 2,
        "b": b,
        "f": f,
        "b1": max(b, 1),
        "b2": max(b, 2),
        "box": t.font_pt * 2,
        "radius": t.font_pt + b,
        "weight": " font-weight: bold;" if t.bold else "",
        "nav_weight": "" if t.bold else " font-weight: normal;",
        "nav_pad": 24 - max(b, 1),
        "frame": f" border: {b}px solid {t.ink};" if b else "",
        "pad_v": f - b + 4,
        "pad_h": f - b + 8,
        "button_v": f - b + 6,
        "button_h": f - b + 18,
        "tab_h": BUTTON_MIN_HEIGHT,  # a tab is pressed like a button
        "inputs": _each(""),
        "focused_inputs": _each(":focus"),
        "disabled_inputs": _each(":disabled"),
        "error_inputs": _each('[issue="error"]'),
        "warning_inputs": _each('[issue="warning"]'),
        "issue_focus": _each('[issue="error"]:focus') + ", " + _each('[issue="warning"]:focus'),
        "issue_px": max(3, b + 1),
        "issue_focus_px": max(f, 3, b + 1),
        "error_ink": t.status["error"][0],
        "error_paper": t.status["error"][1],
        "warning_paper": t.status["warning"][1],
        "up": _arrow("up", t.ink) if b else "",
        "down": _arrow("down", t.ink) if b else "",
    }
    values["framed"] = _FRAMED.format_map(values) if b else "QPushButton { padding: 6px 18px; }"
    painted = _PAINTED | {f'QLabel[status="{kind}"]': kind for kind in STATUS_KINDS}
    colours = "".join(
        f"{selector} {{ color: {t.status[kind][0]}; background: {t.status[kind][1]}; }}\n"
        for selector, kind in painted.items()
    )
    return _COMMON.format_map(values).lstrip() + colours


@functools.cache
def _sheet_named(name: str) -> str:
    return _sheet(THEMES[name])


def style_sheet(theme_name: str | None = None) -> str:
    """The Qt style sheet of a theme (None: the current one)."""
    return _sheet_named(spec(theme_name).name)


STYLE_SHEET = style_sheet("standard")

_current = "standard"
_windows: weakref.WeakSet[QWidget] = weakref.WeakSet()
_themed_app = False


def current_theme() -> str:
    return _current


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


def field_font(base: QFont | None = None, point_size: int = BASE_FONT_PT) -> QFont:
    font = QFont(base) if base is not None else QFont()
    if font.pointSizeF() < point_size:
        font.setPointSize(point_size)
    return font


def palette_for(theme_name: str | None = None) -> QPalette:
    t = spec(theme_name)
    palette = QPalette()
    r = QPalette.ColorRole
    for role, colour in (
        (r.Window, t.window),
        (r.WindowText, t.ink),
        (r.Base, t.paper),
        (r.Text, t.ink),
        (r.AlternateBase, t.alternate),
        (r.Button, t.button),
        (r.ButtonText, t.ink),
        (r.Highlight, t.accent),
        (r.HighlightedText, t.accent_ink),
        (r.Link, t.accent),
        (r.ToolTipBase, t.tooltip),
        (r.ToolTipText, t.ink),
        (r.PlaceholderText, t.placeholder),
    ):
        palette.setColor(role, QColor(colour))
    ink, paper = QColor(t.disabled_ink), QColor(t.disabled_paper)
    for role, shade in (
        (r.WindowText, ink),
        (r.Text, ink),
        (r.ButtonText, ink),
        (r.Base, paper),
        (r.Button, paper),
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, shade)
    return palette


def apply_to_window(window: QWidget, theme: str | None = None) -> None:
    """Big type, the theme's palette and style sheet on one window and its children (None:
    the current theme). The window is remembered: `set_theme` repaints it."""
    t = spec(theme)
    window.setFont(field_font(window.font(), t.font_pt))
    window.setStyleSheet("")  # else re-polishing restores the palette of the previous sheet
    window.setPalette(palette_for(t.name))
    window.setStyleSheet(_sheet_named(t.name))
    _windows.add(window)


def size_input(widget: QWidget, accessible_name: str) -> QWidget:
    """An input at least INPUT_MIN_HEIGHT tall, with a screen-reader name; a drop-down is
    not widened to its longest item (that would push a 1366 px window off the screen)."""
    widget.setMinimumHeight(INPUT_MIN_HEIGHT)
    widget.setAccessibleName(accessible_name)
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(COMBO_MIN_CHARS)
    return widget


def size_button(button: QAbstractButton, accessible_name: str | None = None) -> QAbstractButton:
    button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    button.setMinimumWidth(BUTTON_MIN_HEIGHT * 2)
    button.setAccessibleName(accessible_name or button.text().replace("&", ""))
    return button


def nav_button(button: QAbstractButton, accessible_name: str | None = None) -> QAbstractButton:
    """A checkable left-navigation button (QPushButton[nav="true"]: checked has a thick bar)."""
    button.setCheckable(True)
    button.setProperty("nav", "true")
    return size_button(button, accessible_name)


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
    app.setPalette(palette_for(t.name))
    font = QFont(app.font())
    font.setPointSize(max(t.font_pt, BASE_FONT_PT))
    font.setBold(t.bold)
    app.setFont(font)
    _themed_app = True

"""The Qt style sheet of each theme: sizes, frames, focus rings and status colours as rules.

Font sizes live here: once a window has a style sheet, Qt does not pass a parent's setFont()
on to its children, so sizes must be style rules. The sunlight theme frames everything thickly;
framed spin and drop-down buttons take their arrows from `icons` (files shipped in the package).
"""

from __future__ import annotations

import functools

from fieldapp.ui import icons
from fieldapp.ui.palette import STATUS_KINDS, ThemeSpec, theme_named
from fieldapp.ui.sizes import BUTTON_MIN_HEIGHT

_INPUTS = ("QLineEdit", "QComboBox", "QAbstractSpinBox", "QPlainTextEdit", "QTextEdit")

# Rules of every theme.
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
        "up": icons.arrow("up", t.ink) if b else "",
        "down": icons.arrow("down", t.ink) if b else "",
    }
    values["framed"] = _FRAMED.format_map(values) if b else "QPushButton { padding: 6px 18px; }"
    painted = _PAINTED | {f'QLabel[status="{kind}"]': kind for kind in STATUS_KINDS}
    colours = "".join(
        f"{selector} {{ color: {t.status[kind][0]}; background: {t.status[kind][1]}; }}\n"
        for selector, kind in painted.items()
    )
    return _COMMON.format_map(values).lstrip() + colours


@functools.cache
def sheet_named(theme_name: str) -> str:
    """The style sheet of a theme by name (built once); KeyError names the known themes."""
    return _sheet(theme_named(theme_name))

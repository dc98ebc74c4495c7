"""The two themes' colours and type: what each decides, and the Qt palette made from it.

"standard" and "sunlight" (near-black on white, bold larger type, thick borders and focus
rings); every text/background pair of both (`colour_pairs`) reaches 7:1, WCAG AAA. Every state
shown in colour (`STATUS_KINDS`) is also shown in words by the screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from fieldapp.ui.sizes import BASE_FONT_PT, SUNLIGHT_FONT_PT

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


@dataclass(frozen=True, slots=True)
class ChartColours:
    """The Charts screen's colours: the industry's oil green, gas red and water blue, dark
    enough to read on the theme's paper; the shading is a light wash under the lines."""

    oil: str
    gas: str
    water: str
    decline: str  # the Arps curve
    anomaly: str
    shut_in: str  # shading of shut-in days (drawn with transparency)
    band_alpha: int  # 0-255: the forecast band's fill over its metric's colour
    line_px: int
    crosshair: str


CHART_COLOURS: dict[str, ChartColours] = {
    "standard": ChartColours(
        oil="#1b7a34",
        gas="#b3261e",
        water="#1556b0",
        decline="#5b2a86",
        anomaly="#e06c00",
        shut_in="#9e9e9e",
        band_alpha=60,
        line_px=2,
        crosshair="#444444",
    ),
    "sunlight": ChartColours(
        oil="#0b5a1f",
        gas="#8f0000",
        water="#003f9e",
        decline="#3d0f66",
        anomaly="#b34700",
        shut_in="#6e6e6e",
        band_alpha=80,
        line_px=3,
        crosshair="#000000",
    ),
}
THEMES: dict[str, ThemeSpec] = {spec.name: spec for spec in (STANDARD, SUNLIGHT)}


def theme_named(name: str) -> ThemeSpec:
    """A theme by name; KeyError names the known themes."""
    if name not in THEMES:
        raise KeyError(f"unknown theme {name!r}; use one of {', '.join(THEMES)}")
    return THEMES[name]


def colour_pairs(theme_name: str) -> list[tuple[str, str, str]]:
    """Every (what, ink, paper) pair the theme paints text with: its style sheet and palette."""
    t = theme_named(theme_name)
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


def qt_palette(t: ThemeSpec) -> QPalette:
    """The Qt palette of a theme: what Fusion paints with where no style rule says otherwise."""
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
